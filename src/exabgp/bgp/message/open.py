"""The OPEN message (RFC 4271 section 4.2), its optional parameters (RFC 5492) and their RFC 9072
extended form.

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+
    |    Version    |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |     My Autonomous System      |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |           Hold Time           |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                         BGP Identifier                        |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    | Opt Parm Len  |  Optional Parameters: Type (1), Length (1), Value ...
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

    RFC 9072: Opt Parm Len 255 followed by type 255 means a 2-octet total length follows, and every
    parameter then has a 2-octet length.

Invariants:
- `asn` is the speaker's AS: on a decoded OPEN it is the 2-octet field as received (AS_TRANS when
  the speaker's AS needs 4 octets); `pack` writes AS_TRANS for an AS above 65535.
- `capabilities` holds every capability TLV in wire order, whatever parameter carried it.
- `unpack` raises only PeerError: 1/2 for a body too short (the length as data), 2/1 for a version
  other than 4 (our version, 4, as two octets of data), 2/0 for a parameter or capability running
  past its container, 2/5 for the deprecated authentication parameter, 2/4 for any other unknown
  parameter type (no data: RFC 4271 and 5492 define none; 5.0's sentence is the `five` form). It keeps what 5.0
  lets through: bytes after the optional parameters are ignored, a parameters length running past
  the body reads what is there (but 255 alone is a truncated RFC 9072 marker: 2/0), and hold time,
  BGP identifier and AS are checked after the OPEN exchange (bgp.capability.negotiation.validate),
  not here, so the OPEN still reaches the API and `exabgp decode` as it does with 5.0.
- `pack` puts each capability in its own parameter, and switches to the RFC 9072 form when the
  parameters reach 255 octets, as 5.0 does.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import ClassVar, Self, TypeVar

from exabgp.bgp.capability.base import Capability, malformed
from exabgp.bgp.capability.table import as_text, decode
from exabgp.bgp.errors import (
    BAD_MESSAGE_LENGTH,
    MESSAGE_HEADER_ERROR,
    OPEN_MESSAGE_ERROR,
    UNSUPPORTED_OPTIONAL_PARAMETER,
    UNSUPPORTED_VERSION_NUMBER,
    PeerError,
)
from exabgp.bgp.message.header import HEADER_SIZE, MessageType, frame
from exabgp.bgp.negotiated import Negotiated

C = TypeVar('C', bound=Capability)

AS_TRANS = 23456
VERSION = 4
FIXED_SIZE = 10  # version, my AS, hold time, BGP identifier, optional parameters length

AUTHENTICATION = 1  # RFC 4271's original parameter, deprecated by RFC 5492
CAPABILITIES = 2
EXTENDED = 255  # RFC 9072 marker, in the length octet and the type octet
AUTHENTICATION_DEPRECATED = 5


def _hex(data: bytes) -> str:
    return '0x' + data.hex()


def _split(data: bytes, what: str, extended: bool) -> tuple[int, bytes, bytes]:
    """One (type, value) out of `data`, and what follows it."""
    head = 3 if extended else 2
    label = f'OPEN (extended) {what}' if extended else f'OPEN {what}'
    if len(data) < head:
        raise malformed(f'Bad length for {label} (<{head}) {_hex(data)}')
    boundary = head + (int.from_bytes(data[1:3], 'big') if extended else data[1])
    if len(data) < boundary:
        raise malformed(f'Bad length for {label} (buffer underrun) {_hex(data)}')
    return data[0], data[head:boundary], data[boundary:]


def _parameters(data: bytes) -> tuple[bytes, bool]:
    """The optional parameters field (after the length) and whether it uses the RFC 9072 form."""
    # a length of 255 with nothing after it can not be told from a truncated RFC 9072 marker
    if data[0] == EXTENDED and (len(data) == 1 or data[1] == EXTENDED):
        if len(data) < 4:
            raise malformed(f'Bad length for OPEN (extended) parameters (<4) {_hex(data)}')
        return data[4 : 4 + int.from_bytes(data[2:4], 'big')], True
    return data[1 : 1 + data[0]], False


def unpack_capabilities(data: bytes) -> tuple[Capability, ...]:
    """Every capability of the optional parameters field, length octet(s) included."""
    parameters, extended = _parameters(bytes(data))
    capabilities: list[Capability] = []
    while parameters:
        kind, value, parameters = _split(parameters, 'parameter', extended)
        if kind == AUTHENTICATION:
            raise PeerError.texted(
                OPEN_MESSAGE_ERROR, AUTHENTICATION_DEPRECATED, 'Authentication Notification (Deprecated)'
            )
        if kind != CAPABILITIES:
            raise PeerError.texted(
                OPEN_MESSAGE_ERROR, UNSUPPORTED_OPTIONAL_PARAMETER, f'unknown OPEN parameter {kind:#x}'
            )
        while value:
            code, content, value = _split(value, 'capability', False)
            capabilities.append(decode(code, content))
    return tuple(capabilities)


def pack_capabilities(capabilities: tuple[Capability, ...]) -> bytes:
    tlvs = [capability.pack() for capability in capabilities]
    parameters = b''.join(bytes((CAPABILITIES, len(tlv))) + tlv for tlv in tlvs)
    if len(parameters) < EXTENDED:
        return bytes((len(parameters),)) + parameters
    parameters = b''.join(bytes((CAPABILITIES,)) + len(tlv).to_bytes(2, 'big') + tlv for tlv in tlvs)
    return bytes((EXTENDED, EXTENDED)) + len(parameters).to_bytes(2, 'big') + parameters


@dataclass(frozen=True, slots=True)
class Open:
    TYPE: ClassVar[int] = MessageType.OPEN

    version: int
    asn: int
    hold_time: int
    router_id: IPv4Address
    capabilities: tuple[Capability, ...] = ()

    @classmethod
    def unpack(cls, body: bytes, negotiated: Negotiated) -> Self:
        if len(body) < FIXED_SIZE:
            length = (HEADER_SIZE + len(body)).to_bytes(2, 'big')
            raise PeerError(MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH, length, f'OPEN of {len(body)} octets')
        if body[0] != VERSION:
            # RFC 4271 6.2: the data is the largest version we support, two octets
            largest = VERSION.to_bytes(2, 'big')
            raise PeerError.texted(
                OPEN_MESSAGE_ERROR, UNSUPPORTED_VERSION_NUMBER, f'version number: {body[0]}', largest
            )
        return cls(
            body[0],
            int.from_bytes(body[1:3], 'big'),
            int.from_bytes(body[3:5], 'big'),
            IPv4Address(bytes(body[5:9])),
            unpack_capabilities(body[9:]),
        )

    def pack(self, negotiated: Negotiated) -> bytes:
        asn = AS_TRANS if self.asn > 0xFFFF else self.asn
        body = (
            bytes((self.version,))
            + asn.to_bytes(2, 'big')
            + self.hold_time.to_bytes(2, 'big')
            + self.router_id.packed
            + pack_capabilities(self.capabilities)
        )
        return frame(self.TYPE, body)

    def find(self, kind: type[C]) -> tuple[C, ...]:
        """The capabilities of this class, in wire order."""
        return tuple(capability for capability in self.capabilities if type(capability) is kind)

    def __str__(self) -> str:
        asn = AS_TRANS if self.asn > 0xFFFF else self.asn
        return (
            f'OPEN version={self.version} asn={asn} hold_time={self.hold_time} router_id={self.router_id} '
            f'capabilities=[{as_text(self.capabilities)}]'
        )
