"""EVPN NLRI (RFC 7432, RFC 9136): each route type decoded to 5.0.15's JSON and text, packed back to
the received octets, the malformed routes 5.0 refuses refused, fuzzing, and the MP_REACH_NLRI next
hops we take for the family."""

from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.attribute.mp import MPReach, Unparsable
from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.evpn import EVPN
from exabgp.bgp.nlri.table import codec

L2VPN_EVPN = Family(AFI.L2VPN, SAFI.EVPN)
RD = '0000fde800000064'  # 65000:100
ESI = '00112233445566778899'
MAC = '0a1b2c3d4e5f'

# (NLRI hex, JSON and text): the JSON is what `exabgp decode` (5.0.15) printed for these routes in an
# UPDATE; the text is 5.0.15's str() of the route
GOLDEN = [
    (
        '01190001c000020100010011223344556677889900000000000641',
        '{ "code": 1, "parsed": true, "raw": "01190001C000020100010011223344556677889900000000000641", "name": "Ethernet Auto-Discovery", "rd": "192.0.2.1:1", "esi": "00:11:22:33:44:55:66:77:88:99", "ethernet-tag": 0, "label": [ [100, 1601] ] }',
        'evpn:ethernetad::192.0.2.1:1:00:11:22:33:44:55:66:77:88:99:0: label 100 (1601)',
    ),
    (
        '01160002fa56ea000009050000fde8000001f40000000005',
        '{ "code": 1, "parsed": true, "raw": "01160002FA56EA000009050000FDE8000001F40000000005", "name": "Ethernet Auto-Discovery", "rd": "4200000000:9", "esi": "05:00:00:fd:e8:00:00:01:f4:00", "ethernet-tag": 5 }',
        'evpn:ethernetad::4200000000:9:05:00:00:fd:e8:00:00:01:f4:00:5:',
    ),
    (
        '02250000fde800000064000000000000000000000000000a300a1b2c3d4e5f200a010203013881',
        '{ "code": 2, "parsed": true, "raw": "02250000FDE800000064000000000000000000000000000A300A1B2C3D4E5F200A010203013881", "name": "MAC/IP advertisement", "rd": "65000:100", "esi": "-", "ethernet-tag": 10, "mac": "0A:1B:2C:3D:4E:5F", "label": [ [5000, 80001] ], "ip": "10.1.2.3" }',
        'evpn:macadv::65000:100:-:10:0A:1B:2C:3D:4E:5F/48:10.1.2.3: label 5000 (80001)',
    ),
    (
        '02210000fde8000000640011223344556677889900000000300a1b2c3d4e5f00000000',
        '{ "code": 2, "parsed": true, "raw": "02210000FDE8000000640011223344556677889900000000300A1B2C3D4E5F00000000", "name": "MAC/IP advertisement", "rd": "65000:100", "esi": "00:11:22:33:44:55:66:77:88:99", "ethernet-tag": 0, "mac": "0A:1B:2C:3D:4E:5F", "label": [ [0] ] }',
        'evpn:macadv::65000:100:00:11:22:33:44:55:66:77:88:99:0:0A:1B:2C:3D:4E:5F/48:: label 0',
    ),
    (
        '031d0000fde800000064000000008020010db8000000000000000000000010',
        '{ "code": 3, "parsed": true, "raw": "031D0000FDE800000064000000008020010DB8000000000000000000000010", "name": "Inclusive Multicast Ethernet Tag", "rd": "65000:100", "ethernet-tag": 0, "ip": "2001:db8::10" }',
        'evpn:multicast::65000:100:0:2001:db8::10',
    ),
    (
        '04170001c000020200000011223344556677889920c0000202',
        '{ "code": 4, "parsed": true, "raw": "04170001C000020200000011223344556677889920C0000202", "name": "Ethernet Segment", "rd": "192.0.2.2:0", "esi": "00:11:22:33:44:55:66:77:88:99", "ip": "192.0.2.2" }',
        'evpn:segment::192.0.2.2:0:00:11:22:33:44:55:66:77:88:99:192.0.2.2',
    ),
    (
        '05220000fde8000000640000000000000000000000000000100a0a0000000000000271a1',
        '{ "code": 5, "parsed": true, "raw": "05220000FDE8000000640000000000000000000000000000100A0A0000000000000271A1", "name": "IP Prefix Advertisement", "rd": "65000:100", "esi": "-", "ethernet-tag": 0, "label": [ [10010, 160161] ], "ip": "10.10.0.0", "iplen": 16, "gateway": "0.0.0.0" }',
        'evpn:prfxadv::65000:100:-:0:10.10.0.0/16:0.0.0.0: label 10010 (160161)',
    ),
    (
        '09090001c0000201000100',
        '{ "code": 9, "parsed": false, "raw": "09090001C0000201000100" }',
        'evpn:unknown:0x0001c0000201000100',
    ),
]


@pytest.mark.parametrize(('wire', 'json', 'text'), GOLDEN)
def test_golden(wire: str, json: str, text: str) -> None:
    (nlri,) = EVPN.unpack_all(L2VPN_EVPN, bytes.fromhex(wire), False)
    assert nlri.json() == json
    assert str(nlri) == text
    assert nlri.pack(False).hex() == wire


