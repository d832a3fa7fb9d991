"""The KEEPALIVE message (RFC 4271 section 4.4): a header and nothing else.

Invariants: a KEEPALIVE with a body is 1/2 (Bad Message Length) with the erroneous length as data.
"""

from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.errors import BAD_MESSAGE_LENGTH, MESSAGE_HEADER_ERROR, PeerError
from exabgp.bgp.message.header import HEADER_SIZE, MessageType, frame
from exabgp.bgp.negotiated import Negotiated

_WIRE = frame(MessageType.KEEPALIVE, b'')


@dataclass(frozen=True, slots=True)
class KeepAlive:
    TYPE: ClassVar[int] = MessageType.KEEPALIVE

    @classmethod
    def unpack(cls, body: bytes, negotiated: Negotiated) -> Self:
        if body:
            length = (HEADER_SIZE + len(body)).to_bytes(2, 'big')
            raise PeerError(
                MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH, length, f'KEEPALIVE with a {len(body)} octet body'
            )
        return cls()

    def pack(self, negotiated: Negotiated) -> bytes:
        return _WIRE

    def __str__(self) -> str:
        return 'KEEPALIVE'
