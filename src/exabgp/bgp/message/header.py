"""The BGP message header (RFC 4271 section 4.1) and its checks.

    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                           Marker (16)                         |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |          Length               |      Type     |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Invariants: `check` raises only PeerError: 1/1 for a bad marker, 1/2 with the length as data for
a length outside 19..max or below the type's minimum. A type we do not know passes the header check:
it decodes to a value keeping its bytes, and the session decides what to answer (`unknown_type`
gives the 1/3 error). `frame` is the inverse of the header split for bodies that fit. `NAMES` is the
only place a message kind is named; every other list of kinds is derived from it.
"""

from enum import IntEnum

from exabgp.bgp.errors import (
    BAD_MESSAGE_LENGTH,
    BAD_MESSAGE_TYPE,
    CONNECTION_NOT_SYNCHRONIZED,
    MESSAGE_HEADER_ERROR,
    PeerError,
)

MARKER = b'\xff' * 16
HEADER_SIZE = 19


class MessageType(IntEnum):
    OPEN = 1
    UPDATE = 2
    NOTIFICATION = 3
    KEEPALIVE = 4
    ROUTE_REFRESH = 5
    OPERATIONAL = 6


# ExaBGP 5.0's short name of each kind, the one list of them: the `send`/`receive` keyword of an api
# section, the counters of `show neighbor`, and (but for ROUTE-REFRESH) the type of a "packets" event
NAMES: dict[int, str] = {
    MessageType.OPEN: 'open',
    MessageType.UPDATE: 'update',
    MessageType.NOTIFICATION: 'notification',
    MessageType.KEEPALIVE: 'keepalive',
    MessageType.ROUTE_REFRESH: 'refresh',
    MessageType.OPERATIONAL: 'operational',
}


# smallest valid message of each type, header included (RFC 4271 4.1, RFC 2918, draft operational)
MINIMUM: dict[int, int] = {
    MessageType.OPEN: 29,
    MessageType.UPDATE: 23,
    MessageType.NOTIFICATION: 21,
    MessageType.KEEPALIVE: 19,
    MessageType.ROUTE_REFRESH: 23,
    MessageType.OPERATIONAL: 19,
}


def check(header: bytes, max_size: int) -> tuple[int, int]:
    """Validate a 19-octet header; return (total length, message type)."""
    if header[:16] != MARKER:
        raise PeerError(MESSAGE_HEADER_ERROR, CONNECTION_NOT_SYNCHRONIZED, b'', 'the marker is not all ones')
    length = int.from_bytes(header[16:18], 'big')
    kind = header[18]
    if length < HEADER_SIZE or length > max_size:
        raise PeerError(
            MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH, header[16:18], f'message length {length} is not in 19..{max_size}'
        )
    minimum = MINIMUM.get(kind, HEADER_SIZE)
    if length < minimum or (kind == MessageType.KEEPALIVE and length != HEADER_SIZE):
        raise PeerError(
            MESSAGE_HEADER_ERROR,
            BAD_MESSAGE_LENGTH,
            header[16:18],
            f'message length {length} is invalid for type {kind}',
        )
    return length, kind


def unknown_type(kind: int) -> PeerError:
    """RFC 4271 6.1: Bad Message Type, the type octet as data (5.0 sends a sentence instead, 6.0
    another one with subcode 0)."""
    five = (BAD_MESSAGE_TYPE, f'can not decode message of type "{kind}"'.encode())
    six = (0, f'can not decode update message of type "{kind}"'.encode())
    reason = f'unknown message type {kind}'
    return PeerError(MESSAGE_HEADER_ERROR, BAD_MESSAGE_TYPE, bytes([kind]), reason, five, six)


def frame(kind: int, body: bytes) -> bytes:
    """A whole message: marker, length, type, body."""
    return MARKER + (HEADER_SIZE + len(body)).to_bytes(2, 'big') + bytes([kind]) + body
