"""Route Target Constraint (RFC 4684, `ipv4 rtc`) from GoBGP to our daemon on loopback, iBGP.

gobgpd originates an RTC route for each import route target of its VRFs when the family is
negotiated (its CLI has no `global rib -a rtc add`); ExaBGP 5.0 neither configures nor announces
RTC, but a neighbor without a `family` section offers every family it knows, RTC included, and
decodes what comes. Our API process must receive the routes of two VRFs (route targets of the
2-octet AS and IPv4 address forms), then the withdrawal of one when its VRF is deleted, as the JSON
5.0.15 writes: `{ "origin": AS, "route-target": "target:..." }`, with the next hop gobgpd sets.

Skipped when gobgpd or gobgp is not installed.
"""

import pytest
from peers import GoBGP

from interop import OUR_AS, OURS, ApiProcess, call, installed, passive_gobgp, until, with_processes

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

GOBGP = '127.0.0.3'


def our_config(port: int, process: ApiProcess) -> str:
    # no `family` section: every family 5.0 knows is offered, RTC with them
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
    api {{
        processes [ {process.name} ];
        receive {{ parsed; update; }}
    }}
}}
"""
    )


@pytest.fixture
async def gobgp(tmp_path):
    async with passive_gobgp(str(tmp_path), ('rtc', 'l3vpn-ipv4-unicast')) as peer:
        yield peer


def routes(process: ApiProcess, action: str) -> list:
    """The RTC routes our API process was told of, as 5.0's JSON objects (with the next hop)."""
    found = []
    for update in process.updates():
        value = update.get(action, {}).get('ipv4 rtc')
        if value is None:
            continue
        if action == 'announce':
            found += [(hop, nlri) for hop, nlris in value.items() for nlri in nlris]
        else:
            found += value
    return found


def key(route) -> str:
    return repr(route)


async def test_rtc_routes_from_gobgp(gobgp: GoBGP, tmp_path) -> None:
    process = ApiProcess(str(tmp_path))
    async with with_processes(our_config(gobgp.port, process)) as ours:
        await until(ours.established, 30, 'the session with gobgpd')
        await call(gobgp.gobgp, 'vrf', 'add', 'red', 'rd', '65001:10', 'rt', 'both', '65001:10')
        await call(gobgp.gobgp, 'vrf', 'add', 'blue', 'rd', '65001:20', 'rt', 'import', '192.0.2.9:20')
        wanted = [
            (GOBGP, {'origin': OUR_AS, 'route-target': 'target:65001:10'}),
            (GOBGP, {'origin': OUR_AS, 'route-target': 'target:192.0.2.9:20'}),
        ]
        await until(
            lambda: sorted(routes(process, 'announce'), key=key) == sorted(wanted, key=key),
            20,
            'the RTC routes of both VRFs at our API process',
        )
        await call(gobgp.gobgp, 'vrf', 'del', 'blue')
        await until(
            lambda: routes(process, 'withdraw') == [{'origin': OUR_AS, 'route-target': 'target:192.0.2.9:20'}],
            20,
            'the withdrawal of the deleted VRF route target',
        )
        assert ours.counter.downs == []
