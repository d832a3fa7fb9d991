"""Every attribute value against its golden vector, both ways: value -> wire, wire -> value, JSON and text."""

from ipaddress import IPv4Address

import pytest
from attribute_vectors import ASN2, ASN4, EXTENDED, EXTENDED_IPV6, VECTORS, Extended, Vector

from exabgp.bgp.attribute import extended_types
from exabgp.bgp.attribute.aspath import AS_SEQUENCE, ASPath
from exabgp.bgp.attribute.attributes import parse_attributes
from exabgp.bgp.attribute.base import Action
from exabgp.bgp.attribute.extended import ExtendedCommunities, IPv6ExtendedCommunities
from exabgp.bgp.attribute.nexthop import NextHop
from exabgp.bgp.attribute.origin import EGP, Origin
from exabgp.configuration.route.attributes import extended_community_value


def _id(vector: Vector | Extended) -> str:
    return vector.wire[:40]


@pytest.mark.parametrize('vector', VECTORS, ids=_id)
def test_value_packs_to_the_wire(vector: Vector) -> None:
    assert vector.value.pack(vector.negotiated).hex() == vector.wire


@pytest.mark.parametrize('vector', VECTORS, ids=_id)
def test_wire_parses_to_the_value(vector: Vector) -> None:
    parsed = parse_attributes(bytes.fromhex(vector.wire), vector.negotiated)
    assert parsed.action == Action.NONE, parsed.reason
    assert list(parsed.attributes) == [vector.value]


@pytest.mark.parametrize('vector', VECTORS, ids=_id)
def test_json_and_text_are_5_0s(vector: Vector) -> None:
    assert vector.value.json_item() == vector.json
    assert vector.value.text() == vector.text
    parsed = parse_attributes(bytes.fromhex(vector.wire), vector.negotiated)
    assert parsed.attributes.json() == vector.json
    assert str(parsed.attributes) == f' {vector.text}'


@pytest.mark.parametrize('vector', VECTORS, ids=_id)
def test_pack_value_is_the_value_octets(vector: Vector) -> None:
    wire = bytes.fromhex(vector.wire)
    header = 4 if wire[0] & 0x10 else 3
    length = int.from_bytes(wire[2:4], 'big') if header == 4 else wire[2]
    assert vector.value.pack_value(vector.negotiated) == wire[header : header + length]


@pytest.mark.parametrize('extended', EXTENDED, ids=_id)
def test_extended_community(extended: Extended) -> None:
    raw = bytes.fromhex(extended.wire)
    if extended.written is not None:
        assert extended_community_value(extended.written).hex() == extended.wire
    assert extended_types.name(raw) == extended.string
    assert extended_types.text(raw) == extended.text
    value = ExtendedCommunities((raw,))
    assert (
        value.json_item()
        == f'"extended-community": [ {{ "value": {int(extended.wire, 16)}, "string": "{extended.string}" }} ]'
    )
    assert value.text() == f'extended-community {extended.text}'
    assert value.pack(ASN4).hex() == 'c01008' + extended.wire
    parsed = parse_attributes(bytes.fromhex('c01008' + extended.wire), ASN4)
    assert parsed.action == Action.NONE
    assert list(parsed.attributes) == [value]


@pytest.mark.parametrize('extended', EXTENDED_IPV6, ids=_id)
def test_ipv6_extended_community(extended: Extended) -> None:
    raw = bytes.fromhex(extended.wire)
    value = IPv6ExtendedCommunities((raw,))
    assert value.json_item() == (
        f'"extended-community-ipv6": [ {{ "value": {int(extended.wire, 16)}, "string": "{extended.string}" }} ]'
    )
    assert value.text() == f'extended-community-ipv6 {extended.text}'
    parsed = parse_attributes(bytes.fromhex('c01914' + extended.wire), ASN4)
    assert list(parsed.attributes) == [value]


def test_mac_mobility_is_rebuilt_as_5_0_does() -> None:
    # confirmed with 5.0: flags other than exactly 1 are not sticky, and the community is re-made transitive
    parsed = parse_attributes(bytes.fromhex('c010084600030000000005'), ASN4)
    assert parsed.attributes.json() == (
        '"extended-community": [ { "value": 432345564227567621, "string": "mac-mobility:5" } ]'
    )
    assert parsed.attributes.pack(ASN4).endswith(bytes.fromhex('c010080600000000000005'))


def test_extended_communities_are_sorted_and_keep_duplicates() -> None:
    # confirmed with 5.0: printed and packed in the order of their octets
    parsed = parse_attributes(bytes.fromhex('c01018800a130005dc00000002fde8000000010002fde800000001'), ASN4)
    assert str(parsed.attributes) == ' extended-community [ target:65000:1 target:65000:1 l2info:19:0:1500:0 ]'


def test_communities_are_sorted_and_large_ones_deduplicated() -> None:
    # confirmed with 5.0
    parsed = parse_attributes(
        bytes.fromhex(
            'c00808ffffff0100010002' + 'c02024' + '0000000a0000000200000003' + '000000010000000200000003' * 2
        ),
        ASN4,
    )
    assert parsed.attributes.json() == (
        '"community": [ [ 1, 2 ], [ 65535, 65281 ] ], "large-community": [ [ 1, 2 , 3 ], [ 10, 2 , 3 ] ]'
    )


def test_next_hop() -> None:
    value = NextHop(IPv4Address('10.0.0.1'))
    assert value.pack(ASN4).hex() == '4003040a000001'
    assert value.pack_value(ASN4).hex() == '0a000001'
    assert str(value) == '10.0.0.1'
    assert value.json() == '"10.0.0.1"'
    parsed = parse_attributes(bytes.fromhex('4003040a000001'), ASN4)
    assert parsed.nexthop == value
    assert len(parsed.attributes) == 0
    assert parsed.attributes.json() == ''


def test_empty_as_path_is_not_kept_as_5_0() -> None:
    # confirmed with 5.0: an empty AS_PATH on the wire does not show in the JSON
    parsed = parse_attributes(bytes.fromhex('40010100400200'), ASN4)
    assert parsed.attributes.json() == '"origin": "igp"'
    assert 2 in parsed.present
    empty = ASPath(())
    assert empty.pack(ASN4).hex() == '400200'
    assert empty.json() == '{}'
    assert str(empty) == ''


def test_long_segments_are_split_at_255() -> None:
    path = ASPath(((AS_SEQUENCE, tuple(range(1, 301))),))
    wire = path.pack(ASN4)
    size = 2 + 255 * 4 + 2 + 45 * 4
    assert wire[:4] == b'\x50\x02' + size.to_bytes(2, 'big')
    assert len(wire) == 4 + size
    parsed = parse_attributes(wire, ASN4)
    assert list(parsed.attributes) == [
        ASPath(((AS_SEQUENCE, tuple(range(1, 256))), (AS_SEQUENCE, tuple(range(256, 301)))))
    ]


def test_origin_by_name() -> None:
    assert Origin.named('EGP') is Origin.unpack(b'\x01', ASN2)
    assert Origin.named('egp') == Origin(EGP)
    with pytest.raises(ValueError):
        Origin.named('bgp')
    with pytest.raises(ValueError):
        Origin(3)
