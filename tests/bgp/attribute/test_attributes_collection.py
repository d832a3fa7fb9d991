"""Attributes: the shared, immutable collection: order, defaults, `extra`, equality, JSON and text."""

from ipaddress import IPv4Address

import pytest
from attribute_vectors import ASN2, ASN4

from exabgp.bgp.attribute.aggregation import ATOMIC_AGGREGATE
from exabgp.bgp.attribute.aigp import AIGP
from exabgp.bgp.attribute.aspath import AS_SEQUENCE, ASPath
from exabgp.bgp.attribute.attributes import EMPTY, Attributes, parse_attributes
from exabgp.bgp.attribute.base import Code
from exabgp.bgp.attribute.community import Communities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.nexthop import NextHop
from exabgp.bgp.attribute.origin import EGP, Origin
from exabgp.bgp.negotiated import Negotiated

# (session, what 5.0 packs for an empty attribute set): confirmed against 5.0.15's Attributes.pack
DEFAULTS = [
    (Negotiated(local_as=65533, peer_as=65533, asn4=True), '40010100' + '400200' + '40050400000064'),
    (Negotiated(local_as=65533, peer_as=65533), '40010100' + '400200' + '40050400000064'),
    (Negotiated(local_as=65533, peer_as=65534, asn4=True), '40010100' + '40020602010000fffd'),
    (Negotiated(local_as=65533, peer_as=65534), '40010100' + '400204' + '0201fffd'),
    (Negotiated(local_as=70000, peer_as=65534), '40010100' + '4002040201' + '5ba0' + 'c01106020100011170'),
    (Negotiated(local_as=70000, peer_as=65534, asn4=True), '40010100' + '40020602010001' + '1170'),
]


@pytest.mark.parametrize(('negotiated', 'wire'), DEFAULTS)
def test_defaults_are_5_0s(negotiated: Negotiated, wire: str) -> None:
    assert EMPTY.pack(negotiated).hex() == wire


def test_local_preference_and_aigp_depend_on_the_session() -> None:
    # confirmed against 5.0.15
    attributes = Attributes([LocalPreference(200), AIGP(10)])
    assert attributes.pack(Negotiated(local_as=1, peer_as=2, asn4=True)).hex() == '40010100' + '40020602010000' + '0001'
    assert attributes.pack(Negotiated(local_as=1, peer_as=1, asn4=True)).hex() == (
        '40010100' + '400200' + '400504000000c8' + '801a0b01000b000000000000000a'
    )
    assert attributes.pack(Negotiated(local_as=1, peer_as=2, asn4=True, aigp=True)).hex() == (
        '40010100' + '40020602010000' + '0001' + '801a0b01000b000000000000000a'
    )


def test_given_attributes_replace_the_defaults() -> None:
    attributes = Attributes([Origin(EGP), ASPath.sequence((1, 2)), LocalPreference(50)])
    assert attributes.pack(ASN4).hex() == '40010101' + '40020a020200000001' + '00000002' + '4005040000' + '0032'


def test_extra_goes_at_its_code() -> None:
    attributes = Attributes([MED(5), Communities((1,)), ATOMIC_AGGREGATE])
    nexthop = NextHop(IPv4Address('10.0.0.1')).pack(ASN4)
    reach = bytes.fromhex('800e0400010100')
    unreach = bytes.fromhex('800f03000101')
    packed = attributes.pack(ASN4, (reach, nexthop, unreach))
    codes = []
    offset = 0
    while offset < len(packed):
        codes.append(packed[offset + 1])
        offset += 3 + packed[offset + 2]
    assert codes == [1, 2, 3, 4, 5, 6, 8, 14, 15]
    assert nexthop in packed and reach in packed and unreach in packed
    assert attributes.pack(ASN4, ()) == attributes.pack(ASN4)
    assert attributes.pack(ASN4, (reach,)) == attributes.pack(ASN4) + reach


def test_the_pack_cache_is_per_session_encoding() -> None:
    attributes = Attributes([ASPath.sequence((70000,))])
    four = attributes.pack(ASN4)
    two = attributes.pack(ASN2)
    assert four != two
    assert attributes.pack(ASN4) is four
    assert attributes.pack(Negotiated(local_as=65533, peer_as=65533, asn4=True, hold_time=90)) is four


