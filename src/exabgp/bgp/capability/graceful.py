"""Graceful Restart capability, code 64 (RFC 4724 section 3).

    +--------------------------------------------------+
    | Restart Flags (4 bits) | Restart Time (12 bits)  |
    +--------------------------------------------------+
    | AFI (2 octets) | SAFI (1 octet) | Flags (1 octet)|  repeated per family
    +--------------------------------------------------+

Invariants: `restart_flags` is the high nibble (0x8 is the Restart State bit), `restart_time` the
low 12 bits, `families` the (family, flags octet) pairs in wire order, flags kept whole (0x80 is the
Forwarding State bit). A value shorter than 2 octets or with a partial family entry is 2/0.

5.0's rendering is kept as it is, labels included: a family whose Forwarding State bit is set is
shown as "restart", and the Restart State bit is shown as "forwarding". Several TLVs are shown as one
entry: the last header, the families merged (first seen first, last flags win).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, malformed, tlv
from exabgp.bgp.family import Family

RESTART_STATE = 0x8
FORWARDING_STATE = 0x80
TIME_MASK = 0x0FFF
_RESTART = ' "restart"'


@dataclass(frozen=True, slots=True)
class GracefulRestart(Capability):
    CODE: ClassVar[int] = 64

    restart_flags: int
    restart_time: int
    families: tuple[tuple[Family, int], ...] = ()

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        if len(value) < 2:
            raise malformed('invalid graceful-restart capability, not enough data for the header')
        if (len(value) - 2) % 4:
            raise malformed('invalid graceful-restart capability, trailing data')
        header = int.from_bytes(value[:2], 'big')
        families = tuple(
            (Family.of(int.from_bytes(value[start : start + 2], 'big'), value[start + 2]), value[start + 3])
            for start in range(2, len(value), 4)
        )
        return cls(header >> 12, header & TIME_MASK, families)

    def pack(self) -> bytes:
        header = ((self.restart_flags & 0xF) << 12) | (self.restart_time & TIME_MASK)
        value = header.to_bytes(2, 'big') + b''.join(
            family.afi.to_bytes(2, 'big') + bytes((family.safi, flags)) for family, flags in self.families
        )
        return tlv(self.CODE, value)

    def json(self) -> str:
        return self.group_json((self,))

    def __str__(self) -> str:
        return self.group_text((self,))

    @staticmethod
    def _merged(items: Sequence['GracefulRestart']) -> dict[Family, int]:
        merged: dict[Family, int] = {}
        for item in items:
            for family, flags in item.families:
                merged[family] = flags & FORWARDING_STATE
        return merged

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        last = items[-1]
        families = ', '.join(
            f'"{family.slashed}": [{_RESTART if flags else ""} ] ' for family, flags in cls._merged(items).items()
        )
        restart = ' "forwarding" ' if last.restart_flags & RESTART_STATE else ' '
        return (
            f'{{ "name": "graceful restart", "time": {last.restart_time}, '
            f'"address-family-flags": {{ {families}}}, "restart-flags": [{restart}]  }}'
        )

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        last = items[-1]
        families = ' '.join(f'{family.slashed}={flags:#x}' for family, flags in cls._merged(items).items())
        return f'Graceful Restart Flags {last.restart_flags:#x} Time {last.restart_time} {families}'
