"""Labeled unicast (RFC 8277, `nlri-mpls`) between our daemon and BIRD 2 (its `ipv4 mpls` and
`ipv6 mpls` BGP channels, 2.0.0 and later) on loopback, iBGP:

- our routes, from the configuration and from an API process (announced, a label replaced,
  withdrawn), as BIRD holds them (`BGP.mpls_label_stack` in `show route all`);
- BIRD's routes (static routes with MPLS labels, sent with `next hop self`) and their withdrawal,
  as our API process receives them: exactly the JSON objects a 5.0.15 daemon in our place wrote to
  its process from the same BIRD configuration (run by hand). BIRD 2.0 without an MPLS domain
  sends the implicit null label (3) for a route whose next hop it sets to itself, and withdraws
  with the compatibility value 0.

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
ipv4 table labeled4;
ipv6 table labeled6;
protocol static labeled {{
  ipv4 {{ table labeled4; }};
  route 10.3.0.0/24 via "lo" mpls 100;
  route 10.3.1.0/24 via "lo" mpls 100/200;
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
  ipv4 mpls {{ table labeled4; import all; export where source = RTS_STATIC; next hop self; }};
  ipv6 mpls {{ table labeled6; import all; export none; }};
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
        ipv4 nlri-mpls;
        ipv6 nlri-mpls;
    }}
    api {{
        processes [ {process.name} ];
        receive {{ parsed; update; }}
    }}
    static {{
        route 10.2.0.0/24 next-hop 192.0.2.1 label 100;
        route 10.2.1.0/24 next-hop 192.0.2.1 label [ 100 200 ] med 5;
        route 2001:db8:2::/48 next-hop 2001:db8::1 label 300;
    }}
}}
"""
    )


def held(bird: Bird, table: str) -> dict[str, tuple[str, str]]:
    """The routes BIRD learnt from us in `table`: prefix -> (label stack as BIRD writes it, next hop)."""
    found = {}
    for block in re.split(r'\n(?=\S)', bird.birdc(f'show route all table {table} protocol exabgp')):
        prefix = re.match(r'([0-9a-f.:]+/\d+)\s', block)
        stack = re.search(r'BGP\.mpls_label_stack: (\S+)', block)
        nexthop = re.search(r'BGP\.next_hop: (\S+)', block)
        if prefix and stack and nexthop:
            found[prefix.group(1)] = (stack.group(1), nexthop.group(1))
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


# what 5.0.15's API process received from the same BIRD configuration, in this order
BIRD_ANNOUNCE = {
    'attribute': {'origin': 'igp', 'local-preference': 100},
    'announce': {
        'ipv4 nlri-mpls': {
            BIRD: [{'nlri': '10.3.0.0/24', 'label': [[3]]}, {'nlri': '10.3.1.0/24', 'label': [[3]]}],
        }
    },
}
BIRD_WITHDRAW = {
    'withdraw': {'ipv4 nlri-mpls': [{'nlri': '10.3.0.0/24', 'label': [[0]]}, {'nlri': '10.3.1.0/24', 'label': [[0]]}]}
}


async def test_labeled_routes_both_ways_with_bird(bird: Bird, tmp_path) -> None:
    process = ApiProcess(str(tmp_path))
    async with with_processes(our_config(bird.port, process)) as ours:
        await until(ours.established, 15, 'the session to come up')

        async def holds(table: str, wanted: dict) -> bool:
            return await call(held, bird, table) == wanted

        ipv4 = {'10.2.0.0/24': ('100', '192.0.2.1'), '10.2.1.0/24': ('100/200', '192.0.2.1')}
        await until(lambda: holds('labeled4', ipv4), 15, 'BIRD to hold our IPv4 labeled routes', 0.25)
        ipv6 = {'2001:db8:2::/48': ('300', '2001:db8::1')}
        await until(lambda: holds('labeled6', ipv6), 15, 'BIRD to hold our IPv6 labeled route', 0.25)

        # BIRD's own routes, then their withdrawal
        await until(lambda: process.updates() == [BIRD_ANNOUNCE], 15, "BIRD's routes at our API process")
        await call(bird.birdc, 'disable labeled')
        await until(
            lambda: process.updates() == [BIRD_ANNOUNCE, BIRD_WITHDRAW], 15, "BIRD's withdrawal at our API process"
        )

        # from the API: a label replaced, a route withdrawn by prefix and label, a new IPv6 stack
        process.command('announce route 10.2.1.0/24 next-hop 192.0.2.1 label 500 med 5')
        process.command('withdraw route 10.2.0.0/24 label 100')
        process.command('announce ipv6 nlri-mpls 2001:db8:4::/48 next-hop 2001:db8::1 label [ 600 601 ]')
        ipv4 = {'10.2.1.0/24': ('500', '192.0.2.1')}
        await until(lambda: holds('labeled4', ipv4), 15, 'BIRD to see the API changes (IPv4)', 0.25)
        ipv6 = {'2001:db8:2::/48': ('300', '2001:db8::1'), '2001:db8:4::/48': ('600/601', '2001:db8::1')}
        await until(lambda: holds('labeled6', ipv6), 15, 'BIRD to see the API changes (IPv6)', 0.25)
        assert await call(bird.established)
        assert ours.counter.downs == []
