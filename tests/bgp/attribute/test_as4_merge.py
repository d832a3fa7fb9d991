"""RFC 6793 4.2.3: AS4_PATH and AS4_AGGREGATOR from a 2-octet speaker, merged into AS_PATH and AGGREGATOR.

Every case of MERGES was confirmed against ExaBGP 5.0.15's parser on a 2-octet session (same text).
"""

from ipaddress import IPv4Address

import pytest
from attribute_vectors import ASN2, ASN4

from exabgp.bgp.attribute.aggregation import Aggregator
from exabgp.bgp.attribute.as4 import count, merge_paths
from exabgp.bgp.attribute.aspath import AS_CONFED_SEQUENCE, AS_SEQUENCE, AS_SET, AS4Path, ASPath
from exabgp.bgp.attribute.attributes import parse_attributes
from exabgp.bgp.attribute.base import Action, Code


def _path(segments: str) -> str:
    """'02 0002 5ba0' style: segment type, AS numbers (2-octet) -> hex with the count filled in."""
    out = ''
    for segment in segments.split('|'):
        kind, *asns = segment.split()
        out += kind + f'{len(asns):02x}' + ''.join(asns)
    return out


def _attribute(flags: str, code: str, value: str) -> str:
    return flags + code + f'{len(value) // 2:02x}' + value


def as_path(segments: str) -> str:
    return _attribute('40', '02', _path(segments))


def as4_path(segments: str) -> str:
    return _attribute('c0', '11', _path(segments))


AGGREGATOR_3 = 'c00706' + '0003' + '0a000001'
AGGREGATOR_TRANS = 'c00706' + '5ba0' + '0a000001'
AS4_AGGREGATOR = 'c01208' + '00010000' + '0a000002'

MERGES = [
    # the leading AS numbers of AS_PATH, then AS4_PATH
    (as_path('02 5ba0 5ba0 0003 0004') + as4_path('02 00010001 00010002'), ' as-path ( 23456 23456 65537 65538 )'),
    (as_path('02 0001 0002 0003 5ba0') + as4_path('02 00010000'), ' as-path ( 1 2 3 65536 )'),
    # an AGGREGATOR that is not AS_TRANS: the AS4_ attributes are noise
    (
        as_path('02 5ba0 5ba0 0003 0004') + as4_path('02 00010001 00010002') + AGGREGATOR_3 + AS4_AGGREGATOR,
        ' as-path ( 23456 23456 3 4 ) aggregator ( 3:10.0.0.1 )',
    ),
    # an AGGREGATOR of AS_TRANS: AS4_AGGREGATOR replaces it, and the paths merge
    (
        as_path('02 5ba0 5ba0 0003 0004') + as4_path('02 00010001 00010002') + AGGREGATOR_TRANS + AS4_AGGREGATOR,
        ' as-path ( 23456 23456 65537 65538 ) aggregator ( 65536:10.0.0.2 )',
    ),
    # more AS numbers in AS4_PATH than in AS_PATH: AS4_PATH is ignored
    (as_path('02 5ba0') + as4_path('02 00010000 00010001'), ' as-path ( 23456 )'),
    # a set counts one
    (
        as_path('02 0001 0002|01 0003 0004') + as4_path('02 00010000|01 00011170'),
        ' as-path ( 1 65536 ) [ 70000 ]',
    ),
    # confederation segments of AS_PATH count none, and go when no AS number is taken from AS_PATH
    (as_path('03 0007|02 5ba0 0005') + as4_path('02 00010000 00000005'), ' as-path ( 65536 5 )'),
    (as_path('03 0007|02 0009 5ba0') + as4_path('02 00010000'), ' as-path {( 7 )} ( 9 65536 )'),
    # confederation segments are not allowed in AS4_PATH: dropped (RFC 6793 6)
    (as_path('02 0001 5ba0') + as4_path('03 00000009|02 00010000'), ' as-path ( 1 65536 )'),
    # nothing to merge into: the AS4_ attributes stay, shown as 5.0 shows them
    (as4_path('02 00010000'), ' attribute [ 0x11 0xC0 ( 65536 ) ]'),
    ('400200' + as4_path('02 00010000'), ' attribute [ 0x11 0xC0 ( 65536 ) ]'),
    (AS4_AGGREGATOR, ' aggregator ( 65536:10.0.0.2 )'),
    # an AGGREGATOR of AS_TRANS without AS4_AGGREGATOR stays as it is
    (
        as_path('02 5ba0') + as4_path('02 00010000') + AGGREGATOR_TRANS,
        ' as-path ( 65536 ) aggregator ( 23456:10.0.0.1 )',
    ),
]


@pytest.mark.parametrize(('field', 'text'), MERGES)
def test_merge_on_a_2_octet_session(field: str, text: str) -> None:
    parsed = parse_attributes(bytes.fromhex(field), ASN2)
    assert parsed.action == Action.NONE
    assert str(parsed.attributes) == text
    assert Code.AS4_PATH not in parsed.attributes or Code.AS_PATH not in parsed.attributes


def test_the_merged_aggregator_is_an_aggregator() -> None:
    field = AGGREGATOR_TRANS + AS4_AGGREGATOR
    parsed = parse_attributes(bytes.fromhex(field), ASN2)
    assert list(parsed.attributes) == [Aggregator(65536, IPv4Address('10.0.0.2'))]
    # and it goes back out as AS_TRANS with an AS4_AGGREGATOR
    assert parsed.attributes.pack(ASN2).endswith(bytes.fromhex('c007065ba00a000002' + AS4_AGGREGATOR))
    assert parsed.attributes.pack(ASN4).endswith(bytes.fromhex('c00708000100000a000002'))


def test_as4_attributes_from_a_four_octet_speaker_are_discarded() -> None:
    # RFC 6793 6 (5.0 merges them anyway)
    field = '40020602010000fde8' + 'c0110602010000fde9' + 'c00708000000030a000001' + AS4_AGGREGATOR
    parsed = parse_attributes(bytes.fromhex(field), ASN4)
    assert parsed.action == Action.DISCARD
    assert parsed.discarded == (Code.AS4_PATH, Code.AS4_AGGREGATOR)
    assert str(parsed.attributes) == ' as-path ( 65000 ) aggregator ( 3:10.0.0.1 )'


def test_no_merge_when_the_update_is_withdrawn() -> None:
    # as 5.0: the attributes of a treat-as-withdraw UPDATE are left as received
    field = as_path('02 5ba0') + as4_path('02 00010000') + '40010103'
    parsed = parse_attributes(bytes.fromhex(field), ASN2)
    assert parsed.action == Action.TREAT_AS_WITHDRAW
    assert str(parsed.attributes) == ' as-path ( 23456 ) attribute [ 0x11 0xC0 ( 65536 ) ]'


def test_count_follows_rfc_4271_9_1_2_2() -> None:
    assert count(((AS_SEQUENCE, (1, 2, 3)), (AS_SET, (4, 5)), (AS_CONFED_SEQUENCE, (6, 7)))) == 4


def test_merge_paths_joins_neighbouring_sequences() -> None:
    merged = merge_paths(ASPath(((AS_SEQUENCE, (1, 2, 23456)),)), AS4Path(((AS_SEQUENCE, (65536,)),)))
    assert merged == ASPath(((AS_SEQUENCE, (1, 2, 65536)),))
