"""EXTENDED_COMMUNITIES (type code 16, RFC 4360) and IPv6 Address Specific Extended Community (25, RFC 5701).

    a sequence of 8-octet (type 16) or 20-octet (type 25) communities; see extended_types for each

Invariants: both optional transitive. A length that is not a non-zero multiple of 8 (resp. 20) is
malformed (RFC 7606 7.14, 7.15: treat-as-withdraw), and so is a community 5.0 refuses (see
extended_types.checked). Communities are raw octets kept sorted, as 5.0 sorts them; duplicates stay.
With none the attribute packs to nothing. Text is the single community or `[ a b ]`; JSON is
`[ { "value": <the octets as an integer>, "string": "<name>" }, ... ]`, as 5.0 writes it.
The two differ only in code, community size and names: `_Extended`, a mixin of methods, holds the rest.
"""

from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.attribute import extended_types
from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated


def _unpack(value: bytes, size: int, what: str) -> tuple[bytes, ...]:
    if not value or len(value) % size:
        raise Malformed(f'{what} of {len(value)} octets', ATTRIBUTE_LENGTH_ERROR)
    return tuple(sorted(extended_types.checked(value[index : index + size]) for index in range(0, len(value), size)))


def _json(communities: tuple[bytes, ...]) -> str:
    items = ', '.join(
        f'{{ "value": {int.from_bytes(raw, "big")}, "string": "{extended_types.name(raw)}" }}' for raw in communities
    )
    return f'[ {items} ]'


def _text(communities: tuple[bytes, ...]) -> str:
    if len(communities) == 1:
        return extended_types.text(communities[0])
    if not communities:
        return ''
    return f'[ {" ".join(extended_types.text(raw) for raw in communities)} ]'


class _Extended:
    """What both attributes share (a mixin of methods, no fields): only the code, size and names differ."""

    __slots__ = ()

    SIZE: ClassVar[int]  # octets of one community
    WHAT: ClassVar[str]  # how a malformed value names the attribute
    communities: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if any(len(raw) != self.SIZE for raw in self.communities):
            raise ValueError(f'extended communities here are {self.SIZE} octets')
        ordered = tuple(sorted(self.communities))
        if ordered != self.communities:
            object.__setattr__(self, 'communities', ordered)

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> Self:
        return trusted(cls, _unpack(value, cls.SIZE, cls.WHAT))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b''.join(self.communities)

    def pack(self, negotiated: Negotiated) -> bytes:
        # nothing to send when there is no community; `self` is always an Attribute too (see below)
        return Attribute.pack(self, negotiated) if self.communities else b''  # type: ignore[arg-type]

    def json(self) -> str:
        return _json(self.communities)

    def __str__(self) -> str:
        return _text(self.communities)


@dataclass(frozen=True, slots=True)
class ExtendedCommunities(_Extended, Attribute):
    CODE: ClassVar[int] = Code.EXTENDED_COMMUNITY
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'extended-community'
    SIZE: ClassVar[int] = extended_types.SIZE
    WHAT: ClassVar[str] = 'EXTENDED_COMMUNITIES'

    communities: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class IPv6ExtendedCommunities(_Extended, Attribute):
    CODE: ClassVar[int] = Code.IPV6_EXTENDED_COMMUNITY
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'extended-community-ipv6'
    SIZE: ClassVar[int] = extended_types.IPV6_SIZE
    WHAT: ClassVar[str] = 'IPv6 address specific extended communities'

    communities: tuple[bytes, ...]
