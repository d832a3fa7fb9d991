"""Protocol errors as data.

`PeerError` is the only exception a message's `unpack` may raise: it carries the NOTIFICATION code, subcode
and data (RFC 4271 section 6) the session answers with, and a reason for the log. Anything else
escaping a decoder is a bug. The NOTIFICATION itself is a message value (bgp.message.notification).

`Malformed` never leaves the codec: an attribute or NLRI decoder raises it, and the UPDATE decoder
turns it into an RFC 7606 action (from the attribute's table entry) or a `PeerError`.
"""


class PeerError(Exception):
    """Decoding failed in a way the peer must be told about with a NOTIFICATION."""

    def __init__(self, code: int, subcode: int, data: bytes = b'', reason: str = '') -> None:
        super().__init__(reason or f'notification {code}/{subcode}')
        self.code = code
        self.subcode = subcode
        self.data = data
        self.reason = reason or f'notification {code}/{subcode}'

    def __repr__(self) -> str:
        return f'PeerError({self.code}, {self.subcode}, {self.data!r}, {self.reason!r})'


class Malformed(Exception):
    """An attribute's or NLRI's value is invalid; `subcode` is the UPDATE error subcode 5.0 would send on reset."""

    def __init__(self, reason: str, subcode: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.subcode = subcode


# NOTIFICATION error codes and subcodes (RFC 4271, 4486, 6608, 7313, 8203, 9234)
MESSAGE_HEADER_ERROR = 1
CONNECTION_NOT_SYNCHRONIZED = 1
BAD_MESSAGE_LENGTH = 2
BAD_MESSAGE_TYPE = 3

OPEN_MESSAGE_ERROR = 2
UNSUPPORTED_VERSION_NUMBER = 1
BAD_PEER_AS = 2
BAD_BGP_IDENTIFIER = 3
UNSUPPORTED_OPTIONAL_PARAMETER = 4
UNACCEPTABLE_HOLD_TIME = 6
UNSUPPORTED_CAPABILITY = 7
ROLE_MISMATCH = 11

UPDATE_MESSAGE_ERROR = 3
MALFORMED_ATTRIBUTE_LIST = 1
UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2
MISSING_WELL_KNOWN_ATTRIBUTE = 3
ATTRIBUTE_FLAGS_ERROR = 4
ATTRIBUTE_LENGTH_ERROR = 5
INVALID_ORIGIN_ATTRIBUTE = 6
INVALID_NEXT_HOP_ATTRIBUTE = 8
OPTIONAL_ATTRIBUTE_ERROR = 9
INVALID_NETWORK_FIELD = 10
MALFORMED_AS_PATH = 11

HOLD_TIMER_EXPIRED = 4

FSM_ERROR = 5
FSM_UNEXPECTED_IN_OPENSENT = 1
FSM_UNEXPECTED_IN_OPENCONFIRM = 2
FSM_UNEXPECTED_IN_ESTABLISHED = 3

CEASE = 6
MAXIMUM_PREFIXES_REACHED = 1
ADMINISTRATIVE_SHUTDOWN = 2
PEER_DECONFIGURED = 3
ADMINISTRATIVE_RESET = 4
CONNECTION_REJECTED = 5
OTHER_CONFIGURATION_CHANGE = 6
CONNECTION_COLLISION_RESOLUTION = 7
OUT_OF_RESOURCES = 8
HARD_RESET = 9
BFD_DOWN = 10

ROUTE_REFRESH_MESSAGE_ERROR = 7
INVALID_MESSAGE_LENGTH = 1
