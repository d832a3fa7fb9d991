"""MP_REACH_NLRI (14) and MP_UNREACH_NLRI (15): RFC 4760 3 and 4, RFC 8950, RFC 7911, RFC 7606 7.3.

MP_REACH_NLRI value:                             MP_UNREACH_NLRI value:
    +-------------------------------------+          +-------------------------------------+
    | AFI (2) | SAFI (1)                  |          | AFI (2) | SAFI (1)                  |
    +-------------------------------------+          +-------------------------------------+
    | Length of Next Hop (1)              |          | Withdrawn Routes (variable)         |
    +-------------------------------------+          +-------------------------------------+
    | Next Hop (variable)                 |
    +-------------------------------------+   Next hop: 4 octets (IPv4), 16 (IPv6 global) or 32
    | Reserved (1)                        |   (global then link-local, RFC 2545); an IPv4 family
    +-------------------------------------+   takes 16 or 32 only when RFC 8950 extended next hop
    | NLRI (variable)                     |   was negotiated for it. An IPv6 family also takes 4:
    +-------------------------------------+   ExaBGP 5.0 sends that for an IPv6 route given an
                                              IPv4 next hop, and accepts it, so we do too.

Invariants:
- Both are frozen values: the family, the NLRI (decoded by the family's codec from bgp.nlri.table,
  with path identifiers when ADD-PATH receive applies), and for MP_REACH the next hop and the
  optional link-local next hop. The reserved octet is ignored on receipt (RFC 4760 3: "SHOULD be
  ignored") and sent as zero.
- A family with no codec yet decodes to a value holding the whole attribute value in `raw` and no
  NLRI; it packs back to the same bytes.
- `unpack` raises only `Unparsable` (a `Malformed`), carrying the family when it could be read:
  RFC 7606 7.3 and 5.3 leave the choice between "AFI/SAFI disable" and "session reset" for an MP
  attribute that cannot be parsed; we disable the family when we know which it is (the UPDATE
  decoder does that) and reset (3/9, Optional Attribute Error, RFC 4760 7) only when the AFI/SAFI
  itself cannot be read. A family that was not negotiated is disabled the same way (5.0 resets).
- An MP_REACH_NLRI with no NLRI is accepted and announces nothing (5.0 resets over it).
"""

from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag
from exabgp.bgp.errors import OPTIONAL_ATTRIBUTE_ERROR, Malformed
from exabgp.bgp.family import AFI, Family
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.table import FAMILIES

# the next-hop lengths each family takes natively, and those RFC 8950 negotiation adds, by the
# next-hop AFI that has to be negotiated for them
_NATIVE = {AFI.IPV4: (4,), AFI.IPV6: (4, 16, 32)}
_EXTENDED = {AFI.IPV4: (AFI.IPV6, (16, 32)), AFI.IPV6: (AFI.IPV4, ())}


class Unparsable(Malformed):
    """An MP attribute we cannot use; `family` is None when even the AFI/SAFI could not be read."""

    def __init__(self, reason: str, family: Family | None) -> None:
        super().__init__(reason, OPTIONAL_ATTRIBUTE_ERROR)
        self.family = family


@lru_cache(maxsize=4096)
def _address(packed: bytes) -> IPv4Address | IPv6Address:
    # next hops repeat across UPDATEs: sharing one object per address keeps big tables small
    return IPv4Address(packed) if len(packed) == 4 else IPv6Address(packed)


def _family(value: bytes, name: str, minimum: int) -> Family:
    if len(value) < 3:
        raise Unparsable(f'{name} of {len(value)} octets has no room for an AFI and a SAFI', None)
    family = Family.of(int.from_bytes(value[:2], 'big'), value[2])
    if len(value) < minimum:
        raise Unparsable(f'{name} for {family} of {len(value)} octets is too short', family)
    return family


def _negotiated(family: Family, name: str, negotiated: Negotiated) -> None:
    if family not in negotiated.families:
        raise Unparsable(f'{name} for {family}, a family that was not negotiated', family)


def _nlris(family: Family, data: bytes, addpath: bool, name: str) -> tuple[NLRI, ...]:
    try:
        return tuple(FAMILIES[family].unpack_all(family, data, addpath))
    except Malformed as error:
        raise Unparsable(f'{name} for {family}: {error.reason}', family) from None


@dataclass(frozen=True, slots=True)
class MPReach(Attribute):
    CODE: ClassVar[int] = Code.MP_REACH_NLRI
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'mp-reach-nlri'

    family: Family
    nexthop: IPv4Address | IPv6Address | None = None
    nlris: tuple[NLRI, ...] = ()
    link_local: IPv6Address | None = None
    raw: bytes = b''

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'MPReach':
        family = _family(value, 'MP_REACH_NLRI', 5)
        _negotiated(family, 'MP_REACH_NLRI', negotiated)
        if family not in FAMILIES:
            return cls(family, raw=bytes(value))
        size = value[3]
        if len(value) < 5 + size:
            raise Unparsable(f'MP_REACH_NLRI for {family}: a {size} octet next hop overruns the attribute', family)
        allowed = _NATIVE[family.afi]
        other, extended = _EXTENDED[family.afi]
        if (family, other) in negotiated.nexthop:
            allowed = allowed + extended
        if size not in allowed:
            raise Unparsable(f'MP_REACH_NLRI for {family}: invalid next-hop length {size}', family)
        if size == 32:
            nexthop = _address(bytes(value[4:20]))
            link_local = _address(bytes(value[20:36]))
        else:
            nexthop = _address(bytes(value[4 : 4 + size]))
            link_local = None
        nlris = _nlris(family, value[5 + size :], negotiated.receive_path(family), 'MP_REACH_NLRI')
        return cls(family, nexthop, nlris, link_local)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        if self.raw:
            return self.raw
        return self.header() + b''.join(nlri.pack(negotiated.send_path(self.family)) for nlri in self.nlris)

    def header(self) -> bytes:
        """AFI, SAFI, next-hop length, next hop and reserved octet: what every chunk of NLRI follows."""
        nexthop = self.nexthop.packed if self.nexthop is not None else b''
        if self.link_local is not None:
            nexthop += self.link_local.packed
        return self.family.afi.to_bytes(2, 'big') + bytes((self.family.safi, len(nexthop))) + nexthop + b'\x00'


@dataclass(frozen=True, slots=True)
class MPUnreach(Attribute):
    CODE: ClassVar[int] = Code.MP_UNREACH_NLRI
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'mp-unreach-nlri'

    family: Family
    nlris: tuple[NLRI, ...] = ()
    raw: bytes = b''

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'MPUnreach':
        family = _family(value, 'MP_UNREACH_NLRI', 3)
        _negotiated(family, 'MP_UNREACH_NLRI', negotiated)
        if family not in FAMILIES:
            return cls(family, raw=bytes(value))
        return cls(family, _nlris(family, value[3:], negotiated.receive_path(family), 'MP_UNREACH_NLRI'))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        if self.raw:
            return self.raw
        return self.header() + b''.join(nlri.pack(negotiated.send_path(self.family)) for nlri in self.nlris)

    def header(self) -> bytes:
        return self.family.afi.to_bytes(2, 'big') + bytes((self.family.safi,))
