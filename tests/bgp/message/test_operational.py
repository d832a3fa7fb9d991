"""OPERATIONAL: decoding as 5.0 does, packing back, 5.0's log lines and errors.

The (body, log line) and error vectors are what ExaBGP 5.0.15 gave for the same bodies.
"""

from ipaddress import IPv4Address

import pytest

from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message.operational import (
    ADM,
    APCP,
    APCQ,
    ASM,
    LPCP,
    LPCQ,
    Advisory,
    Operational,
    Query,
    Reply,
    UnknownOperational,
)
from exabgp.bgp.negotiated import DEFAULT

L2VPN_VPLS = Family(AFI.L2VPN, SAFI.VPLS)
ROUTER = IPv4Address('1.2.3.4')

DECODED = [
    ('00010003000101', Advisory(ADM, IPV4_UNICAST, b''), 'operational ADM afi ipv4 safi unicast "b\'\'"'),
    (
        '0001000a00010161626364656667',
        Advisory(ADM, IPV4_UNICAST, b'abcdefg'),
        'operational ADM afi ipv4 safi unicast "b\'abcdefg\'"',
    ),
    (
        '000200080001016869c3a9ff',
        Advisory(ASM, IPV4_UNICAST, b'hi\xc3\xa9\xff'),
        'operational ASM afi ipv4 safi unicast "b\'hi\\xc3\\xa9\\xff\'"',
    ),
    (
        '0005000b00020101020304ffffffff',
        Query(APCQ, IPV6_UNICAST, ROUTER, 0xFFFFFFFF),
        'operational APCQ afi ipv6 safi unicast router-id 1.2.3.4 sequence 4294967295',
    ),
    (
        '0007000b00010101020304 00000001'.replace(' ', ''),
        Query(LPCQ, IPV4_UNICAST, ROUTER, 1),
        'operational LPCQ afi ipv4 safi unicast router-id 1.2.3.4 sequence 1',
    ),
    (
        '0006000f0019410a000001 00000002 00000003'.replace(' ', ''),
        Reply(APCP, L2VPN_VPLS, IPv4Address('10.0.0.1'), 2, 3),
        'operational APCP afi l2vpn safi vpls router-id 10.0.0.1 sequence 2 counter 3',
    ),
    (
        '0008000f00020201020304 00000000 0000002a'.replace(' ', ''),
        Reply(LPCP, IPV6_MULTICAST, ROUTER, 0, 42),
        'operational LPCP afi ipv6 safi multicast counter 42',
    ),
]


@pytest.mark.parametrize(('body', 'value', 'line'), DECODED, ids=[body for body, _, _ in DECODED])
def test_golden_both_ways(body: str, value: Operational, line: str) -> None:
    assert Operational.unpack(bytes.fromhex(body), DEFAULT) == value
    assert value.pack(DEFAULT)[19:].hex() == body
    assert value.pack(DEFAULT)[18] == 6
    assert str(value) == line


def test_advisory_text_is_cut_by_the_length_field_and_query_ignores_it() -> None:
    assert Operational.unpack(bytes.fromhex('0001000500010161626364'), DEFAULT) == Advisory(ADM, IPV4_UNICAST, b'ab')
    assert Operational.unpack(bytes.fromhex('0001000000010161626364'), DEFAULT) == Advisory(ADM, IPV4_UNICAST, b'')
    assert Operational.unpack(bytes.fromhex('000300000001010102030400000001'), DEFAULT).sequence == 1


def test_unknown_types_are_kept() -> None:
    value = Operational.unpack(bytes.fromhex('00ff00020102'), DEFAULT)
    assert value == UnknownOperational(bytes.fromhex('00ff00020102'))
    assert value.kind == 255
    assert value.pack(DEFAULT)[19:].hex() == '00ff00020102'


def test_advisory_from_text_is_cut_as_5_0_does() -> None:
    assert Advisory.from_text(ASM, IPV4_UNICAST, 'é').text == b'\xc3\xa9'
    long = Advisory.from_text(ADM, IPV4_UNICAST, 'x' * 3000).text
    assert len(long) == 2048
    assert long.endswith(b'...')


ERRORS = [
    ('000100', b'invalid operational message, not enough data for the header'),
    ('000100030001', b'invalid operational advisory, not enough data for the family'),
    ('0003000000010101020304000000', b'invalid operational query, not enough data'),
    ('00030000000101', b'invalid operational query, not enough data'),
    ('0004000000010101020304000000010000', b'invalid operational counter, not enough data'),
]


@pytest.mark.parametrize(('body', 'data'), ERRORS, ids=[body for body, _ in ERRORS])
def test_short_bodies_are_fsm_errors_as_in_5_0(body: str, data: bytes) -> None:
    with pytest.raises(PeerError) as caught:
        Operational.unpack(bytes.fromhex(body), DEFAULT)
    assert (caught.value.code, caught.value.subcode, caught.value.data) == (5, 0, b'')
    assert caught.value.chosen(True) == (0, data)
