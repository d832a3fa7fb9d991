"""Labeled unicast (RFC 8277, `nlri-mpls`; GoBGP's ipv4/ipv6-labelled-unicast) between our daemon
and GoBGP (gobgpd) on loopback, iBGP, both families negotiated on their own:

- our routes, from the configuration (`route ... label`, a stack, the `announce` section form) and
  from an API process (announce, a label replaced, withdraw), as gobgpd holds them, labels included;
- gobgpd's routes, added and deleted with its CLI (`gobgp global rib -a ipv4-mpls add P 100/200
  nexthop N`), then deleted, as our API process receives them: exactly the JSON objects a 5.0.15
  daemon in our place wrote to its process for the same commands.

The API process is a real one, a script in the test's folder: it writes every line it reads to a
file and copies the lines the test writes to a FIFO to its stdout, as commands. gobgpd listens on
127.0.0.3 and waits for our daemon, in-process, to connect from 127.0.0.1. Skipped when gobgpd or
gobgp is not installed.
"""

import json

import pytest
from peers import GoBGP, free_port

from interop import OUR_AS, OURS, ApiProcess, InProcess, call, gobgp_passive, installed, until, with_processes

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

GOBGP = '127.0.0.3'
HOLD = 9


def gobgp_config(port: int) -> str:
    return gobgp_passive(port, ('ipv4-labelled-unicast', 'ipv6-labelled-unicast'), hold=HOLD)


def our_config(port: int, process: ApiProcess) -> str:
    return (
        process.block()
        + f"""
neighbor {GOBGP} {{
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
    }}
    announce {{
        ipv6 {{
            nlri-mpls 2001:db8:2::/48 next-hop 2001:db8::1 label 300;
        }}
    }}
}}
"""
    )


class Setup:
    def __init__(self, directory: str) -> None:
        self.process = ApiProcess(directory)
        port = free_port(GOBGP)
        self.gobgp = GoBGP(
            directory,
            address=GOBGP,
            port=port,
            api_port=free_port('127.0.0.1'),
            asn=OUR_AS,
            neighbor=OURS,
            neighbor_as=OUR_AS,
            hold_time=HOLD,
            config=gobgp_config(port),
        )

    def config(self) -> str:
        return our_config(self.gobgp.port, self.process)

    def held(self, family: str) -> dict[str, tuple[list[int], str]]:
        """What gobgpd holds from us in `family` (ipv4-mpls, ipv6-mpls): prefix -> (labels, next hop)."""
        answer = json.loads(self.gobgp.gobgp('-j', 'neighbor', OURS, 'adj-in', '-a', family) or '{}')
        found = {}
        for prefix, paths in answer.items():
            (path,) = paths
            nexthops = [attribute['nexthop'] for attribute in path['attrs'] if attribute['type'] == 14]
            found[prefix] = (path['nlri']['labels'], nexthops[0])
        return found


@pytest.fixture
async def setup(tmp_path):
    setup = Setup(str(tmp_path))
    await call(setup.gobgp.start)
    try:
        yield setup
    finally:
        await call(setup.gobgp.stop)


async def test_our_labeled_routes_at_gobgp(setup: Setup) -> None:
    async with InProcess(setup.config()) as ours:
        await until(ours.established, 15, 'the session to come up')
        ipv4 = {'10.2.0.0/24': ([100], '192.0.2.1'), '10.2.1.0/24': ([100, 200], '192.0.2.1')}
        ipv6 = {'2001:db8:2::/48': ([300], '2001:db8::1')}

        async def holds(family: str, wanted: dict) -> bool:
            return await call(setup.held, family) == wanted

        await until(lambda: holds('ipv4-mpls', ipv4), 15, 'gobgpd to hold our IPv4 labeled routes', 0.25)
        await until(lambda: holds('ipv6-mpls', ipv6), 15, 'gobgpd to hold our IPv6 labeled route', 0.25)

        # from the API: a new route, a label replaced, a withdrawal (by prefix and label), IPv6 too
        setup.process.command('announce route 10.2.2.0/24 next-hop 192.0.2.1 label 400')
        setup.process.command('announce ipv4 nlri-mpls 10.2.1.0/24 next-hop 192.0.2.1 label 500 med 5')
        setup.process.command('withdraw route 10.2.0.0/24 label 100')
        setup.process.command('announce route 2001:db8:4::/48 next-hop 2001:db8::1 label [ 600 601 ]')
        setup.process.command('withdraw ipv6 nlri-mpls 2001:db8:2::/48 next-hop 2001:db8::1 label 300')
        ipv4 = {'10.2.1.0/24': ([500], '192.0.2.1'), '10.2.2.0/24': ([400], '192.0.2.1')}
        ipv6 = {'2001:db8:4::/48': ([600, 601], '2001:db8::1')}
        await until(lambda: holds('ipv4-mpls', ipv4), 15, 'gobgpd to see the API changes (IPv4)', 0.25)
        await until(lambda: holds('ipv6-mpls', ipv6), 15, 'gobgpd to see the API changes (IPv6)', 0.25)
        assert ours.counter.downs == []
        assert await call(setup.gobgp.established)


