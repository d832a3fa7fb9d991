"""parse_attributes and RFC 7606: what each kind of fault costs, and what the parser hands back."""

from ipaddress import IPv4Address

import pytest
from attribute_vectors import AIGP_ON, ASN2, ASN4

from exabgp.bgp.attribute.aggregation import ATOMIC_AGGREGATE
from exabgp.bgp.attribute.attributes import Parsed, parse_attributes
from exabgp.bgp.attribute.base import Action, Code
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.nexthop import NextHop
from exabgp.bgp.attribute.origin import IGP, Origin
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.bgp.errors import PeerError
from exabgp.bgp.negotiated import Negotiated

ORIGIN = '40010100'
NEXT_HOP = '4003040a000001'
MED_100 = '80040400000064'
MP_REACH = '800e0b0001010401020304001801'  # handed over raw
MP_UNREACH = '800f0400010118'  # idem


def parse(hexdata: str, negotiated: Negotiated = ASN4) -> Parsed:
    return parse_attributes(bytes.fromhex(hexdata), negotiated)


def test_a_clean_field() -> None:
    parsed = parse(ORIGIN + NEXT_HOP + MED_100 + MP_REACH + MP_UNREACH)
    assert parsed.action == Action.NONE
    assert list(parsed.attributes) == [Origin(IGP), MED(100)]
    assert parsed.nexthop == NextHop(IPv4Address('10.0.0.1'))
    assert parsed.mp_reach == bytes.fromhex(MP_REACH)[3:]
    assert parsed.mp_unreach == bytes.fromhex(MP_UNREACH)[3:]
    assert parsed.present == {1, 3, 4, 14, 15}
    assert parsed.error_json() == ''


def test_empty_field() -> None:
    parsed = parse('')
    assert parsed.action == Action.NONE
    assert len(parsed.attributes) == 0
    assert parsed.nexthop is None and parsed.mp_reach is None and parsed.mp_unreach is None


# RFC 7606 4: the field does not frame -> treat-as-withdraw, stop there


@pytest.mark.parametrize(
    'tail',
    [
        '40',  # fewer than three octets left
        '4001',
        '5001' + '00',  # an extended length header cut short
        '40010500',  # length past the end of the field
        '50020100' + '00' * 10,
    ],
)
def test_framing_errors_treat_as_withdraw(tail: str) -> None:
    parsed = parse(ORIGIN + MP_REACH + tail)
    assert parsed.action == Action.TREAT_AS_WITHDRAW
    assert parsed.error_json() == '"error": "treat-as-withdraw"'
    # what came before is kept, so the UPDATE decoder can still withdraw the MP_REACH routes
    assert list(parsed.attributes) == [Origin(IGP)]
    assert parsed.mp_reach is not None


# RFC 7606 7: malformed values, per attribute


@pytest.mark.parametrize(
    ('hexdata', 'code'),
    [
        ('400102' + '0000', Code.ORIGIN),  # 7.1 length
        ('40010103', Code.ORIGIN),  # 7.1 undefined value
        ('400100', Code.ORIGIN),
        ('400203' + '020100', Code.AS_PATH),  # 7.2 segment overrun
        ('400202' + '0200', Code.AS_PATH),  # 7.2 zero length segment
        ('400206' + '050100000001', Code.AS_PATH),  # 7.2 unknown segment type
        ('400207' + '02010000000100', Code.AS_PATH),  # 7.2 lone trailing octet
        ('400310' + '20010db8000000000000000000000001', Code.NEXT_HOP),  # 7.3
        ('800403' + '000064', Code.MED),  # 7.4
        ('400505' + '0000006400', Code.LOCAL_PREF),  # 7.5
        ('c00803' + '000001', Code.COMMUNITY),  # 7.8
        ('c00800', Code.COMMUNITY),
        ('800905' + '0102030405', Code.ORIGINATOR_ID),  # 7.9
        ('800a00', Code.CLUSTER_LIST),  # 7.10
        ('800a06' + '0a0000010a00', Code.CLUSTER_LIST),
        ('c01007' + '00020000000001', Code.EXTENDED_COMMUNITY),  # 7.14
        ('c01008' + '800600007fc00000', Code.EXTENDED_COMMUNITY),  # a rate that is not a number, as 5.0
        ('c01913' + '00' * 19, Code.IPV6_EXTENDED_COMMUNITY),  # 7.15
        ('c0200b' + '00' * 11, Code.LARGE_COMMUNITY),  # RFC 8092 6
        ('c01604' + '00000000', Code.PMSI_TUNNEL),
    ],
)
def test_malformed_values_treat_as_withdraw(hexdata: str, code: int) -> None:
    parsed = parse(hexdata + MED_100 if code != Code.MED else hexdata)
    assert parsed.action == Action.TREAT_AS_WITHDRAW
    assert parsed.code == code
    assert parsed.reason
    assert code not in parsed.attributes
    if code != Code.MED:
        # parsing goes on after an attribute level fault
        assert parsed.attributes.get(Code.MED) == MED(100)


