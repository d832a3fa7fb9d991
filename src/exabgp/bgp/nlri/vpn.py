"""MPLS VPN NLRI: IPv4 and IPv6 VPN prefixes (RFC 4364 4.3.4, RFC 4659 3.2, RFC 8277 2, RFC 7911 3).
AFI 1 and 2, SAFI 128 (`mpls-vpn`).

    +---------------------------------+
    | Path Identifier (4 octets)      |   only when ADD-PATH applies to the family and direction
    +---------------------------------+
    | Length (1 octet)                |   in bits: 24 per label entry + 64 + the prefix length
    +---------------------------------+
    | Label stack (3 octets an entry) |   see bgp.nlri.labels; S set on the last entry
    +---------------------------------+
    | Route distinguisher (8 octets)  |   see bgp.nlri.rd
    +---------------------------------+
    | Prefix (variable)               |   the minimal octets holding the prefix
    +---------------------------------+

Invariants:
- A `VPN` is its family, its route distinguisher (8 octets), its prefix in the wire form of
  bgp.nlri.prefix (`packed`), its label stack and its path identifier (None when none).
- `index()` is (family, path identifier, route distinguisher, prefix): the labels are left out, so
  announcing a route again with another label replaces it, as in 5.0.
- `order()` is 5.0's sort key (its index: path identifier, the NLRI length less the labels, the
  route distinguisher, the address octets).
- The length field is one octet: a route whose labels, route distinguisher and prefix need more
  than 255 bits (an IPv6 /120 with three labels) is refused when made (`ValueError`).
- The label stack is read as bgp.nlri.labels reads one, never into the route distinguisher: an
  NLRI too short for one label entry and a route distinguisher is `Malformed`.
- Text (`__str__`, the withdrawn form): `10.0.0.0/24 path-information 0.0.0.1 label 100 rd 65000:1`;
  an announced route puts its next hop before the route distinguisher (`extensive`), as 5.0 does.
  JSON: `{ "nlri": "10.0.0.0/24", "path-information": "0.0.0.1", "label": [ [100] ], "rd": "65000:1" }`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, Family
from exabgp.bgp.nlri import labels as stack
from exabgp.bgp.nlri import prefix, rd
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.slots import slot_store

SIZE: dict[int, int] = {AFI.IPV4: 4, AFI.IPV6: 16}
MAX_BITS = 255  # the NLRI length field is one octet


@dataclass(frozen=True, slots=True)
class VPN(NLRI):
    family: Family
    rd: bytes
    packed: bytes
    labels: tuple[int, ...]
    path_id: int | None = None

    @classmethod
    def make(
        cls,
        family: Family,
        distinguisher: bytes,
        address: bytes,
        length: int,
        labels: tuple[int, ...],
        path_id: int | None = None,
    ) -> 'VPN':
        """From a route distinguisher, a whole packed address, a prefix length and a label stack."""
        size = SIZE[family.afi]
        if len(address) != size or not 0 <= length <= size * 8:
            raise ValueError(f'invalid {family} prefix length {length} for a {len(address)} octet address')
        if len(distinguisher) != rd.SIZE:
            raise ValueError(f'a route distinguisher is {rd.SIZE} octets, not {len(distinguisher)}')
        if not labels or any(not 0 <= label <= stack.LABEL_MAX for label in labels):
            raise ValueError(f'invalid label stack {labels}')
        if length + stack.ENTRY_BITS * len(labels) + rd.BITS > MAX_BITS:
            raise ValueError(f'a /{length} VPN prefix with {len(labels)} labels does not fit the NLRI length field')
        return cls(family, bytes(distinguisher), prefix.pack(address, length), tuple(labels), path_id)

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'VPN':
        labels = qualifiers['label'] or ()
        if length + stack.ENTRY_BITS * len(labels) + rd.BITS > MAX_BITS:
            raise ValueError(
                f'a /{length} VPN prefix with {len(labels)} labels is longer than the NLRI length field allows'
            )
        # a 100k-route VPN configuration builds one per route: the slots are set directly, the
        # values are checked (the route distinguisher and labels by the grammar, the length here)
        nlri = _NEW(cls)
        _SET_FAMILY(nlri, family)
        _SET_RD(nlri, qualifiers['rd'])
        _SET_PACKED(nlri, bytes((length,)) + address[: (length + 7) >> 3])
        _SET_LABELS(nlri, labels)
        _SET_PATH(nlri, qualifiers['path-information'])
        return nlri

    def prefix(self) -> str:
        return prefix.cidr(self.packed, SIZE[self.family.afi])

    def pack(self, addpath: bool) -> bytes:
        entries = stack.pack(self.labels)
        length = self.packed[0] + 8 * len(entries) + rd.BITS
        body = bytes((length,)) + entries + self.rd + self.packed[1:]
        if addpath:
            return (self.path_id or 0).to_bytes(4, 'big') + body
        return body

    def index(self) -> tuple[Family, int | None, bytes, bytes]:
        return (self.family, self.path_id, self.rd, self.packed)

    def order(self) -> bytes:
        path_id = self.path_id
        head = b'no-pi' if path_id is None else path_id.to_bytes(4, 'big')
        return head + bytes((self.packed[0] + rd.BITS,)) + self.rd + self.packed[1:]

    def _path(self, json: bool) -> str:
        if self.path_id is None:
            return ''
        if json:
            return f', "path-information": "{prefix.path_text(self.path_id)}"'
        return f' path-information {prefix.path_text(self.path_id)}'

    def json(self) -> str:
        return f'{{ "nlri": "{self.prefix()}"{self._path(True)}, {stack.json(self.labels)}, {rd.json(self.rd)} }}'

    def extensive(self, hop: str) -> str:
        return f'{self.prefix()}{self._path(False)} {stack.text(self.labels)}{hop} rd {rd.text(self.rd)}'

    def __str__(self) -> str:
        return self.extensive('')

    def details(self) -> dict[str, Any]:
        return {'label': [[label] for label in self.labels], 'rd': rd.text(self.rd)}

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['VPN']:
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
            if length < stack.ENTRY_BITS + rd.BITS:
                raise Malformed(
                    f'a VPN NLRI of {length} bits has no room for a label and a route distinguisher',
                    INVALID_NETWORK_FIELD,
                )
            labels, left = stack.read(data, offset + 1, length - rd.BITS, bits)
            start = offset + 1 + stack.ENTRY_SIZE * len(labels)
            if left > bits:
                raise Malformed(
                    f'prefix length {left} is longer than the {bits} bits of the address', INVALID_NETWORK_FIELD
                )
            distinguisher = data[start : start + rd.SIZE]
            start += rd.SIZE
            stop = start + prefix.octets(left)
            if stop > end:
                raise Malformed(f'the NLRI field ends inside a /{left} VPN prefix', INVALID_NETWORK_FIELD)
            found.append(cls(family, distinguisher, bytes((left,)) + data[start:stop], labels, path_id))
            offset = stop
        return found


_NEW = object.__new__
_SET_FAMILY = slot_store(VPN, 'family')
_SET_RD = slot_store(VPN, 'rd')
_SET_PACKED = slot_store(VPN, 'packed')
_SET_LABELS = slot_store(VPN, 'labels')
_SET_PATH = slot_store(VPN, 'path_id')
