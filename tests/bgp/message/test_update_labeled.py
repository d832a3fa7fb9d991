"""UPDATE packing and decoding of labeled unicast (RFC 8277 over RFC 4760): MP_REACH_NLRI afi 1 or
2 safi 4, the withdrawal 5.0 sends (the command's labels and path attributes with MP_UNREACH_NLRI),
the End-of-RIB, ADD-PATH.

Every expected body is what ExaBGP 5.0.15 sent for the same route on an iBGP session (recorded with
qa/sbin/bgp --record; the same bytes are in qa/encoding/qa-labeled-static.ci and
qa/api/qa-api-labeled.ci).
"""

import dataclasses
from ipaddress import IPv4Address, IPv6Address, ip_address

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.family import AFI, IPV4_UNICAST, SAFI, Family
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.header import MARKER
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.labeled import Labeled

V4 = Family(AFI.IPV4, SAFI.NLRI_MPLS)
V6 = Family(AFI.IPV6, SAFI.NLRI_MPLS)
IBGP = Negotiated(local_as=65001, peer_as=65001, asn4=True, families=(IPV4_UNICAST, V4, V6))
ADDPATH = Negotiated(
    local_as=65001,
    peer_as=65001,
    asn4=True,
    families=(V4, V6),
    addpath_send=frozenset((V4,)),
    addpath_receive=frozenset((V4,)),
)
PLAIN = Attributes((ORIGINS[IGP],))
HOP = IPv4Address('1.2.3.4')
HOP6 = IPv6Address('2001:db8::1')

# the attributes an iBGP session adds: ORIGIN IGP, empty AS_PATH, (NEXT_HOP), LOCAL_PREF 100
HEAD = '400101' + '00' + '400200'
NEXT_HOP = '40030401020304'
LOCAL_PREF = '40050400000064'


def labeled(text: str, length: int, stack: tuple[int, ...], path_id: int | None = None) -> Labeled:
    address = ip_address(text)
    return Labeled.make(V4 if address.version == 4 else V6, address.packed, length, stack, path_id)


def bodies(messages: list[bytes]) -> list[str]:
    for message in messages:
        assert message[:16] == MARKER and int.from_bytes(message[16:18], 'big') == len(message)
        assert message[18] == 2
    return [message[19:].hex().upper() for message in messages]


def test_announce_ipv4_as_5_0() -> None:
    sent = update_pack.announce(V4, [labeled('10.0.0.0', 24, (100,))], PLAIN, HOP, IBGP)
    assert bodies(sent) == [
        '00000028' + (HEAD + NEXT_HOP + LOCAL_PREF).upper() + '800E10000104040102030400300006410A0000'
    ]


def test_announce_a_stack_with_a_med() -> None:
    attributes = Attributes((ORIGINS[IGP], MED(5)))
    sent = update_pack.announce(V4, [labeled('10.0.1.0', 24, (100, 200))], attributes, HOP, IBGP)
    # the NLRI: length 72 bits (two entries and a /24), 100 << 4, then 200 << 4 | S
    assert bodies(sent)[0].endswith('800E13000104040102030400' + '48000640000C810A0001')


def test_announce_ipv6_has_no_next_hop_attribute() -> None:
    sent = update_pack.announce(V6, [labeled('2001:db8:2::', 48, (303,))], PLAIN, HOP6, IBGP)
    assert bodies(sent) == [
        '00000030'
        + (HEAD + LOCAL_PREF).upper()
        + '800E1F0002041020010DB800000000000000000000000100480012F120010DB80002'
    ]


def test_ipv6_route_with_an_ipv4_next_hop() -> None:
    sent = update_pack.announce(V6, [labeled('2001:db8:3::', 48, (304,))], PLAIN, IPv4Address('10.0.0.254'), IBGP)
    assert bodies(sent) == [
        '0000002B40010100400200400304'
        + '0A0000FE'
        + '40050400000064'
        + '800E13000204040A0000FE00480013'
        + '0120010DB80003'
    ]


