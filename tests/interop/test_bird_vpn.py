"""L3VPN (RFC 4364 VPNv4, RFC 4659 VPNv6, `mpls-vpn`) between our daemon and BIRD 2 (its `vpn4 mpls`
and `vpn6 mpls` BGP channels) on loopback, iBGP:

- our routes, from the configuration and from an API process (announced, a label replaced,
  withdrawn), as BIRD holds them: route distinguisher and prefix (`RD PREFIX` in `show route`),
  `BGP.mpls_label_stack` and the next hop;
- BIRD's routes (static vpn4/vpn6 routes with MPLS labels, sent with `next hop self`, and for VPNv6
  an IPv6 `next hop address`: an IPv4 session has no IPv6 address of its own, and BIRD withdraws
  a VPNv6 route it has no next hop for) and their withdrawal, as our API process receives them in
  JSON: route distinguisher, prefix and label.
  BIRD 2.0 has no MPLS domain: a route whose next hop it sets to itself goes with the implicit
  null label (3), and a withdrawal with the compatibility value 0, as it does for labeled unicast.

BIRD listens on 127.0.0.4 and waits for our daemon, in-process, to connect from 127.0.0.1.
Skipped when bird2 is not installed.
"""

import re

import pytest
from peers import Bird, free_port

from interop import OUR_AS, OURS, ApiProcess, call, installed, until, with_processes

pytestmark = installed(Bird, 'BIRD', 'bird2')

BIRD = '127.0.0.4'
HOLD = 9


def bird_config(port: int) -> str:
    return f"""router id 10.255.0.4;
log stderr {{ info, remote, warning, error, auth, fatal, bug }};
protocol device {{}}
vpn4 table vpntab4;
vpn6 table vpntab6;
protocol static vpn4routes {{
  vpn4 {{ table vpntab4; }};
  route 65004:10 10.4.0.0/24 via "lo" mpls 400;
  route 1.2.3.4:11 10.4.1.0/24 via "lo" mpls 401/402;
}}
protocol static vpn6routes {{
  vpn6 {{ table vpntab6; }};
  route 65004:12 2001:db8:4::/48 via "lo" mpls 403;
}}
protocol bgp exabgp {{
  local {BIRD} port {port} as {OUR_AS};
  neighbor {OURS} as {OUR_AS};
  strict bind on;
  passive on;
  multihop;
  hold time {HOLD};
  connect retry time 1;
  error wait time 1, 5;
  vpn4 mpls {{ table vpntab4; import all; export where source = RTS_STATIC; next hop self; }};
  vpn6 mpls {{ table vpntab6; import all; export where source = RTS_STATIC; next hop address 2001:db8::4; }};
}}
"""


def our_config(port: int, process: ApiProcess) -> str:
    return (
        process.block()
        + f"""
neighbor {BIRD} {{
    router-id 10.255.0.1;
    local-address {OURS};
    local-as {OUR_AS};
    peer-as {OUR_AS};
    connect {port};
    hold-time {HOLD};
    family {{
        ipv4 mpls-vpn;
        ipv6 mpls-vpn;
    }}
    api {{
        processes [ {process.name} ];
        receive {{ parsed; update; }}
    }}
    static {{
        route 10.2.0.0/24 rd 65001:1 label 100 next-hop 192.0.2.1 extended-community [ target:65001:1 ];
        route 10.2.1.0/24 rd 192.0.2.9:2 label [ 100 200 ] next-hop 192.0.2.1 med 5;
        route 10.2.1.0/24 rd 4200000000:3 label 101 next-hop 192.0.2.1;
        route 2001:db8:2::/48 rd 65001:4 label 300 next-hop 2001:db8::1;
    }}
}}
"""
    )


def held(bird: Bird, table: str) -> dict[str, tuple[str, str]]:
    """The routes BIRD learnt from us in `table`: 'RD prefix' -> (label stack as BIRD writes it, next hop)."""
    found = {}
    for block in re.split(r'\n(?=\S)', bird.birdc(f'show route all table {table} protocol exabgp')):
        route = re.match(r'(\S+ [0-9a-f.:]+/\d+)\s', block)
        stack = re.search(r'BGP\.mpls_label_stack: (\S+)', block)
        nexthop = re.search(r'BGP\.next_hop: (\S+)', block)
        if route and stack and nexthop:
            found[route.group(1)] = (stack.group(1), nexthop.group(1))
    return found


