"""COMMUNITIES (type code 8, RFC 1997) and LARGE_COMMUNITY (type code 32, RFC 8092).

    COMMUNITIES:     a sequence of 4-octet communities, each (2-octet AS, 2-octet value)
    LARGE_COMMUNITY: a sequence of 12-octet communities, each (global admin, data 1, data 2)

Invariants:
- Both optional transitive. A length that is not a non-zero multiple of 4 (resp. 12) is malformed
  (RFC 7606 7.8, RFC 8092 6: treat-as-withdraw).
- Communities are kept sorted, as ExaBGP 5.0 sorts them (so they print and pack in wire order of
  their value); large communities are also deduplicated (RFC 8092 6 allows dropping duplicates).
- With no community the attribute packs to nothing. Text is the single community, or `[ a b ]` for
  several; the well-known communities print by the names 5.0 uses (no-export, no-advertise,
  no-export-subconfed, no-peer, blackhole). JSON is `[ [ asn, value ], ... ]` and, for large
  communities, 5.0's `[ [ a, b , c ], ... ]`.
"""

import struct
from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated

NO_EXPORT = 0xFFFFFF01
NO_ADVERTISE = 0xFFFFFF02
NO_EXPORT_SUBCONFED = 0xFFFFFF03
NO_PEER = 0xFFFFFF04
BLACKHOLE = 0xFFFF029A

WELL_KNOWN = {
    NO_EXPORT: 'no-export',
    NO_ADVERTISE: 'no-advertise',
    NO_EXPORT_SUBCONFED: 'no-export-subconfed',
    NO_PEER: 'no-peer',
    BLACKHOLE: 'blackhole',
}

LargeCommunity = tuple[int, int, int]


def community_text(community: int) -> str:
    name = WELL_KNOWN.get(community)
    if name is not None:
        return name
    return f'{community >> 16}:{community & 0xFFFF}'


def _listed(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    if not items:
        return ''
    return f'[ {" ".join(items)} ]'


@dataclass(frozen=True, slots=True)
class Communities(Attribute):
    CODE: ClassVar[int] = Code.COMMUNITY
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'community'

    communities: tuple[int, ...]

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.communities))
        if any(not 0 <= community < 1 << 32 for community in ordered):
            raise ValueError('communities are 32-bit unsigned integers')
        if ordered != self.communities:
            object.__setattr__(self, 'communities', ordered)

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'Communities':
        if not value or len(value) % 4:
            raise Malformed(f'COMMUNITIES of {len(value)} octets', ATTRIBUTE_LENGTH_ERROR)
        return trusted(cls, tuple(sorted(struct.unpack(f'!{len(value) // 4}I', value))))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b''.join(community.to_bytes(4, 'big') for community in self.communities)

    def pack(self, negotiated: Negotiated) -> bytes:
        return Attribute.pack(self, negotiated) if self.communities else b''

    def json(self) -> str:
        items = ', '.join(f'[ {community >> 16}, {community & 0xFFFF} ]' for community in self.communities)
        return f'[ {items} ]'

    def __str__(self) -> str:
        return _listed([community_text(community) for community in self.communities])


@dataclass(frozen=True, slots=True)
class LargeCommunities(Attribute):
    CODE: ClassVar[int] = Code.LARGE_COMMUNITY
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'large-community'

    communities: tuple[LargeCommunity, ...]

    def __post_init__(self) -> None:
        ordered = tuple(sorted(set(self.communities)))
        if any(len(community) != 3 or any(not 0 <= part < 1 << 32 for part in community) for community in ordered):
            raise ValueError('large communities are three 32-bit unsigned integers')
        if ordered != self.communities:
            object.__setattr__(self, 'communities', ordered)

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'LargeCommunities':
        if not value or len(value) % 12:
            raise Malformed(f'LARGE_COMMUNITY of {len(value)} octets', ATTRIBUTE_LENGTH_ERROR)
        numbers = struct.unpack(f'!{len(value) // 4}I', value)
        communities = set(zip(numbers[0::3], numbers[1::3], numbers[2::3], strict=True))
        return trusted(cls, tuple(sorted(communities)))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b''.join(
            first.to_bytes(4, 'big') + second.to_bytes(4, 'big') + third.to_bytes(4, 'big')
            for first, second, third in self.communities
        )

    def pack(self, negotiated: Negotiated) -> bytes:
        return Attribute.pack(self, negotiated) if self.communities else b''

    def json(self) -> str:
        items = ', '.join(f'[ {first}, {second} , {third} ]' for first, second, third in self.communities)
        return f'[ {items} ]'

    def __str__(self) -> str:
        return _listed([f'{first}:{second}:{third}' for first, second, third in self.communities])