def test_withdraw_carries_the_labels_and_attributes_given() -> None:
    sent = update_pack.withdraw(V4, [labeled('10.0.0.0', 24, (100,))], IBGP, PLAIN, HOP)
    assert bodies(sent) == ['00000022' + (HEAD + NEXT_HOP + LOCAL_PREF).upper() + '800F0A000104300006410A0000']
    # no next hop given: no NEXT_HOP
    sent = update_pack.withdraw(V4, [labeled('10.0.3.0', 24, (7,))], IBGP, PLAIN, None)
    assert bodies(sent) == ['0000001B' + (HEAD + LOCAL_PREF).upper() + '800F0A000104300000710A0003']
    # IPv6: the attributes, no NEXT_HOP for an IPv6 next hop
    sent = update_pack.withdraw(V6, [labeled('2001:db8:1::', 48, (301, 302))], IBGP, PLAIN, HOP6)
    assert bodies(sent) == ['00000021' + (HEAD + LOCAL_PREF).upper() + '800F10000204600012D00012E120010DB80001']


def test_withdraw_puts_mp_unreach_first_in_6_0_order() -> None:
    six = dataclasses.replace(IBGP, unreach_first=True)
    sent = update_pack.withdraw(V4, [labeled('10.0.0.0', 24, (100,))], six, PLAIN, HOP)
    assert bodies(sent) == ['00000022' + '800F0A000104300006410A0000' + (HEAD + NEXT_HOP + LOCAL_PREF).upper()]
    assert Update.unpack(sent[0][19:], six).withdrawn == (labeled('10.0.0.0', 24, (100,)),)


def test_withdraw_without_attributes_is_mp_unreach_alone() -> None:
    sent = update_pack.withdraw(V4, [labeled('10.0.0.0', 24, (100,))], IBGP)
    assert bodies(sent) == ['0000000D800F0A000104300006410A0000']


def test_end_of_rib() -> None:
    for family, code in ((V4, '01'), (V6, '02')):
        message = update_pack.eor(family)
        assert bodies([message]) == [f'00000007900F000300{code}04']
        assert Update.unpack(message[19:], IBGP) == Update(eor=family)


def test_not_negotiated_sends_nothing() -> None:
    session = Negotiated(local_as=65001, peer_as=65001, asn4=True, families=(IPV4_UNICAST,))
    assert update_pack.announce(V4, [labeled('10.0.0.0', 24, (100,))], PLAIN, HOP, session) == []
    assert update_pack.withdraw(V4, [labeled('10.0.0.0', 24, (100,))], session, PLAIN, HOP) == []


def test_addpath_sends_the_path_identifier() -> None:
    nlris = [labeled('10.0.2.0', 24, (101,), 7), labeled('10.0.0.0', 24, (100,))]
    (message,) = update_pack.announce(V4, nlris, PLAIN, HOP, ADDPATH)
    # 5.0's order: the NLRI with a path identifier first, the one without sent with 0
    assert bodies([message])[0].endswith('00000007300006510A0002' + '00000000300006410A0000')
    update = Update.unpack(message[19:], ADDPATH)
    assert [route.nlri.path_id for route in update.announced] == [7, 0]


def test_decoded_as_sent() -> None:
    nlris = [labeled('10.0.0.0', 24, (100,)), labeled('10.0.1.0', 24, (100, 200))]
    (message,) = update_pack.announce(V4, nlris, PLAIN, HOP, IBGP)
    update = Update.unpack(message[19:], IBGP)
    assert [route.nlri for route in update.announced] == nlris
    assert {route.nexthop for route in update.announced} == {HOP}
    assert update.pack(IBGP) == message
    (withdrawal,) = update_pack.withdraw(V4, nlris[:1], IBGP, PLAIN, HOP)
    update = Update.unpack(withdrawal[19:], IBGP)
    assert update.withdrawn == (nlris[0],) and update.announced == ()
