"""MUP (draft-mpmz-bess-mup-safi, `ipv4 mup` / `ipv6 mup`) between our daemon and GoBGP 3.10
(`ipv4-mup`, `ipv6-mup`) on loopback, iBGP:

- GoBGP announces every route type its CLI builds (interwork and direct segment discovery with
  their SRv6 Prefix-SID, type 1 and type 2 session transformed), for both AFIs, then withdraws
  one; our daemon, a subprocess connecting to gobgpd, hands them to its API process as JSON that
  must equal what ExaBGP 5.0.15 wrote in our place on the same session (mup_gobgp.json, recorded
  with `python tests/interop/test_gobgp_mup.py /path/to/5.0.15/exabgp`), but where 5.0.15's text is
  not JSON (REPAIRS, PLACEHOLDERS: ours is, and must parse);
- our daemon announces MUP routes of each type from its configuration; gobgpd must hold them with
  their route distinguisher and type. A type 1 session transformed route goes with a /32: GoBGP
  3.10 reads its prefix as a whole address, where ExaBGP (5.0.15 and us) writes the prefix's
  octets only, so a shorter prefix makes gobgpd disable the family ("Invalid Endpoint Address
  length").

Skipped when gobgpd or gobgp is not installed.
"""

import json
import os
import pathlib
import pwd
import re
import subprocess
import sys
import tempfile
import time

from peers import GoBGP, free_port

from interop import gobgp_passive, installed

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

ROOT = pathlib.Path(__file__).resolve().parents[2]
RECORDED = pathlib.Path(__file__).parent / 'mup_gobgp.json'
GOBGP = '127.0.0.3'
AS = 65000

SEGMENT = 'locator-node-length 24 function-length 16'
# (family, route) as `gobgp global rib -a FAMILY add ROUTE` takes them; the last one is withdrawn
ROUTES = (
    (
        'ipv4-mup',
        f'isd 10.0.0.0/24 rd 100:100 prefix 2001:db8:1::/64 {SEGMENT} behavior ENDM_GTP4E rt 10:10 nexthop 2001:db8::1',
    ),
    (
        'ipv4-mup',
        f'dsd 10.0.0.1 rd 100:100 prefix 2001:db8:2::1/128 {SEGMENT} behavior ENDM_GTP4E rt 10:10 mup 10:10 '
        'nexthop 2001:db8::1',
    ),
    ('ipv4-mup', 't1st 192.168.0.1/32 rd 100:100 rt 10:10 teid 12345 qfi 9 endpoint 10.0.0.1'),
    ('ipv4-mup', 't2st 10.0.0.2 rd 100:100 rt 10:10 teid 12345 mup 10:10'),
    (
        'ipv6-mup',
        f'isd 2001:db8:9::/64 rd 100:101 prefix 2001:db8:1::/64 {SEGMENT} behavior ENDM_GTP6E rt 10:11 nexthop 2001:db8::1',
    ),
    ('ipv6-mup', 't1st 2001:db8:10::1/128 rd 100:101 rt 10:11 teid 7 qfi 1 endpoint 2001:db8::1'),
    ('ipv6-mup', 't2st 2001:db8::2 rd 100:101 rt 10:11 teid 7 mup 10:11'),
    ('ipv4-mup', 't2st 10.0.0.3 rd 100:100 rt 10:10 teid 99 mup 10:10'),
)
WITHDRAWN = ROUTES[-1]

# what we announce, and what gobgpd must hold of it: (family, type, rd, key)
OURS = (
    'mup mup-isd 172.16.0.0/12 rd 65000:1 next-hop 192.0.2.1 extended-community [ target:65000:1 ]',
    'mup mup-dsd 192.0.2.9 rd 1.2.3.4:5 next-hop 192.0.2.1 extended-community [ mup:65000:9 ]',
    'mup mup-t1st 198.51.100.1/32 rd 65000:2 teid 12345 qfi 9 endpoint 192.0.2.10 next-hop 192.0.2.1',
    'mup mup-t2st 192.0.2.12 rd 65000:3 teid 255/8 next-hop 192.0.2.1',
)
HELD = {
    ('ipv4-mup', 'isd', '65000:1', '172.16.0.0/12'),
    ('ipv4-mup', 'dsd', '1.2.3.4:5', '192.0.2.9'),
    ('ipv4-mup', 't1st', '65000:2', '198.51.100.1/32'),
    ('ipv4-mup', 't2st', '65000:3', '192.0.2.12'),
}


def _gobgp_config(port: int) -> str:
    return gobgp_passive(port, ('ipv4-mup', 'ipv6-mup'), asn=AS, hold=30)


RECEIVER = """#!{python}
import sys
with open(sys.argv[1], 'a') as out:
    for line in sys.stdin:
        out.write(line)
        out.flush()
"""

CONFIGURATION = """process receiver {{
    run {receiver} {output};
    encoder json;
}}
neighbor {gobgp} {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as {asn};
    peer-as {asn};
    family {{ ipv4 mup; ipv6 mup; }}
    api {{ processes [ receiver ]; receive {{ parsed; update; }} }}
    announce {{
        ipv4 {{
{routes}
        }}
    }}
}}
"""


