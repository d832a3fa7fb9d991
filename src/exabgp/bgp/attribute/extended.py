"""EXTENDED_COMMUNITIES (type code 16, RFC 4360) and IPv6 Address Specific Extended Community (25, RFC 5701).

    a sequence of 8-octet (type 16) or 20-octet (type 25) communities; see extended_types for each

Invariants: both optional transitive. A length that is not a non-zero multiple of 8 (resp. 20) is
malformed (RFC 7606 7.14, 7.15: treat-as-withdraw), and so is a community 5.0 refuses (see
extended_types.checked). Communities are raw octets kept sorted, as 5.0 sorts them; duplicates stay.
With none the attribute packs to nothing. Text is the single community or `[ a b ]`; JSON is
`[ { "value": <the octets as an integer>, "string": "<name>" }, ... ]`, as 5.0 writes it.
"""

from dataclasses import dataclass
from typing import ClassVar

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


def _sorted(communities: tuple[bytes, ...], size: int) -> tuple[bytes, ...]:
    if any(len(raw) != size for raw in communities):
        raise ValueError(f'extended communities here are {size} octets')
    return tuple(sorted(communities))


@dataclass(frozen=True, slots=True)
class ExtendedCommunities(Attribute):
    CODE: ClassVar[int] = Code.EXTENDED_COMMUNITY
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'extended-community'

    communities: tuple[bytes, ...]

    def __post_init__(self) -> None:
        ordered = _sorted(self.communities, extended_types.SIZE)
        if ordered != self.communities:
            object.__setattr__(self, 'communities', ordered)

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'ExtendedCommunities':
        return trusted(cls, _unpack(value, extended_types.SIZE, 'EXTENDED_COMMUNITIES'))  # type: ignore[return-value]

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b''.join(self.communities)

    def pack(self, negotiated: Negotiated) -> bytes:
        return Attribute.pack(self, negotiated) if self.communities else b''

    def json(self) -> str:
        return _json(self.communities)

    def __str__(self) -> str:
        return _text(self.communities)


@dataclass(frozen=True, slots=True)
class IPv6ExtendedCommunities(Attribute):
    CODE: ClassVar[int] = Code.IPV6_EXTENDED_COMMUNITY
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'extended-community-ipv6'

    communities: tuple[bytes, ...]

    def __post_init__(self) -> None:
        ordered = _sorted(self.communities, extended_types.IPV6_SIZE)
        if ordered != self.communities:
            object.__setattr__(self, 'communities', ordered)

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'IPv6ExtendedCommunities':
        communities = _unpack(value, extended_types.IPV6_SIZE, 'IPv6 address specific extended communities')
        return trusted(cls, communities)  # type: ignore[return-value]

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b''.join(self.communities)

    def pack(self, negotiated: Negotiated) -> bytes:
        return Attribute.pack(self, negotiated) if self.communities else b''

    def json(self) -> str:
        return _json(self.communities)

    def __str__(self) -> str:
        return _text(self.communities)
