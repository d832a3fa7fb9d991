"""MUP NLRI (draft-mpmz-bess-mup-safi): wire, JSON and text against ExaBGP 5.0.15, the configuration
and API grammar, and the malformed forms that are an Invalid Network Field.

The wire of the routes below is what 5.0.15 sends for the same words (the reference case
conf-srv6-mup); the JSON and text are 5.0.15's (its MUP unpack_nlri, json and str), except that a
Type 1 route's JSON gets the comma and the empty source 5.0.15 leaves out (`FIXED`).
"""

import json
from ipaddress import IPv4Address, IPv6Address

import pytest

from exabgp.api.command import Routes, parse
from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.mup import MUP
from exabgp.bgp.nlri.table import TABLE
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.route import mup
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.tokenizer import tokenize

IPV4_MUP = Family(AFI.IPV4, SAFI.MUP)
IPV6_MUP = Family(AFI.IPV6, SAFI.MUP)
FIXED = True

# (family, words, NLRI wire, 5.0's JSON, 5.0's text, deviates)
ROUTES = [
    (
        IPV4_MUP,
        'mup-isd 10.0.1.0/24 rd 100:100',
        '0100010c0000006400000064180a0001',
        '{ "name": "InterworkSegmentDiscoveryRoute", "arch": 1, "code": 1, "prefix_ip_len": 24, '
        '"prefix_ip": "10.0.1.0", "rd": "100:100", "raw": "0100010C0000006400000064180A0001" }',
        'mup:isd::100:100:10.0.1.0/24',
        False,
    ),
    (
        IPV4_MUP,
        'mup-dsd 10.0.0.1 rd 100:100',
        '0100020c00000064000000640a000001',
        '{ "name": "DirectSegmentDiscoveryRoute", "arch": 1, "code": 2, "ip": "10.0.0.1", "rd": "100:100", '
        '"raw": "0100020C00000064000000640A000001" }',
        'mup:dsd::100:100:10.0.0.1',
        False,
    ),
    (
        IPV4_MUP,
        'mup-t1st 192.168.0.1/32 rd 100:100 teid 12345 qfi 9 endpoint 10.0.0.1',
        '01000317000000640000006420c0a800010000303909200a000001',
        '{ "name": "Type1SessionTransformedRoute", "arch": 1, "code": 3, "prefix_ip_len": 32, '
        '"prefix_ip": "192.168.0.1", "teid": "12345", "qfi": "9", "rd": "100:100", "endpoint_ip_len": 32, '
        '"endpoint_ip": "10.0.0.1", "source_ip_len": 0, "source_ip": "", '
        '"raw": "01000317000000640000006420C0A800010000303909200A000001" }',
        'mup:t1st::100:100:192.168.0.1/32:12345:9:10.0.0.1/32',
        FIXED,
    ),
    (
        IPV4_MUP,
        'mup-t1st 192.168.0.0/24 rd 100:100 teid 1 qfi 2 endpoint 10.0.0.1 source 10.0.0.9',
        '0100031b000000640000006418c0a8000000000102200a000001200a000009',
        '{ "name": "Type1SessionTransformedRoute", "arch": 1, "code": 3, "prefix_ip_len": 24, '
        '"prefix_ip": "192.168.0.0", "teid": "1", "qfi": "2", "rd": "100:100", "endpoint_ip_len": 32, '
        '"endpoint_ip": "10.0.0.1", "source_ip_len": 32, "source_ip": "10.0.0.9", '
        '"raw": "0100031B000000640000006418C0A8000000000102200A000001200A000009" }',
        'mup:t1st::100:100:192.168.0.0/24:1:2:10.0.0.1/24:10.0.0.9/32',
        FIXED,
    ),
    (
        IPV4_MUP,
        'mup-t2st 10.0.0.1 rd 100:100 teid 12345/23',
        '010004100000006400000064370a000001003039',
        '{ "name": "Type2SessionTransformedRoute",  "arch": 1, "code": 4, "endpoint_len": 55, '
        '"endpoint_ip": "10.0.0.1", "rd": "100:100", "teid": "12345", "raw": "010004100000006400000064370A000001003039" }',
        'mup:t2st::100:100:55:10.0.0.1:12345:',
        False,
    ),
    (
        IPV4_MUP,
        'mup-t2st 10.0.0.1 rd 100:100 teid 0/0',
        '0100040d0000006400000064200a000001',
        '{ "name": "Type2SessionTransformedRoute",  "arch": 1, "code": 4, "endpoint_len": 32, '
        '"endpoint_ip": "10.0.0.1", "rd": "100:100", "teid": "0", "raw": "0100040D0000006400000064200A000001" }',
        'mup:t2st::100:100:32:10.0.0.1:0:',
        False,
    ),
    (
        IPV6_MUP,
        'mup-isd 2001::/64 rd 100:100',
        '010001110000006400000064402001000000000000',
        '{ "name": "InterworkSegmentDiscoveryRoute", "arch": 1, "code": 1, "prefix_ip_len": 64, '
        '"prefix_ip": "2001::", "rd": "100:100", "raw": "010001110000006400000064402001000000000000" }',
        'mup:isd::100:100:2001::/64',
        False,
    ),
    (
        IPV6_MUP,
        'mup-t2st 2001::1 rd 100:100 teid 12345/32',
        '0100041d0000006400000064a02001000000000000000000000000000100003039',
        '{ "name": "Type2SessionTransformedRoute",  "arch": 1, "code": 4, "endpoint_len": 160, '
        '"endpoint_ip": "2001::1", "rd": "100:100", "teid": "12345", '
        '"raw": "0100041D0000006400000064A02001000000000000000000000000000100003039" }',
        'mup:t2st::100:100:160:2001::1:12345:',
        False,
    ),
]


