"""MCAST-VPN NLRI (RFC 6514 4): AFI 1 and 2, SAFI 5 (`mcast-vpn`).

    +-----------------------------------+
    | Path Identifier (4 octets)        |   only when ADD-PATH applies (RFC 7911)
    +-----------------------------------+
    | Route Type (1 octet)              |
    +-----------------------------------+
    | Length (1 octet)                  |   of the route type specific field
    +-----------------------------------+
    | Route Type specific (variable)    |
    +-----------------------------------+

The route types 5.0 builds and decodes (the others are kept as their octets):

    5 Source Active A-D (4.6):  RD (8) | source length in bits (1) | source | group length (1) | group
    6 Shared Tree Join (4.7):   RD (8) | source AS (4) | RP length (1) | RP | group length (1) | group
    7 Source Tree Join (4.7):   RD (8) | source AS (4) | source length (1) | source | group length (1) | group

Invariants:
- An `MVPN` is its family, route type, route type specific octets and path identifier (None when
  none); `index()` is (family, path identifier, the NLRI octets), `order()` the NLRI octets.
- Types 5, 6 and 7 are checked on receipt as 5.0 checks them: each address length 32 or 128 bits,
  the field exactly the RD (and source AS) and the two addresses; either AFI's addresses are taken
  in either family (5.0's rule). Any other type is kept without a look inside.
- JSON (5.0's): `{ "code": 6, "parsed": true, "raw": "<the NLRI in upper-case hex>", "name": ...,
  "rd": ..., "source-as": "65000", "source": ..., "group": ...}` (no space before the closing
  brace, the AS as a string), `{ "code": N, "parsed": false, "raw": "..." }` for another type.
  Text: `mvpn:shared-join::RD:AS:RP:GROUP`, `mvpn:source-join::...`, `mvpn:sourcead::RD:S:G`,
  `mvpn:unknown:0x<lower-case hex>`.
- `make` builds types 5, 6 and 7 from their fields; the addresses are the family's.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import Family
from exabgp.bgp.nlri import prefix, rd
from exabgp.bgp.nlri.base import NLRI, with_path

SOURCE_AD = 5
SHARED_JOIN = 6
SOURCE_JOIN = 7
ADDRESS_BITS = (32, 128)
ASN_MAX = 0xFFFFFFFF

# route type -> (5.0's name, its text prefix, whether a source AS follows the RD)
TYPES: dict[int, tuple[str, str, bool]] = {
    SOURCE_AD: ('Source Active A-D Route', 'sourcead', False),
    SHARED_JOIN: ('C-Multicast Shared Tree Join route', 'shared-join', True),
    SOURCE_JOIN: ('C-Multicast Source Tree Join route', 'source-join', True),
}
# the configuration's words for the types it builds, and the keyword naming their first address
KEYWORDS: dict[str, tuple[int, str]] = {
    'source-ad': (SOURCE_AD, 'source'),
    'shared-join': (SHARED_JOIN, 'rp'),
    'source-join': (SOURCE_JOIN, 'source'),
}


def _check(code: int, body: bytes) -> None:
    name, _, has_as = TYPES[code]
    start = rd.SIZE + (4 if has_as else 0)
    if len(body) not in (start + 10, start + 34):
        raise Malformed(f'invalid {name} length ({len(body)} octets)', INVALID_NETWORK_FIELD)
    cursor = start
    for field in ('source', 'group'):
        if cursor >= len(body):
            raise Malformed(f'{name} is too short to hold its multicast {field} length', INVALID_NETWORK_FIELD)
        bits = body[cursor]
        if bits not in ADDRESS_BITS:
            raise Malformed(f'{name}: unsupported multicast {field} length of {bits} bits', INVALID_NETWORK_FIELD)
        cursor += 1 + bits // 8
    if cursor != len(body):
        raise Malformed(f'{name}: the length does not match its source and group addresses', INVALID_NETWORK_FIELD)


def _fields(code: int, body: bytes) -> tuple[int | None, str, str]:
    """(source AS or None, first address, group) of a checked type 5, 6 or 7 field."""
    cursor = rd.SIZE
    source_as = None
    if TYPES[code][2]:
        source_as = int.from_bytes(body[cursor : cursor + 4], 'big')
        cursor += 4
    size = body[cursor] // 8
    first = prefix.text(body[cursor + 1 : cursor + 1 + size])
    cursor += 1 + size
    group = prefix.text(body[cursor + 1 : cursor + 1 + body[cursor] // 8])
    return source_as, first, group


@dataclass(frozen=True, slots=True)
class MVPN(NLRI):
    family: Family
    code: int
    body: bytes
    path_id: int | None = None

    @classmethod
    def make(
        cls,
        family: Family,
        code: int,
        distinguisher: bytes,
        source: bytes,
        group: bytes,
        source_as: int | None = None,
        path_id: int | None = None,
    ) -> 'MVPN':
        """Type 5 (no source AS), 6 or 7 from its route distinguisher, packed addresses and source AS."""
        if code not in TYPES:
            raise ValueError(f'mcast-vpn route type {code} can not be built')
        if len(distinguisher) != rd.SIZE:
            raise ValueError(f'a route distinguisher is {rd.SIZE} octets, not {len(distinguisher)}')
        head = distinguisher
        if TYPES[code][2]:
            if source_as is None or not 0 <= source_as <= ASN_MAX:
                raise ValueError(f'invalid source-as {source_as}')
            head += source_as.to_bytes(4, 'big')
        body = head + bytes((len(source) * 8,)) + source + bytes((len(group) * 8,)) + group
        _check(code, body)
        return cls(family, code, body, path_id)

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'MVPN':
        raise ValueError('a mcast-vpn route has no prefix')

    def _wire(self) -> bytes:
        return bytes((self.code, len(self.body))) + self.body

    def pack(self, addpath: bool) -> bytes:
        return with_path(self.path_id, self._wire(), addpath)

    def index(self) -> tuple[Family, int | None, bytes]:
        return (self.family, self.path_id, self._wire())

    def order(self) -> bytes:
        return self._wire()

    def prefix(self) -> str:
        return str(self)

    def json(self) -> str:
        raw = self._wire().hex().upper()
        kind = TYPES.get(self.code)
        if kind is None:
            return f'{{ "code": {self.code}, "parsed": false, "raw": "{raw}" }}'
        source_as, first, group = _fields(self.code, self.body)
        asn = '' if source_as is None else f'"source-as": "{source_as}", '
        return (
            f'{{ "code": {self.code}, "parsed": true, "raw": "{raw}", "name": "{kind[0]}", '
            f'{rd.json(self.body[: rd.SIZE])}, {asn}"source": "{first}", "group": "{group}"}}'
        )

    def __str__(self) -> str:
        kind = TYPES.get(self.code)
        if kind is None:
            return f'mvpn:unknown:0x{self.body.hex()}'
        source_as, first, group = _fields(self.code, self.body)
        asn = '' if source_as is None else f'{source_as}:'
        # 5.0 writes its `mvpn:TYPE:` prefix and then a colon again
        return f'mvpn:{kind[1]}::{rd.text(self.body[: rd.SIZE])}:{asn}{first}:{group}'

    def configuration(self) -> str:
        kind = TYPES.get(self.code)
        if kind is None:
            raise ValueError(f'mcast-vpn route type {self.code} has no configuration form')
        source_as, first, group = _fields(self.code, self.body)
        word = next(name for name, (code, _) in KEYWORDS.items() if code == self.code)
        asn = '' if source_as is None else f' source-as {source_as}'
        return f'{word} {KEYWORDS[word][1]} {first} group {group} rd {rd.text(self.body[: rd.SIZE])}{asn}'

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['MVPN']:
        data = bytes(data)
        found = []
        offset = 0
        path_id = None
        end = len(data)
        while offset < end:
            if addpath:
                path_id, offset = prefix.path_at(data, offset, end)
            if offset + 2 > end:
                raise Malformed('the NLRI field ends inside a MCAST-VPN route type and length', INVALID_NETWORK_FIELD)
            code = data[offset]
            stop = offset + 2 + data[offset + 1]
            if stop > end:
                raise Malformed('the mvpn NLRI announces more data than it carries', INVALID_NETWORK_FIELD)
            body = data[offset + 2 : stop]
            if code in TYPES:
                _check(code, body)
            found.append(cls(family, code, body, path_id))
            offset = stop
        return found
