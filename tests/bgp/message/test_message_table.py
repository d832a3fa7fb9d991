"""KEEPALIVE, unknown message types and the message table."""

from ipaddress import IPv4Address

import pytest

from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.header import NAMES, MessageType, unknown_type
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.operational import Advisory
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.table import MESSAGES, unpack_message
from exabgp.bgp.message.unknown import UnknownMessage
from exabgp.bgp.negotiated import DEFAULT


def test_keepalive_both_ways() -> None:
    assert KeepAlive().pack(DEFAULT) == b'\xff' * 16 + b'\x00\x13\x04'
    assert KeepAlive.unpack(b'', DEFAULT) == KeepAlive()
    assert str(KeepAlive()) == 'KEEPALIVE'


def test_keepalive_with_a_body_is_bad_message_length() -> None:
    with pytest.raises(PeerError) as caught:
        KeepAlive.unpack(b'\x00', DEFAULT)
    assert (caught.value.code, caught.value.subcode, caught.value.data) == (1, 2, b'\x00\x14')


def test_unknown_type_keeps_its_body() -> None:
    message = unpack_message(9, memoryview(b'\x01\x02'), DEFAULT)
    assert message == UnknownMessage(9, b'\x01\x02')
    assert message.TYPE == 9
    assert message.pack(DEFAULT) == b'\xff' * 16 + b'\x00\x15\x09\x01\x02'
    assert unknown_type(message.TYPE).subcode == 3


@pytest.mark.parametrize(
    ('kind', 'body', 'value'),
    [
        (1, '04FDE800B40A00000100', Open(4, 65000, 180, IPv4Address('10.0.0.1'))),
        (
            1,
            '04FDE800B40A00000109020749050161026262',
            Open(4, 65000, 180, IPv4Address('10.0.0.1'), (HostName('a', 'bb'),)),
        ),
        (3, '0604', Notification(6, 4)),
        (4, '', KeepAlive()),
        (5, '00010001', RouteRefresh(IPV4_UNICAST)),
        (6, '000100050001016869', Advisory(1, IPV4_UNICAST, b'hi')),
    ],
)
def test_dispatch(kind: int, body: str, value) -> None:
    assert unpack_message(kind, bytes.fromhex(body), DEFAULT) == value
    assert unpack_message(kind, memoryview(bytes.fromhex(body)), DEFAULT) == value
    assert kind == value.TYPE


def test_table_holds_every_type() -> None:
    assert set(MESSAGES) == {
        MessageType.OPEN,
        MessageType.UPDATE,
        MessageType.NOTIFICATION,
        MessageType.KEEPALIVE,
        5,
        6,
    }
    for kind, cls in MESSAGES.items():
        assert kind == cls.TYPE


def test_every_kind_has_5_0_short_name() -> None:
    assert set(NAMES) == set(MESSAGES)
    assert list(NAMES.values()) == ['open', 'update', 'notification', 'keepalive', 'refresh', 'operational']
