"""What every NLRI is: all the RIB, the UPDATE packer, the encoders and `show` use of one.

Invariants:
- An NLRI is a frozen, hashable value with slots, carrying its `family` and its `path_id` (RFC 7911;
  None when it has none). Two NLRI are equal when every field is; `index()` is the key a RIB files
  the route under (family, path identifier and what the family says identifies a route: a labeled
  prefix announced again with another label replaces the first).
- `pack(addpath)` returns the wire form, with the 4-octet path identifier first when `addpath` is
  true (RFC 7911) and no path identifier otherwise.
- `order()` is 5.0's sort key for packing the NLRI of one family into UPDATEs.
- `json()` is the JSON object ExaBGP 5.0 writes for it in an update (`json_at` when announced with
  a next hop); `__str__` is its configuration (and text API, and `show adj-rib`) form; `prefix()` the
  "prefix" of `show adj-rib ... json`; `extensive(hop)` the text of an announced route, `hop` being
  ` next-hop X` or '' (after the NLRI unless the family puts it elsewhere: 5.0 writes a VPN route's
  `rd` after it); `details()` what 5.0 adds to the "nlri" of `show adj-rib ... extensive json`
  beyond the prefix and next hop.
- `from_prefix` builds one from what a route statement says: a prefix (a whole packed address, its
  bits past the length zero) and the qualifiers written with it, by keyword (`path-information`,
  `label`, `rd`; None when not written). The route grammar checked each value already.
- A family codec decodes a whole NLRI field at once (`unpack_all`), raising `Malformed` (from
  bgp.attribute.base) for a field that does not parse, so the UPDATE decoder can apply RFC 7606.
"""

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from exabgp.bgp.family import Family


class NLRI:
    __slots__ = ()

    family: Family
    path_id: int | None

    def pack(self, addpath: bool) -> bytes:
        raise NotImplementedError

    def index(self) -> Hashable:
        raise NotImplementedError

    def order(self) -> bytes:
        raise NotImplementedError

    def json(self) -> str:
        raise NotImplementedError

    def prefix(self) -> str:
        raise NotImplementedError

    def json_at(self, nexthop: str) -> str:
        """The JSON of the NLRI announced through `nexthop` (5.0's text of it): only FlowSpec, whose
        5.0 JSON names its redirect next hop, writes it; the others leave it to the grouping key."""
        return self.json()

    def six(self, text: str) -> str:
        """`text`, this NLRI's 5.0 JSON, as upstream 6.0 writes it (most NLRI: unchanged)."""
        return text

    def extensive(self, hop: str) -> str:
        return f'{self}{hop}'

    def details(self) -> dict[str, Any]:
        return {}

    def configuration(self) -> str:
        """The words a configuration writes for it (after its family's keyword where it has one)."""
        return str(self)

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'NLRI':
        raise NotImplementedError

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> Sequence['NLRI']:
        raise NotImplementedError


def with_path(path_id: int | None, wire: bytes, addpath: bool) -> bytes:
    """An NLRI's wire form, after its 4-octet path identifier (0 when it has none, as 5.0 sends) when
    ADD-PATH applies (RFC 7911 3)."""
    if addpath:
        return (path_id or 0).to_bytes(4, 'big') + wire
    return wire