def test_the_family_row_names_the_codec() -> None:
    assert codec(L2VPN_EVPN) is EVPN


def test_several_routes_and_path_identifiers() -> None:
    routes = bytes.fromhex(GOLDEN[0][0] + GOLDEN[4][0])
    assert [nlri.code for nlri in EVPN.unpack_all(L2VPN_EVPN, routes, False)] == [1, 3]
    with_paths = bytes.fromhex('00000007' + GOLDEN[0][0] + '00000008' + GOLDEN[4][0])
    found = EVPN.unpack_all(L2VPN_EVPN, with_paths, True)
    assert [nlri.path_id for nlri in found] == [7, 8]
    assert b''.join(nlri.pack(True) for nlri in found) == with_paths
    # the path identifier makes another route in a RIB, and 5.0 shows none in JSON
    assert found[0].index() != EVPN.unpack_all(L2VPN_EVPN, bytes.fromhex(GOLDEN[0][0]), False)[0].index()
    assert 'path' not in found[0].json()


@pytest.mark.parametrize(
    ('wire', 'reason'),
    [
        ('01', 'ends inside an EVPN route type'),
        ('0130' + '00' * 10, 'truncated'),
        ('0115' + '00' * 21, 'too short'),  # type 1 needs 22 octets
        ('0118' + '00' * 24, 'truncated label stack'),
        ('0221' + RD + '00' * 14 + '18' + MAC + '00' + '000001', 'MAC Address length'),
        ('0221' + RD + '00' * 14 + '30' + MAC + '18' + '000001', 'IP field length'),
        ('0222' + RD + '00' * 14 + '30' + MAC + '00' + '00000100', 'expecting 33 or 36'),
        ('030d' + RD + '00000000' + '18', r'expecting 32 \(IPv4\) or 128'),
        ('0311' + RD + '00000000' + '80' + '00000000', 'expecting 29'),
        ('0413' + RD + '00' * 10 + '40', r'expecting 32 \(IPv4\) or 128'),
        ('0523' + '00' * 35, r'expecting 34 \(IPv4\) or 58'),
    ],
)
def test_malformed_routes_are_refused(wire: str, reason: str) -> None:
    with pytest.raises(Malformed, match=reason):
        EVPN.unpack_all(L2VPN_EVPN, bytes.fromhex(wire), False)


def test_a_path_identifier_cut_short_is_refused() -> None:
    with pytest.raises(Malformed, match='path identifier'):
        EVPN.unpack_all(L2VPN_EVPN, b'\x00\x00\x01', True)


@given(st.binary(max_size=80), st.booleans())
def test_only_malformed_escapes_the_decoder(data: bytes, addpath: bool) -> None:
    try:
        found = EVPN.unpack_all(L2VPN_EVPN, data, addpath)
    except Malformed:
        return
    assert b''.join(nlri.pack(addpath) for nlri in found) == data
    for nlri in found:
        nlri.json()
        str(nlri)


@given(st.sampled_from([wire for wire, _, _ in GOLDEN]), st.integers(0, 40), st.integers(0, 255))
def test_mutated_routes_decode_or_are_malformed(wire: str, where: int, value: int) -> None:
    data = bytearray.fromhex(wire)
    data[where % len(data)] = value
    try:
        found = EVPN.unpack_all(L2VPN_EVPN, bytes(data), False)
    except Malformed:
        return
    for nlri in found:
        nlri.json()
        str(nlri)


SESSION = Negotiated(local_as=65000, peer_as=65000, asn4=True, families=(L2VPN_EVPN,))


def _reach(nexthop: str) -> bytes:
    hop = bytes.fromhex(nexthop)
    return bytes.fromhex('001946') + bytes((len(hop),)) + hop + b'\x00' + bytes.fromhex(GOLDEN[4][0])


def test_next_hops_of_either_afi() -> None:
    # RFC 7432 7: an IPv4 or IPv6 address; 5.0.15 takes only 4 octets for l2vpn evpn
    assert MPReach.unpack(_reach('c0000201'), SESSION).nexthop == IPv4Address('192.0.2.1')
    v6 = MPReach.unpack(_reach('20010db8000000000000000000000001'), SESSION)
    assert v6.nexthop == IPv6Address('2001:db8::1') and v6.link_local is None
    both = MPReach.unpack(_reach('20010db8000000000000000000000001fe800000000000000000000000000001'), SESSION)
    assert both.link_local == IPv6Address('fe80::1')
    assert both.pack_value(SESSION) == _reach('20010db8000000000000000000000001fe800000000000000000000000000001')
    with pytest.raises(Unparsable, match='next-hop length 8'):
        MPReach.unpack(_reach('c0000201c0000202'), SESSION)


def test_a_malformed_route_makes_the_attribute_unparsable_for_the_family() -> None:
    value = bytes.fromhex('00194604c000020100') + bytes.fromhex('0523') + bytes(35)
    with pytest.raises(Unparsable) as caught:
        MPReach.unpack(value, SESSION)
    assert caught.value.family == L2VPN_EVPN
