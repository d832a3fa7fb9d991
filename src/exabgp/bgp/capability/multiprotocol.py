"""Multiprotocol Extensions capability, code 1 (RFC 4760 section 8).

     0       7      15      23      31
    +-------+-------+-------+-------+
    |      AFI      | Res.  | SAFI  |
    +-------+-------+-------+-------+

Invariants: one value per TLV, so one family per value, as on the wire. The reserved octet is sent
as zero and ignored on receipt; octets past the fourth are ignored, as 5.0 does. 5.0 shows all the
TLVs of an OPEN as one entry listing every family in wire order, duplicates included.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, malformed, tlv
from exabgp.bgp.family import Family


@dataclass(frozen=True, slots=True)
class MultiProtocol(Capability):
    CODE: ClassVar[int] = 1

    family: Family

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        if len(value) < 4:
            raise malformed(f'invalid multiprotocol capability, expected 4 bytes, got {len(value)}')
        return cls(Family.of(int.from_bytes(value[:2], 'big'), value[3]))

    def pack(self) -> bytes:
        return tlv(self.CODE, self.family.afi.to_bytes(2, 'big') + bytes((0, self.family.safi)))

    def json(self) -> str:
        return self.group_json((self,))

    def __str__(self) -> str:
        return self.group_text((self,))

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        families = ','.join(f' "{item.family.slashed}"' for item in items)
        return f'{{ "name": "multiprotocol", "families": [{families} ] }}'

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        return f'Multiprotocol({",".join(str(item.family) for item in items)})'
