"""A message of a type we do not implement: its type code and body kept as received.

Invariants: decoding never fails; the session decides what to answer (RFC 4271 6.1 makes it a
Bad Message Type, bgp.message.header.unknown_type). `pack` gives the message back as received.
"""

from dataclasses import dataclass

from exabgp.bgp.message.header import frame
from exabgp.bgp.negotiated import Negotiated


@dataclass(frozen=True, slots=True)
class UnknownMessage:
    kind: int
    data: bytes = b''

    @property
    def TYPE(self) -> int:  # the name every message carries its type code under
        return self.kind

    def pack(self, negotiated: Negotiated) -> bytes:
        return frame(self.kind, self.data)

    def __str__(self) -> str:
        return 'UNKNOWN'
