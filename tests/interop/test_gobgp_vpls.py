"""VPLS (RFC 4761, `l2vpn vpls`) from our daemon to GoBGP 3.10 on loopback, iBGP.

gobgpd negotiates `l2vpn-vpls` and decodes the routes, but its CLI neither adds VPLS routes nor
lists them (`unsupported address family`): GoBGP can not announce VPLS to us, and what it holds is
read from the neighbor's received and accepted counters. Our routes (every route distinguisher
type, the l2info community; from the configuration, then from an API process) must all be
accepted, and a withdrawal from the API must take one away, the session staying up.

Skipped when gobgpd or gobgp is not installed.
"""

import json

import pytest
from peers import GoBGP

from interop import OUR_AS, OURS, ApiProcess, call, installed, passive_gobgp, until, with_processes

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

GOBGP = '127.0.0.3'
SECOND = 'vpls rd 4200000000:2 endpoint 2 base 200 offset 9 size 16 next-hop 192.0.2.1'


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
    hold-time 9;
    family {{ l2vpn vpls; }}
    api {{ processes [ {process.name} ]; }}
    l2vpn {{
        vpls rd 65001:1 endpoint 1 base 100 offset 1 size 8 next-hop 192.0.2.1 extended-community [ target:65001:1 l2info:19:0:1500:0 ];
        {SECOND};
    }}
}}
"""
    )


@pytest.fixture
async def gobgp(tmp_path):
    async with passive_gobgp(str(tmp_path), ('l2vpn-vpls',)) as peer:
        yield peer


def counters(gobgp: GoBGP) -> tuple[int, int]:
    """gobgpd's received and accepted VPLS routes from us."""
    state = json.loads(gobgp.gobgp('-j', 'neighbor', OURS))
    for family in state.get('afi_safis', ()):
        if family['config']['family'] == {'afi': 25, 'safi': 65}:
            return family['state'].get('received', 0), family['state'].get('accepted', 0)
    return 0, 0


async def test_vpls_routes_to_gobgp(gobgp: GoBGP, tmp_path) -> None:
    process = ApiProcess(str(tmp_path))
    async with with_processes(our_config(gobgp.port, process)) as ours:
        await until(ours.established, 30, 'the session with gobgpd')
        await until(lambda: call(lambda: counters(gobgp) == (2, 2)), 20, 'gobgpd to accept our two VPLS routes')
        process.command('announce vpls rd 192.0.2.9:3 endpoint 3 base 300 offset 0 size 1 next-hop 192.0.2.1')
        await until(lambda: call(lambda: counters(gobgp) == (3, 3)), 20, 'gobgpd to accept the API route')
        process.command(f'withdraw {SECOND}')
        await until(lambda: call(lambda: counters(gobgp) == (2, 2)), 20, 'gobgpd to drop the withdrawn route')
        assert await call(gobgp.established)
        assert ours.counter.downs == []
