"""FlowSpec (RFC 8955, RFC 8956, flow-vpn) between our daemon and GoBGP (gobgpd) on loopback, iBGP.

Our daemon, a subprocess connecting to gobgpd, announces rules from its configuration's `flow`
block and from its API process (`announce flow route ...`, the block and the flat forms, and
`announce ipv4 flow`): a /32 discard, a port range with a rate limit, redirects to an AS and to an
IP next hop, an IPv6 rule with a flow label, flow-vpn rules with route distinguishers. gobgpd must
hold each with its match and actions as it prints them. gobgpd then announces rules of its own
(`gobgp global rib -a ipv4-flowspec add ...`) and withdraws one; our API process must receive them
as the JSON ExaBGP 5.0.15 wrote for the same session (flow_gobgp.json, recorded with
EXABGP_INTEROP_DAEMON=/work/oracle/venv/bin/exabgp EXABGP_INTEROP_RECORD=1).
Skipped when gobgpd or gobgp is not installed.
"""

import json
import os
import pathlib
import pwd
import re
import shlex
import subprocess
import sys
import time

from peers import GoBGP, free_port

from interop import gobgp_passive, installed

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

ROOT = pathlib.Path(__file__).resolve().parents[2]
RECORDED = pathlib.Path(__file__).parent / 'flow_gobgp.json'
GOBGP = '127.0.0.3'
AS = 65000

CONFIGURED = """
        route host-discard {
            match { destination 192.0.2.1/32; }
            then { discard; }
        }
        route port-range {
            match { destination 192.0.2.0/24; protocol tcp; destination-port [ >=1024&<=2048 ]; }
            then { rate-limit 9600; }
        }
        route to-scrubber {
            match { source 198.51.100.0/24; protocol udp; source-port =domain; }
            then { redirect 65000:10; }
        }
        route ipv6-label {
            match { destination 2001:db8::/64; flow-label 2013; }
            then { discard; }
        }
        route vpn {
            rd 65000:100;
            match { destination 10.3.0.0/24; }
            then { rate-limit 0; }
        }
"""
COMMANDS = (
    'announce flow route { match { destination 203.0.113.10/32; protocol icmp; } then { rate-limit 1000; } }',
    'announce flow route destination 203.0.113.0/24 protocol tcp tcp-flags [ syn&!ack ] redirect 10.255.0.1',
    'announce ipv4 flow destination-ipv4 203.0.113.64/26 fragment [ is-fragment ] packet-length >=100 discard',
    'announce flow route { rd 1.2.3.4:7; match { destination 10.4.0.0/16; destination-port =http; } '
    'then { mark 10; action sample; } }',
)
# gobgpd's key of each rule (its `global rib` / `adj-in` JSON) -> the extended communities it shows
WANTED = {
    'ipv4-flowspec': {
        '[destination: 192.0.2.1/32]': {'discard'},
        '[destination: 192.0.2.0/24][protocol: ==tcp][destination-port: >=1024&<=2048]': {'rate: 9600.000000'},
        '[source: 198.51.100.0/24][protocol: ==udp][source-port: ==53]': {'redirect: 65000:10'},
        '[destination: 203.0.113.10/32][protocol: ==icmp]': {'rate: 1000.000000'},
        # redirect to the next hop (draft-simpson-idr-flowspec-redirect): gobgpd prints its value
        '[destination: 203.0.113.0/24][protocol: ==tcp][tcp-flags: S&!A]': {'0'},
        '[destination: 203.0.113.64/26][packet-length: >=100][fragment: is-fragment]': {'discard'},
    },
    'ipv6-flowspec': {'[destination: 2001:db8::/64/0][label: ==2013]': {'discard'}},
    'ipv4-l3vpn-flowspec': {
        '[rd: 65000:100][destination: 10.3.0.0/24]': {'discard'},
        '[rd: 1.2.3.4:7][destination: 10.4.0.0/16][destination-port: ==80]': {'remark: 10', 'action: sample'},
    },
}
# what gobgpd announces, as `gobgp global rib -a FAMILY add ...` arguments, in order
THEIRS = (
    ('ipv4-flowspec', 'match destination 10.0.0.1/32 then discard'),
    (
        'ipv4-flowspec',
        "match destination 10.1.0.0/16 protocol tcp destination-port '>=1024&<=2048' then rate-limit 1000",
    ),
    ('ipv4-flowspec', 'match source 10.2.0.0/24 protocol udp source-port ==53 then redirect 65000:10'),
    ('ipv4-flowspec', 'match destination 10.4.0.0/24 tcp-flags S fragment is-fragment dscp 46 then mark 10'),
    ('ipv6-flowspec', 'match destination 2001:db8::/64 label 2013 then discard'),
    ('ipv4-l3vpn-flowspec', 'rd 65000:100 match destination 10.3.0.0/24 then rate-limit 0'),
)
WITHDRAWN = THEIRS[0]
RULE = re.compile(r'((?:\[[^\]]*\])+)')
EXTCOMMS = re.compile(r'Extcomms: ([^}]*)\}')
BRACKETED = re.compile(r'\[([^\]]*)\]')


