"""The NOTIFICATION message (RFC 4271 section 4.5), with the Shutdown Communication of RFC 8203 and
RFC 9003 for Cease / Administrative Shutdown and Cease / Administrative Reset.

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    | Error code    | Error subcode |   Data (variable)             |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

    Shutdown Communication (Cease 2 and 4): Length (1 octet), then that many octets of UTF-8.

Invariants:
- A Notification is a message value, never an exception; `data` is the data octets as on the wire.
- What we send carries the data its RFC defines and nothing else (RFC 4271 6, 4486, 5492, 6608,
  7313, 8203/9003): no English. `five=True` builds 5.0's form instead (its texts as data, the
  subcode name when it has none), for the `exabgp.notification.text` setting.
- `unpack` never fails: a body too short to hold a code reads as 0/0 with 5.0's explanation.
- `shown(received)` is the data as 5.0 shows it: for a NOTIFICATION it received, a Shutdown
  Communication is replaced by its reading ('Shutdown Communication: "..."', or 'invalid Shutdown
  Communication (...)' with the octets in hex when the length is wrong, above 128, or the text is
  not UTF-8: such text is never interpreted); one it sends is shown as sent.
- Code and subcode names are 5.0's, typos included ('unknow reason').
"""

from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.errors import ADMINISTRATIVE_RESET, ADMINISTRATIVE_SHUTDOWN, CEASE, PeerError
from exabgp.bgp.message.header import HEADER_SIZE, MessageType, frame
from exabgp.bgp.negotiated import Negotiated

SHUTDOWN_MAXIMUM = 128  # RFC 8203's limit, which 5.0 still applies to what it receives
SHUTDOWN_SUBCODES = (ADMINISTRATIVE_SHUTDOWN, ADMINISTRATIVE_RESET)

CODE_NAMES = {
    1: 'Message header error',
    2: 'OPEN message error',
    3: 'UPDATE message error',
    4: 'Hold timer expired',
    5: 'State machine error',
    6: 'Cease',
}

SUBCODE_NAMES = {
    (1, 0): 'Unspecific',
    (1, 1): 'Connection Not Synchronized',
    (1, 2): 'Bad Message Length',
    (1, 3): 'Bad Message Type',
    (2, 0): 'Unspecific',
    (2, 1): 'Unsupported Version Number',
    (2, 2): 'Bad Peer AS',
    (2, 3): 'Bad BGP Identifier',
    (2, 4): 'Unsupported Optional Parameter',
    (2, 5): 'Authentication Notification (Deprecated)',
    (2, 6): 'Unacceptable Hold Time',
    (2, 7): 'Unsupported Capability',
    (2, 8): 'Grouping Conflict',
    (2, 9): 'Grouping Required',
    (2, 10): 'Capability Value Mismatch',
    (3, 0): 'Unspecific',
    (3, 1): 'Malformed Attribute List',
    (3, 2): 'Unrecognized Well-known Attribute',
    (3, 3): 'Missing Well-known Attribute',
    (3, 4): 'Attribute Flags Error',
    (3, 5): 'Attribute Length Error',
    (3, 6): 'Invalid ORIGIN Attribute',
    (3, 7): 'AS Routing Loop',
    (3, 8): 'Invalid NEXT_HOP Attribute',
    (3, 9): 'Optional Attribute Error',
    (3, 10): 'Invalid Network Field',
    (3, 11): 'Malformed AS_PATH',
    (4, 0): 'Unspecific',
    (5, 0): 'Unspecific',
    (5, 1): 'Receive Unexpected Message in OpenSent State',
    (5, 2): 'Receive Unexpected Message in OpenConfirm State',
    (5, 3): 'Receive Unexpected Message in Established State',
    (6, 0): 'Unspecific',
    (6, 1): 'Maximum Number of Prefixes Reached',
    (6, 2): 'Administrative Shutdown',
    (6, 3): 'Peer De-configured',
    (6, 4): 'Administrative Reset',
    (6, 5): 'Connection Rejected',
    (6, 6): 'Other Configuration Change',
    (6, 7): 'Connection Collision Resolution',
    (6, 8): 'Out of Resources',
    (7, 1): 'Invalid Message Length',
    (7, 2): 'Malformed Message Subtype',
}


