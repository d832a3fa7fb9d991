"""JSON of OPEN, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH and OPERATIONAL, byte for byte.

Every expected line was written by ExaBGP 5.0.15's own JSON encoder (reactor/api/response/json.py)
for the same message, neighbor and stamp (its clock, host and pids pinned to the values of STAMP).
A sent NOTIFICATION is one 5.0 built with Notify(6, 2, 'bye').
"""

import json
from ipaddress import IPv4Address

import pytest

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_messages import encode, operational
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.family import IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.operational import ASM, RPCP, RPCQ, Advisory, Query, Reply, UnknownOperational
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.unknown import UnknownMessage

SOFTWARE_OPEN = Open(
    4,
    65533,
    180,
    IPv4Address('10.0.0.2'),
    (MultiProtocol(IPV4_UNICAST), ASN4(65533), SoftwareVersion('ExaBGP/main-c2a2ea8ebd-20240715')),
)
OPEN_BODY = bytes.fromhex(
    '04FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578614247502F6D61696E2D633261326561386562642D3230323430373135'
)
OPEN_HEADER = b'\xff' * 16 + b'\x00\x51\x01'
STAMP = Stamp(1.5, 'host', 10, 20, 1)
PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.2')


def header(kind: int, length: int) -> bytes:
    return b'\xff' * 16 + (19 + length).to_bytes(2, 'big') + bytes((kind,))


CASES = [
    pytest.param(
        SOFTWARE_OPEN,
        'receive',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "open", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "receive", "open": { "version": 4, "asn": 65533, "hold_time": 180, "router_id": "10.0.0.2", "capabilities": { "1": { "name": "multiprotocol", "families": [ "ipv4/unicast" ] }, "65": { "name": "asn4", "asn4": 65533 }, "75": { "software": "ExaBGP/main-c2a2ea8ebd-20240715" } } } } }',
        id='open',
    ),
    pytest.param(
        SOFTWARE_OPEN,
        'send',
        OPEN_HEADER,
        OPEN_BODY,
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "open", "header": "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005101", "body": "0x04FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578614247502F6D61696E2D633261326561386562642D3230323430373135", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "send", "open": { "version": 4, "asn": 65533, "hold_time": 180, "router_id": "10.0.0.2", "capabilities": { "1": { "name": "multiprotocol", "families": [ "ipv4/unicast" ] }, "65": { "name": "asn4", "asn4": 65533 }, "75": { "software": "ExaBGP/main-c2a2ea8ebd-20240715" } } } } }',
        id='open_packets',
    ),
    pytest.param(
        Notification(6, 2, b'\x04test'),
        'receive',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "notification", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "receive", "notification": { "code": 6, "subcode": 2, "data": "0x53687574646F776E20436F6D6D756E69636174696F6E3A20227465737422", "message": "Shutdown Communication: \\"test\\"" }  } }',
        id='notification',
    ),
    pytest.param(
        Notification(2, 2, b'\x01\x02'),
        'receive',
        header(3, 4),
        bytes.fromhex('02020102'),
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "notification", "header": "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001703", "body": "0x02020102", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "receive", "notification": { "code": 2, "subcode": 2, "data": "0x0102", "message": "\\u0001\\u0002" }  } }',
        id='notification_packets',
    ),
    pytest.param(
        Notification.outgoing(6, 2, 'bye'),
        'send',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "notification", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "send", "notification": { "code": 6, "subcode": 2, "data": "0x03627965", "message": "\\u0003bye" }  } }',
        id='notification_sent',
    ),
    pytest.param(
        KeepAlive(),
        'send',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "keepalive", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "send"  } }',
        id='keepalive',
    ),
    pytest.param(
        KeepAlive(),
        'receive',
        header(4, 0),
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "keepalive", "header": "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "receive"  } }',
        id='keepalive_packets',
    ),
    pytest.param(
        RouteRefresh(IPV6_MULTICAST, 1),
        'receive',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "refresh", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "receive", "route-refresh": { "afi": "ipv6", "safi": "multicast", "subtype": "begin" } } }',
        id='refresh',
    ),
    pytest.param(
        Advisory(ASM, IPV4_UNICAST, 'é"\nhi'.encode()),
        'receive',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "operational", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "receive", "operational": { "name": "ASM", "afi": "ipv4", "safi": "unicast", "advisory": "\\u00e9\\"\\nhi" } } }',
        id='advisory',
    ),
    pytest.param(
        Query(RPCQ, IPV6_UNICAST, IPv4Address('1.2.3.4'), 10),
        'receive',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "operational", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "receive", "operational": { "name": "RPCQ", "afi": "ipv6", "safi": "unicast" } } }',
        id='query',
    ),
    pytest.param(
        Reply(RPCP, IPV4_UNICAST, IPv4Address('1.2.3.4'), 10, 7),
        'send',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "operational", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "send", "operational": { "name": "RPCP", "afi": "ipv4", "safi": "unicast", "router-id": "1.2.3.4", "sequence": 10, "counter": 7 } } }',
        id='reply',
    ),
    pytest.param(
        Reply(RPCP, IPV4_UNICAST, IPv4Address('1.2.3.4'), 0, 0xFFFFFFFF),
        'send',
        b'',
        b'',
        '{ "exabgp": "5.0.0", "time": 1.5, "host" : "host", "pid" : 10, "ppid" : 20, "counter": 1, "type": "operational", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 65000, "peer": 65001 }, "router-id": "10.0.0.2" , "direction": "send", "operational": { "name": "RPCP", "afi": "ipv4", "safi": "unicast", "router-id": "1.2.3.4", "sequence": "None", "counter": 4294967295 } } }',
        id='reply_zero',
    ),
]


@pytest.mark.parametrize(('message', 'direction', 'head', 'body', 'expected'), CASES)
def test_as_5_0_writes_it(message, direction: str, head: bytes, body: bytes, expected: str) -> None:
    written = encode(STAMP, PEER, direction, message, head, body)
    assert written == expected
    json.loads(written)


def test_no_router_id_no_counter() -> None:
    peer = Peer('::1', '::2', 1, 4200000000)
    written = encode(Stamp(2.0, 'h', 1, 2), peer, 'in', KeepAlive())
    assert written == (
        '{ "exabgp": "5.0.0", "time": 2.0, "host" : "h", "pid" : 1, "ppid" : 2, "type": "keepalive", '
        '"neighbor": { "address": { "local": "::1", "peer": "::2" }, "asn": { "local": 1, "peer": 4200000000 } , '
        '"direction": "in"  } }'
    )


def test_what_5_0_does_not_write() -> None:
    assert operational(STAMP, PEER, 'receive', UnknownOperational(b'\x00\x09\x00\x00')) is None
    assert encode(STAMP, PEER, 'receive', UnknownMessage(9)) is None
