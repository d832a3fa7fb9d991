"""Property tests: every capability value, and any OPEN carrying them, survives pack -> unpack, and
renders to JSON that parses."""

import json
from ipaddress import IPv4Address

from hypothesis import given
from hypothesis import strategies as st

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_messages import open_
from exabgp.api.text_messages import open_ as open_text
from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.base import Capability
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.operational import Operational
from exabgp.bgp.capability.refresh import CiscoRouteRefresh, EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.capability.table import CAPABILITIES, decode
from exabgp.bgp.capability.unknown import UnknownCapability
from exabgp.bgp.family import Family, afi
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import DEFAULT

families = st.builds(Family.of, st.integers(0, 0xFFFF), st.integers(0, 0xFF))
octet = st.integers(0, 0xFF)


def utf8_text(limit: int) -> st.SearchStrategy[str]:
    return st.text(max_size=limit).filter(lambda text: len(text.encode('utf-8')) <= limit)


capabilities = st.one_of(
    st.builds(MultiProtocol, families),
    st.just(RouteRefresh()),
    st.just(CiscoRouteRefresh()),
    st.just(EnhancedRouteRefresh()),
    st.just(ExtendedMessage()),
    st.just(Operational()),
    st.builds(
        ExtendedNextHop,
        st.lists(st.tuples(families, st.integers(0, 0xFFFF).map(afi)), max_size=40).map(tuple),
    ),
    st.builds(
        GracefulRestart,
        st.integers(0, 15),
        st.integers(0, 0xFFF),
        st.lists(st.tuples(families, octet), max_size=60).map(tuple),
    ),
    st.builds(ASN4, st.integers(0, 0xFFFFFFFF)),
    st.builds(MultiSession, octet, st.binary(max_size=254)),
    st.builds(CiscoMultiSession, octet, st.binary(max_size=254)),
    st.builds(AddPath, st.lists(st.tuples(families, octet), max_size=60).map(tuple)),
    st.builds(HostName, utf8_text(64), utf8_text(64)),
    st.builds(SoftwareVersion, utf8_text(254)),
    st.builds(
        UnknownCapability,
        st.integers(0, 0xFF).filter(lambda code: code not in CAPABILITIES),
        st.binary(max_size=255),
    ),
)


@given(capabilities)
def test_capability_round_trip(value: Capability) -> None:
    wire = value.pack()
    assert wire[0] == value.code
    assert wire[1] == len(wire) - 2
    assert decode(wire[0], wire[2:]) == value


@given(capabilities)
def test_capability_json_parses(value: Capability) -> None:
    json.loads(value.json())
    assert str(value)


opens = st.builds(
    Open,
    st.just(4),
    st.integers(0, 0xFFFF),
    st.integers(0, 0xFFFF),
    st.builds(IPv4Address, st.integers(0, 0xFFFFFFFF)),
    st.lists(capabilities, max_size=30).map(tuple),
)

STAMP = Stamp(1.5, 'host', 1, 2, 3)
PEER = Peer('127.0.0.1', '127.0.0.2', 1, 2, '1.2.3.4')


@given(opens)
def test_open_round_trip(value: Open) -> None:
    wire = value.pack(DEFAULT)
    assert int.from_bytes(wire[16:18], 'big') == len(wire)
    assert Open.unpack(wire[19:], DEFAULT) == value


@given(opens)
def test_open_renders(value: Open) -> None:
    document = json.loads(open_(STAMP, PEER, 'receive', value))
    assert document['neighbor']['open']['asn'] == value.asn
    assert set(document['neighbor']['open']['capabilities']) == {str(c.code) for c in value.capabilities}
    line = open_text(PEER, 'receive', value)
    assert line.count('\n') == 1
