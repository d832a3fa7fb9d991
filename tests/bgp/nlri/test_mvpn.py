"""MCAST-VPN NLRI (RFC 6514): golden JSON and text from ExaBGP 5.0.15, the checks 5.0 applies on
receipt, the configuration and API forms, and fuzzing of the decoder."""

from ipaddress import ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.api.command import CommandError, Routes, parse
from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.mvpn import MVPN, SHARED_JOIN, SOURCE_AD, SOURCE_JOIN
from exabgp.bgp.nlri.table import TABLE, codec
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.route.qualifiers import route_distinguisher_value

V4 = Family(AFI.IPV4, SAFI.MCAST_VPN)
V6 = Family(AFI.IPV6, SAFI.MCAST_VPN)
RD = route_distinguisher_value('65000:99999')

# NLRI octets -> 5.0.15's json() and str()
GOLDEN = [
    (
        '06160000FDE80001869F0000FDE8200A63C70120EFFBFFE4',
        '{ "code": 6, "parsed": true, "raw": "06160000FDE80001869F0000FDE8200A63C70120EFFBFFE4", '
        '"name": "C-Multicast Shared Tree Join route", "rd": "65000:99999", "source-as": "65000", '
        '"source": "10.99.199.1", "group": "239.251.255.228"}',
        'mvpn:shared-join::65000:99999:65000:10.99.199.1:239.251.255.228',
    ),
    (
        '052A0000FDE80001869F80FD12000000000000000000000000000480FF0E0000000000000000000000000001',
        '{ "code": 5, "parsed": true, '
        '"raw": "052A0000FDE80001869F80FD12000000000000000000000000000480FF0E0000000000000000000000000001", '
        '"name": "Source Active A-D Route", "rd": "65000:99999", "source": "fd12::4", "group": "ff0e::1"}',
        'mvpn:sourcead::65000:99999:fd12::4:ff0e::1',
    ),
    ('0103AABBCC', '{ "code": 1, "parsed": false, "raw": "0103AABBCC" }', 'mvpn:unknown:0xaabbcc'),
    ('0100', '{ "code": 1, "parsed": false, "raw": "0100" }', 'mvpn:unknown:0x'),
]


@pytest.mark.parametrize(('wire', 'json', 'text'), GOLDEN)
def test_golden_values_of_5_0(wire, json, text):
    (nlri,) = MVPN.unpack_all(V4, bytes.fromhex(wire), False)
    assert nlri.json() == json
    assert str(nlri) == text
    assert nlri.pack(False).hex().upper() == wire


def test_the_rows_take_the_codec_and_group_their_routes():
    for family in (V4, V6):
        assert codec(family) is MVPN
        assert TABLE[family].grouped and TABLE[family].withdraw_attributes


def test_make_builds_the_three_types():
    source, group = ip_address('10.99.12.2').packed, ip_address('239.251.255.228').packed
    join = MVPN.make(V4, SOURCE_JOIN, RD, source, group, 65000)
    assert join.pack(False).hex().upper() == '07160000FDE80001869F0000FDE8200A630C0220EFFBFFE4'
    assert join.configuration() == 'source-join source 10.99.12.2 group 239.251.255.228 rd 65000:99999 source-as 65000'
    shared = MVPN.make(V4, SHARED_JOIN, RD, source, group, 1)
    assert shared.configuration().startswith('shared-join rp 10.99.12.2 ')
    ad = MVPN.make(V6, SOURCE_AD, RD, ip_address('fd12::4').packed, ip_address('ff0e::1').packed)
    assert ad.pack(False).hex().upper() == GOLDEN[1][0]
    with pytest.raises(ValueError, match='source-as'):
        MVPN.make(V4, SOURCE_JOIN, RD, source, group, None)
    with pytest.raises(ValueError, match='can not be built'):
        MVPN.make(V4, 1, RD, source, group)


@pytest.mark.parametrize(
    ('wire', 'reason'),
    [
        ('06', 'ends inside a MCAST-VPN route type'),
        ('0604000000', 'announces more data than it carries'),
        ('0503' + '00' * 3, 'invalid Source Active A-D Route length'),
        # source length 33 bits: 5.0 refuses any length but 32 and 128
        ('0512' + '00' * 8 + '21' + '00' * 4 + '20' + '00' * 4, 'unsupported multicast source length'),
        # an IPv4 source and an IPv6 group: the field length is neither form
        ('0516' + '00' * 8 + '20' + '00' * 4 + '80' + '00' * 8, 'invalid Source Active A-D Route length'),
        ('0616' + '00' * 12 + '20' + '00' * 4 + '21' + '00' * 4, 'unsupported multicast group length'),
        # an IPv6 source in a field of IPv4 length: the group length octet would be past the end
        ('0616' + '00' * 12 + '80' + '00' * 9, 'too short to hold its multicast group length'),
    ],
)
def test_malformed_fields(wire, reason):
    with pytest.raises(Malformed, match=reason):
        MVPN.unpack_all(V4, bytes.fromhex(wire), False)


def test_path_identifiers_and_several_nlri():
    first, second = (MVPN.unpack_all(V4, bytes.fromhex(wire), False)[0] for wire in (GOLDEN[0][0], GOLDEN[2][0]))
    assert MVPN.unpack_all(V4, first.pack(False) + second.pack(False), False) == [first, second]
    assert MVPN.unpack_all(V4, b'\x00\x00\x00\x07' + first.pack(False), True)[0].path_id == 7


def test_the_api_lines_of_5_0():
    builder = Builder()
    command = parse(
        'announce ipv6 mcast-vpn source-ad source fd12::4 group ff0e::1 rd 65000:99999 '
        'next-hop 10.10.6.4 extended-community [target:65000:99999]',
        builder,
    )
    assert isinstance(command, Routes)
    assert command.routes[0].nlri.pack(False).hex().upper() == GOLDEN[1][0]
    withdrawn = parse('withdraw ipv4 mcast-vpn shared-join rp 10.0.0.1 group 239.0.0.1 rd 1:1 source-as 1', builder)
    assert isinstance(withdrawn, Routes) and withdrawn.withdraw


@pytest.mark.parametrize(
    ('line', 'reason'),
    [
        ('announce ipv4 mcast-vpn source-ad source 10.0.0.1 group 239.0.0.1 rd 1:1', 'missing next-hop'),
        ('announce ipv4 mcast-vpn source-ad source fd00::1 group 239.0.0.1 rd 1:1', 'not an IPv4 address'),
        ('announce ipv4 mcast-vpn intra-as', 'not a mcast-vpn route type'),
        ('announce ipv4 mcast-vpn source-join source 10.0.0.1 group 239.0.0.1 rd 1:1', "expected 'source-as'"),
        ('announce ipv4 mcast-vpn source-join source 10.0.0.1 group 239.0.0.1 rd 1:1 source-as x', 'source-as'),
        ('announce ipv4 mcast-vpn source-ad group 239.0.0.1', "expected 'source'"),
    ],
)
def test_api_errors(line, reason):
    with pytest.raises(CommandError, match=reason):
        parse(line, Builder())


@given(st.binary(max_size=80), st.booleans())
def test_the_decoder_raises_nothing_but_malformed(data, addpath):
    try:
        found = MVPN.unpack_all(V6, data, addpath)
    except Malformed:
        return
    for nlri in found:
        nlri.json()
        str(nlri)
        assert MVPN.unpack_all(V6, nlri.pack(addpath), addpath) == [nlri]
