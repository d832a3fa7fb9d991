"""VPNv4 and VPNv6 (RFC 4364, RFC 4659) between our daemon and GoBGP (gobgpd) on loopback, iBGP.

We announce VPN routes of every route distinguisher type with label stacks and route targets from
a static block; gobgpd must hold each with its RD, labels and next hop. gobgpd announces VPN routes
added with `gobgp global rib -a vpnv4|vpnv6 add`; our Adj-RIB-In must hold them, then lose them when
gobgpd withdraws them. Skipped when gobgpd or gobgp is not installed.
"""

import json

import pytest
from peers import GoBGP

from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri import rd
from interop import OUR_AS, OURS, InProcess, call, installed, passive_gobgp, until

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

GOBGP = '127.0.0.3'
VPNV4 = Family(AFI.IPV4, SAFI.MPLS_VPN)
VPNV6 = Family(AFI.IPV6, SAFI.MPLS_VPN)

# (prefix, rd, labels, next hop): types 0, 1 and 2, one and two labels
OUR_VPN4 = [
    (f'10.{index}.0.0/24', rd_text, labels, '192.0.2.1')
    for index, (rd_text, labels) in enumerate(
        [('65000:1', (100,)), ('192.0.2.9:7', (101,)), ('4200000000:3', (102, 103)), ('65000:4294967295', (104,))]
    )
]
OUR_VPN6 = [
    ('2001:db8:a::/48', '65000:6', (200,), '2001:db8::1'),
    ('2001:db8:b::/64', '192.0.2.9:6', (201,), '2001:db8::1'),
]
THEIR_VPN4 = [('172.16.1.0/24', '65001:10', 300, '192.0.2.3'), ('172.16.2.0/24', '1.2.3.4:11', 301, '192.0.2.3')]
THEIR_VPN6 = [('2001:db8:f::/48', '65001:12', 302, '2001:db8::3')]


def our_config(port: int) -> str:
    statics = '\n'.join(
        f'        route {prefix} rd {rd_text} label [ {" ".join(map(str, labels))} ] next-hop {hop} '
        f'extended-community [ target:65000:{index} ];'
        for index, (prefix, rd_text, labels, hop) in enumerate(OUR_VPN4 + OUR_VPN6)
    )
    return f"""
neighbor {GOBGP} {{
    router-id 10.255.0.1;
    local-address {OURS};
    local-as {OUR_AS};
    peer-as {OUR_AS};
    connect {port};
    hold-time 9;
    adj-rib-in true;
    family {{
        ipv4 mpls-vpn;
        ipv6 mpls-vpn;
    }}
    static {{
{statics}
    }}
}}
"""


def gobgp_holds(gobgp: GoBGP, family: str) -> set[tuple[str, str, tuple[int, ...], str]]:
    """What gobgpd received from us: (prefix, rd, labels, next hop) as its JSON gives them."""
    answer = json.loads(gobgp.gobgp('-j', 'neighbor', OURS, 'adj-in', '-a', family) or '{}')
    found = set()
    for paths in answer.values():
        for path in paths:
            nlri = path['nlri']
            hop = next(
                (a.get('nexthop') for a in path.get('attrs', ()) if a.get('type') in (3, 14) and a.get('nexthop')),
                '',
            )
            distinguisher = f'{nlri["rd"]["admin"]}:{nlri["rd"]["assigned"]}'
            found.add((nlri['prefix'], distinguisher, tuple(nlri['labels']), hop))
    return found


def ours_hold(ours: InProcess) -> set[tuple[str, str, tuple[int, ...], str]]:
    return {
        (route.nlri.prefix(), rd.text(route.nlri.rd), route.nlri.labels, str(route.nexthop))
        for route in ours.peer.rib_in.routes()
        if route.nlri.family in (VPNV4, VPNV6)
    }


@pytest.fixture
async def gobgp(tmp_path):
    async with passive_gobgp(str(tmp_path), ('l3vpn-ipv4-unicast', 'l3vpn-ipv6-unicast')) as peer:
        yield peer


async def test_vpn_routes_both_ways(gobgp: GoBGP) -> None:
    async with InProcess(our_config(gobgp.port)) as ours:
        await until(ours.established, 30, 'the session with gobgpd')
        wanted4 = {(prefix, rd_text, labels, hop) for prefix, rd_text, labels, hop in OUR_VPN4}
        wanted6 = {(prefix, rd_text, labels, hop) for prefix, rd_text, labels, hop in OUR_VPN6}
        await until(
            lambda: call(lambda: gobgp_holds(gobgp, 'vpnv4') == wanted4 and gobgp_holds(gobgp, 'vpnv6') == wanted6),
            20,
            'gobgpd to hold our VPN routes with their RD, labels and next hop',
        )

        for family, routes in (('vpnv4', THEIR_VPN4), ('vpnv6', THEIR_VPN6)):
            for prefix, rd_text, label, hop in routes:
                await call(
                    gobgp.gobgp,
                    *('global', 'rib', '-a', family, 'add', prefix, 'label', str(label), 'rd', rd_text),
                    *('rt', '65001:1', 'nexthop', hop),
                )
        theirs = {(prefix, rd_text, (label,), hop) for prefix, rd_text, label, hop in THEIR_VPN4 + THEIR_VPN6}
        await until(lambda: ours_hold(ours) == theirs, 20, 'our Adj-RIB-In to hold the VPN routes of gobgpd')

        prefix, rd_text, label, hop = THEIR_VPN4[0]
        await call(gobgp.gobgp, 'global', 'rib', '-a', 'vpnv4', 'del', prefix, 'label', str(label), 'rd', rd_text)
        await until(
            lambda: ours_hold(ours) == theirs - {(prefix, rd_text, (label,), hop)},
            20,
            'our Adj-RIB-In to lose the withdrawn VPN route',
        )
