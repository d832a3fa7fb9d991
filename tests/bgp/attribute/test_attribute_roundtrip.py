"""Hypothesis round-trips: every attribute value packs and parses back to itself (or to 5.0's normal form)."""

import math
import struct
from ipaddress import IPv4Address

from attribute_vectors import AIGP_ON, ASN2, ASN4
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.attribute import extended_types
from exabgp.bgp.attribute.aggregation import ATOMIC_AGGREGATE, Aggregator, AS4Aggregator
from exabgp.bgp.attribute.aigp import AIGP
from exabgp.bgp.attribute.as4 import join_sequences
from exabgp.bgp.attribute.aspath import AS_CONFED_SEQUENCE, AS_CONFED_SET, AS_SEQUENCE, AS_SET, AS4Path, ASPath
from exabgp.bgp.attribute.attributes import Attributes, parse_attributes
from exabgp.bgp.attribute.base import Action, Attribute
from exabgp.bgp.attribute.community import Communities, LargeCommunities
from exabgp.bgp.attribute.extended import ExtendedCommunities, IPv6ExtendedCommunities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.nexthop import NextHop
from exabgp.bgp.attribute.origin import ORIGINS
from exabgp.bgp.attribute.pmsi import PMSI
from exabgp.bgp.attribute.reflection import ClusterList, OriginatorID
from exabgp.bgp.attribute.table import ATTRIBUTES
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.bgp.negotiated import Negotiated

u32 = st.integers(0, 2**32 - 1)
u16 = st.integers(0, 2**16 - 1)
addresses = st.builds(IPv4Address, u32)
kinds = st.sampled_from((AS_SET, AS_SEQUENCE, AS_CONFED_SEQUENCE, AS_CONFED_SET))


def segments(asn: st.SearchStrategy[int], segment_kinds: st.SearchStrategy[int] = kinds) -> st.SearchStrategy:
    return st.lists(
        st.tuples(segment_kinds, st.lists(asn, min_size=1, max_size=255).map(tuple)), min_size=1, max_size=5
    )


def round_trip(value: Attribute, negotiated: Negotiated) -> Attribute:
    parsed = parse_attributes(value.pack(negotiated), negotiated)
    assert parsed.action == Action.NONE, parsed.reason
    assert value.json_item() and value.text() is not None
    (back,) = list(parsed.attributes)
    return back


@given(st.sampled_from(ORIGINS))
def test_origin(value: Attribute) -> None:
    assert round_trip(value, ASN4) == value


@given(segments(u32).map(tuple))
def test_as_path_on_a_four_octet_session(value: tuple) -> None:
    path = ASPath(value)
    assert round_trip(path, ASN4) == path


@given(segments(u16).map(tuple))
def test_as_path_of_2_octet_numbers_on_a_2_octet_session(value: tuple) -> None:
    path = ASPath(value)
    assert round_trip(path, ASN2) == path


@given(segments(u32, st.sampled_from((AS_SET, AS_SEQUENCE))).map(tuple))
def test_as_path_of_4_octet_numbers_on_a_2_octet_session(value: tuple) -> None:
    path = ASPath(value)
    back = round_trip(path, ASN2)
    if any(asn > 0xFFFF for _, asns in value for asn in asns):
        # rebuilt from AS4_PATH, which joins neighbouring sequences (RFC 6793 4.2.3, as 5.0)
        assert back == ASPath(join_sequences(list(value)))
    else:
        assert back == path


@given(segments(u32, st.sampled_from((AS_SET, AS_SEQUENCE))).map(tuple))
def test_as4_path_alone(value: tuple) -> None:
    path = AS4Path(value)
    assert round_trip(path, ASN2) == path


@given(st.builds(NextHop, addresses))
def test_next_hop(value: NextHop) -> None:
    parsed = parse_attributes(value.pack(ASN4), ASN4)
    assert parsed.nexthop == value


@given(st.builds(MED, u32))
def test_med(value: MED) -> None:
    assert round_trip(value, ASN4) == value


@given(st.builds(LocalPreference, u32))
def test_local_preference(value: LocalPreference) -> None:
    assert round_trip(value, ASN4) == value


def test_atomic_aggregate() -> None:
    assert round_trip(ATOMIC_AGGREGATE, ASN4) is ATOMIC_AGGREGATE


@given(st.builds(Aggregator, u32, addresses), st.sampled_from((ASN4, ASN2)))
def test_aggregator(value: Aggregator, negotiated: Negotiated) -> None:
    assert round_trip(value, negotiated) == value


@given(st.builds(AS4Aggregator, u32, addresses))
def test_as4_aggregator_alone(value: AS4Aggregator) -> None:
    assert round_trip(value, ASN2) == value


