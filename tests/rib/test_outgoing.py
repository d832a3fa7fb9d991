"""The Adj-RIB-Out: deduplication, replacement, grouping, resend and the bytes it hands the session."""

from ipaddress import IPv4Address, IPv6Address, ip_network

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import Origin
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST, Family
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import SELF, Route
from exabgp.rib.outgoing import AdjRibOut, refresh_order

EBGP = Negotiated(local_as=65533, peer_as=65000, asn4=True, families=(IPV4_UNICAST, IPV6_UNICAST))
IBGP = Negotiated(local_as=65000, peer_as=65000, asn4=True, families=(IPV4_UNICAST, IPV6_UNICAST))
FOUR = [Family.parse(name) for name in ('ipv4 unicast', 'ipv6 unicast', 'ipv6 nlri-mpls', 'ipv4 mpls-vpn')]
LOCAL = {IPV4_UNICAST: IPv4Address('127.0.0.1'), IPV6_UNICAST: IPv6Address('::1')}


def resolve(nexthop, family: Family):
    return LOCAL[family] if nexthop is SELF else nexthop


def route(prefix: str, nexthop='10.0.1.254', *attributes) -> Route:
    network = ip_network(prefix)
    family = IPV4_UNICAST if network.version == 4 else IPV6_UNICAST
    nlri = INET.make(family, network.network_address, network.prefixlen)
    hop = nexthop if nexthop is SELF else (IPv4Address(nexthop) if '.' in nexthop else IPv6Address(nexthop))
    return Route(nlri, Attributes(attributes or (Origin(0),)), hop)


def decoded(messages: list[bytes], negotiated: Negotiated) -> list[Update]:
    return [Update.unpack(message[19:], negotiated) for message in messages]


def test_conf_ebgp_bytes() -> None:
    # etc/exabgp/conf-ebgp.conf of the 5.0 reference: one route, eBGP, local-preference 200
    rib = AdjRibOut([IPV4_UNICAST])
    rib.announce(route('10.0.0.0/24', '10.0.1.254', LocalPreference(200)))
    messages = list(rib.updates(EBGP, resolve))
    expected = '000000144001010040020602010000FFFD4003040A0001FE180A0000'
    assert [message[19:].hex().upper() for message in messages] == [expected]
    assert not rib.pending()


def test_announcing_the_same_route_twice_sends_it_once() -> None:
    rib = AdjRibOut([IPV4_UNICAST])
    assert rib.announce(route('10.0.0.0/24')) is True
    list(rib.updates(IBGP, resolve))
    assert rib.announce(route('10.0.0.0/24')) is False
    assert not rib.pending()
    assert rib.announce(route('10.0.0.0/24', '10.0.1.253')) is True
    assert len(list(rib.updates(IBGP, resolve))) == 1


def test_a_newer_change_replaces_a_pending_one() -> None:
    rib = AdjRibOut([IPV4_UNICAST])
    rib.announce(route('10.0.0.0/24', '10.0.1.254', Origin(0), MED(1)))
    rib.announce(route('10.0.0.0/24', '10.0.1.254', Origin(0), MED(2)))
    [update] = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [str(r.nlri) for r in update.announced] == ['10.0.0.0/24']
    assert MED(2) in list(update.attributes)


def test_withdraw_then_announce_in_one_flush() -> None:
    rib = AdjRibOut([IPV4_UNICAST])
    rib.announce(route('10.0.0.0/24'))
    list(rib.updates(IBGP, resolve))
    rib.withdraw(route('10.0.0.0/24'))
    assert len(rib) == 0
    rib.announce(route('10.0.1.0/24'))
    updates = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [[str(n) for n in u.withdrawn] for u in updates] == [['10.0.0.0/24'], []]
    assert [[str(r.nlri) for r in u.announced] for u in updates] == [[], ['10.0.1.0/24']]


