"""Extended Next Hop Encoding capability, code 5 (RFC 8950 section 4).

    +--------------------------------------------------------+
    | NLRI AFI - 1 (2 octets)                                |
    | NLRI SAFI - 1 (2 octets)                               |
    | Nexthop AFI - 1 (2 octets)                             |
    +--------------------------------------------------------+
    | ... one triple per (NLRI family, next-hop AFI) pair     |
    +--------------------------------------------------------+

Invariants: `entries` keeps the triples in wire order as (family, next-hop afi). The SAFI is read
from its low octet (the high one is sent as zero), as 5.0 does. A value whose length is not a
multiple of 6 is 2/0. 5.0 shows the TLVs of an OPEN as one entry, each pair once, first seen first.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, malformed, tlv
from exabgp.bgp.family import Family, afi, afi_name

Entry = tuple[Family, int]


@dataclass(frozen=True, slots=True)
class ExtendedNextHop(Capability):
    CODE: ClassVar[int] = 5

    entries: tuple[Entry, ...] = ()

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        if len(value) % 6:
            raise malformed('invalid extended next-hop capability, trailing data')
        entries = []
        for start in range(0, len(value), 6):
            family = Family.of(int.from_bytes(value[start : start + 2], 'big'), value[start + 3])
            nexthop = afi(int.from_bytes(value[start + 4 : start + 6], 'big'))
            entries.append((family, nexthop))
        return cls(tuple(entries))

    def pack(self) -> bytes:
        value = b''.join(
            family.afi.to_bytes(2, 'big') + bytes((0, family.safi)) + nexthop.to_bytes(2, 'big')
            for family, nexthop in self.entries
        )
        return tlv(self.CODE, value)

    def json(self) -> str:
        return self.group_json((self,))

    def __str__(self) -> str:
        return self.group_text((self,))

    @staticmethod
    def merged(items: Sequence['ExtendedNextHop']) -> list[Entry]:
        """The pairs of several TLVs as 5.0 kept them: each once, first seen first."""
        return list(dict.fromkeys(entry for item in items for entry in item.entries))

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        pairs = ','.join(f' "{family.slashed}/{afi_name(nexthop)}"' for family, nexthop in cls.merged(items))
        return f'{{ "name": "nexthop", "conversion": [{pairs} ] }}'

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        pairs = ','.join(f'{family} {afi_name(nexthop)}' for family, nexthop in cls.merged(items))
        return f'NextHop({pairs})'