@pytest.mark.parametrize(
    ('hexdata', 'code', 'negotiated'),
    [
        ('400601' + '00', Code.ATOMIC_AGGREGATE, ASN4),  # 7.6
        ('c00706' + '00010a000001', Code.AGGREGATOR, ASN4),  # 7.7: six octets on a four-octet session
        ('c00708' + '000000010a000001', Code.AGGREGATOR, ASN2),
        ('c01104' + '02010001', Code.AS4_PATH, ASN2),  # RFC 6793 6: shorter than six octets
        ('c01107' + '02010000000100', Code.AS4_PATH, ASN2),  # odd length
        ('c01106' + '020000000001', Code.AS4_PATH, ASN2),  # zero length segment
        ('c01206' + '00010a000001', Code.AS4_AGGREGATOR, ASN2),
        ('801a03' + '010003', Code.AIGP, AIGP_ON),  # RFC 7311 3.2: no AIGP TLV
        ('801a0a' + '01000a00000000000000', Code.AIGP, AIGP_ON),  # TLV of the wrong length
        ('801a0d' + '01000b000000000000000a' + '0200', Code.AIGP, AIGP_ON),  # truncated TLV header
        ('801a0e' + '01000b000000000000000a' + '020002', Code.AIGP, AIGP_ON),  # TLV shorter than its header
    ],
)
def test_malformed_values_discard(hexdata: str, code: int, negotiated: Negotiated) -> None:
    parsed = parse(ORIGIN + hexdata + MED_100, negotiated)
    assert parsed.action == Action.DISCARD
    assert parsed.code == code
    assert parsed.discarded == (code,)
    assert parsed.error_json() == '"error": "discard"'
    assert list(parsed.attributes) == [Origin(IGP), MED(100)]


def test_the_worst_action_wins_and_both_errors_show() -> None:
    parsed = parse('40060100' + '40010103')
    assert parsed.action == Action.TREAT_AS_WITHDRAW
    assert parsed.code == Code.ORIGIN
    assert parsed.discarded == (Code.ATOMIC_AGGREGATE,)
    assert parsed.error_json() == '"error": "discard", "error": "treat-as-withdraw"'


# RFC 7606 3.c: flags in conflict with the type code are a malformed attribute


@pytest.mark.parametrize(
    ('hexdata', 'action'),
    [
        ('c0010100', Action.TREAT_AS_WITHDRAW),  # ORIGIN sent optional
        ('00010100', Action.TREAT_AS_WITHDRAW),  # ORIGIN sent non-transitive
        ('60010100', Action.TREAT_AS_WITHDRAW),  # Partial on a well-known attribute
        ('c0040400000064', Action.TREAT_AS_WITHDRAW),  # MED sent transitive
        ('80090401020304' + '', Action.NONE),
        ('c0090401020304', Action.TREAT_AS_WITHDRAW),  # ORIGINATOR_ID sent transitive
        ('800600', Action.DISCARD),  # ATOMIC_AGGREGATE sent optional
        ('400708' + '000000010a000001', Action.DISCARD),  # AGGREGATOR sent well-known
        ('c01a0b01000b000000000000000a', Action.DISCARD),  # AIGP sent transitive
    ],
)
def test_flags_errors_cost_what_a_malformed_value_costs(hexdata: str, action: Action) -> None:
    parsed = parse(hexdata, AIGP_ON)
    assert parsed.action == action
    if action != Action.NONE:
        assert hexdata[2:4] != '' and parsed.code == int(hexdata[2:4], 16)
        assert len(parsed.attributes) == 0


def test_flags_ignore_the_low_bits_extended_length_and_partial_on_optional() -> None:
    parsed = parse('4f010100' + '50050004' + '00000064' + 'e008040001' + '0002' + '8f04040000' + '0064')
    assert parsed.action == Action.NONE
    assert [str(value) for value in parsed.attributes] == ['igp', '100', '100', '1:2']


def test_partial_is_ignored_on_optional_non_transitive_as_5_0() -> None:
    assert parse('a0040400000064').action == Action.NONE


# RFC 7606 3.g: duplicates


def test_duplicates_keep_the_first() -> None:
    parsed = parse('40010101' + '40010102' + '40010103' + MED_100 + '80040400000001')
    assert parsed.action == Action.NONE
    assert str(parsed.attributes) == ' origin egp med 100'


@pytest.mark.parametrize('mp', [MP_REACH, MP_UNREACH])
def test_duplicate_mp_attributes_reset(mp: str) -> None:
    parsed = parse(mp + ORIGIN + mp)
    assert parsed.action == Action.RESET
    assert parsed.subcode == 1
    name = 'mp-reach-nlri' if mp == MP_REACH else 'mp-unreach-nlri'
    error = parsed.error()
    assert isinstance(error, PeerError)
    # RFC 4271 6.3: Malformed Attribute List carries no data; 5.0 sends its reason
    assert (error.code, error.subcode, error.data) == (3, 1, b'')
    assert error.chosen(True) == (1, f'multiple attribute for {name}'.encode())


