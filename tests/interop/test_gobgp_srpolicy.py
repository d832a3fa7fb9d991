"""GoBGP takes our SR policies (RFC 9830, SAFI 73, both AFIs) and reflects them to a second daemon of
ours: gobgpd decodes what we send (it accepts every route) and encodes it again, and our receiving
daemon's API process sees each policy as the sender configured it.

gobgpd (3.10) is a route reflector between two subprocesses of ours: the sender, with static
policies, and the receiver, whose API process writes the JSON it gets. GoBGP 3.10 handles the
segment types A and B only (it discards the attribute of a policy with another one, logging 'not yet
supported'), and writes a candidate path name sub-TLV three octets longer than its value: the
policies here use neither.

Skipped when gobgpd or gobgp is not installed.
"""

import json
import os
import pathlib
import pwd
import subprocess
import sys
import time

from peers import GoBGP, free_port

from exabgp.configuration.cursor import Cursor
from exabgp.configuration.route import srpolicy
from exabgp.configuration.tokenizer import tokenize
from interop import installed

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOBGP = '127.0.0.3'
SENDER = '127.0.0.1'
RECEIVER = '127.0.0.5'
AS = 65000

POLICIES = (
    'distinguisher 0 color 100 endpoint 10.0.0.1 next-hop 192.0.2.1 preference 100 priority 5 enlp push-ipv4 '
    'binding-sid mpls 24000 segment-list weight 1 segment type-a mpls 16001 segment type-a mpls 16002 '
    'segment-list weight 9 segment type-a mpls 16005 policy-name "east"',
    'distinguisher 1 color 200 endpoint 10.0.0.2 next-hop 192.0.2.1 preference 200 srv6-binding-sid fc00::1 '
    'segment-list weight 2 segment type-b srv6 fc00::1 endpoint-behavior 65 32 0 16 0',
    'distinguisher 4 color 4294967295 endpoint 2001:db8::7 next-hop 2001:db8::2 preference 7 '
    'segment-list weight 1 segment type-b srv6 fc00::100 segment type-b srv6 fc00::101',
)


def _neighbor(address: str) -> str:
    return f"""
[[neighbors]]
  [neighbors.config]
    neighbor-address = "{address}"
    peer-as = {AS}
  [neighbors.transport.config]
    passive-mode = true
    local-address = "{GOBGP}"
  [neighbors.timers.config]
    hold-time = 30
    keepalive-interval = 10
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "10.255.0.3"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-srpolicy"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-srpolicy"
"""


def _gobgp_config(port: int) -> str:
    head = f"""[global.config]
  as = {AS}
  router-id = "10.255.0.3"
  port = {port}
  local-address-list = ["{GOBGP}"]
"""
    return head + _neighbor(SENDER) + _neighbor(RECEIVER)


WRITER = """#!{python}
import sys
with open(sys.argv[1], 'a') as out:
    for line in sys.stdin:
        out.write(line)
        out.flush()
"""


def _configuration(local: str, body: str) -> str:
    return f"""neighbor {GOBGP} {{
    router-id {local};
    local-address {local};
    local-as {AS};
    peer-as {AS};
    family {{ ipv4 sr-policy; ipv6 sr-policy; }}
{body}
}}
"""


def _updates(output: pathlib.Path) -> list[dict]:
    if not output.exists():
        return []
    found = []
    for line in output.read_text().splitlines():
        document = json.loads(line)
        if document.get('type') == 'update':
            update = document['neighbor']['message']['update']
            if 'announce' in update:
                found.append(update)
    return found


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out waiting for {what}')
        time.sleep(0.1)


def _expected() -> list[tuple[str, str]]:
    """(announce, tunnel-encap) of each policy, as our own encoders write the configured route."""
    found = []
    for words in POLICIES:
        (route,), _, family = srpolicy.statement(Cursor(tokenize('sr-policy ' + words)), None)
        (attribute,) = route.attributes
        announce = {str(family): {str(route.nexthop): [json.loads(route.nlri.json())]}}
        found.append((json.dumps(announce, sort_keys=True), json.dumps(json.loads(attribute.json()), sort_keys=True)))
    return sorted(found)


def test_gobgp_reflects_our_sr_policies_unchanged(tmp_path: pathlib.Path) -> None:
    port = free_port(GOBGP)
    gobgp = GoBGP(
        str(tmp_path),
        address=GOBGP,
        port=port,
        api_port=free_port('127.0.0.1'),
        asn=AS,
        neighbor=SENDER,
        neighbor_as=AS,
        config=_gobgp_config(port),
    )
    output = tmp_path / 'received.json'
    writer = tmp_path / 'writer.py'
    writer.write_text(WRITER.format(python=sys.executable))
    writer.chmod(0o755)
    receiving = tmp_path / 'receiver.conf'
    receiving.write_text(
        f'process writer {{\n    run {writer} {output};\n    encoder json;\n}}\n'
        + _configuration(RECEIVER, '    api { processes [ writer ]; receive { parsed; update; } }')
    )
    sending = tmp_path / 'sender.conf'
    statics = '\n'.join(f'        sr-policy {words};' for words in POLICIES)
    sending.write_text(_configuration(SENDER, f'    static {{\n{statics}\n    }}'))
    environment = dict(
        os.environ,
        exabgp_tcp_port=str(port),
        exabgp_tcp_bind='',
        exabgp_api_cli='false',
        exabgp_daemon_user=pwd.getpwuid(os.getuid()).pw_name,
    )
    gobgp.start()
    daemons = []
    try:
        for configuration in (receiving, sending):
            daemons.append(
                subprocess.Popen(
                    [str(ROOT / 'sbin' / 'exabgp'), str(configuration)],
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    stderr=(tmp_path / f'{configuration.stem}.log').open('w'),
                )
            )
        _wait(lambda: len(_updates(output)) >= len(POLICIES), 60, 'the reflected SR policies')
        accepted = {
            (item['config']['family']['afi'], item['state'].get('accepted', 0))
            for item in json.loads(gobgp.gobgp('-j', 'neighbor', SENDER))['afi_safis']
        }
    finally:
        for daemon in daemons:
            daemon.terminate()
            daemon.wait(30)
        gobgp.stop()
    # gobgpd decoded every route we sent, with the tunnel encapsulation it could read
    assert accepted == {(1, 2), (2, 1)}
    got = []
    for update in _updates(output):
        attributes = update['attribute']
        # the route reflector adds its own attributes (RFC 4456 8)
        assert attributes['originator-id'] == SENDER and attributes['cluster-list'] == ['10.255.0.3']
        got.append(
            (json.dumps(update['announce'], sort_keys=True), json.dumps(attributes['tunnel-encap'], sort_keys=True))
        )
    assert sorted(got) == _expected()
