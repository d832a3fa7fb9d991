"""JSON of session events (state, negotiated, fsm, signal, packets, shutdown), byte for byte.

Every expected line was written by ExaBGP 5.0.15's own JSON encoder for the same neighbor and stamp;
the negotiated ones for its Negotiated of the same pair of OPENs (sent, received).
"""

import json

import pytest

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_events import fsm, negotiated, packets, shutdown, signal, state
from exabgp.bgp.capability.negotiation import negotiate
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import DEFAULT

STAMP = Stamp(1.5, 'host', 10, 20, 1)
PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.2')
UPDATE_HEADER = b'\xff' * 16 + b'\x00\x17\x02'


def test_state() -> None:
    assert (
        state(STAMP, PEER, 'up')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "state", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "state": "up" } }'
    )
    assert (
        state(STAMP, PEER, 'connected')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "state", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "state": "connected" } }'
    )
    assert (
        state(STAMP, PEER, 'down', 'notification sent (6,2) "x"\n\u00e9')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "state", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "state": "down", "reason": "notification sent (6,2) \\"x\\"\\n\\u00e9" } }'
    )
    assert (
        state(STAMP, Peer('127.0.0.1', '127.0.0.2', 65000, 65001), 'down')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "state", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 } , "state": "down", "reason": "" } }'
    )


def test_fsm_and_signal() -> None:
    assert (
        fsm(STAMP, PEER, 'ESTABLISHED')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "fsm", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "state": "ESTABLISHED" } }'
    )
    assert (
        signal(STAMP, PEER, 1, 'SIGHUP')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "signal", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "code": "1", "name": "SIGHUP" } }'
    )


def test_shutdown_has_no_neighbor_and_no_counter() -> None:
    assert (
        shutdown(STAMP)
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "type": "notification", "notification": "shutdown" }'
    )


def test_packets() -> None:
    assert (
        packets(STAMP, PEER, 'send', 4, b'\xff' * 16 + b'\x00\x13\x04', b'')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "keepalive", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "send", "message": { "category": 4, "header": "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304", "body": "0x" }  } }'
    )
    assert (
        packets(STAMP, PEER, 'send', 7, b'\xff' * 16 + b'\x00\x13\x07', b'')
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "unknown", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "send", "message": { "category": 7, "header": "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001307", "body": "0x" }  } }'
    )


# (our OPEN body, the peer's OPEN body, what 5.0 wrote) with our router id 10.0.0.9
NEGOTIATED = [
    (
        '04fde800b40a0000012002060104000100010206010400020001020641040000fde80202020002024600',
        '04fde9005a0a00000124020601040002000102060104000100010206010400010002020641040000fde902020200',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "negotiated", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.9" , "negotiated": { "message_size": 4096, "hold_time": 90, "asn4": true, "multisession": false, "operational": false, "refresh": "normal", "families": ["ipv6 unicast", "ipv4 unicast"], "nexthop": [], "add_path": {"send": [], "receive": []} }  } }',
    ),
    (
        '04fde800b40a0000012802060104000100010206010400020001020641040000fde80202020002024600020206000202b900',
        '04fde900b40a000001140206010400010001020206000202b90002028000',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "negotiated", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.9" , "negotiated": { "message_size": 65535, "hold_time": 180, "asn4": false, "multisession": false, "operational": true, "refresh": "absent", "families": ["ipv4 unicast"], "nexthop": [], "add_path": {"send": [], "receive": []} }  } }',
    ),
    (
        '04fde800b40a0000013002060104000100010206010400020001020641040000fde80202020002024600020e450c000101030002010100010202',
        '04fde900b40a00000124020601040001000102060104000200010212451000010103000201020001020300018003',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "negotiated", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.9" , "negotiated": { "message_size": 4096, "hold_time": 180, "asn4": false, "multisession": false, "operational": false, "refresh": "absent", "families": ["ipv4 unicast", "ipv6 unicast"], "nexthop": [], "add_path": {"send": ["ipv4 unicast"], "receive": ["ipv4 unicast", "ipv6 unicast"]} }  } }',
    ),
    (
        '04fde800b40a0000013002060104000100010206010400020001020641040000fde80202020002024600020e050c000100010002000100800002',
        '04fde900b40a0000011e020601040001000102140512000100800002000100010002000100020002',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "negotiated", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.9" , "negotiated": { "message_size": 4096, "hold_time": 180, "asn4": false, "multisession": false, "operational": false, "refresh": "absent", "families": ["ipv4 unicast"], "nexthop": ["ipv4 mpls-vpn ipv6", "ipv4 unicast ipv6"], "add_path": {"send": [], "receive": []} }  } }',
    ),
    (
        '04fde800b40a0000012602060104000100010206010400020001020641040000fde80202020002024600020444020001',
        '04fde900b40a00000115020601040001000102060104000200010203440100',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "negotiated", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.9" , "negotiated": { "message_size": 4096, "hold_time": 180, "asn4": false, "multisession": true, "operational": false, "refresh": "absent", "families": ["ipv4 unicast", "ipv6 unicast"], "nexthop": [], "add_path": {"send": [], "receive": []} }  } }',
    ),
]


@pytest.mark.parametrize(('ours', 'theirs', 'expected'), NEGOTIATED)
def test_negotiated(ours: str, theirs: str, expected: str) -> None:
    value = negotiate(Open.unpack(bytes.fromhex(ours), DEFAULT), Open.unpack(bytes.fromhex(theirs), DEFAULT))
    peer = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.9')
    assert negotiated(STAMP, peer, value) == expected
    json.loads(expected)


def test_packets_with_negotiated() -> None:
    ours, theirs, _ = NEGOTIATED[2]
    value = negotiate(Open.unpack(bytes.fromhex(ours), DEFAULT), Open.unpack(bytes.fromhex(theirs), DEFAULT))
    peer = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.9')
    written = packets(STAMP, peer, 'receive', 2, UPDATE_HEADER, b'\x00' * 4, value)
    assert (
        written
        == '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "update", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.9" , "direction": "receive", "message": { "category": 2, "header": "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001702", "body": "0x00000000" } , "negotiated": { "message_size": 4096, "hold_time": 180, "asn4": false, "multisession": false, "operational": false, "refresh": "absent", "families": ["ipv4 unicast", "ipv6 unicast"], "nexthop": [], "add_path": {"send": ["ipv4 unicast"], "receive": ["ipv4 unicast", "ipv6 unicast"]} }  } }'
    )
