"""ADD-PATH capability, code 69 (RFC 7911 section 4).

    +------------------------------------------------+
    | AFI (2 octets) | SAFI (1 octet) | Send/Receive |  repeated per family
    +------------------------------------------------+

Invariants: `families` keeps the (family, send/receive) pairs in wire order; send/receive is kept as
received even outside 1..3 (negotiation reads it as a bit mask: 1 receive, 2 send), and shown as
5.0 shows it. A partial entry is 2/0. Several TLVs are shown as one entry, families merged (first
seen first, last value wins).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, malformed, tlv
from exabgp.bgp.family import Family

RECEIVE = 0b01
SEND = 0b10
BOTH = SEND | RECEIVE

_NAMES = {0: 'disabled', RECEIVE: 'receive', SEND: 'send', BOTH: 'send/receive'}


def direction_name(value: int) -> str:
    return _NAMES.get(value, f'invalid ({value})')


@dataclass(frozen=True, slots=True)
class AddPath(Capability):
    CODE: ClassVar[int] = 69

    families: tuple[tuple[Family, int], ...] = ()

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        if len(value) % 4:
            raise malformed('invalid ADD-PATH capability, trailing data')
        return cls(
            tuple(
                (Family.of(int.from_bytes(value[start : start + 2], 'big'), value[start + 2]), value[start + 3])
                for start in range(0, len(value), 4)
            )
        )

    def pack(self) -> bytes:
        value = b''.join(
            family.afi.to_bytes(2, 'big') + bytes((family.safi, direction)) for family, direction in self.families
        )
        return tlv(self.CODE, value)

    def json(self) -> str:
        return self.group_json((self,))

    def __str__(self) -> str:
        return self.group_text((self,))

    @staticmethod
    def merged(items: Sequence['AddPath']) -> dict[Family, int]:
        """The families of several TLVs as 5.0 kept them: first seen first, last value wins."""
        return dict(pair for item in items for pair in item.families)

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        families = ','.join(
            f'"{family.slashed}": "{direction_name(direction)}"' for family, direction in cls.merged(items).items()
        )
        return f'{{ "name": "addpath"{", " if families else ""}{families} }}'

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        families = ','.join(f'{direction_name(direction)} {family}' for family, direction in cls.merged(items).items())
        return f'AddPath({families})'
