"""Labeled unicast NLRI: IPv4 and IPv6 prefixes bound to an MPLS label stack (RFC 8277, RFC 3107,
RFC 7911 3 for the path identifier). AFI 1 and 2, SAFI 4 (`nlri-mpls`).

    +---------------------------------+
    | Path Identifier (4 octets)      |   only when ADD-PATH applies to the family and direction
    +---------------------------------+
    | Length (1 octet)                |   in bits: 24 per label entry + the prefix length
    +---------------------------------+
    | Label stack (3 octets an entry) |   see bgp.nlri.labels; S set on the last entry
    +---------------------------------+
    | Prefix (variable)               |   the minimal octets holding the prefix
    +---------------------------------+

Invariants:
- A `Labeled` is its family, its prefix in the wire form of bgp.nlri.prefix (`packed`: prefix
  length octet then the minimal octets), its label stack and its path identifier (None when none).
- Two of them are equal when all four are; `index()` leaves the labels out: a RIB holds one route
  per prefix and path, and announcing it again with another label replaces it.
- A withdrawal is packed with the labels it was given, as 5.0 sends it (RFC 8277 2.4 makes the
  field opaque on receipt, and says 0x800000 SHOULD be sent); on receipt any stack is accepted,
  the compatibility values included.
- `json()` and `__str__` are 5.0's: `{ "nlri": "10.0.0.0/24", "path-information": "0.0.0.1",
  "label": [ [100] ] }` and `10.0.0.0/24 path-information 0.0.0.1 label 100`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, Family
from exabgp.bgp.nlri import labels as stack
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.base import NLRI

SIZE: dict[int, int] = {AFI.IPV4: 4, AFI.IPV6: 16}


@dataclass(frozen=True, slots=True)
class Labeled(NLRI):
    family: Family
    packed: bytes
    labels: tuple[int, ...]
    path_id: int | None = None

    @classmethod
    def make(
        cls, family: Family, address: bytes, length: int, labels: tuple[int, ...], path_id: int | None = None
    ) -> 'Labeled':
        """From a whole packed address, a prefix length and a non-empty label stack."""
        size = SIZE[family.afi]
        if len(address) != size or not 0 <= length <= size * 8:
            raise ValueError(f'invalid {family} prefix length {length} for a {len(address)} octet address')
        if not labels or any(not 0 <= label <= stack.LABEL_MAX for label in labels):
            raise ValueError(f'invalid label stack {labels}')
        return cls(family, prefix.pack(address, length), tuple(labels), path_id)

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'Labeled':
        return cls(family, prefix.pack(address, length), qualifiers['label'], qualifiers['path-information'])

    def prefix(self) -> str:
        return prefix.cidr(self.packed, SIZE[self.family.afi])

    def pack(self, addpath: bool) -> bytes:
        entries = stack.pack(self.labels)
        body = bytes((self.packed[0] + 8 * len(entries),)) + entries + self.packed[1:]
        if addpath:
            return (self.path_id or 0).to_bytes(4, 'big') + body
        return body

    def index(self) -> tuple[Family, int | None, bytes]:
        return (self.family, self.path_id, self.packed)

    def order(self) -> bytes:
        path_id = self.path_id
        return (b'no-pi' if path_id is None else path_id.to_bytes(4, 'big')) + self.packed + stack.pack(self.labels)

    def _path(self, json: bool) -> str:
        if self.path_id is None:
            return ''
        if json:
            return f', "path-information": "{prefix.path_text(self.path_id)}"'
        return f' path-information {prefix.path_text(self.path_id)}'

    def json(self) -> str:
        return f'{{ "nlri": "{self.prefix()}"{self._path(True)}, {stack.json(self.labels)} }}'

    def __str__(self) -> str:
        return f'{self.prefix()}{self._path(False)} {stack.text(self.labels)}'

    def details(self) -> dict[str, Any]:
        return {'label': [[label] for label in self.labels]}

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['Labeled']:
        data = bytes(data)
        bits = SIZE[family.afi] * 8
        found = []
        offset = 0
        path_id = None
        end = len(data)
        while offset < end:
            if addpath:
                if offset + prefix.PATH_ID_SIZE >= end:
                    raise Malformed('the NLRI field ends inside a path identifier', INVALID_NETWORK_FIELD)
                path_id = int.from_bytes(data[offset : offset + 4], 'big')
                offset += 4
            length = data[offset]
            labels, left = stack.read(data, offset + 1, length, bits)
            start = offset + 1 + stack.ENTRY_SIZE * len(labels)
            if left > bits:
                raise Malformed(
                    f'prefix length {left} is longer than the {bits} bits of the address', INVALID_NETWORK_FIELD
                )
            stop = start + prefix.octets(left)
            if stop > end:
                raise Malformed(f'the NLRI field ends inside a /{left} prefix', INVALID_NETWORK_FIELD)
            found.append(cls(family, bytes((left,)) + data[start:stop], labels, path_id))
            offset = stop
        return found