@given(st.lists(u32, min_size=1, max_size=60).map(tuple))
def test_communities(value: tuple) -> None:
    communities = Communities(value)
    assert communities.communities == tuple(sorted(value))
    assert round_trip(communities, ASN4) == communities


@given(st.lists(st.tuples(u32, u32, u32), min_size=1, max_size=20).map(tuple))
def test_large_communities(value: tuple) -> None:
    communities = LargeCommunities(value)
    assert communities.communities == tuple(sorted(set(value)))
    assert round_trip(communities, ASN4) == communities


@given(st.builds(OriginatorID, addresses))
def test_originator_id(value: OriginatorID) -> None:
    assert round_trip(value, ASN4) == value


@given(st.lists(addresses, min_size=1, max_size=30).map(tuple))
def test_cluster_list(value: tuple) -> None:
    clusters = ClusterList(value)
    assert round_trip(clusters, ASN4) == clusters


def _refused(raw: bytes) -> bool:
    return extended_types.kind(raw) in ((0x00, 0x06), (0x00, 0x0C)) and not math.isfinite(
        struct.unpack('!f', raw[4:8])[0]
    )


@given(st.lists(st.binary(min_size=8, max_size=8), min_size=1, max_size=30).map(tuple))
def test_extended_communities(value: tuple) -> None:
    communities = ExtendedCommunities(value)
    parsed = parse_attributes(communities.pack(ASN4), ASN4)
    str(communities)
    communities.json()
    if any(_refused(raw) for raw in value):
        assert parsed.action == Action.TREAT_AS_WITHDRAW
        return
    assert list(parsed.attributes) == [ExtendedCommunities(tuple(extended_types.checked(raw) for raw in value))]


@given(st.lists(st.binary(min_size=20, max_size=20), min_size=1, max_size=10).map(tuple))
def test_ipv6_extended_communities(value: tuple) -> None:
    communities = IPv6ExtendedCommunities(value)
    assert round_trip(communities, ASN4) == communities


@given(st.builds(PMSI, st.integers(0, 255), st.integers(0, 255), st.integers(0, 2**24 - 1), st.binary(max_size=40)))
def test_pmsi(value: PMSI) -> None:
    assert round_trip(value, ASN4) == value


@given(st.builds(AIGP, st.integers(0, 2**64 - 1)))
def test_aigp(value: AIGP) -> None:
    assert round_trip(value, AIGP_ON) == value


unknown_codes = st.integers(0, 255).filter(lambda code: code not in ATTRIBUTES)


@given(unknown_codes, st.sampled_from((0xC0, 0xE0, 0xD0, 0xF0)), st.binary(max_size=300))
def test_unknown_optional_transitive(code: int, flags: int, value: bytes) -> None:
    attribute = Unknown(code, flags, value)
    assert round_trip(attribute, ASN4) == Unknown(code, flags | 0x20, value)


values = st.one_of(
    st.builds(MED, u32),
    st.builds(Aggregator, u32, addresses),
    st.just(ATOMIC_AGGREGATE),
    st.builds(Communities, st.lists(u32, min_size=1, max_size=5).map(tuple)),
    st.builds(OriginatorID, addresses),
    st.builds(ClusterList, st.lists(addresses, min_size=1, max_size=3).map(tuple)),
    st.builds(
        ExtendedCommunities, st.lists(st.sampled_from([bytes.fromhex('0002000100000002')]), min_size=1).map(tuple)
    ),
    st.builds(LargeCommunities, st.lists(st.tuples(u32, u32, u32), min_size=1, max_size=3).map(tuple)),
    st.builds(PMSI, st.integers(0, 255), st.integers(0, 255), st.integers(0, 2**24 - 1), st.binary(max_size=8)),
)


@given(
    st.sampled_from(ORIGINS),
    segments(u32).map(lambda value: ASPath(tuple(value))),
    st.builds(LocalPreference, u32),
    st.lists(values, max_size=9),
    addresses,
)
def test_a_whole_attribute_set(origin, path, preference, others, nexthop) -> None:  # type: ignore[no-untyped-def]
    chosen = {value.CODE: value for value in [origin, path, preference, *others]}
    attributes = Attributes(chosen.values())
    hop = NextHop(nexthop)
    wire = attributes.pack(ASN4, (hop.pack(ASN4),))
    parsed = parse_attributes(wire, ASN4)
    assert parsed.action == Action.NONE
    assert parsed.attributes == attributes
    assert parsed.nexthop == hop
    assert parsed.attributes.pack(ASN4, (parsed.nexthop.pack(ASN4),)) == wire
