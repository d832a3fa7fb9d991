"""Text encoder lines for OPEN, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH and OPERATIONAL.

Every expected line was written by ExaBGP 5.0.15's own text encoder (reactor/api/response/text.py)
for the same message and neighbor, its quirks included (operational lines end without a newline,
and show an advisory as a bytes literal).
"""

from ipaddress import IPv4Address

import pytest

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.text_messages import encode, oneline
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.family import IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, Family
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.operational import ASM, RPCP, RPCQ, Advisory, Query, Reply
from exabgp.bgp.message.refresh import RouteRefresh

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
        'neighbor 127.0.0.2 receive open version 4 asn 65533 hold_time 180 router_id 10.0.0.2 capabilities [multiprotocol(ipv4 unicast), asn4(65533), software(exabgp/main-c2a2ea8ebd-20240715)]\n',
        id='open',
    ),
    pytest.param(
        SOFTWARE_OPEN,
        'send',
        OPEN_HEADER,
        OPEN_BODY,
        'neighbor 127.0.0.2 send open version 4 asn 65533 hold_time 180 router_id 10.0.0.2 capabilities [multiprotocol(ipv4 unicast), asn4(65533), software(exabgp/main-c2a2ea8ebd-20240715)] header 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005101 body 0x04FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578614247502F6D61696E2D633261326561386562642D3230323430373135\n',
        id='open_packets',
    ),
    pytest.param(
        Notification(6, 2, b'\x04test'),
        'receive',
        b'',
        b'',
        'neighbor 127.0.0.2 receive notification code 6 subcode 2 data 0x53687574646F776E20436F6D6D756E69636174696F6E3A20227465737422\n',
        id='notification',
    ),
    pytest.param(
        Notification(2, 2, b'\x01\x02'),
        'receive',
        header(3, 4),
        bytes.fromhex('02020102'),
        'neighbor 127.0.0.2 receive notification code 2 subcode 2 data 0x0102 header 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001703 body 0x02020102\n',
        id='notification_packets',
    ),
    pytest.param(
        Notification.outgoing(6, 2, 'bye'),
        'send',
        b'',
        b'',
        'neighbor 127.0.0.2 send notification code 6 subcode 2 data 0x03627965\n',
        id='notification_sent',
    ),
    pytest.param(KeepAlive(), 'send', b'', b'', 'neighbor 127.0.0.2 send keepalive\n', id='keepalive'),
    pytest.param(
        KeepAlive(),
        'receive',
        header(4, 0),
        b'',
        'neighbor 127.0.0.2 receive keepalive header 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304\n',
        id='keepalive_packets',
    ),
    pytest.param(
        RouteRefresh(IPV6_MULTICAST, 1),
        'receive',
        b'',
        b'',
        'neighbor 127.0.0.2 receive route-refresh afi ipv6 safi multicast begin\n',
        id='refresh',
    ),
    pytest.param(
        Advisory(ASM, IPV4_UNICAST, 'é"\nhi'.encode()),
        'receive',
        b'',
        b'',
        'neighbor 127.0.0.2 receive operational ASM afi ipv4 safi unicast advisory "b\'\\xc3\\xa9"\\nhi\'"',
        id='advisory',
    ),
    pytest.param(
        Query(RPCQ, IPV6_UNICAST, IPv4Address('1.2.3.4'), 10),
        'receive',
        b'',
        b'',
        'neighbor 127.0.0.2 receive operational RPCQ afi ipv6 safi unicast',
        id='query',
    ),
    pytest.param(
        Reply(RPCP, IPV4_UNICAST, IPv4Address('1.2.3.4'), 10, 7),
        'send',
        b'',
        b'',
        'neighbor 127.0.0.2 send operational RPCP afi ipv4 safi unicast router-id 1.2.3.4 sequence 10 counter 7',
        id='reply',
    ),
    pytest.param(
        Reply(RPCP, IPV4_UNICAST, IPv4Address('1.2.3.4'), 0, 0xFFFFFFFF),
        'send',
        b'',
        b'',
        'neighbor 127.0.0.2 send operational RPCP afi ipv4 safi unicast router-id 1.2.3.4 sequence None counter 4294967295',
        id='reply_zero',
    ),
]


@pytest.mark.parametrize(('message', 'direction', 'head', 'body', 'expected'), CASES)
def test_as_5_0_writes_it(message, direction: str, head: bytes, body: bytes, expected: str) -> None:
    assert encode(PEER, direction, message, head, body) == expected


def test_afi_zero_is_undefined() -> None:
    # 5.0.15 wrote this line for the body 00000001
    line = encode(PEER, 'receive', RouteRefresh(Family(0, 1)))
    assert line == 'neighbor 127.0.0.2 receive route-refresh afi undefined safi unicast query\n'


def test_oneline_escapes_what_would_break_the_line() -> None:
    assert oneline('plain text') == 'plain text'
    assert oneline('a\nb\x7fc\u2028é') == 'a\\x0ab\\x7fc\\x2028é'


def test_peer_text_in_an_open_stays_on_its_line() -> None:
    message = Open(4, 1, 180, IPv4Address('1.1.1.1'), (HostName('evil\nneighbor 1.1.1.1 up', 'x'),))
    line = encode(PEER, 'receive', message)
    assert line.endswith('capabilities [hostname(evil\\x0aneighbor 1.1.1.1 up x)]\n')
