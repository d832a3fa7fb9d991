from ipaddress import IPv4Address, ip_network

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.origin import Origin
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import Route
from exabgp.rib.incoming import AdjRibIn


def nlri(prefix: str) -> INET:
    network = ip_network(prefix)
    family = IPV4_UNICAST if network.version == 4 else IPV6_UNICAST
    return INET.make(family, network.network_address, network.prefixlen)


def test_latest_announcement_wins_and_withdraw_removes() -> None:
    rib = AdjRibIn()
    first = Route(nlri('10.0.0.0/8'), Attributes((Origin(0),)), IPv4Address('1.1.1.1'))
    second = Route(nlri('10.0.0.0/8'), Attributes((Origin(2),)), IPv4Address('1.1.1.1'))
    other = Route(nlri('2001:db8::/32'), Attributes((Origin(0),)), None)
    rib.update([first, other], [])
    rib.update([second], [])
    assert list(rib.routes([IPV4_UNICAST])) == [second]
    assert len(rib) == 2
    rib.update([], [nlri('10.0.0.0/8'), nlri('10.1.0.0/16')])
    assert list(rib.routes()) == [other]
    rib.clear()
    assert len(rib) == 0


def test_stale_routes_are_unmarked_when_sent_again_and_swept_by_family() -> None:
    rib = AdjRibIn()
    kept = Route(nlri('10.0.0.0/8'), Attributes((Origin(0),)), IPv4Address('1.1.1.1'))
    resent = Route(nlri('10.1.0.0/16'), Attributes((Origin(0),)), IPv4Address('1.1.1.1'))
    six = Route(nlri('2001:db8::/32'), Attributes((Origin(0),)), None)
    rib.update([kept, resent, six], [])
    assert rib.mark_stale([IPV4_UNICAST]) == 2
    assert rib.stale_families() == {IPV4_UNICAST}
    assert rib.is_stale(kept) and not rib.is_stale(six)
    rib.update([resent], [])
    assert not rib.is_stale(resent)
    assert rib.sweep([IPV6_UNICAST]) == []
    assert rib.sweep([IPV4_UNICAST]) == [kept]
    assert sorted(str(route.nlri) for route in rib.routes()) == ['10.1.0.0/16', '2001:db8::/32']
    assert rib.stale_families() == frozenset()


def test_a_withdrawn_stale_route_is_not_swept_again_and_clear_returns_everything() -> None:
    rib = AdjRibIn()
    first = Route(nlri('10.0.0.0/8'), Attributes((Origin(0),)), IPv4Address('1.1.1.1'))
    second = Route(nlri('10.2.0.0/16'), Attributes((Origin(0),)), IPv4Address('1.1.1.1'))
    rib.update([first, second], [])
    rib.mark_stale([IPV4_UNICAST])
    rib.update([], [nlri('10.0.0.0/8')])
    assert rib.sweep() == [second]
    rib.update([first], [])
    rib.mark_stale([IPV4_UNICAST])
    assert rib.remove([IPV4_UNICAST]) == [first]
    assert rib.sweep() == []
    rib.update([first, second], [])
    assert rib.clear() == [first, second]
    assert len(rib) == 0
