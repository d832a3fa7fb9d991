"""VPLS NLRI (RFC 4761): golden wire bytes, JSON and text from ExaBGP 5.0.15, malformed fields, round
trips, and the configuration and API forms giving the same NLRI."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.api.command import Routes, parse
from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.table import TABLE, codec, sends_nexthop_attribute
from exabgp.bgp.nlri.vpls import VPLS
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.route.qualifiers import route_distinguisher_value

FAMILY = Family(AFI.L2VPN, SAFI.VPLS)

# (rd, endpoint, base, offset, size) -> 5.0.15's pack_nlri, json() and extensive() with a next hop
GOLDEN = [
    (
        ('65000:1', 1, 2, 3, 4),
        '00110000fde800000001000100030004000021',
        '{ "rd": "65000:1", "endpoint": 1, "base": 2, "offset": 3, "size": 4 }',
        'vpls rd 65000:1 endpoint 1 base 2 offset 3 size 4 next-hop 10.0.0.1',
    ),
    (
        ('1.2.3.4:7', 65535, 1048567, 0, 8),
        '00110001010203040007ffff00000008ffff71',
        '{ "rd": "1.2.3.4:7", "endpoint": 65535, "base": 1048567, "offset": 0, "size": 8 }',
        'vpls rd 1.2.3.4:7 endpoint 65535 base 1048567 offset 0 size 8 next-hop 10.0.0.1',
    ),
    (
        ('4200000000:7', 0, 0, 65535, 65535),
        '00110002fa56ea0000070000ffffffff000001',
        '{ "rd": "4200000000:7", "endpoint": 0, "base": 0, "offset": 65535, "size": 65535 }',
        'vpls rd 4200000000:7 endpoint 0 base 0 offset 65535 size 65535 next-hop 10.0.0.1',
    ),
    (
        ('192.168.201.1:123', 5, 10702, 1, 8),
        '00110001c0a8c901007b000500010008029ce1',
        '{ "rd": "192.168.201.1:123", "endpoint": 5, "base": 10702, "offset": 1, "size": 8 }',
        'vpls rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8 next-hop 10.0.0.1',
    ),
]


def _make(rd: str, endpoint: int, base: int, offset: int, size: int) -> VPLS:
    return VPLS.make(FAMILY, route_distinguisher_value(rd), endpoint, offset, size, base)


@pytest.mark.parametrize(('fields', 'wire', 'json', 'text'), GOLDEN)
def test_golden_values_of_5_0(fields, wire, json, text):
    nlri = _make(*fields)
    assert nlri.pack(False).hex() == wire
    assert nlri.json() == json
    assert nlri.extensive(' next-hop 10.0.0.1') == text
    assert str(nlri) == text.removesuffix(' next-hop 10.0.0.1')
    assert VPLS.unpack_all(FAMILY, bytes.fromhex(wire), False) == [nlri]


def test_the_row_takes_the_codec_and_sends_no_next_hop_attribute():
    assert codec(FAMILY) is VPLS
    assert TABLE[FAMILY].announce and TABLE[FAMILY].withdraw_attributes
    assert not sends_nexthop_attribute(FAMILY)


def test_several_nlri_in_one_field_and_path_identifiers():
    first, second = _make(*GOLDEN[0][0]), _make(*GOLDEN[1][0])
    assert VPLS.unpack_all(FAMILY, first.pack(False) + second.pack(False), False) == [first, second]
    with_id = VPLS.make(FAMILY, first.rd, 1, 3, 4, 2, path_id=9)
    assert with_id.pack(True)[:4] == bytes((0, 0, 0, 9))
    assert VPLS.unpack_all(FAMILY, with_id.pack(True), True) == [with_id]


def test_octets_past_the_seventeen_known_are_skipped():
    wire = bytes.fromhex('0013' + GOLDEN[0][1][4:] + 'abcd') + bytes.fromhex(GOLDEN[1][1])
    assert VPLS.unpack_all(FAMILY, wire, False) == [_make(*GOLDEN[0][0]), _make(*GOLDEN[1][0])]


def test_the_bottom_of_stack_bit_is_ignored_on_receipt():
    wire = bytes.fromhex(GOLDEN[0][1][:-2] + '20')
    assert VPLS.unpack_all(FAMILY, wire, False)[0].base == 2


@pytest.mark.parametrize(
    ('wire', 'reason'),
    [
        ('00', 'inside a VPLS NLRI length'),
        ('0010' + '00' * 16, 'it must be at least 17'),
        ('0011' + '00' * 16, 'VPLS NLRI truncated'),
        ('000000', 'inside a path identifier'),
    ],
)
def test_malformed_fields(wire, reason):
    with pytest.raises(Malformed, match=reason):
        VPLS.unpack_all(FAMILY, bytes.fromhex(wire), wire == '000000')


@pytest.mark.parametrize(
    ('fields', 'reason'),
    [
        ((65536, 0, 0, 0), 'endpoint 65536'),
        ((0, 0, 0, 65536), 'size 65536'),
        ((0, 0, 0x100000, 0), 'base 1048576'),
        ((0, 0, 0xFFFF8, 8), 'passes the 20 bits'),
    ],
)
def test_values_that_do_not_fit_are_refused(fields, reason):
    endpoint, offset, base, size = fields
    with pytest.raises(ValueError, match=reason):
        VPLS.make(FAMILY, bytes(8), endpoint, offset, size, base)


def test_the_index_is_the_whole_nlri():
    one = _make('65000:1', 1, 2, 3, 4)
    assert one.index() == _make('65000:1', 1, 2, 3, 4).index()
    assert one.index() != _make('65000:1', 1, 5, 3, 4).index()


def test_the_api_line_of_5_0_builds_the_nlri():
    command = parse(
        'announce vpls rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8 next-hop 192.168.201.1 '
        'extended-community [target:54591:6 l2info:19:0:1500:111]',
        Builder(),
    )
    assert isinstance(command, Routes)
    (route,) = command.routes
    assert route.nlri == _make('192.168.201.1:123', 5, 10702, 1, 8)
    assert str(route.nexthop) == '192.168.201.1'
    withdrawn = parse('withdraw vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123', Builder())
    assert isinstance(withdrawn, Routes) and withdrawn.withdraw
    assert withdrawn.routes[0].nlri == route.nlri


@given(st.binary(max_size=60), st.booleans())
def test_the_decoder_raises_nothing_but_malformed(data, addpath):
    try:
        found = VPLS.unpack_all(FAMILY, data, addpath)
    except Malformed:
        return
    for nlri in found:
        assert VPLS.unpack_all(FAMILY, nlri.pack(addpath), addpath) == [nlri]
