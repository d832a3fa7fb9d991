"""The BGP Prefix-SID attribute (RFC 8669, RFC 9252): wire, JSON and text against ExaBGP 5.0.15, the
configuration grammar, and RFC 7606 attribute discard for every malformed form.

The wire, JSON and text of the valid vectors were produced by 5.0.15 (its PrefixSid unpack, json and
str, and `exabgp decode` for the UPDATEs), except where 5.0.15 is wrong: it writes the SID and the
endpoint behaviour of an SID Information as the literal `"%s"` and `%d`, always says flags 0, and
writes nothing for an unknown sub-TLV (JSON that does not parse); `FIXED` marks those vectors.
"""

import json
from ipaddress import IPv6Address

import pytest

from exabgp.bgp.attribute.attributes import parse_attributes
from exabgp.bgp.attribute.base import Action, Code
from exabgp.bgp.attribute.prefixsid import (
    L3_SERVICE,
    Generic,
    LabelIndex,
    OriginatorSRGB,
    PrefixSID,
    Service,
    SIDInformation,
    SIDStructure,
)
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.route import prefixsid
from exabgp.configuration.tokenizer import tokenize

SESSION = Negotiated(local_as=65533, peer_as=65533, asn4=True)
STRUCTURE = (
    '"structure": {"locator-block-length": 64, "locator-node-length": 24, "function-length": 16, '
    '"argument-length": 0, "transposition-length": 0, "transposition-offset": 0}'
)
L3_WIRE = 'c028250500220001001e0020010db800010001000000000000000000004800010006401810000000'
L2_WIRE = 'c0281c06001900010015002001000500000000000000000000000000ffff00'
ODD_WIRE = 'c0282f05002c000100240020010db8000100010000000000000000120013000900030a0b0c01000640181000000007000199'
FIXED = True

# (wire of the whole attribute, JSON value, text value, deviates from 5.0.15)
VECTORS = [
    ('c0280a01000700000000000309', '{ "sr-label-index": 777 }', '[ 777 ]', False),
    (
        'c0281b0100070000000000012c03000e00000c35000010000f4240001388',
        '{ "sr-label-index": 300, "sr-srgbs": [[800000, 4096], [1000000, 5000]] }',
        '[ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]',
        False,
    ),
    (
        L3_WIRE,
        '{ "l3-service": [ { "sid": "2001:db8:1:1::", "flags": 0, "endpoint_behavior": 72, ' + STRUCTURE + ' } ] }',
        '[ l3-service [ sid-information [ sid:2001:db8:1:1:: flags:0 endpoint_behavior:0x48  '
        '[ sid-structure [64,24,16,0,0,0] ] ] ]',
        FIXED,
    ),
    (
        L2_WIRE,
        '{ "l2-service": [ { "sid": "2001:5::", "flags": 0, "endpoint_behavior": 65535 } ] }',
        '[ l2-service [ sid-information [ sid:2001:5:: flags:0 endpoint_behavior:0xffff  ] ]',
        FIXED,
    ),
    (
        ODD_WIRE,
        '{ "l3-service": [ { "sid": "2001:db8:1:1::", "flags": 18, "endpoint_behavior": 19, '
        '"generic-sub-sub-tlv-9": "0x0A0B0C", ' + STRUCTURE + ' }, { "generic-sub-tlv-7": "0x99" } ] }',
        '[ l3-service [ sid-information [ sid:2001:db8:1:1:: flags:18 endpoint_behavior:0x13  '
        '[ SRv6 Service Data Sub-Sub-TLV type 9 not implemented, sid-structure [64,24,16,0,0,0] ], '
        'SRv6 Service Sub-TLV type 7 not implemented ] ]',
        FIXED,
    ),
    (
        'c028050700020102',
        '{ "attribute-not-implemented-7": "0x0102" }',
        '[ Attribute with code [ 7 ] not implemented ]',
        False,
    ),
]