def _configured(family: Family, words: str) -> MUP:
    cursor = Cursor(tokenize(words), 0)
    made = mup.nlri(cursor, TABLE[family])
    cursor.done()
    return made


@pytest.mark.parametrize(('family', 'words', 'wire', 'as_json', 'text', 'deviates'), ROUTES, ids=[r[1] for r in ROUTES])
def test_route(family: Family, words: str, wire: str, as_json: str, text: str, deviates: bool) -> None:
    made = _configured(family, words)
    assert made.pack(False).hex() == wire
    (decoded,) = MUP.unpack_all(family, bytes.fromhex(wire), False)
    assert decoded == made
    assert decoded.json() == as_json
    json.loads(as_json)
    assert str(decoded) == text
    assert _configured(family, mup.text(decoded)) == decoded


def test_type_1_routes_are_filed_by_distinguisher_and_prefix() -> None:
    first = _configured(IPV4_MUP, 'mup-t1st 192.168.0.1/32 rd 100:100 teid 1 qfi 9 endpoint 10.0.0.1')
    second = _configured(IPV4_MUP, 'mup-t1st 192.168.0.1/32 rd 100:100 teid 2 qfi 8 endpoint 10.0.0.2')
    other = _configured(IPV4_MUP, 'mup-t1st 192.168.0.1/32 rd 100:101 teid 1 qfi 9 endpoint 10.0.0.1')
    assert first.index() == second.index() != other.index()
    isd = _configured(IPV4_MUP, 'mup-isd 10.0.1.0/24 rd 100:100')
    assert isd.index() != _configured(IPV4_MUP, 'mup-isd 10.0.1.0/24 rd 100:101').index()


def test_an_unknown_route_type_is_kept() -> None:
    (route,) = MUP.unpack_all(IPV4_MUP, bytes.fromhex('02000903010203'), False)
    assert (route.arch, route.code, route.data) == (2, 9, b'\x01\x02\x03')
    assert route.json() == '{ "arch": 2, "code": 9, "raw": "02000903010203" }'
    assert str(route) == 'mup:unknown:0x010203'
    assert route.pack(False).hex() == '02000903010203'


def test_several_routes_and_a_path_identifier() -> None:
    wire = bytes.fromhex('0100020c00000064000000640a000001' + '02000900')
    assert len(MUP.unpack_all(IPV4_MUP, wire, False)) == 2
    (route,) = MUP.unpack_all(IPV4_MUP, bytes.fromhex('00000007' + '02000900'), True)
    assert route.path_id == 7


MALFORMED = [
    (IPV4_MUP, '010001', 'header truncated'),
    (IPV4_MUP, '0100010d0000006400000064180a0001', 'overruns the field'),
    (IPV4_MUP, '0100010c0000006400000064210a0001', 'isd prefix longer than the address'),
    (IPV4_MUP, '0100010c0000006400000064100a0001', 'isd length does not match'),
    (IPV4_MUP, '0100020b00000064000000640a0000', 'dsd address of 3 octets'),
    (IPV4_MUP, '01000316000000640000006420c0a800010000303909200a0000', 't1st endpoint cut'),
    (IPV4_MUP, '01000317000000640000006420c0a800010000303909210a000001', 't1st endpoint of 33 bits'),
    (IPV4_MUP, '01000319000000640000006420c0a800010000303909200a0000012000', 't1st source cut'),
    (IPV4_MUP, '0100040d0000006400000064410a000001', 't2st endpoint longer than 64 bits'),
    (IPV4_MUP, '0100040e0000006400000064200a00000101', 't2st TEID octets without TEID bits'),
    (IPV6_MUP, '0100040d0000006400000064200a000001', 't2st IPv4 endpoint in IPv6'),
    (IPV4_MUP, '0100030800000064000000640a', 'shorter than a distinguisher and a length'),
]


