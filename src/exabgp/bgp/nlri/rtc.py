"""Route Target Constraint NLRI (RFC 4684 4): AFI 1 SAFI 132 (`ipv4 rtc`), received.

    +-------------------------------+
    | Path Identifier (4 octets)    |   only when ADD-PATH applies (RFC 7911)
    +-------------------------------+
    | Length (1 octet, in bits)     |   0 (the default route: any route target), or 32 to 96
    +-------------------------------+
    | Origin AS (4 octets)          |
    +-------------------------------+
    | Route Target (0 to 8 octets)  |   an extended community, its prefix of length - 32 bits
    +-------------------------------+

Invariants:
- An `RTC` is its family, its length in bits, its origin AS and route target octets (the whole 8,
  zero past the length; both zero for the wildcard) and path identifier (None when none).
- On receipt the type octet of the route target has its transitive and IANA bits cleared, as 5.0
  reads it, so it prints as the route target it names. A length between 1 and 31, or past 96, is
  `Malformed`; a length between 32 and 96 reads the octets it covers (RFC 4684 4: 5.0.15 reads 13
  octets whatever the length, so it misreads a shorter prefix).
- JSON (5.0's): `{ "origin": 65000, "route-target": "target:65000:100" }`, the wildcard
  `{ "origin": 0, "route-target": null }`; text `rtc 65000:target:65000:100`, `rtc wildcard`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.attribute import extended_types
from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import Family
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.base import NLRI, with_path

ORIGIN_BITS = 32
MAX_BITS = 96
# the transitive (0x40) and IANA authority (0x80) bits of the type octet, cleared on receipt
_FLAGS = 0xC0


@dataclass(frozen=True, slots=True)
class RTC(NLRI):
    family: Family
    length: int
    origin: int
    target: bytes
    path_id: int | None = None

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'RTC':
        raise ValueError('a rtc route has no prefix')

    def _wire(self) -> bytes:
        if self.length == 0:
            return b'\x00'
        covered = prefix.octets(self.length - ORIGIN_BITS)
        return bytes((self.length,)) + self.origin.to_bytes(4, 'big') + self.target[:covered]

    def pack(self, addpath: bool) -> bytes:
        return with_path(self.path_id, self._wire(), addpath)

    def index(self) -> tuple[Family, int | None, bytes]:
        return (self.family, self.path_id, self._wire())

    def order(self) -> bytes:
        return self._wire()

    def prefix(self) -> str:
        return str(self)

    def json(self) -> str:
        if self.length == 0:
            return '{ "origin": 0, "route-target": null }'
        return f'{{ "origin": {self.origin}, "route-target": "{extended_types.text(self.target)}" }}'

    def __str__(self) -> str:
        if self.length == 0:
            return 'rtc wildcard'
        return f'rtc {self.origin}:{extended_types.text(self.target)}'

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['RTC']:
        data = bytes(data)
        found = []
        offset = 0
        path_id = None
        end = len(data)
        while offset < end:
            if addpath:
                path_id, offset = prefix.path_at(data, offset, end)
            if offset >= end:
                raise Malformed('the NLRI field ends before the length of an RTC NLRI', INVALID_NETWORK_FIELD)
            length = data[offset]
            if length == 0:
                found.append(cls(family, 0, 0, bytes(8), path_id))
                offset += 1
                continue
            if not ORIGIN_BITS <= length <= MAX_BITS:
                raise Malformed(f'incorrect RTC length: {length} (should be >=32,<=96)', INVALID_NETWORK_FIELD)
            stop = offset + 1 + prefix.octets(length)
            if stop > end:
                raise Malformed(
                    f'RTC NLRI truncated: need {stop - offset} octets, got {end - offset}', INVALID_NETWORK_FIELD
                )
            origin = int.from_bytes(data[offset + 1 : offset + 5], 'big')
            target = data[offset + 5 : stop].ljust(8, b'\x00')
            target = bytes((target[0] & ~_FLAGS,)) + target[1:]
            found.append(cls(family, length, origin, target, path_id))
            offset = stop
        return found
