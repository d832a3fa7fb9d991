"""Protocol errors as data.

`PeerError` is the only exception a message's `unpack` may raise: it carries the NOTIFICATION code, subcode
and data the session answers with, and a reason for the log. Anything else escaping a decoder is a
bug. The NOTIFICATION itself is a message value (bgp.message.notification).

The data is what the RFC defining the error puts there (RFC 4271 section 6, 5492, 6608, 7313),
never English: routers decode it by the RFC. The explanation goes in `reason`, for the log. Where
ExaBGP 5.0 sends something else (its text as data, sometimes another subcode), `five` holds its
(subcode, data), sent instead when the `exabgp.notification.text` setting asks for 5.0's form.
Where upstream 6.0 sends yet another text, `six` holds its (subcode, data), sent in 6.0's mode.

`Malformed` never leaves the codec: an attribute or NLRI decoder raises it, and the UPDATE decoder
turns it into an RFC 7606 action (from the attribute's table entry) or a `PeerError`.
"""


class PeerError(Exception):
    """Decoding failed in a way the peer must be told about with a NOTIFICATION."""

    def __init__(
        self,
        code: int,
        subcode: int,
        data: bytes = b'',
        reason: str = '',
        five: tuple[int, bytes] | None = None,
        six: tuple[int, bytes] | None = None,
    ) -> None:
        super().__init__(reason or f'notification {code}/{subcode}')
        self.code = code
        self.subcode = subcode
        self.data = data
        self.reason = reason or f'notification {code}/{subcode}'
        self.five = five
        self.six = six

    @classmethod
    def texted(cls, code: int, subcode: int, reason: str, data: bytes = b'') -> 'PeerError':
        """An error 5.0 answers with the same code and subcode and its reason as data."""
        return cls(code, subcode, data, reason, (subcode, reason.encode('ascii', 'replace')))

    def chosen(self, five: bool, six: bool = False) -> tuple[int, bytes]:
        """(subcode, data) to send: the RFC's, or 5.0's when `five` and 5.0 differs, or 6.0's when
        `six` (with `five`: 6.0 sends texts as 5.0 does) and 6.0 differs."""
        if five and six and self.six is not None:
            return self.six
        if five and self.five is not None:
            return self.five
        return self.subcode, self.data

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

SEND_HOLD_TIMER_EXPIRED = 8  # RFC 9687


# RFC 4271 6.3: the UPDATE error subcodes whose data is the erroneous attribute (type, length, value)
ATTRIBUTE_AS_DATA = frozenset(
    (
        UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
        ATTRIBUTE_FLAGS_ERROR,
        ATTRIBUTE_LENGTH_ERROR,
        INVALID_ORIGIN_ATTRIBUTE,
        INVALID_NEXT_HOP_ATTRIBUTE,
        OPTIONAL_ATTRIBUTE_ERROR,
    )
)


def update_error(subcode: int, attribute: bytes, reason: str, five: tuple[int, bytes] | None = None) -> PeerError:
    """An UPDATE message error with the data RFC 4271 6.3 gives `subcode`: the whole attribute for
    the subcodes naming one, its type code alone for Missing Well-known Attribute, else nothing.
    5.0 sends the whole attribute whatever the subcode, unless `five` says otherwise."""
    if subcode in ATTRIBUTE_AS_DATA:
        data = attribute
    elif subcode == MISSING_WELL_KNOWN_ATTRIBUTE:
        data = attribute[1:2]
    else:
        data = b''
    if five is None and data != attribute:
        five = (subcode, attribute)
    return PeerError(UPDATE_MESSAGE_ERROR, subcode, data, reason, five)
