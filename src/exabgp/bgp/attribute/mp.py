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
from exabgp.bgp.nlri.table import TABLE, FamilySpec, NextHopForm
from exabgp.bgp.slots import slot_store

# next-hop lengths by the AFI of the address: alone, or IPv6 global then link-local (RFC 2545)
_LENGTHS: dict[int, tuple[int, ...]] = {AFI.IPV4: (4,), AFI.IPV6: (16, 32)}
# what 5.0 also takes natively: an IPv4 next hop for an IPv6 family
_NATIVE_EXTRA: dict[int, int] = {AFI.IPV6: AFI.IPV4}
# a next hop of either AFI: IPv4, IPv6 global, IPv6 global then link-local
_ANY_LENGTHS = (4, 16, 32)
RD_SIZE = 8


class Unparsable(Malformed):
    """An MP attribute we cannot use; `family` is None when even the AFI/SAFI could not be read."""

    def __init__(self, reason: str, family: Family | None) -> None:
        super().__init__(reason, OPTIONAL_ATTRIBUTE_ERROR)
        self.family = family


@lru_cache(maxsize=4096)
def _address(packed: bytes) -> IPv4Address | IPv6Address:
    # next hops repeat across UPDATEs: sharing one object per address keeps big tables small
    return IPv4Address(packed) if len(packed) == 4 else IPv6Address(packed)


# AFI and SAFI octets -> the family, its row and its codec (a peer uses a handful of families, and
# Family.of costs two enum lookups)
_FAMILIES: dict[bytes, tuple[Family, FamilySpec | None, type[NLRI] | None]] = {}
_FAMILIES_LIMIT = 256


def _family(value: bytes, name: str, minimum: int) -> tuple[Family, FamilySpec | None, type[NLRI] | None]:
    if len(value) < 3:
        raise Unparsable(f'{name} of {len(value)} octets has no room for an AFI and a SAFI', None)
    octets = value[:3]
    known = _FAMILIES.get(octets)
    if known is None:
        family = Family.of(int.from_bytes(octets[:2], 'big'), octets[2])
        row = TABLE.get(family)
        if row is not None:
            family = row.family  # one shared value: the NLRI of every UPDATE keep it
        if len(_FAMILIES) >= _FAMILIES_LIMIT:
            _FAMILIES.clear()
        known = _FAMILIES[octets] = (family, row, None if row is None else row.codec)
    if len(value) < minimum:
        raise Unparsable(f'{name} for {known[0]} of {len(value)} octets is too short', known[0])
    return known


def _negotiated(family: Family, name: str, negotiated: Negotiated) -> None:
    if family not in negotiated.families:
        raise Unparsable(f'{name} for {family}, a family that was not negotiated', family)


def _nlris(nlri: type[NLRI], family: Family, data: bytes, addpath: bool, name: str) -> tuple[NLRI, ...]:
    try:
        return tuple(nlri.unpack_all(family, data, addpath))
    except Malformed as error:
        raise Unparsable(f'{name} for {family}: {error.reason}', family) from None


def _nexthop(
    row: FamilySpec, packed: bytes, negotiated: Negotiated
) -> tuple[IPv4Address | IPv6Address | None, IPv6Address | None]:
    """The next hop and link-local next hop of an MP_REACH_NLRI, in the family's next-hop form."""
    family = row.family
    if row.nexthop is NextHopForm.NONE or (row.nexthop is NextHopForm.OPTIONAL and not packed):
        return None, None
    if row.nexthop in (NextHopForm.ANY, NextHopForm.OPTIONAL):
        # an address of either AFI told by its length: EVPN (RFC 7432 7), and a FlowSpec redirect
        # next hop (5.0 sends an IPv4 or an IPv6 address for either AFI)
        if len(packed) not in _ANY_LENGTHS:
            raise Unparsable(f'MP_REACH_NLRI for {family}: invalid next-hop length {len(packed)}', family)
        if len(packed) == 32:
            return _address(packed[:16]), _address(packed[16:])  # type: ignore[return-value]
        return _address(packed), None
    if row.nexthop is NextHopForm.RD_ANY:
        # a BGP-LS VPN next hop: an RD then an address of either AFI, told by its length
        addresses = _rd_free(packed, family)
        if len(addresses) == 2:
            return _address(addresses[0]), IPv6Address(addresses[1])
        return _address(addresses[0]), None
    addresses = _rd_free(packed, family) if row.nexthop is NextHopForm.RD_IP else [packed]
    whole = b''.join(addresses)
    size = len(whole)
    allowed = _LENGTHS.get(family.afi, ())
    extra = _NATIVE_EXTRA.get(family.afi)
    if extra is not None:
        allowed = allowed + _LENGTHS[extra][:1]
    if row.extended_nexthop is not None and (family, row.extended_nexthop) in negotiated.nexthop:
        allowed = allowed + _LENGTHS[row.extended_nexthop]
    if size not in allowed:
        raise Unparsable(f'MP_REACH_NLRI for {family}: invalid next-hop length {len(packed)}', family)
    if size == 32:
        return _address(whole[:16]), IPv6Address(whole[16:])
    return _address(whole), None