def _gobgp_config(port: int) -> str:
    return gobgp_passive(port, ('ipv4-flowspec', 'ipv6-flowspec', 'l3vpn-ipv4-flowspec'), asn=AS, hold=30)


# the API process: announces COMMANDS (held until the session is up), then records what it receives
PROCESS = """#!{python}
import sys, time
for command in {commands!r}:
    sys.stdout.write(command + '\\n')
    sys.stdout.flush()
    time.sleep(0.05)
with open(sys.argv[1], 'a') as out:
    for line in sys.stdin:
        out.write(line)
        out.flush()
"""

CONFIGURATION = """process flows {{
    run {process} {output};
    encoder json;
}}

neighbor {gobgp} {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as {asn};
    peer-as {asn};
    family {{ ipv4 flow; ipv6 flow; ipv4 flow-vpn; }}
    api {{ processes [ flows ]; receive {{ parsed; update; }} }}
    flow {{{rules}    }}
}}
"""


def _updates(output: pathlib.Path) -> list[dict]:
    if not output.exists():
        return []
    found = []
    for line in output.read_text().splitlines():
        if not line.startswith('{'):
            continue
        document = json.loads(line)
        if document.get('type') == 'update':
            found.append(document['neighbor']['message']['update'])
    return found


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out waiting for {what}')
        time.sleep(0.2)


def _held(gobgp: GoBGP, family: str) -> dict[str, set[str]]:
    """gobgpd's Adj-RIB-In from us: each rule's key and the actions its text table shows."""
    found = {}
    for line in gobgp.gobgp('neighbor', '127.0.0.1', 'adj-in', '-a', family).splitlines():
        rule = RULE.search(line)
        if rule is None:
            continue
        actions = EXTCOMMS.search(line)
        found[rule.group(1)] = set(BRACKETED.findall(actions.group(1))) if actions else set()
    return found


def test_flow_rules_both_ways_with_gobgp(tmp_path: pathlib.Path) -> None:
    port = free_port(GOBGP)
    gobgp = GoBGP(
        str(tmp_path),
        address=GOBGP,
        port=port,
        api_port=free_port('127.0.0.1'),
        asn=AS,
        neighbor='127.0.0.1',
        neighbor_as=AS,
        config=_gobgp_config(port),
    )
    output = tmp_path / 'received.json'
    process = tmp_path / 'flows.py'
    process.write_text(PROCESS.format(python=sys.executable, commands=COMMANDS))
    process.chmod(0o755)
    configuration = tmp_path / 'exabgp.conf'
    configuration.write_text(
        CONFIGURATION.format(process=process, output=output, gobgp=GOBGP, asn=AS, rules=CONFIGURED)
    )
    environment = dict(
        os.environ,
        exabgp_tcp_port=str(port),
        exabgp_tcp_bind='',
        exabgp_api_cli='false',
        exabgp_daemon_user=pwd.getpwuid(os.getuid()).pw_name,
    )
    daemon_command = shlex.split(os.environ.get('EXABGP_INTEROP_DAEMON', str(ROOT / 'sbin' / 'exabgp')))
    gobgp.start()
    daemon = subprocess.Popen(
        [*daemon_command, str(configuration)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / 'exabgp.log').open('w'),
    )
    try:
        _wait(gobgp.established, 30, 'the session with gobgpd')
        for family, wanted in WANTED.items():
            try:
                _wait(lambda f=family, w=wanted: _held(gobgp, f) == w, 20, f'gobgpd to hold our {family} rules')
            except AssertionError:
                assert _held(gobgp, family) == wanted, gobgp.gobgp('neighbor', '127.0.0.1', 'adj-in', '-a', family)
        for family, rule in THEIRS:
            gobgp.gobgp('global', 'rib', '-a', family, 'add', *shlex.split(rule))
        _wait(lambda: len(_updates(output)) >= len(THEIRS), 30, "gobgpd's rules")
        gobgp.gobgp('global', 'rib', '-a', WITHDRAWN[0], 'del', *shlex.split(WITHDRAWN[1]))
        _wait(lambda: len(_updates(output)) > len(THEIRS), 30, 'the withdrawal')
    finally:
        daemon.terminate()
        daemon.wait(30)
        gobgp.stop()
    got = _updates(output)
    if os.environ.get('EXABGP_INTEROP_RECORD'):
        RECORDED.write_text(json.dumps(got, indent=1) + '\n')
    expected = json.loads(RECORDED.read_text())
    # gobgpd sends each rule in its own UPDATE, in an order of its own
    key = json.dumps
    assert sorted(map(key, got[: len(THEIRS)])) == sorted(map(key, expected[: len(THEIRS)]))
    assert got[len(THEIRS) :] == expected[len(THEIRS) :]
