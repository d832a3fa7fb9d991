"""The Adj-RIB-Out with labeled unicast: routes written as API commands (the configuration's grammar),
held by prefix and path identifier without the label, each sent in an UPDATE of its own, withdrawn
with the command's labels and attributes (the bytes 5.0.15 sends for the same commands, from
qa/api/qa-api-labeled.ci).

One deliberate difference: 5.0.15 sends nothing when a prefix is announced again with another
label; we replace the route and send it (the RFC meaning of the announce).
"""

from ipaddress import IPv4Address, IPv6Address

from exabgp.api.command import parse
from exabgp.bgp.family import AFI, IPV4_UNICAST, SAFI, Family
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.route import SELF, Route
from exabgp.configuration.route.grammar import Builder
from exabgp.rib.outgoing import AdjRibOut

V4 = Family(AFI.IPV4, SAFI.NLRI_MPLS)
V6 = Family(AFI.IPV6, SAFI.NLRI_MPLS)
FAMILIES = (IPV4_UNICAST, V4, V6)
IBGP = Negotiated(local_as=65001, peer_as=65001, asn4=True, families=FAMILIES)
MARKER = 'FF' * 16


def resolve(nexthop, family: Family):
    if nexthop is SELF:
        return IPv6Address('::1') if family.afi == AFI.IPV6 else IPv4Address('127.0.0.1')
    return nexthop


def routes(*lines: str) -> list[Route]:
    builder = Builder()
    return [route for line in lines for route in parse(line, builder).routes]


def sent(rib: AdjRibOut) -> list[str]:
    return [message.hex().upper() for message in rib.updates(IBGP, resolve)]


def test_each_labeled_route_gets_its_own_update() -> None:
    rib = AdjRibOut(FAMILIES, group_updates=True)
    for route in routes(
        'announce attributes next-hop 1.2.3.6 label 9 nlri 10.0.4.0/24 10.0.5.0/24',
        'announce attributes next-hop 1.2.3.6 nlri 10.0.6.0/24 10.0.7.0/24',
    ):
        rib.announce(route)
    messages = [Update.unpack(bytes.fromhex(message)[19:], IBGP) for message in sent(rib)]
    # in arrival order: each labeled route in its own UPDATE, ipv4 unicast sharing one (group-updates)
    assert [[str(route.nlri) for route in update.announced] for update in messages] == [
        ['10.0.4.0/24 label 9'],
        ['10.0.5.0/24 label 9'],
        ['10.0.6.0/24', '10.0.7.0/24'],
    ]


def test_the_bytes_5_0_sends_for_api_commands() -> None:
    rib = AdjRibOut(FAMILIES)
    for route in routes(
        'announce route 10.0.0.0/24 next-hop 1.2.3.4 label 100',
        'announce ipv4 nlri-mpls 10.0.3.0/24 next-hop 1.2.3.5 label 7 med 20',
        'announce route 2001:db8:1::/48 next-hop 2001:db8::1 label [ 301 302 ]',
    ):
        rib.announce(route)
    assert sorted(sent(rib)) == sorted(
        [
            MARKER + '003F0200000028400101004002004003040102030440050400000064800E10000104040102030400300006410A0000',
            MARKER + '004602'
            '0000002F40010100400200400304010203058004040000001440050400000064800E10000104040102030500300000710A0003',
            MARKER + '004A02'
            '000000334001010040020040050400000064800E220002041020010DB800000000000000000000000100600012D00012E120010DB80001',
        ]
    )
    for route in routes(
        'withdraw route 10.0.0.0/24 next-hop 1.2.3.4 label 100',
        'withdraw ipv4 nlri-mpls 10.0.3.0/24 label 7',
        'withdraw route 2001:db8:1::/48 next-hop 2001:db8::1 label [ 301 302 ]',
    ):
        rib.withdraw(route)
    assert sorted(sent(rib)) == sorted(
        [
            MARKER + '00390200000022400101004002004003040102030440050400000064800F0A000104300006410A0000',
            MARKER + '003202' + '0000001B4001010040020040050400000064800F0A000104300000710A0003',
            MARKER + '003802' + '000000214001010040020040050400000064800F10000204600012D00012E120010DB80001',
        ]
    )
    assert len(rib) == 0


def test_another_label_replaces_the_route() -> None:
    rib = AdjRibOut(FAMILIES)
    (first,) = routes('announce route 10.0.5.0/24 next-hop 1.2.3.6 label 9')
    (second,) = routes('announce route 10.0.5.0/24 next-hop 1.2.3.6 label 10')
    assert rib.announce(first)
    sent(rib)
    assert rib.announce(first) is False  # the same route: nothing to send
    assert rib.announce(second)
    assert sent(rib) == [
        MARKER + '003F0200000028400101004002004003040102030640050400000064800E10000104040102030600300000A10A0005'
    ]
    assert list(rib.routes()) == [second]


def test_another_path_identifier_is_another_route() -> None:
    rib = AdjRibOut(FAMILIES)
    for route in routes(
        'announce route 10.0.5.0/24 next-hop 1.2.3.6 label 9 path-information 1',
        'announce route 10.0.5.0/24 next-hop 1.2.3.6 label 9 path-information 2',
    ):
        rib.announce(route)
    assert len(rib) == 2


def test_withdraw_with_any_label_removes_the_route() -> None:
    rib = AdjRibOut(FAMILIES)
    rib.announce(*routes('announce route 10.0.5.0/24 next-hop 1.2.3.6 label 9'))
    sent(rib)
    rib.withdraw(*routes('withdraw route 10.0.5.0/24 label 800'))
    assert len(rib) == 0
    (message,) = sent(rib)
    # sent with the label of the command: 800 << 4 | S
    assert message.endswith('800F0A000104' + '30003201' + '0A0005')


def test_the_configuration_routes_are_held_and_resent() -> None:
    rib = AdjRibOut(FAMILIES)
    rib.hold(
        routes(
            'announce route 10.0.0.0/24 next-hop 1.2.3.4 label 100',
            'announce route 10.0.0.0/24 next-hop 1.2.3.4 label 200',
        )
    )
    assert [str(route.nlri) for route in rib.routes()] == ['10.0.0.0/24 label 200']
    rib.resend()
    assert len(sent(rib)) == 1
    assert [message.hex() for message in rib.end_of_rib(IBGP)][-2:] == [
        MARKER.lower() + '001e02' + '00000007900f0003000104',
        MARKER.lower() + '001e02' + '00000007900f0003000204',
    ]