def _rd_free(packed: bytes, family: Family) -> list[bytes]:
    """The addresses of an RD-prefixed next hop (RFC 4364 4.3.2, RFC 4659 3.2.1): each after 8 octets."""
    if len(packed) in (RD_SIZE + 4, RD_SIZE + 16):
        return [packed[RD_SIZE:]]
    if len(packed) == 2 * (RD_SIZE + 16):
        return [packed[RD_SIZE : RD_SIZE + 16], packed[2 * RD_SIZE + 16 :]]
    raise Unparsable(f'MP_REACH_NLRI for {family}: invalid next-hop length {len(packed)}', family)


def nexthop_octets(
    family: Family, nexthop: IPv4Address | IPv6Address | None, link_local: IPv6Address | None = None
) -> bytes:
    """The next-hop field of MP_REACH_NLRI for the family's form."""
    row = TABLE.get(family)
    form = row.nexthop if row is not None else NextHopForm.IP
    if form is NextHopForm.NONE or nexthop is None:
        return b''
    rd = bytes(RD_SIZE) if form in (NextHopForm.RD_IP, NextHopForm.RD_ANY) else b''
    octets = rd + nexthop.packed
    if link_local is not None:
        octets += rd + link_local.packed
    return octets


def reach_header(
    family: Family, nexthop: IPv4Address | IPv6Address | None, link_local: IPv6Address | None = None
) -> bytes:
    """AFI, SAFI, next-hop length, next hop and reserved octet: what every chunk of NLRI follows."""
    octets = nexthop_octets(family, nexthop, link_local)
    return family.afi.to_bytes(2, 'big') + bytes((family.safi, len(octets))) + octets + b'\x00'


def unreach_header(family: Family) -> bytes:
    return family.afi.to_bytes(2, 'big') + bytes((family.safi,))


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
        family, row, nlri = _family(value, 'MP_REACH_NLRI', 5)
        _negotiated(family, 'MP_REACH_NLRI', negotiated)
        if row is None or nlri is None:
            return cls(family, raw=bytes(value))
        size = value[3]
        if len(value) < 5 + size:
            raise Unparsable(f'MP_REACH_NLRI for {family}: a {size} octet next hop overruns the attribute', family)
        nexthop, link_local = _nexthop(row, bytes(value[4 : 4 + size]), negotiated)
        nlris = _nlris(nlri, family, value[5 + size :], negotiated.receive_path(family), 'MP_REACH_NLRI')
        # slots stored directly (bgp.slots): one is decoded for nearly every UPDATE
        reach = _NEW(cls)
        _REACH_FAMILY(reach, family)
        _REACH_NEXTHOP(reach, nexthop)
        _REACH_NLRIS(reach, nlris)
        _REACH_LINK_LOCAL(reach, link_local)
        _REACH_RAW(reach, b'')
        return reach

    def pack_value(self, negotiated: Negotiated) -> bytes:
        if self.raw:
            return self.raw
        return self.header() + b''.join(nlri.pack(negotiated.send_path(self.family)) for nlri in self.nlris)

    def header(self) -> bytes:
        return reach_header(self.family, self.nexthop, self.link_local)


_NEW = object.__new__
_REACH_FAMILY = slot_store(MPReach, 'family')
_REACH_NEXTHOP = slot_store(MPReach, 'nexthop')
_REACH_NLRIS = slot_store(MPReach, 'nlris')
_REACH_LINK_LOCAL = slot_store(MPReach, 'link_local')
_REACH_RAW = slot_store(MPReach, 'raw')


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
        family, _, nlri = _family(value, 'MP_UNREACH_NLRI', 3)
        _negotiated(family, 'MP_UNREACH_NLRI', negotiated)
        if nlri is None:
            return cls(family, raw=bytes(value))
        return cls(family, _nlris(nlri, family, value[3:], negotiated.receive_path(family), 'MP_UNREACH_NLRI'))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        if self.raw:
            return self.raw
        return self.header() + b''.join(nlri.pack(negotiated.send_path(self.family)) for nlri in self.nlris)

    def header(self) -> bytes:
        return unreach_header(self.family)