def _decoded(wire: str) -> PrefixSID:
    parsed = parse_attributes(bytes.fromhex(wire), SESSION)
    assert parsed.action == Action.NONE, parsed.reason
    value = parsed.attributes[Code.BGP_PREFIX_SID]
    assert isinstance(value, PrefixSID)
    return value


@pytest.mark.parametrize(('wire', 'as_json', 'text', 'deviates'), VECTORS, ids=[v[0][6:30] for v in VECTORS])
def test_wire_json_and_text(wire: str, as_json: str, text: str, deviates: bool) -> None:
    value = _decoded(wire)
    assert value.pack(SESSION).hex() == wire
    assert value.json() == as_json
    json.loads(as_json)
    assert str(value) == text
    assert value.text() == f'bgp-prefix-sid {text}'


def test_built_values_pack_to_5_0s_bytes() -> None:
    sid = IPv6Address('2001:db8:1:1::')
    l3 = PrefixSID.make((Service(L3_SERVICE, (SIDInformation(sid, 0x48, 0, (SIDStructure((64, 24, 16, 0, 0, 0)),)),)),))
    assert l3.pack(SESSION).hex() == L3_WIRE
    assert l3 == _decoded(L3_WIRE)
    index = PrefixSID.make((LabelIndex(300), OriginatorSRGB(((800000, 4096), (1000000, 5000)))))
    assert index == _decoded(VECTORS[1][0])
    with pytest.raises(ValueError):
        PrefixSID.make(())


def test_a_repeated_label_index_or_srgb_is_dropped_and_not_sent_on() -> None:
    index = '01000700000000000309'
    again = '010007' + '000000' + '000004d2'
    srgb = '0300080000000001000002'
    unknown = '0700020102'
    value = index + srgb + again + srgb + unknown
    wire = f'c028{len(value) // 2:02x}{value}'
    decoded = _decoded(wire)
    assert decoded.tlvs == (LabelIndex(777), OriginatorSRGB(((1, 2),)), Generic(7, b'\x01\x02'))
    assert decoded.pack(SESSION).hex() == f'c028{(len(index + srgb + unknown)) // 2:02x}' + index + srgb + unknown


MALFORMED = [
    ('', 'no TLV'),
    ('01', 'TLV header truncated'),
    ('0100080000000000000309', 'TLV overruns'),
    ('010006000000000003', 'label index of 6 octets'),
    ('0300020000', 'SRGB without a range'),
    ('0300070000000001000002', 'SRGB not 2 + 6n'),
    ('050000', 'service without its reserved octet'),
    ('05000300010000', 'SID information sub-TLV too short'),
    ('050004000100', 'sub-TLV header truncated'),
    (L3_WIRE[6:-2] + '00', 'structure of 6 octets cut'),
]


@pytest.mark.parametrize(('value', 'why'), MALFORMED, ids=[m[1] for m in MALFORMED])
def test_malformed_is_attribute_discard(value: str, why: str) -> None:
    if why == 'structure of 6 octets cut':
        # the same SRv6 TLV, its SID Structure sub-sub-TLV claiming 7 octets it does not have
        value = value.replace('010006', '010007')
    wire = f'c028{len(value) // 2:02x}{value}' + '40010100'
    parsed = parse_attributes(bytes.fromhex(wire), SESSION)
    assert parsed.action == Action.DISCARD, why
    assert parsed.discarded == (Code.BGP_PREFIX_SID,)
    assert [attribute.CODE for attribute in parsed.attributes] == [Code.ORIGIN]


def test_any_truncation_or_corruption_is_discard_or_a_value() -> None:
    for wire in (L3_WIRE, ODD_WIRE, L2_WIRE, VECTORS[1][0]):
        value = bytes.fromhex(wire)[3:]
        for cut in range(len(value)):
            for chunk in (value[:cut], value[:cut] + b'\xff' + value[cut + 1 :]):
                field = bytes((0xC0, 0x28, len(chunk))) + chunk
                parsed = parse_attributes(field, SESSION)
                assert parsed.action in (Action.NONE, Action.DISCARD)
                if parsed.action == Action.NONE:
                    found = parsed.attributes[Code.BGP_PREFIX_SID]
                    json.loads(found.json())
                    assert found.pack(SESSION) == field