def test_withdraw_of_an_unknown_route_is_still_sent() -> None:
    rib = AdjRibOut([IPV4_UNICAST])
    rib.withdraw(route('10.9.0.0/16'))
    [update] = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [str(n) for n in update.withdrawn] == ['10.9.0.0/16']


def test_ipv4_routes_sharing_attributes_share_an_update_when_grouped() -> None:
    rib = AdjRibOut([IPV4_UNICAST, IPV6_UNICAST])
    for index in range(3):
        rib.announce(route(f'10.0.{index}.0/24'))
        rib.announce(route(f'2001:db8:{index}::/48', '2001:db8::1'))
    updates = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    sizes = sorted(len(update.announced) for update in updates)
    assert sizes == [1, 1, 1, 3]


def test_group_updates_off_sends_one_route_per_update() -> None:
    rib = AdjRibOut([IPV4_UNICAST], group_updates=False)
    for index in range(3):
        rib.announce(route(f'10.0.{index}.0/24'))
    assert len(list(rib.updates(IBGP, resolve))) == 3


def test_many_routes_are_split_by_message_size() -> None:
    rib = AdjRibOut([IPV4_UNICAST])
    for index in range(2000):
        rib.announce(route(f'10.{index // 256}.{index % 256}.0/24'))
    messages = list(rib.updates(IBGP, resolve))
    assert all(len(message) <= 4096 for message in messages)
    assert sum(len(u.announced) for u in decoded(messages, IBGP)) == 2000
    assert len(messages) == 2  # 2000 x 4 octets of NLRI need two 4096-octet messages


def test_resend_sends_every_held_route_again() -> None:
    rib = AdjRibOut([IPV4_UNICAST, IPV6_UNICAST])
    rib.announce(route('10.0.0.0/24'))
    rib.announce(route('2001:db8::/32', '2001:db8::1'))
    list(rib.updates(IBGP, resolve))
    rib.resend([IPV6_UNICAST])
    [update] = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [str(r.nlri) for r in update.announced] == ['2001:db8::/32']
    rib.resend()
    assert len(list(rib.updates(IBGP, resolve))) == 2


def test_a_refresh_sends_each_route_alone_family_by_family_in_5_0_order() -> None:
    # as 5.0.15 answers `flush adj-rib out` (found by qa/bin/differential, seed 8): IPv4 routes
    # sharing their attributes get an UPDATE each, and the families go in the order of 5.0's set
    # of (afi, safi) pairs, here IPv4 unicast, IPv6 unicast, IPv4 mpls-vpn, IPv6 nlri-mpls
    assert [str(family) for family in refresh_order(FOUR)] == [
        'ipv4 unicast',
        'ipv6 unicast',
        'ipv4 mpls-vpn',
        'ipv6 nlri-mpls',
    ]
    rib = AdjRibOut([IPV6_UNICAST, IPV4_UNICAST])
    rib.announce(route('2001:db8::/32', '2001:db8::1'))
    for index in range(2):
        rib.announce(route(f'10.0.{index}.0/24'))
    assert len(list(rib.updates(IBGP, resolve))) == 2  # a session's first flush: IPv4 grouped
    rib.resend(refresh=True)
    updates = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [[str(r.nlri) for r in update.announced] for update in updates] == [
        ['10.0.0.0/24'],
        ['10.0.1.0/24'],
        ['2001:db8::/32'],
    ]


def test_clear_withdraws_family_by_family_in_5_0_order() -> None:
    # qa/bin/differential, seed 222: an IPv6 route held first is still withdrawn after the IPv4 one
    rib = AdjRibOut([IPV4_UNICAST, IPV6_UNICAST])
    rib.announce(route('2001:db8::/32', '2001:db8::1'))
    rib.announce(route('10.0.0.0/24'))
    list(rib.updates(IBGP, resolve))
    rib.withdraw_all()
    updates = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [[str(nlri) for nlri in update.withdrawn] for update in updates] == [['10.0.0.0/24'], ['2001:db8::/32']]
    assert len(rib) == 0