def routes(process: ApiProcess, action: str) -> set[tuple[str, str, str, tuple[int, ...]]]:
    """What our API process was told BIRD announced or withdrew: (family, rd, prefix, labels)."""
    found = set()
    for update in process.updates():
        for family, value in update.get(action, {}).items():
            nlris = [nlri for nlris in value.values() for nlri in nlris] if action == 'announce' else value
            for nlri in nlris:
                found.add((family, nlri['rd'], nlri['nlri'], tuple(label for [label] in nlri['label'])))
    return found


@pytest.fixture
async def bird(tmp_path):
    port = free_port(BIRD)
    peer = Bird(str(tmp_path), address=BIRD, port=port, asn=OUR_AS, neighbor=OURS, neighbor_as=OUR_AS)
    peer.text = bird_config(port)
    await call(peer.start)
    try:
        yield peer
    finally:
        await call(peer.stop)


THEIRS = {
    ('ipv4 mpls-vpn', '65004:10', '10.4.0.0/24'),
    ('ipv4 mpls-vpn', '1.2.3.4:11', '10.4.1.0/24'),
    ('ipv6 mpls-vpn', '65004:12', '2001:db8:4::/48'),
}


async def test_vpn_routes_both_ways_with_bird(bird: Bird, tmp_path) -> None:
    process = ApiProcess(str(tmp_path))
    async with with_processes(our_config(bird.port, process)) as ours:
        await until(ours.established, 15, 'the session to come up')

        async def holds(table: str, wanted: dict) -> bool:
            return await call(held, bird, table) == wanted

        vpn4 = {
            '65001:1 10.2.0.0/24': ('100', '192.0.2.1'),
            '192.0.2.9:2 10.2.1.0/24': ('100/200', '192.0.2.1'),
            '4200000000:3 10.2.1.0/24': ('101', '192.0.2.1'),
        }
        await until(lambda: holds('vpntab4', vpn4), 15, 'BIRD to hold our VPNv4 routes', 0.25)
        vpn6 = {'65001:4 2001:db8:2::/48': ('300', '2001:db8::1')}
        await until(lambda: holds('vpntab6', vpn6), 15, 'BIRD to hold our VPNv6 route', 0.25)

        # BIRD's own routes, with the implicit null label (BIRD 2.0 sets its next hop), then their withdrawal
        announced = {(*route, (3,)) for route in THEIRS}
        await until(lambda: routes(process, 'announce') == announced, 15, "BIRD's routes at our API process")
        await call(bird.birdc, 'disable vpn4routes')
        await call(bird.birdc, 'disable vpn6routes')
        withdrawn = {(*route, (0,)) for route in THEIRS}
        await until(lambda: routes(process, 'withdraw') == withdrawn, 15, "BIRD's withdrawals at our API process")

        # from the API: a label replaced, a route withdrawn, a new VPNv6 route with a label stack
        process.command('announce route 10.2.0.0/24 rd 65001:1 label 500 next-hop 192.0.2.1')
        process.command('withdraw route 10.2.1.0/24 rd 4200000000:3 label 101 next-hop 192.0.2.1')
        process.command('announce route 2001:db8:5::/48 rd 1.2.3.4:5 label [ 600 601 ] next-hop 2001:db8::1')
        vpn4 = {'65001:1 10.2.0.0/24': ('500', '192.0.2.1'), '192.0.2.9:2 10.2.1.0/24': ('100/200', '192.0.2.1')}
        await until(lambda: holds('vpntab4', vpn4), 15, 'BIRD to see the API changes (VPNv4)', 0.25)
        vpn6 = {
            '65001:4 2001:db8:2::/48': ('300', '2001:db8::1'),
            '1.2.3.4:5 2001:db8:5::/48': ('600/601', '2001:db8::1'),
        }
        await until(lambda: holds('vpntab6', vpn6), 15, 'BIRD to see the API changes (VPNv6)', 0.25)
        assert await call(bird.established)
        assert ours.counter.downs == []
