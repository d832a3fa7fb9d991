"""IPv4 and IPv6 unicast and multicast NLRI (RFC 4271 4.3, RFC 4760 5, RFC 7911 3).

    +--------------------------------+
    | Path Identifier (4 octets)     |   only when ADD-PATH applies to the family and direction
    +--------------------------------+
    | Length (1 octet)               |   in bits: 0..32 for IPv4, 0..128 for IPv6
    +--------------------------------+
    | Prefix (ceil(Length/8) octets) |
    +--------------------------------+

Invariants:
- An `INET` is its family, its prefix in wire form (`packed`: the length octet then the minimal
  octets, see bgp.nlri.prefix) and its path identifier (None when it has none). Nothing else is
  stored: a million of them cost about 95 octets each (object plus prefix bytes), the family being
  a shared constant.
- Equality and hashing use exactly those three fields; `index()` is the NLRI itself, which is
  already the smallest hashable key a RIB can hold.
- `pack(addpath)` writes the path identifier (0 when there is none, as 5.0 does) only when
  `addpath` is true. `unpack_all` decodes a whole NLRI field or raises `Malformed`.
- `json()` and `__str__` are 5.0's: `{ "nlri": "10.0.0.0/24" }` and `10.0.0.0/24`, with the path
  identifier as a dotted quad (`"path-information": "0.0.0.1"`, ` path-information 0.0.0.1`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, Family
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.slots import slot_store

# address size in octets, by AFI
SIZE: dict[int, int] = {AFI.IPV4: 4, AFI.IPV6: 16}
_FOUR_ZEROS = bytes(4)


@dataclass(frozen=True, slots=True)
class INET(NLRI):
    # `field()` keeps dataclass from taking the base class's `family` property for a default
    family: Family = field()
    packed: bytes = field()
    path_id: int | None = None

    def __hash__(self) -> int:
        # the bytes object caches its own hash: this is one addition, not a tuple per lookup
        return hash(self.packed) + (self.path_id or 0)

    @classmethod
    def make(
        cls, family: Family, address: IPv4Address | IPv6Address | bytes, length: int, path_id: int | None = None
    ) -> 'INET':
        """From an address (object or packed) and a prefix length; the address may have host bits."""
        packed_address = address if isinstance(address, bytes) else address.packed
        size = SIZE[family.afi]
        if len(packed_address) != size or not 0 <= length <= size * 8:
            raise ValueError(f'invalid {family} prefix length {length} for a {len(packed_address)} octet address')
        if path_id is not None and not 0 <= path_id <= 0xFFFFFFFF:
            raise ValueError(f'invalid path identifier {path_id}')
        return cls(family, prefix.pack(packed_address, length), path_id)

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'INET':
        # a million of these for a big configuration: set the slots directly, the values are checked
        nlri = _NEW(cls)
        _SET_FAMILY(nlri, family)
        _SET_PACKED(nlri, bytes((length,)) + address[: (length + 7) >> 3])
        _SET_PATH(nlri, qualifiers['path-information'])
        return nlri

    @property
    def length(self) -> int:
        return self.packed[0]

    @property
    def address(self) -> IPv4Address | IPv6Address:
        size = SIZE[self.family.afi]
        packed = prefix.address(self.packed, size)
        return IPv4Address(packed) if size == 4 else IPv6Address(packed)

    def prefix(self) -> str:
        packed = self.packed
        if self.family.afi == AFI.IPV4:
            # the API writes this for every route it reports: formatting the four octets directly
            # costs a third of prefix.text's general path
            quad = packed[1:] + _FOUR_ZEROS
            return f'{quad[0]}.{quad[1]}.{quad[2]}.{quad[3]}/{packed[0]}'
        return prefix.cidr(packed, 16)

    def pack(self, addpath: bool) -> bytes:
        if addpath:
            return (self.path_id or 0).to_bytes(4, 'big') + self.packed
        return self.packed

    def index(self) -> 'INET':
        return self

    def order(self) -> bytes:
        path_id = self.path_id
        return (b'no-pi' if path_id is None else path_id.to_bytes(4, 'big')) + self.packed

    def json(self) -> str:
        if self.path_id is None:
            return f'{{ "nlri": "{self.prefix()}" }}'
        return f'{{ "nlri": "{self.prefix()}", "path-information": "{prefix.path_text(self.path_id)}" }}'

    def __str__(self) -> str:
        if self.path_id is None:
            return self.prefix()
        return f'{self.prefix()} path-information {prefix.path_text(self.path_id)}'

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list[NLRI]:
        """Every NLRI of a whole field, in order; `Malformed` (Invalid Network Field) if it does not parse."""
        if type(data) is not bytes:
            data = bytes(data)
        bits = SIZE[family.afi] * 8
        end = len(data)
        # slot descriptors set the fields without the frozen dataclass __init__, which costs three
        # times as much, and the values are checked here already
        new = _NEW
        set_family = _SET_FAMILY
        set_packed = _SET_PACKED
        set_path = _SET_PATH
        # a list of NLRI: the UPDATE decoder adds the NLRI of the MP attributes to it
        found: list[NLRI] = []
        append = found.append
        offset = 0
        path_id = None
        while offset < end:
            if addpath:
                if offset + prefix.PATH_ID_SIZE >= end:
                    raise Malformed('the NLRI field ends inside a path identifier', INVALID_NETWORK_FIELD)
                path_id = int.from_bytes(data[offset : offset + 4], 'big')
                offset += 4
            length = data[offset]
            stop = offset + 1 + ((length + 7) >> 3)
            if length > bits or stop > end:
                prefix.read(data, offset, bits)  # raises, with the reason
            nlri = new(cls)
            set_family(nlri, family)
            set_packed(nlri, data[offset:stop])
            set_path(nlri, path_id)
            append(nlri)
            offset = stop
        return found


_NEW = object.__new__
_SET_FAMILY = slot_store(INET, 'family')
_SET_PACKED = slot_store(INET, 'packed')
_SET_PATH = slot_store(INET, 'path_id')
