"""GoBGP announces EVPN routes (RFC 7432 types 2 and 3, RFC 9136 type 5, with VXLAN and MPLS labels,
IPv4 and IPv6 addresses, router's MAC and encapsulation communities) and withdraws one; our daemon,
a subprocess connecting to gobgpd, hands them to its API process as JSON that must equal what
ExaBGP 5.0.15 wrote for the same session (evpn_gobgp.json, recorded with 5.0.15 in place of ours;
the UPDATEs themselves are the qa/decoding/qa-evpn-gobgp-* cases).

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

from interop import gobgp_passive, installed

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXPECTED = json.loads((pathlib.Path(__file__).parent / 'evpn_gobgp.json').read_text())
GOBGP = '127.0.0.3'
AS = 65000

# in the order 5.0.15 received them; the last multicast route is withdrawn after
ROUTES = (
    'macadv 0a:1b:2c:3d:4e:5f 10.1.2.3 esi 0 etag 10 label 5000 rd 65000:100 rt 65000:100 encap vxlan',
    'macadv 0a:1b:2c:3d:4e:60 2001:db8::5 esi 0 etag 10 label 5001,6001 rd 65000:100 rt 65000:100',
    'multicast 192.0.2.1 etag 10 rd 65000:100 rt 65000:100 encap vxlan',
    'prefix 10.10.0.0/16 172.16.0.1 esi 0 etag 0 rd 65000:200 rt 65000:200 label 10010 encap vxlan'
    ' router-mac 0a:1b:2c:3d:4e:61',
    'prefix 2001:db8:aa::/48 :: esi 0 etag 0 rd 65000:200 label 10011',
    'multicast 192.0.2.1 etag 11 rd 65000:100',
)
WITHDRAWN = 'multicast 192.0.2.1 etag 11 rd 65000:100'


def _gobgp_config(port: int) -> str:
    return gobgp_passive(port, ('l2vpn-evpn',), asn=AS, hold=30)


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
    family {{ l2vpn evpn; }}
    api {{ processes [ receiver ]; receive {{ parsed; update; }} }}
}}
"""


def _updates(output: pathlib.Path) -> list[dict]:
    if not output.exists():
        return []
    found = []
    for line in output.read_text().splitlines():
        document = json.loads(line)
        if document.get('type') == 'update':
            found.append(document['neighbor']['message']['update'])
    return found


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out waiting for {what}')
        time.sleep(0.1)


def test_gobgp_evpn_routes_reach_the_api_as_5_0_15_shows_them(tmp_path: pathlib.Path) -> None:
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
    receiver = tmp_path / 'receiver.py'
    receiver.write_text(RECEIVER.format(python=sys.executable))
    receiver.chmod(0o755)
    configuration = tmp_path / 'exabgp.conf'
    configuration.write_text(CONFIGURATION.format(receiver=receiver, output=output, gobgp=GOBGP, asn=AS))
    environment = dict(
        os.environ,
        exabgp_tcp_port=str(port),
        exabgp_tcp_bind='',
        exabgp_api_cli='false',
        exabgp_daemon_user=pwd.getpwuid(os.getuid()).pw_name,
    )
    gobgp.start()
    daemon = subprocess.Popen(
        [str(ROOT / 'sbin' / 'exabgp'), str(configuration)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / 'exabgp.log').open('w'),
    )
    try:
        _wait(gobgp.established, 30, 'the session with gobgpd')
        for route in ROUTES:
            gobgp.gobgp('global', 'rib', '-a', 'evpn', 'add', *route.split())
        _wait(lambda: len(_updates(output)) >= len(ROUTES), 30, 'the EVPN routes')
        gobgp.gobgp('global', 'rib', '-a', 'evpn', 'del', *WITHDRAWN.split())
        _wait(lambda: len(_updates(output)) > len(ROUTES), 30, 'the withdrawal')
    finally:
        daemon.terminate()
        daemon.wait(30)
        gobgp.stop()
    got = _updates(output)
    # gobgpd sends each route in its own UPDATE; the order of the announcements is its own
    key = json.dumps
    assert sorted(map(key, got[: len(ROUTES)])) == sorted(map(key, EXPECTED[: len(ROUTES)]))
    assert got[len(ROUTES) :] == EXPECTED[len(ROUTES) :]
