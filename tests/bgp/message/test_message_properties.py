"""Property tests: NOTIFICATION, ROUTE-REFRESH, OPERATIONAL and KEEPALIVE survive pack -> unpack,
and their JSON parses."""

import json
from ipaddress import IPv4Address

from hypothesis import given
from hypothesis import strategies as st

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_messages import encode
from exabgp.api.text_messages import encode as encode_text
from exabgp.bgp.family import Family
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.operational import ADVISORIES, QUERIES, REPLIES, Advisory, Query, Reply
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.negotiated import DEFAULT

families = st.builds(Family.of, st.integers(0, 0xFFFF), st.integers(0, 0xFF))
router_ids = st.builds(IPv4Address, st.integers(0, 0xFFFFFFFF))
word = st.integers(0, 0xFFFFFFFF)

messages = st.one_of(
    st.just(KeepAlive()),
    st.builds(Notification, st.integers(0, 0xFF), st.integers(0, 0xFF), st.binary(max_size=300)),
    st.builds(RouteRefresh, families, st.integers(0, 2)),
    st.builds(Advisory, st.sampled_from(ADVISORIES), families, st.binary(max_size=300)),
    st.builds(Query, st.sampled_from(QUERIES), families, router_ids, word),
    st.builds(Reply, st.sampled_from(REPLIES), families, router_ids, word, word),
)

STAMP = Stamp(1.5, 'host', 1, 2, 3)
PEER = Peer('127.0.0.1', '127.0.0.2', 1, 2, '1.2.3.4')


@given(messages)
def test_round_trip(value) -> None:
    wire = value.pack(DEFAULT)
    assert int.from_bytes(wire[16:18], 'big') == len(wire)
    assert unpack_message(wire[18], wire[19:], DEFAULT) == value


@given(messages, st.sampled_from(['receive', 'send', 'in']))
def test_renders(value, direction: str) -> None:
    wire = value.pack(DEFAULT)
    document = json.loads(encode(STAMP, PEER, direction, value, wire[:19], wire[19:]))
    assert document['neighbor']['direction'] == direction
    assert document['body' if len(wire) > 19 else 'header'].startswith('0x')
    line = encode_text(PEER, direction, value, wire[:19], wire[19:])
    assert line.startswith(f'neighbor 127.0.0.2 {direction} ')
    assert '\n' not in line.rstrip('\n')