def test_order_equality_and_hash() -> None:
    one = Attributes([MED(5), Origin(EGP), Communities((2, 1))])
    two = Attributes([Communities((1, 2)), Origin(EGP), MED(5)])
    assert one == two
    assert hash(one) == hash(two)
    assert {one: 1}[two] == 1
    assert [value.CODE for value in one] == [1, 4, 8]
    assert one != Attributes([MED(6), Origin(EGP), Communities((2, 1))])
    assert one != 'not attributes'


def test_mapping_access() -> None:
    attributes = Attributes([MED(5), Origin(EGP)])
    assert len(attributes) == 2
    assert attributes[Code.MED] == MED(5)
    assert Code.ORIGIN in attributes
    assert Code.LOCAL_PREF not in attributes
    assert attributes.get(Code.LOCAL_PREF) is None
    assert attributes.codes() == (1, 4)
    with pytest.raises(KeyError):
        attributes[Code.AS_PATH]
    with pytest.raises(KeyError):
        EMPTY[0]


def test_copies_with_and_without() -> None:
    attributes = Attributes([MED(5), Origin(EGP)])
    assert attributes.with_attribute(MED(6))[Code.MED] == MED(6)
    assert attributes.with_attribute(LocalPreference(1)).codes() == (1, 4, 5)
    assert attributes.without(Code.MED) == Attributes([Origin(EGP)])
    assert attributes[Code.MED] == MED(5)


def test_what_is_not_held() -> None:
    with pytest.raises(ValueError):
        Attributes([NextHop(IPv4Address('10.0.0.1'))])
    with pytest.raises(ValueError):
        Attributes([MED(1), MED(2)])


def test_json_and_text_of_a_whole_field() -> None:
    # confirmed against 5.0.15 (parser, and `exabgp decode` of the field in an UPDATE)
    field = (
        '40010101'
        + '400214'
        + '02030000fde80000000100000002'
        + '0101000000ff'
        + '4003040a000001'
        + '80040400000064'
        + '40050400000096'
        + '400600'
        + 'c00708000000010a000001'
        + 'c0080c00010002ffff029affffff01'
        + '80090401020304'
        + '800a040a0a0a0a'
        + 'c010080002fde800000001'
        + 'c0200c000000010000000200000003'
        + 'c0990101'
    )
    parsed = parse_attributes(bytes.fromhex(field), ASN4)
    assert parsed.attributes.json() == (
        '"origin": "egp", "as-path": {"0": {"element": "as-sequence", "value": [65000, 1, 2]}, '
        '"1": {"element": "as-set", "value": [255]}}, "med": 100, "local-preference": 150, "atomic-aggregate": true, '
        '"aggregator": "1:10.0.0.1", "community": [ [ 1, 2 ], [ 65535, 666 ], [ 65535, 65281 ] ], '
        '"originator-id": "1.2.3.4", "cluster-list": [ "10.10.10.10" ], '
        '"extended-community": [ { "value": 842122827661313, "string": "target:65000:1" } ], '
        '"large-community": [ [ 1, 2 , 3 ] ], "attribute-0x99-0xE0": "0x01"'
    )
    assert str(parsed.attributes) == (
        ' origin egp as-path ( 65000 1 2 ) [ 255 ] med 100 local-preference 150 atomic-aggregate'
        ' aggregator ( 1:10.0.0.1 ) community [ 1:2 blackhole no-export ] originator-id 1.2.3.4'
        ' cluster-list [ 10.10.10.10 ] extended-community target:65000:1 large-community 1:2:3'
        ' attribute [ 0x99 0xE0 0x01 ]'
    )
    assert parsed.attributes.pack(ASN4, (parsed.nexthop.pack(ASN4),)).hex() == field.replace('c0990101', 'e0990101')


def test_repr() -> None:
    assert repr(Attributes([MED(5)])) == 'Attributes(MED(value=5))'
    assert str(EMPTY) == '' and EMPTY.json() == ''


def test_segments_sequence_helper() -> None:
    assert ASPath.sequence(()) == ASPath(())
    assert ASPath.sequence((1,)) == ASPath(((AS_SEQUENCE, (1,)),))