def test_pending_changes_go_by_attribute_set_first_then_by_family() -> None:
    # qa/bin/differential, seed 19: 5.0.15 walks its pending changes by attribute set, so an IPv6
    # route queued after an IPv4 one of other attributes is sent first when it shares its
    # attributes with the IPv6 route queued before both
    rib = AdjRibOut([IPV4_UNICAST, IPV6_UNICAST])
    rib.announce(route('2001:db8::/32', '2001:db8::1', Origin(0), MED(1)))
    rib.announce(route('10.0.0.0/24', '10.0.1.254', Origin(0), MED(2)))
    rib.announce(route('2001:db8:1::/48', '2001:db8::1', Origin(0), MED(1)))
    rib.announce(route('10.0.1.0/24', '10.0.1.254', Origin(0), MED(1)))
    updates = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [[str(r.nlri) for r in update.announced] for update in updates] == [
        ['2001:db8::/32'],
        ['2001:db8:1::/48'],
        ['10.0.1.0/24'],
        ['10.0.0.0/24'],
    ]


def test_next_hop_self_is_resolved_per_family() -> None:
    rib = AdjRibOut([IPV4_UNICAST])
    rib.announce(route('10.0.0.0/24', SELF))
    [update] = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert update.announced[0].nexthop == IPv4Address('127.0.0.1')


def test_watchdog_withdraws_and_announces_its_routes() -> None:
    rib = AdjRibOut([IPV4_UNICAST])
    rib.announce_watched('dog', route('10.0.0.0/24'), withdrawn=False)
    rib.announce_watched('dog', route('10.0.1.0/24'), withdrawn=True)
    [update] = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [str(r.nlri) for r in update.announced] == ['10.0.0.0/24']
    assert rib.watchdog_withdraw('dog') == 1
    [update] = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [str(n) for n in update.withdrawn] == ['10.0.0.0/24']
    assert rib.watchdog_announce('dog') == 2
    [update] = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert sorted(str(r.nlri) for r in update.announced) == ['10.0.0.0/24', '10.0.1.0/24']


def test_end_of_rib_for_each_negotiated_family() -> None:
    rib = AdjRibOut([IPV4_UNICAST, IPV6_UNICAST])
    markers = list(rib.end_of_rib(IBGP))
    assert markers[0][19:].hex() == '00000000'
    assert [update.eor for update in decoded(markers, IBGP)] == [IPV4_UNICAST, IPV6_UNICAST]


def _table() -> list[Route]:
    # two attribute groups interleaved, and a route given twice
    return [
        route('10.0.0.0/24', '10.0.1.254', Origin(0), MED(1)),
        route('10.0.1.0/24', '10.0.1.254', Origin(0), MED(2)),
        route('10.0.2.0/24', '10.0.1.254', Origin(0), MED(1)),
        route('10.0.1.0/24', '10.0.1.254', Origin(0), MED(2)),
        route('10.0.3.0/24', '10.0.1.254', Origin(0), MED(1)),
    ]


def test_held_routes_go_out_with_the_resend_as_announced_ones_would() -> None:
    announced = AdjRibOut([IPV4_UNICAST])
    for each in _table():
        announced.announce(each)
    held = AdjRibOut([IPV4_UNICAST])
    held.hold(_table())
    assert not held.pending()
    assert len(held) == len(announced) == 4
    held.resend()
    assert held.pending()
    assert list(held.updates(IBGP, resolve)) == list(announced.updates(IBGP, resolve))
    assert not held.pending()