# the configuration: 5.0's words -> 5.0's bytes (its static/mpls.py parsers and PrefixSid.pack)
CONFIGURED = [
    ('bgp-prefix-sid [ 777 ]', 'c0280a01000700000000000309'),
    ('bgp-prefix-sid [777]', 'c0280a01000700000000000309'),
    (
        'bgp-prefix-sid [ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]',
        'c0281b0100070000000000012c03000e00000c35000010000f4240001388',
    ),
    ('bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x48 [64,24,16,0,0,0] )', L3_WIRE),
    ('bgp-prefix-sid-srv6 ( l2-service 2001:5:0:0:: )', L2_WIRE),
    (
        'bgp-prefix-sid-srv6 ( l2-service 2001:6:0:0:: 0x15 [48,16,0,0,16,64] )',
        'c028250600220001001e002001000600000000000000000000000000001500010006301000001040',
    ),
    (
        'bgp-prefix-sid-srv6 ( l3-service 2001:2:0:0:: 19 )',
        'c0281c05001900010015002001000200000000000000000000000000001300',
    ),
]


def _configured(words: str) -> PrefixSID:
    cursor = Cursor(tokenize(words))
    parse = prefixsid.prefix_sid if cursor.words[0] == 'bgp-prefix-sid' else prefixsid.prefix_sid_srv6
    value = parse(cursor)
    cursor.done()
    return value


@pytest.mark.parametrize(('words', 'wire'), CONFIGURED)
def test_configuration_words_pack_to_5_0s_bytes(words: str, wire: str) -> None:
    assert _configured(words).pack(SESSION).hex() == wire


REFUSED = [
    ('bgp-prefix-sid 777', "expected '['"),
    ('bgp-prefix-sid [ 4294967296 ]', 'not a valid label index'),
    ('bgp-prefix-sid [ 1, [ ( 16777216,1 ) ] ]', 'not a valid SRGB base'),
    ('bgp-prefix-sid [ 1, [ ( 1,2 ]', "expected ')'"),
    ('bgp-prefix-sid [ 1', "missing ']'"),
    ('bgp-prefix-sid [ 1 x ]', "unexpected 'x'"),
    ('bgp-prefix-sid-srv6 l3-service 2001::', "expected '('"),
    ('bgp-prefix-sid-srv6 ( l4-service 2001:: )', "'l3-service' or 'l2-service'"),
    ('bgp-prefix-sid-srv6 ( l3-service 10.0.0.1 )', 'not a valid SRv6 SID'),
    ('bgp-prefix-sid-srv6 ( l3-service 2001:: 0x10000 )', 'not a valid endpoint behavior'),
    ('bgp-prefix-sid-srv6 ( l3-service 2001:: 1 [1,2,3,4,5] )', "expected ','"),
    ('bgp-prefix-sid-srv6 ( l3-service 2001:: 1 [1,2,3,4,5,256] )', 'not a valid SID structure length'),
    ('bgp-prefix-sid-srv6 ( l3-service 2001:: 1', "expected ')'"),
]


@pytest.mark.parametrize(('words', 'error'), REFUSED)
def test_configuration_errors(words: str, error: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _configured(words)
    assert error in raised.value.message


@pytest.mark.parametrize(('words', 'wire'), CONFIGURED)
def test_dump_writes_words_reading_back_the_same_value(words: str, wire: str) -> None:
    value = _configured(words)
    assert _configured(prefixsid.text(value)) == value


def test_dump_of_a_received_value_no_grammar_writes_is_the_generic_attribute() -> None:
    value = _decoded(ODD_WIRE)
    assert prefixsid.text(value) == f'attribute [ 0x28 0xc0 0x{ODD_WIRE[6:]} ]'
