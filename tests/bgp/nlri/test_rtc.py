"""Route Target Constraint NLRI (RFC 4684): golden JSON and text from ExaBGP 5.0.15, the lengths
RFC 4684 allows, and fuzzing of the decoder."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.rtc import RTC
from exabgp.bgp.nlri.table import TABLE, codec

FAMILY = Family(AFI.IPV4, SAFI.RTC)

# NLRI octets -> 5.0.15's str() and json()
GOLDEN = [
    ('00', 'rtc wildcard', '{ "origin": 0, "route-target": null }'),
    (
        '600000fde80002fde800000064',
        'rtc 65000:target:65000:100',
        '{ "origin": 65000, "route-target": "target:65000:100" }',
    ),
    (
        '600000fde80102c0a85e0c0005',
        'rtc 65000:target:192.168.94.12:5',
        '{ "origin": 65000, "route-target": "target:192.168.94.12:5" }',
    ),
    (
        '600000fde80202fde800000064',
        'rtc 65000:target:4259840000:100',
        '{ "origin": 65000, "route-target": "target:4259840000:100" }',
    ),
]


@pytest.mark.parametrize(('wire', 'text', 'json'), GOLDEN)
def test_golden_values_of_5_0(wire, text, json):
    (nlri,) = RTC.unpack_all(FAMILY, bytes.fromhex(wire), False)
    assert str(nlri) == text
    assert nlri.json() == json
    assert nlri.pack(False).hex() == wire


def test_the_row_decodes_but_is_not_configured():
    assert codec(FAMILY) is RTC
    assert not TABLE[FAMILY].configurable and not TABLE[FAMILY].announce


def test_the_transitive_bit_of_the_route_target_is_cleared_as_5_0_reads_it():
    (nlri,) = RTC.unpack_all(FAMILY, bytes.fromhex('600000fde84002fde800000064'), False)
    assert str(nlri) == 'rtc 65000:target:65000:100'


def test_a_shorter_prefix_reads_only_the_octets_it_covers():
    wire = bytes.fromhex('300000fde80002') + bytes.fromhex('00')
    found = RTC.unpack_all(FAMILY, wire, False)
    assert [nlri.length for nlri in found] == [48, 0]
    assert found[0].pack(False).hex() == '300000fde80002'


def test_several_nlri_and_path_identifiers():
    wire = bytes.fromhex('00000001' + GOLDEN[1][0] + '00000002' + '00')
    found = RTC.unpack_all(FAMILY, wire, True)
    assert [nlri.path_id for nlri in found] == [1, 2]
    assert b''.join(nlri.pack(True) for nlri in found) == wire


@pytest.mark.parametrize(
    ('wire', 'reason'),
    [
        ('1f00000000', 'incorrect RTC length: 31'),
        ('61' + '00' * 13, 'incorrect RTC length: 97'),
        ('600000fde8', 'RTC NLRI truncated'),
    ],
)
def test_malformed_fields(wire, reason):
    with pytest.raises(Malformed, match=reason):
        RTC.unpack_all(FAMILY, bytes.fromhex(wire), False)


@given(st.binary(max_size=40), st.booleans())
def test_the_decoder_raises_nothing_but_malformed(data, addpath):
    try:
        found = RTC.unpack_all(FAMILY, data, addpath)
    except Malformed:
        return
    for nlri in found:
        nlri.json()
        again = RTC.unpack_all(FAMILY, nlri.pack(addpath), addpath)
        assert [item.index() for item in again] == [nlri.index()]
