"""Support for 4-octet AS numbers capability, code 65 (RFC 6793 section 3).

    +------------------------------------------+
    | the speaker's AS number (4 octets)       |
    +------------------------------------------+

Invariants: a value that is not exactly 4 octets is 2/0, as 5.0 answers.
"""

from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, malformed, tlv


@dataclass(frozen=True, slots=True)
class ASN4(Capability):
    CODE: ClassVar[int] = 65

    asn: int

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        if len(value) != 4:
            raise malformed(f'AS4 capability must be 4 bytes long, got {len(value)}')
        return cls(int.from_bytes(value, 'big'))

    def pack(self) -> bytes:
        return tlv(self.CODE, self.asn.to_bytes(4, 'big'))

    def json(self) -> str:
        return f'{{ "name": "asn4", "asn4": {self.asn} }}'

    def __str__(self) -> str:
        return f'ASN4({self.asn})'
