"""Labeled unicast through the API: the command forms 5.0 takes (`announce route P ... label L`,
`announce ipv4 nlri-mpls P ...`, `announce attributes ... label L nlri P1 P2`, withdrawals, End-of-RIB
and route refresh of the family), the ones it refuses, and `show adj-rib out` of labeled routes
(the lines 5.0.15 answered for the same commands)."""

from ipaddress import IPv4Address, IPv6Address

import pytest

from exabgp.api import command as c
from exabgp.api import show
from exabgp.api.command import CommandError, parse
from exabgp.bgp.family import AFI, IPV4_UNICAST, SAFI, Family
from exabgp.bgp.nlri.labeled import Labeled
from exabgp.configuration.route.grammar import Builder

V4 = Family(AFI.IPV4, SAFI.NLRI_MPLS)
V6 = Family(AFI.IPV6, SAFI.NLRI_MPLS)


def one(line: str):
    return parse(line, Builder())


def lines(command: c.Routes) -> list[str]:
    return [f'{route.nlri.family} {route.nlri}' for route in command.routes]


def test_route_with_a_label_is_labeled_unicast() -> None:
    command = one('announce route 10.0.0.0/24 next-hop 1.2.3.4 label 100')
    assert isinstance(command, c.Routes) and not command.withdraw
    (route,) = command.routes
    assert isinstance(route.nlri, Labeled)
    assert route.nlri == Labeled.make(V4, IPv4Address('10.0.0.0').packed, 24, (100,))
    assert route.nexthop == IPv4Address('1.2.3.4')
    assert lines(one('announce route 10.0.1.0/24 next-hop 1.2.3.4 label [ 100 200 ] path-information 0.0.0.5')) == [
        'ipv4 nlri-mpls 10.0.1.0/24 path-information 0.0.0.5 label [ 100 200 ]'
    ]
    # label wins over the multicast range, as in 5.0
    assert lines(one('announce route 224.0.6.0/24 next-hop 1.2.3.5 label 5')) == ['ipv4 nlri-mpls 224.0.6.0/24 label 5']
    # 5.0.15 takes an IPv6 labeled route from the API
    (route,) = one('announce route 2001:db8::/32 next-hop 2001:db8::1 label 300').routes
    assert route.nlri.family == V6 and route.nexthop == IPv6Address('2001:db8::1')


def test_the_family_forms() -> None:
    assert lines(one('announce ipv4 nlri-mpls 10.0.3.0/24 next-hop 1.2.3.5 label 7')) == [
        'ipv4 nlri-mpls 10.0.3.0/24 label 7'
    ]
    assert lines(one('announce ipv6 nlri-mpls 2001:db8:1::/48 next-hop 2001:db8::1 label 301')) == [
        'ipv6 nlri-mpls 2001:db8:1::/48 label 301'
    ]
    command = one('withdraw ipv4 nlri-mpls 10.0.3.0/24 label 7')
    assert command.withdraw and lines(command) == ['ipv4 nlri-mpls 10.0.3.0/24 label 7']


def test_attributes_with_a_label_make_every_nlri_labeled() -> None:
    command = one('announce attributes next-hop 1.2.3.6 label 9 nlri 10.0.4.0/24 10.0.5.0/24')
    assert lines(command) == ['ipv4 nlri-mpls 10.0.4.0/24 label 9', 'ipv4 nlri-mpls 10.0.5.0/24 label 9']
    assert len({id(route.attributes) for route in command.routes}) == 1
    assert one('withdraw attributes next-hop 1.2.3.6 label 9 nlri 10.0.4.0/24').withdraw


def test_withdraw_needs_no_next_hop() -> None:
    command = one('withdraw route 10.0.1.0/24 label [ 100 200 ]')
    assert command.withdraw and lines(command) == ['ipv4 nlri-mpls 10.0.1.0/24 label [ 100 200 ]']
    assert command.routes[0].nexthop is None


def test_end_of_rib_and_refresh_of_the_family() -> None:
    assert one('announce eor ipv4 nlri-mpls') == c.EndOfRib((), V4)
    assert one('announce eor ipv6 nlri-mpls') == c.EndOfRib((), V6)
    assert one('announce route-refresh ipv4 nlri-mpls') == c.Refresh((), V4)


@pytest.mark.parametrize(
    'line',
    [
        'announce ipv4 nlri-mpls 10.0.3.0/24 next-hop 1.2.3.5',  # the nlri-mpls form needs a label
        'announce ipv4 unicast 10.0.3.0/24 next-hop 1.2.3.5 label 7',  # and the unicast form takes none
        'announce ipv6 unicast 2001:db8::/32 next-hop 2001:db8::1 label 7',
        'announce route 10.0.0.0/24 next-hop 1.2.3.4 label 1048576',  # 20 bits
        'announce route 10.0.0.0/24 next-hop 1.2.3.4 label [ ]',
        'announce ipv4 nlri-mpls 10.0.3.0/24 next-hop 1.2.3.5 label 7 rd 65000:1',
        'announce eor ipv4 labeled',
    ],
)
def test_refused(line: str) -> None:
    with pytest.raises(CommandError):
        one(line)


def test_rd_makes_a_labeled_route_a_vpn_route() -> None:
    (route,) = one('announce route 10.0.0.0/24 next-hop 1.2.3.4 label 100 rd 65000:1').routes
    assert str(route.nlri.family) == 'ipv4 mpls-vpn'


def test_show_adj_rib_out() -> None:
    builder = Builder()
    routes = [
        route
        for line in (
            'announce route 10.0.0.0/24 next-hop 1.2.3.4 label 100',
            'announce route 10.0.1.0/24 next-hop 1.2.3.4 label [ 100 200 ] med 5 path-information 0.0.0.5',
            'announce route 2001:db8:1::/48 next-hop 2001:db8::1 label 301',
        )
        for route in parse(line, builder).routes
    ]
    assert list(show.rib_text('127.0.0.1', routes, False)) == [
        '127.0.0.1 ipv4 nlri-mpls 10.0.0.0/24 label 100 next-hop 1.2.3.4',
        '127.0.0.1 ipv4 nlri-mpls 10.0.1.0/24 path-information 0.0.0.5 label [ 100 200 ] next-hop 1.2.3.4',
        '127.0.0.1 ipv6 nlri-mpls 2001:db8:1::/48 label 301 next-hop 2001:db8::1',
    ]
    name = (
        'neighbor 127.0.0.1 local-ip 127.0.0.2 local-as 65002 peer-as 65001 router-id 10.0.0.2 family-allowed in-open'
    )
    assert list(show.rib_text(name, routes[1:2], True)) == [
        f'{name} ipv4 nlri-mpls 10.0.1.0/24 path-information 0.0.0.5 label [ 100 200 ] next-hop 1.2.3.4 med 5'
    ]
    # the daemon lists a RIB family by family, a chunk each
    assert list(show.rib_json_v1('127.0.0.1', routes[1:2], None)) == [
        '{"127.0.0.1": {"routes": [{"prefix": "10.0.1.0/24", "family": "ipv4 nlri-mpls"}]}}'
    ]
    assert list(show.rib_json_v1('127.0.0.1', routes[2:], None)) == [
        '{"127.0.0.1": {"routes": [{"prefix": "2001:db8:1::/48", "family": "ipv6 nlri-mpls"}]}}'
    ]


def test_unicast_routes_stay_unicast() -> None:
    (route,) = one('announce route 10.0.0.0/24 next-hop 1.2.3.4').routes
    assert route.nlri.family == IPV4_UNICAST and not isinstance(route.nlri, Labeled)