def _hex(data: bytes) -> str:
    return '0x' + data.hex().upper()


def read_shutdown(data: bytes) -> bytes:
    """A received Shutdown Communication as 5.0 shows it."""
    if not data:
        return b''
    length, text = data[0], data[1:]
    if length == 0:
        return b'empty Shutdown Communication.'
    if len(text) < length:
        return f'invalid Shutdown Communication (buffer underrun) length : {length} [{_hex(text)}]'.encode()
    if length > SHUTDOWN_MAXIMUM:
        return f'invalid Shutdown Communication (too large) length : {length} [{_hex(text)}]'.encode()
    try:
        message = text[:length].decode('utf-8')
    except UnicodeDecodeError:
        return f'invalid Shutdown Communication (invalid UTF-8) length : {length} [{_hex(text)}]'.encode()
    shown = 'Shutdown Communication: "{}"'.format(message.replace('\r', ' ').replace('\n', ' '))
    trailer = text[length:]
    if trailer:
        shown += f', trailing data: {_hex(trailer)}'
    return shown.encode()


@dataclass(frozen=True, slots=True)
class Notification:
    TYPE: ClassVar[int] = MessageType.NOTIFICATION

    code: int
    subcode: int
    data: bytes = b''

    @classmethod
    def unpack(cls, body: bytes, negotiated: Negotiated) -> Self:
        if len(body) < 2:
            return cls(0, 0, b'peer sent a NOTIFICATION of %d bytes, too short to carry a code' % len(body))
        return cls(body[0], body[1], bytes(body[2:]))

    @classmethod
    def from_error(cls, error: PeerError, five: bool = False, six: bool = False) -> Self:
        subcode, data = error.chosen(five, six)
        return cls(error.code, subcode, data)

    @classmethod
    def outgoing(cls, code: int, subcode: int, text: str | None = None, five: bool = False) -> Self:
        """The NOTIFICATION for (code, subcode, text), where `text` is the explanation we log.

        By the RFCs, only Cease 2 and 4 carry text, as a Shutdown Communication (RFC 9003: length
        octet first, at most 255 octets of UTF-8, cut on a character boundary); without text, the
        subcode name, as 5.0 sends it. The others carry nothing. 5.0 (`five`) sends the text, or the
        subcode name when there is none, as data whatever the code."""
        name = SUBCODE_NAMES.get((code, subcode), 'unknown notification type')
        if five:
            data = (name if text is None else text).encode()
        elif code == CEASE and subcode in SHUTDOWN_SUBCODES:
            data = (text or name).encode('utf-8')[:255].decode('utf-8', 'ignore').encode('utf-8')
        else:
            return cls(code, subcode, b'')
        if code == CEASE and subcode in SHUTDOWN_SUBCODES:
            data = data[:255]
            data = bytes((len(data),)) + data
        return cls(code, subcode, data)

    def pack(self, negotiated: Negotiated) -> bytes:
        # the data is cut to what the message may hold: RFC 7313 5 makes a whole ROUTE-REFRESH the
        # data of its error, and that one may already be as long as a message can be (RFC 8654)
        room = negotiated.msg_size - HEADER_SIZE - 2
        return frame(self.TYPE, bytes((self.code, self.subcode)) + self.data[:room])

    @property
    def code_name(self) -> str:
        return CODE_NAMES.get(self.code, 'unknown error')

    @property
    def subcode_name(self) -> str:
        return SUBCODE_NAMES.get((self.code, self.subcode), 'unknow reason')

    def shown(self, received: bool) -> bytes:
        if received and self.code == CEASE and self.subcode in SHUTDOWN_SUBCODES:
            return read_shutdown(self.data)
        return self.data

    def describe(self, received: bool) -> str:
        """'<code name> / <subcode name> / <data>', the line 5.0 logs."""
        data = self.shown(received)
        try:
            text = f' / {data.decode("ascii")}' if data else ''
        except UnicodeDecodeError:
            text = f' / {_hex(data)}'
        return f'{self.code_name} / {self.subcode_name}{text}'

    def __str__(self) -> str:
        return self.describe(True)