# the "update" objects ExaBGP 5.0.15 wrote to its API process, in this order, for the same gobgp
# commands against the same gobgpd configuration (run by hand: a 5.0.15 daemon in our place)
ORIGIN = {'origin': 'incomplete', 'local-preference': 100}  # routes added by gobgp's CLI; iBGP
GOBGP_ANNOUNCES = [
    {'attribute': ORIGIN, 'announce': {'ipv4 nlri-mpls': {'192.0.2.3': [{'nlri': '10.1.0.0/24', 'label': [[100]]}]}}},
    {
        'attribute': ORIGIN,
        'announce': {'ipv4 nlri-mpls': {'192.0.2.3': [{'nlri': '10.1.1.0/24', 'label': [[100], [200]]}]}},
    },
    {
        'attribute': ORIGIN,
        'announce': {'ipv6 nlri-mpls': {'2001:db8::3': [{'nlri': '2001:db8:3::/48', 'label': [[300]]}]}},
    },
]
# gobgpd withdraws with the route's own labels
GOBGP_WITHDRAWS = [
    {'withdraw': {'ipv4 nlri-mpls': [{'nlri': '10.1.1.0/24', 'label': [[100], [200]]}]}},
    {'withdraw': {'ipv6 nlri-mpls': [{'nlri': '2001:db8:3::/48', 'label': [[300]]}]}},
]


async def test_gobgp_labeled_routes_at_our_api_process(setup: Setup) -> None:
    async with with_processes(setup.config()) as ours:
        await until(ours.established, 15, 'the session to come up')
        rib = setup.gobgp.gobgp
        await call(rib, 'global', 'rib', '-a', 'ipv4-mpls', 'add', '10.1.0.0/24', '100', 'nexthop', '192.0.2.3')
        await until(lambda: len(setup.process.updates()) == 1, 15, 'the first route at our API process')
        await call(rib, 'global', 'rib', '-a', 'ipv4-mpls', 'add', '10.1.1.0/24', '100/200', 'nexthop', '192.0.2.3')
        await until(lambda: len(setup.process.updates()) == 2, 15, 'the second route at our API process')
        await call(rib, 'global', 'rib', '-a', 'ipv6-mpls', 'add', '2001:db8:3::/48', '300', 'nexthop', '2001:db8::3')
        await until(lambda: len(setup.process.updates()) == 3, 15, 'the IPv6 route at our API process')
        assert setup.process.updates() == GOBGP_ANNOUNCES
        assert len(ours.peer.rib_in) == 3

        await call(rib, 'global', 'rib', '-a', 'ipv4-mpls', 'del', '10.1.1.0/24', '100/200')
        await until(lambda: len(setup.process.updates()) == 4, 15, 'the IPv4 withdrawal at our API process')
        await call(rib, 'global', 'rib', '-a', 'ipv6-mpls', 'del', '2001:db8:3::/48', '300')
        await until(lambda: len(setup.process.updates()) == 5, 15, 'the IPv6 withdrawal at our API process')
        assert setup.process.updates() == GOBGP_ANNOUNCES + GOBGP_WITHDRAWS
        assert len(ours.peer.rib_in) == 1
        assert ours.counter.downs == []