def test_every_configured_version_goes_out_in_the_first_session_the_last_held_and_sent_last() -> None:
    """5.0 sends each version of a route the configuration writes twice (reference api-flow-merge);
    the one held, the last written, goes last, and alone in later sessions."""
    med = [route('10.0.0.0/24', '10.0.1.254', Origin(0), MED(value)) for value in (1, 2, 1, 3)]
    rib = AdjRibOut([IPV4_UNICAST])
    rib.hold(med)
    rib.resend()
    updates = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert [[str(r.nlri) for r in update.announced] for update in updates] == [['10.0.0.0/24']] * 3
    assert [next(a for a in update.attributes if isinstance(a, MED)) for update in updates] == [
        MED(2),
        MED(1),
        MED(3),
    ]
    assert [r.attributes for r in rib.routes()] == [med[3].attributes]
    rib.resend()
    (again,) = decoded(list(rib.updates(IBGP, resolve)), IBGP)
    assert MED(3) in list(again.attributes)


def test_a_change_before_the_first_session_forgets_the_earlier_configured_versions() -> None:
    first, second = (route('10.0.0.0/24', '10.0.1.254', Origin(0), MED(value)) for value in (1, 2))
    withdrawn = AdjRibOut([IPV4_UNICAST])
    withdrawn.hold([first, second])
    withdrawn.withdraw(second)
    withdrawn.resend()
    (update,) = decoded(list(withdrawn.updates(IBGP, resolve, withdrawals=True)), IBGP)
    assert not update.announced
    replaced = AdjRibOut([IPV4_UNICAST])
    replaced.hold([first, second])
    replaced.announce(first)
    replaced.resend()
    (update,) = decoded(list(replaced.updates(IBGP, resolve)), IBGP)
    assert MED(1) in list(update.attributes)


def test_a_resend_groups_the_held_routes_by_their_first_appearance_whatever_their_order() -> None:
    """Routes written alike one after the other join their group without a key being built; the
    groups are still those of equal (not only identical) attributes and next hops, in the order
    each is first seen, for the families resent only, without the routes a change is pending for."""
    shared = Attributes((Origin(0), MED(1)))
    table = [
        Route(INET.make(IPV4_UNICAST, IPv4Address('10.0.0.0'), 24), shared, IPv4Address('10.0.1.254')),
        Route(INET.make(IPV4_UNICAST, IPv4Address('10.0.1.0'), 24), shared, IPv4Address('10.0.1.254')),
        route('10.0.2.0/24', '10.0.1.254', Origin(0), MED(2)),
        route('2001:db8::/32', '2001:db8::1', Origin(0), MED(1)),
        # equal to the first two's attributes and next hop, other objects: the same group
        route('10.0.3.0/24', '10.0.1.254', Origin(0), MED(1)),
        route('10.0.4.0/24', '10.0.1.254', Origin(0), MED(2)),
        Route(INET.make(IPV4_UNICAST, IPv4Address('10.0.5.0'), 24), shared, IPv4Address('10.0.1.254')),
        route('10.0.6.0/24', '10.0.1.253', Origin(0), MED(3)),
        route('2001:db8:1::/48', '2001:db8::1', Origin(0), MED(1)),
        Route(INET.make(IPV4_UNICAST, IPv4Address('10.0.7.0'), 24), shared, IPv4Address('10.0.1.254')),
    ]
    pending = route('10.0.4.0/24', '10.0.1.252', Origin(0), MED(9))
    rib = AdjRibOut([IPV4_UNICAST, IPV6_UNICAST], group_updates=False)
    rib.hold(table)
    rib.announce(pending)
    rib.resend([IPV4_UNICAST])
    groups: dict[tuple, list[Route]] = {}
    for each in table:
        if each.nlri.family == IPV4_UNICAST and each.nlri != pending.nlri:
            groups.setdefault((each.attributes, each.nexthop), []).append(each)
    assert [len(group) for group in groups.values()] == [5, 1, 1]
    expected = AdjRibOut([IPV4_UNICAST, IPV6_UNICAST], group_updates=False)
    for group in groups.values():
        for each in group:
            expected.announce(each)
    expected.announce(pending)
    assert list(rib.updates(IBGP, resolve)) == list(expected.updates(IBGP, resolve))
