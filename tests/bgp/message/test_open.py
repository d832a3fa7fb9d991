"""OPEN: golden messages both ways, the optional parameter forms, and 5.0's errors.

The error vectors (body, code, subcode, data) are what ExaBGP 5.0.15's Open.unpack_message raised
for the same bodies.
"""

from ipaddress import IPv4Address

import pytest

from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.refresh import RouteRefresh
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.capability.unknown import UnknownCapability
from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message.header import check
from exabgp.bgp.message.open import AS_TRANS, Open
from exabgp.bgp.negotiated import DEFAULT

# the OPEN of the reference decoding case bgp-open-sofware-version (ExaBGP main as the speaker)
SOFTWARE_VERSION_OPEN = (
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00510104FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578'
    '614247502F6D61696E2D633261326561386562642D3230323430373135'
)

GOLDEN = [
    (
        Open(
            4,
            65533,
            180,
            IPv4Address('10.0.0.2'),
            (MultiProtocol(IPV4_UNICAST), ASN4(65533), SoftwareVersion('ExaBGP/main-c2a2ea8ebd-20240715')),
        ),
        SOFTWARE_VERSION_OPEN,
    ),
    (Open(4, 65000, 0, IPv4Address('1.2.3.4')), 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001D0104FDE800000102030400'),
    (
        Open(4, 23456, 90, IPv4Address('192.0.2.1'), (ASN4(4200000000), RouteRefresh())),
        'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002901045BA0005AC00002010C02064104FA56EA0002020200',
    ),
]


def split(message: str) -> bytes:
    wire = bytes.fromhex(message)
    length, kind = check(wire[:19], 4096)
    assert kind == 1
    assert length == len(wire)
    return wire[19:]


@pytest.mark.parametrize(('value', 'wire'), GOLDEN, ids=['software-version', 'no-capability', 'as-trans'])
def test_golden_both_ways(value: Open, wire: str) -> None:
    assert value.pack(DEFAULT).hex().upper() == wire.upper()
    assert Open.unpack(split(wire), DEFAULT) == value


def test_a_four_octet_as_is_sent_as_as_trans() -> None:
    message = Open(4, 4200000000, 180, IPv4Address('10.0.0.1'), (ASN4(4200000000),))
    wire = message.pack(DEFAULT)
    assert int.from_bytes(wire[20:22], 'big') == AS_TRANS
    assert Open.unpack(wire[19:], DEFAULT).asn == AS_TRANS
    assert str(message).startswith('OPEN version=4 asn=23456 hold_time=180 router_id=10.0.0.1 capabilities=[ASN4(')


def test_several_capabilities_per_parameter_and_several_parameters() -> None:
    one_parameter = bytes.fromhex('04FDE800B40A00000110020E0104000100010104000200010200')
    many = bytes.fromhex('04FDE800B40A000001140206010400010001020601040002000102020200')
    expected = (MultiProtocol(IPV4_UNICAST), MultiProtocol(IPV6_UNICAST), RouteRefresh())
    assert Open.unpack(one_parameter, DEFAULT).capabilities == expected
    assert Open.unpack(many, DEFAULT).capabilities == expected
    # packing puts each capability in its own parameter, as 5.0 does
    assert Open.unpack(one_parameter, DEFAULT).pack(DEFAULT)[19:] == many


def test_rfc_9072_extended_parameters_both_ways() -> None:
    families = tuple(MultiProtocol(Family(AFI.IPV4, safi)) for safi in range(1, 70))
    message = Open(4, 65000, 180, IPv4Address('10.0.0.1'), families)
    body = message.pack(DEFAULT)[19:]
    assert body[9:11] == b'\xff\xff'
    assert int.from_bytes(body[11:13], 'big') == 69 * 9  # type, 2-octet length, 6-octet TLV
    assert body[13:22] == bytes.fromhex('020006010400010001')
    assert Open.unpack(body, DEFAULT) == message


def test_extended_parameters_are_read_when_short_too() -> None:
    body = bytes.fromhex('04FDE800B40A000001FFFF0009020006010400010001')
    assert Open.unpack(body, DEFAULT).capabilities == (MultiProtocol(IPV4_UNICAST),)


def test_parameters_just_below_255_octets_keep_the_short_form() -> None:
    families = tuple(MultiProtocol(Family(AFI.IPV4, safi)) for safi in range(1, 29))  # 28 * 8 = 224
    body = Open(4, 65000, 180, IPv4Address('10.0.0.1'), families).pack(DEFAULT)[19:]
    assert body[9] == 224


def test_what_5_0_lets_through() -> None:
    # bytes after the parameters, a short declared parameter length, an unknown capability
    trailing = bytes.fromhex('04FDE800B40A000001080206010400010001AABB')
    assert Open.unpack(trailing, DEFAULT).capabilities == (MultiProtocol(IPV4_UNICAST),)
    unknown = bytes.fromhex('04FDE800B40A0000010502032A01FF')
    assert Open.unpack(unknown, DEFAULT).capabilities == (UnknownCapability(42, b'\xff'),)
    # hold time, identifier and AS are checked once both OPENs are known (negotiation.validate)
    odd = Open.unpack(bytes.fromhex('045BA000020000000000'), DEFAULT)
    assert (odd.asn, odd.hold_time, odd.router_id) == (AS_TRANS, 2, IPv4Address(0))


def test_find_returns_the_capabilities_of_a_class() -> None:
    message = Open(
        4, 1, 180, IPv4Address('1.1.1.1'), (MultiProtocol(IPV4_UNICAST), ASN4(1), MultiProtocol(IPV6_UNICAST))
    )
    assert message.find(MultiProtocol) == (MultiProtocol(IPV4_UNICAST), MultiProtocol(IPV6_UNICAST))
    assert message.find(RouteRefresh) == ()


# (body, code, subcode, data) as 5.0.15 raised them
ERRORS = [
    ('03fde800b40a00000100', 2, 1, b'version number: 3'),
    ('04fde800b40a000001020100', 2, 5, b'Authentication Notification (Deprecated)'),
    ('04fde800b40a00000103030100', 2, 4, b'unknown OPEN parameter 0x3'),
    ('04fde800b40a0000010402050104', 2, 0, b'Bad length for OPEN parameter (buffer underrun) 0x02050104'),
    ('04fde800b40a0000010102', 2, 0, b'Bad length for OPEN parameter (<2) 0x02'),
    ('04fde800b40a0000010502030100', 2, 0, b'Bad length for OPEN parameter (buffer underrun) 0x02030100'),
    ('04fde800b40a000001ffff000a0200', 2, 0, b'Bad length for OPEN (extended) parameter (<3) 0x0200'),
    ('04fde800b40a000001ffff0003020009', 2, 0, b'Bad length for OPEN (extended) parameter (buffer underrun) 0x020009'),
    ('04fde800b40a0000010702054103000102', 2, 0, b'AS4 capability must be 4 bytes long, got 3'),
    ('04fde800b40a0000010402024b00', 2, 0, b'Software capability too short: need at least 1 byte'),
    ('04fde8', 1, 2, b'\x00\x16'),
]


@pytest.mark.parametrize(('body', 'code', 'subcode', 'data'), ERRORS, ids=[body for body, *_ in ERRORS])
def test_errors_as_5_0_sends_them(body: str, code: int, subcode: int, data: bytes) -> None:
    with pytest.raises(PeerError) as caught:
        Open.unpack(bytes.fromhex(body), DEFAULT)
    assert (caught.value.code, *caught.value.chosen(True)) == (code, subcode, data)


# the data the RFCs define, sent by default: the largest version we support for 2/1 (RFC 4271 6.2),
# the length for 1/2, nothing for the others (RFC 4271 and 5492 define none)
RFC_DATA = {'03fde800b40a00000100': b'\x00\x04', '04fde8': b'\x00\x16'}


@pytest.mark.parametrize(('body', 'code', 'subcode', 'data'), ERRORS, ids=[body for body, *_ in ERRORS])
def test_errors_carry_the_rfc_data(body: str, code: int, subcode: int, data: bytes) -> None:
    with pytest.raises(PeerError) as caught:
        Open.unpack(bytes.fromhex(body), DEFAULT)
    assert (caught.value.code, caught.value.subcode, caught.value.data) == (code, subcode, RFC_DATA.get(body, b''))


def test_an_extended_marker_without_room_for_its_length_is_an_error() -> None:
    with pytest.raises(PeerError) as caught:
        Open.unpack(bytes.fromhex('04FDE800B40A000001FFFF00'), DEFAULT)
    assert (caught.value.code, caught.value.subcode) == (2, 0)


def test_a_lone_255_length_is_a_truncated_extended_marker() -> None:
    # 5.0 failed on it (IndexError) and so refused the OPEN
    with pytest.raises(PeerError) as caught:
        Open.unpack(bytes.fromhex('04FDE800B40A000001FF'), DEFAULT)
    assert (caught.value.code, caught.value.subcode) == (2, 0)
    # 255 followed by anything but the marker is the short form, cut to what is there
    assert Open.unpack(bytes.fromhex('04FDE800B40A000001FF02020200'), DEFAULT).capabilities == (RouteRefresh(),)


def test_str_lists_capabilities_in_code_order() -> None:
    message = Open(4, 65000, 180, IPv4Address('10.0.0.1'), (ASN4(65000), MultiProtocol(Family(AFI.IPV6, SAFI.UNICAST))))
    assert str(message) == (
        'OPEN version=4 asn=65000 hold_time=180 router_id=10.0.0.1 capabilities=[Multiprotocol(ipv6 unicast), ASN4(65000)]'
    )
