"""NOTIFICATION: wire both ways, 5.0's reading of Shutdown Communications, names and log lines.

Every (body, shown data, log line) below is what ExaBGP 5.0.15 produced for the same body received
from a peer (Notification.unpack_message, then its data and str()).
"""

import pytest

from exabgp.bgp.errors import PeerError
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.negotiated import DEFAULT

RECEIVED = [
    (
        '06020474657374',
        b'Shutdown Communication: "test"',
        'Cease / Administrative Shutdown / Shutdown Communication: "test"',
    ),
    ('0602', b'', 'Cease / Administrative Shutdown'),
    (
        '060205746573',
        b'invalid Shutdown Communication (buffer underrun) length : 5 [0x746573]',
        'Cease / Administrative Shutdown / invalid Shutdown Communication (buffer underrun) length : 5 [0x746573]',
    ),
    ('060200', b'empty Shutdown Communication.', 'Cease / Administrative Shutdown / empty Shutdown Communication.'),
    (
        '060202c328',
        b'invalid Shutdown Communication (invalid UTF-8) length : 2 [0xC328]',
        'Cease / Administrative Shutdown / invalid Shutdown Communication (invalid UTF-8) length : 2 [0xC328]',
    ),
    (
        '0604036162630a0d',
        b'Shutdown Communication: "abc", trailing data: 0x0A0D',
        'Cease / Administrative Reset / Shutdown Communication: "abc", trailing data: 0x0A0D',
    ),
    (
        '06040361620d0affee',
        b'Shutdown Communication: "ab ", trailing data: 0x0AFFEE',
        'Cease / Administrative Reset / Shutdown Communication: "ab ", trailing data: 0x0AFFEE',
    ),
    (
        '060281' + '61' * 129,
        b'invalid Shutdown Communication (too large) length : 129 [0x' + b'61' * 129 + b']',
        'Cease / Administrative Shutdown / invalid Shutdown Communication (too large) length : 129 [0x'
        + '61' * 129
        + ']',
    ),
    (
        '060280' + '61' * 128,
        b'Shutdown Communication: "' + b'a' * 128 + b'"',
        'Cease / Administrative Shutdown / Shutdown Communication: "' + 'a' * 128 + '"',
    ),
    ('0101', b'', 'Message header error / Connection Not Synchronized'),
    ('02020102', b'\x01\x02', 'OPEN message error / Bad Peer AS / \x01\x02'),
    ('0603', b'', 'Cease / Peer De-configured'),
    ('0609', b'', 'Cease / unknow reason'),
    ('0701', b'', 'unknown error / Invalid Message Length'),
    ('0900', b'', 'unknown error / unknow reason'),
    ('0502ff', b'\xff', 'State machine error / Receive Unexpected Message in OpenConfirm State / 0xFF'),
]


@pytest.mark.parametrize(('body', 'shown', 'line'), RECEIVED, ids=[body[:20] for body, *_ in RECEIVED])
def test_received_notifications_read_as_5_0(body: str, shown: bytes, line: str) -> None:
    message = Notification.unpack(bytes.fromhex(body), DEFAULT)
    assert message.shown(received=True) == shown
    assert str(message) == line
    # the value keeps the octets as sent: never interpreted away
    assert message.pack(DEFAULT)[19:].hex() == body


def test_wire_both_ways() -> None:
    message = Notification(6, 2, b'\x04test')
    wire = message.pack(DEFAULT)
    assert wire.hex() == 'ff' * 16 + '001a' + '03' + '0602' + '0474657374'
    assert Notification.unpack(wire[19:], DEFAULT) == message


def test_a_body_too_short_for_a_code_reads_as_0_0() -> None:
    message = Notification.unpack(b'\x06', DEFAULT)
    assert (message.code, message.subcode) == (0, 0)
    assert (
        str(message) == 'unknown error / unknow reason / peer sent a NOTIFICATION of 1 bytes, too short to carry a code'
    )


def test_one_we_send_is_shown_as_sent() -> None:
    message = Notification(6, 2, b'\x04test')
    assert message.shown(received=False) == b'\x04test'
    assert message.describe(received=False) == 'Cease / Administrative Shutdown / \x04test'


def test_outgoing_builds_what_5_0_sends() -> None:
    # confirmed with 5.0.15's Notify(code, subcode[, text]).message()
    assert Notification.outgoing(6, 2, 'test', five=True).data == b'\x04test'
    assert Notification.outgoing(6, 2, five=True).data == b'\x17Administrative Shutdown'
    assert Notification.outgoing(6, 3, five=True).data == b'Peer De-configured'
    assert Notification.outgoing(2, 2, 'bad', five=True).data == b'bad'
    assert Notification.outgoing(9, 9, five=True).data == b'unknown notification type'
    long = Notification.outgoing(6, 4, 'x' * 300, five=True).data
    assert long[0] == 255
    assert len(long) == 256


def test_outgoing_carries_only_what_the_rfcs_define() -> None:
    # RFC 9003: a Shutdown Communication for Cease 2 and 4, the subcode name when there is no text
    assert Notification.outgoing(6, 2, 'test').data == b'\x04test'
    assert Notification.outgoing(6, 4, 'maintenance').data == b'\x0bmaintenance'
    assert Notification.outgoing(6, 4).data == b'\x14Administrative Reset'
    # RFC 4486 gives the other Cease subcodes no data: the text is for our log only
    assert Notification.outgoing(6, 3).data == b''
    assert Notification.outgoing(6, 5, 'no session configured for the peer').data == b''
    assert Notification.outgoing(6, 7, 'collision').data == b''
    assert Notification.outgoing(2, 2, 'bad').data == b''


def test_a_long_shutdown_communication_is_cut_on_a_character_boundary() -> None:
    # RFC 9003 2: at most 255 octets of UTF-8; a two-octet character must not be split
    data = Notification.outgoing(6, 2, 'é' * 200).data
    assert data[0] == len(data) - 1 == 254
    assert data[1:].decode('utf-8') == 'é' * 127


def test_from_error_keeps_code_subcode_and_data() -> None:
    error = PeerError(3, 1, b'\x00\x01', 'malformed')
    assert Notification.from_error(error) == Notification(3, 1, b'\x00\x01')


def test_from_error_sends_5_0s_form_when_asked() -> None:
    error = PeerError(2, 2, b'', 'bad peer AS', (2, b'bad peer AS'))
    assert Notification.from_error(error) == Notification(2, 2, b'')
    assert Notification.from_error(error, five=True) == Notification(2, 2, b'bad peer AS')


def test_names() -> None:
    message = Notification(2, 6)
    assert (message.code_name, message.subcode_name) == ('OPEN message error', 'Unacceptable Hold Time')
    assert Notification(3, 99).subcode_name == 'unknow reason'


def test_is_a_value_not_an_exception() -> None:
    assert not isinstance(Notification(6, 0), BaseException)
    assert hash(Notification(6, 0)) == hash(Notification(6, 0))