@pytest.mark.parametrize('flags', ['c0', '00', '40', 'e0'])
def test_mp_attributes_with_wrong_flags_reset(flags: str) -> None:
    parsed = parse(flags + MP_REACH[2:])
    assert parsed.action == Action.RESET
    # RFC 4271 6.3: Attribute Flags Error with the attribute as data; 5.0: optional attribute error, text
    error = parsed.error()
    assert (error.code, error.subcode, error.data) == (3, 4, bytes.fromhex(flags + MP_REACH[2:]))
    five_subcode, five_data = error.chosen(True)
    assert five_subcode == 9
    assert five_data.startswith(b'invalid flag 0x')


@pytest.mark.parametrize('flags', ['90', 'b0'])
def test_mp_attributes_may_be_partial_or_extended(flags: str) -> None:
    # 5.0 ignores Partial on an optional attribute
    parsed = parse(flags + '0e000b' + MP_REACH[6:])
    assert parsed.action == Action.NONE
    assert parsed.mp_reach == bytes.fromhex(MP_REACH)[3:]


# RFC 4271 5 and 6.3: unknown attributes


def test_unknown_optional_transitive_is_kept_partial() -> None:
    parsed = parse('c0990400000064')
    assert list(parsed.attributes) == [Unknown(0x99, 0xE0, bytes.fromhex('00000064'))]
    assert parsed.attributes.pack(ASN4).endswith(bytes.fromhex('e0990400000064'))


def test_unknown_optional_transitive_keeps_extended_length_and_loses_the_low_bits() -> None:
    parsed = parse('d3990002abcd')
    assert list(parsed.attributes) == [Unknown(0x99, 0xF0, bytes.fromhex('abcd'))]


def test_unknown_optional_non_transitive_is_dropped() -> None:
    parsed = parse('80990400000064' + ORIGIN)
    assert parsed.action == Action.NONE
    assert list(parsed.attributes) == [Origin(IGP)]
    assert 0x99 in parsed.present


@pytest.mark.parametrize('flags', ['40', '60', '70', '00'])
def test_unknown_well_known_resets_with_the_attribute_as_data(flags: str) -> None:
    # 5.0 keeps a transitive one as a generic attribute; RFC 4271 6.3 wants 3/2 with the attribute
    attribute = flags + '99' + ('000400000064' if flags == '70' else '0400000064')
    parsed = parse(ORIGIN + attribute + MED_100)
    assert parsed.action == Action.RESET
    assert (parsed.subcode, parsed.data) == (2, bytes.fromhex(attribute))
    assert parsed.code == 0x99


def test_bgp_ls_and_tunnel_encapsulation_pass_through_raw_for_now() -> None:
    parsed = parse('801d0401020304' + 'c0170400000000')
    assert [value.CODE for value in parsed.attributes] == [0x17]


# AIGP is only accepted where configured, as 5.0


def test_aigp_is_ignored_unless_configured() -> None:
    assert len(parse('801a0b01000b000000000000000a', ASN4).attributes) == 0
    assert len(parse('801a03010003', ASN4).attributes) == 0
    assert str(parse('801a0b01000b000000000000000a', AIGP_ON).attributes) == ' aigp 0x000000000000000a'


def test_aigp_ignores_other_tlvs_and_takes_the_first_aigp_tlv() -> None:
    parsed = parse('801a19' + '020003' + '01000b0000000000000005' + '01000b0000000000000007', AIGP_ON)
    assert str(parsed.attributes) == ' aigp 0x0000000000000005'
    assert parsed.attributes.pack(AIGP_ON).endswith(bytes.fromhex('801a0b01000b0000000000000005'))


def test_parse_accepts_memoryview_and_bytearray() -> None:
    data = bytes.fromhex(ORIGIN + '400600')
    for form in (memoryview(data), bytearray(data)):
        assert list(parse_attributes(form, ASN4).attributes) == [Origin(IGP), ATOMIC_AGGREGATE]  # type: ignore[arg-type]


# RFC 7606 7.5, 7.9, 7.10: LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST from an external peer are discarded
LOCAL_PREF_200 = '400504000000c8'
ORIGINATOR_ID = '80090401020304'
CLUSTER_LIST = '800a040a0a0a0a'


@pytest.mark.parametrize(
    ('wire', 'code'),
    [(LOCAL_PREF_200, Code.LOCAL_PREF), (ORIGINATOR_ID, Code.ORIGINATOR_ID), (CLUSTER_LIST, Code.CLUSTER_LIST)],
)
def test_internal_attributes_from_an_external_peer_are_discarded(wire: str, code: int) -> None:
    external = Negotiated(local_as=65000, peer_as=65001, asn4=True)
    parsed = parse(ORIGIN + wire + MED_100, external)
    assert parsed.action == Action.DISCARD
    assert parsed.discarded == (code,)
    assert list(parsed.attributes) == [Origin(IGP), MED(100)]
    assert 'external peer' in parsed.reason
    # the same attribute from an internal peer is kept
    internal = Negotiated(local_as=65000, peer_as=65000, asn4=True)
    kept = parse(ORIGIN + wire + MED_100, internal)
    assert kept.action == Action.NONE
    assert [attribute.CODE for attribute in kept.attributes] == sorted([Code.ORIGIN, code, Code.MED])