def _updates(output: pathlib.Path) -> list[str]:
    """The "message" member of each update line, as text: 5.0.15's is not always JSON."""
    if not output.exists():
        return []
    # the line ends with the message, then the closing of "neighbor" and of the line's object
    return [
        line.split('"message": ', 1)[1].rstrip()[: -len(' } }')]
        for line in output.read_text().splitlines()
        if '"type": "update"' in line
    ]


# 5.0.15's broken JSON, which we write as JSON (src/exabgp/bgp/nlri/mup.py and
# src/exabgp/bgp/attribute/prefixsid.py): a type 1 session transformed route has no comma after its
# endpoint and `"b''"` for no source; an SRv6 SID Information writes the format placeholders
REPAIRS = (
    (re.compile(r'("endpoint_ip": "[^"]*")("source_ip_len")'), r'\1, \2'),
    (re.compile(r'"source_ip": "b\'\'"'), '"source_ip": ""'),
)
PLACEHOLDERS = (
    (re.compile(r'"sid": "[0-9a-f:]+"'), '"sid": "%s"'),
    (re.compile(r'"endpoint_behavior": \d+'), '"endpoint_behavior": %d'),
)


def repaired(message: str) -> str:
    for pattern, replacement in REPAIRS:
        message = pattern.sub(replacement, message)
    return message


def placeholders(message: str) -> str:
    for pattern, replacement in PLACEHOLDERS:
        message = pattern.sub(replacement, message)
    return message


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out waiting for {what}')
        time.sleep(0.1)


def _held(gobgp: GoBGP) -> set[tuple[str, str, str, str]]:
    """What gobgpd received from us: (family, route type, rd, prefix or address)."""
    found = set()
    for family in ('ipv4-mup', 'ipv6-mup'):
        answer = json.loads(gobgp.gobgp('-j', 'neighbor', '127.0.0.1', 'adj-in', '-a', family) or '{}')
        for paths in answer.values():
            for path in paths:
                nlri = path['nlri']
                kind = {1: 'isd', 2: 'dsd', 3: 't1st', 4: 't2st'}[nlri['route_type']]
                route = nlri['value']
                distinguisher = f'{route["rd"]["admin"]}:{route["rd"]["assigned"]}'
                key = route.get('prefix') or route.get('address') or route.get('endpoint_address') or ''
                found.add((family, kind, distinguisher, key))
    return found


def session(command: list[str], folder: pathlib.Path) -> tuple[list[dict], set]:
    """Run `command` (an exabgp daemon) against gobgpd: the updates its API process received, and
    what gobgpd held of its routes."""
    port = free_port(GOBGP)
    gobgp = GoBGP(
        str(folder),
        address=GOBGP,
        port=port,
        api_port=free_port('127.0.0.1'),
        asn=AS,
        neighbor='127.0.0.1',
        neighbor_as=AS,
        config=_gobgp_config(port),
    )
    output = folder / 'received.json'
    receiver = folder / 'receiver.py'
    receiver.write_text(RECEIVER.format(python=sys.executable))
    receiver.chmod(0o755)
    configuration = folder / 'exabgp.conf'
    routes = '\n'.join(f'            {route};' for route in OURS)
    configuration.write_text(CONFIGURATION.format(receiver=receiver, output=output, gobgp=GOBGP, asn=AS, routes=routes))
    environment = dict(
        os.environ,
        exabgp_tcp_port=str(port),
        exabgp_tcp_bind='',
        exabgp_api_cli='false',
        exabgp_daemon_user=pwd.getpwuid(os.getuid()).pw_name,
    )
    gobgp.start()
    daemon = subprocess.Popen(
        [*command, str(configuration)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(folder / 'exabgp.log').open('w'),
    )
    try:
        _wait(gobgp.established, 30, 'the session with gobgpd')
        for family, route in ROUTES:
            gobgp.gobgp('global', 'rib', '-a', family, 'add', *route.split())
        _wait(lambda: len(_updates(output)) >= len(ROUTES), 30, 'the MUP routes')
        family, route = WITHDRAWN
        gobgp.gobgp('global', 'rib', '-a', family, 'del', *route.split())
        _wait(lambda: len(_updates(output)) > len(ROUTES), 30, 'the withdrawal')
        _wait(lambda: len(_held(gobgp)) >= len(HELD), 30, 'gobgpd to hold our MUP routes')
        held = _held(gobgp)
    finally:
        daemon.terminate()
        daemon.wait(30)
        gobgp.stop()
    return _updates(output), held


def test_mup_routes_both_ways_with_gobgp(tmp_path: pathlib.Path) -> None:
    got, held = session([str(ROOT / 'sbin' / 'exabgp')], tmp_path)
    assert held == HELD
    for message in got:
        json.loads(message)
    expected = [repaired(message) for message in json.loads(RECORDED.read_text())]
    ours = [placeholders(message) for message in got]
    # gobgpd sends each route in its own UPDATE, in an order of its own; the withdrawal comes last
    assert sorted(ours[: len(ROUTES)]) == sorted(expected[: len(ROUTES)])
    assert ours[len(ROUTES) :] == expected[len(ROUTES) :]


if __name__ == '__main__':
    # record what another daemon (ExaBGP 5.0.15) received: python test_gobgp_mup.py EXABGP
    updates, _ = session([sys.argv[1]], pathlib.Path(tempfile.mkdtemp(prefix='mup-gobgp-')))
    RECORDED.write_text(json.dumps(updates, indent=1) + '\n')
    print(f'{len(updates)} updates written to {RECORDED}')
