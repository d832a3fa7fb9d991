"""What every NLRI is.

Invariants:
- An NLRI is a frozen, hashable value with slots; two NLRI are equal when they denote the same route
  key (family, path identifier, and the family's own fields), which `index()` also returns in a
  compact form for RIB dictionaries.
- `pack(addpath)` returns the wire form, with the 4-octet path identifier first when `addpath` is
  true (RFC 7911) and no path identifier otherwise.
- `json()` is the JSON object ExaBGP 5.0 writes for it in an update; `__str__` is its configuration
  (and text API) form.
- A family codec decodes a whole NLRI field at once (`unpack_all`), raising `Malformed` (from
  bgp.attribute.base) for a field that does not parse, so the UPDATE decoder can apply RFC 7606.
"""

from collections.abc import Hashable
from typing import ClassVar

from exabgp.bgp.family import Family


class NLRI:
    __slots__ = ()

    FAMILIES: ClassVar[tuple[Family, ...]] = ()

    @property
    def family(self) -> Family:
        raise NotImplementedError

    def pack(self, addpath: bool) -> bytes:
        raise NotImplementedError

    def index(self) -> Hashable:
        raise NotImplementedError

    def json(self) -> str:
        raise NotImplementedError

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['NLRI']:
        raise NotImplementedError