@pytest.mark.parametrize(('family', 'wire', 'why'), MALFORMED, ids=[m[2] for m in MALFORMED])
def test_malformed(family: Family, wire: str, why: str) -> None:
    with pytest.raises(Malformed) as raised:
        MUP.unpack_all(family, bytes.fromhex(wire), False)
    assert raised.value.subcode == INVALID_NETWORK_FIELD


def test_every_cut_or_corruption_is_malformed_or_routes() -> None:
    for _, _, wire, _, _, _ in ROUTES:
        data = bytes.fromhex(wire)
        for family in (IPV4_MUP, IPV6_MUP):
            for cut in range(len(data)):
                for chunk in (data[:cut], data[:cut] + bytes((data[cut] ^ 0xFF,)) + data[cut + 1 :]):
                    try:
                        routes = MUP.unpack_all(family, chunk, False)
                    except Malformed:
                        continue
                    for route in routes:
                        json.loads(route.json())
                        str(route)
                        assert route.pack(False) in chunk


REFUSED = [
    (IPV4_MUP, 'mup-xyz 10.0.0.0/24 rd 1:1', 'not a MUP route type'),
    (IPV4_MUP, 'mup-isd 2001::/64 rd 1:1', 'not an IPv4 prefix'),
    (IPV6_MUP, 'mup-dsd 10.0.0.1 rd 1:1', 'not a valid IPv6 address'),
    (IPV4_MUP, 'mup-isd 10.0.0.0/24 route-distinguisher 1:1', "expected 'rd'"),
    (IPV4_MUP, 'mup-t1st 10.0.0.0/24 rd 1:1 teid 4294967296 qfi 1 endpoint 10.0.0.1', 'not a valid teid'),
    (IPV4_MUP, 'mup-t1st 10.0.0.0/24 rd 1:1 teid 1 qfi 256 endpoint 10.0.0.1', 'not a valid qfi'),
    (IPV4_MUP, 'mup-t2st 10.0.0.1 rd 1:1 teid 12345', 'expecting <teid>/<length>'),
    (IPV4_MUP, 'mup-t2st 10.0.0.1 rd 1:1 teid 1/33', 'the length must be 0 to 32'),
    (IPV4_MUP, 'mup-t2st 10.0.0.1 rd 1:1 teid 12345/0', 'does not fit in 0 bits'),
]


@pytest.mark.parametrize(('family', 'words', 'error'), REFUSED, ids=[r[1] for r in REFUSED])
def test_configuration_errors(family: Family, words: str, error: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _configured(family, words)
    assert error in raised.value.message


def test_api_announce_and_withdraw() -> None:
    builder = Builder()
    command = parse(
        'announce ipv6 mup mup-t2st 2001::1 rd 100:100 teid 12345/32 next-hop 10.0.0.2 '
        'extended-community [ target:10:10 mup:10:10 ]',
        builder,
    )
    assert isinstance(command, Routes)
    (route,) = command.routes
    # 5.0 sends the IPv4 next hop of an IPv6 MUP route as its IPv4-mapped address
    assert route.nexthop == IPv6Address('::ffff:10.0.0.2')
    assert str(route.nlri) == 'mup:t2st::100:100:160:2001::1:12345:'
    command = parse(
        'announce ipv4 mup mup-isd 10.0.1.0/24 rd 100:100 next-hop 2001::1 '
        'bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x48 [64,24,16,0,0,0] )',
        builder,
    )
    assert isinstance(command, Routes)
    assert command.routes[0].nexthop == IPv6Address('2001::1')
    assert 'bgp-prefix-sid' in str(command.routes[0].attributes)
    withdrawn = parse('withdraw ipv4 mup mup-isd 10.0.1.0/24 rd 100:100', builder)
    assert isinstance(withdrawn, Routes) and withdrawn.withdraw
    assert withdrawn.routes[0].nlri.index() == command.routes[0].nlri.index()
    with pytest.raises(ValueError, match='missing next-hop'):
        parse('announce ipv4 mup mup-isd 10.0.1.0/24 rd 100:100', builder)
    assert IPv4Address('10.0.0.2')
