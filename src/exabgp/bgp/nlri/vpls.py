"""VPLS NLRI (RFC 4761 3.2.2): AFI 25 SAFI 65 (`l2vpn vpls`).

    +------------------------------------+
    | Path Identifier (4 octets)         |   only when ADD-PATH applies (RFC 7911)
    +------------------------------------+
    | Length (2 octets)                  |   17: the octets that follow
    +------------------------------------+
    | Route Distinguisher (8 octets)     |   see bgp.nlri.rd
    +------------------------------------+
    | VE ID (2 octets)                   |   `endpoint`
    +------------------------------------+
    | VE Block Offset (2 octets)         |   `offset`
    +------------------------------------+
    | VE Block Size (2 octets)           |   `size`
    +------------------------------------+
    | Label Base (3 octets)              |   `base`: 20 bits, then 3 reserved, then S set
    +------------------------------------+

Invariants:
- A `VPLS` is its family, route distinguisher (8 octets), endpoint, offset, size, label base and
  path identifier (None when none). `make` refuses values that do not fit their fields, and a
  block whose last label (base + size) would pass the 20 bits of a label.
- `index()` is (family, path identifier, the 17 octets): the whole NLRI, as 5.0 files it.
- On receipt the length must be at least 17; octets past the 17 known ones are skipped (5.0 reads
  them the same way), and several NLRI follow each other in one field (RFC 4761 allows it; 5.0.15
  only decodes a field holding one). The S bit of the label base is ignored on receipt.
- Text (5.0's): `vpls rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8`, an announced
  route adding ` next-hop X`. JSON: `{ "rd": "...", "endpoint": 5, "base": 10702, "offset": 1,
  "size": 8 }`: no path identifier, as 5.0 writes none.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import Family
from exabgp.bgp.nlri import prefix, rd
from exabgp.bgp.nlri.base import NLRI

LENGTH = 17  # route distinguisher, VE id, offset, size, label base
FIELD_MAX = 0xFFFF
LABEL_MAX = 0xFFFFF


@dataclass(frozen=True, slots=True)
class VPLS(NLRI):
    family: Family
    rd: bytes
    endpoint: int
    offset: int
    size: int
    base: int
    path_id: int | None = None

    @classmethod
    def make(
        cls,
        family: Family,
        distinguisher: bytes,
        endpoint: int,
        offset: int,
        size: int,
        base: int,
        path_id: int | None = None,
    ) -> 'VPLS':
        if len(distinguisher) != rd.SIZE:
            raise ValueError(f'a route distinguisher is {rd.SIZE} octets, not {len(distinguisher)}')
        for name, value in (('endpoint', endpoint), ('offset', offset), ('size', size)):
            if not 0 <= value <= FIELD_MAX:
                raise ValueError(f'vpls {name} {value} does not fit 16 bits')
        if not 0 <= base <= LABEL_MAX - size:
            raise ValueError(f'vpls base {base} with size {size} passes the 20 bits of a label')
        return cls(family, bytes(distinguisher), endpoint, offset, size, base, path_id)

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'VPLS':
        raise ValueError('a vpls route has no prefix')

    def _body(self) -> bytes:
        return (
            LENGTH.to_bytes(2, 'big')
            + self.rd
            + self.endpoint.to_bytes(2, 'big')
            + self.offset.to_bytes(2, 'big')
            + self.size.to_bytes(2, 'big')
            + ((self.base << 4) | 1).to_bytes(3, 'big')
        )

    def pack(self, addpath: bool) -> bytes:
        if addpath:
            return (self.path_id or 0).to_bytes(4, 'big') + self._body()
        return self._body()

    def index(self) -> tuple[Family, int | None, bytes]:
        return (self.family, self.path_id, self._body())

    def order(self) -> bytes:
        head = b'no-pi' if self.path_id is None else self.path_id.to_bytes(4, 'big')
        return head + self._body()

    def prefix(self) -> str:
        return str(self)

    def json(self) -> str:
        return (
            f'{{ {rd.json(self.rd)}, "endpoint": {self.endpoint}, "base": {self.base}, '
            f'"offset": {self.offset}, "size": {self.size} }}'
        )

    def extensive(self, hop: str) -> str:
        return (
            f'vpls rd {rd.text(self.rd)} endpoint {self.endpoint} base {self.base} '
            f'offset {self.offset} size {self.size}{hop}'
        )

    def __str__(self) -> str:
        return self.extensive('')

    def details(self) -> dict[str, Any]:
        return {
            'rd': rd.text(self.rd),
            'endpoint': self.endpoint,
            'base': self.base,
            'offset': self.offset,
            'size': self.size,
        }

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['VPLS']:
        data = bytes(data)
        found = []
        offset = 0
        path_id = None
        end = len(data)
        while offset < end:
            if addpath:
                path_id, offset = prefix.path_at(data, offset, end)
            if offset + 2 > end:
                raise Malformed('the NLRI field ends inside a VPLS NLRI length', INVALID_NETWORK_FIELD)
            length = int.from_bytes(data[offset : offset + 2], 'big')
            if length < LENGTH:
                raise Malformed(f'l2vpn vpls length is {length}, it must be at least {LENGTH}', INVALID_NETWORK_FIELD)
            start = offset + 2
            stop = start + length
            if stop > end:
                raise Malformed(
                    f'VPLS NLRI truncated: need {length + 2} octets, got {end - offset}', INVALID_NETWORK_FIELD
                )
            body = data[start : start + LENGTH]
            found.append(
                cls(
                    family,
                    body[:8],
                    int.from_bytes(body[8:10], 'big'),
                    int.from_bytes(body[10:12], 'big'),
                    int.from_bytes(body[12:14], 'big'),
                    int.from_bytes(body[14:17], 'big') >> 4,
                    path_id,
                )
            )
            offset = stop
        return found
