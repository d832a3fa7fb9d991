"""ORIGIN (type code 1, RFC 4271 5.1.1): how the route came to BGP.

    +-+-+-+-+-+-+-+-+
    |    origin     |   0 IGP, 1 EGP, 2 INCOMPLETE; well-known mandatory, transitive
    +-+-+-+-+-+-+-+-+

Invariants: `value` is 0, 1 or 2; anything else, or a length other than one, is malformed
(RFC 7606 7.1: treat-as-withdraw). The three values are built once and shared.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, INVALID_ORIGIN_ATTRIBUTE, Malformed
from exabgp.bgp.negotiated import Negotiated

IGP = 0
EGP = 1
INCOMPLETE = 2

NAMES = ('igp', 'egp', 'incomplete')


@dataclass(frozen=True, slots=True)
class Origin(Attribute):
    CODE: ClassVar[int] = Code.ORIGIN
    FLAGS: ClassVar[int] = Flag.TRANSITIVE
    NAME: ClassVar[str] = 'origin'

    value: int

    def __post_init__(self) -> None:
        if self.value not in (IGP, EGP, INCOMPLETE):
            raise ValueError(f'invalid origin {self.value}')

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'Origin':
        if len(value) != 1:
            raise Malformed(f'ORIGIN must be one octet, not {len(value)}', ATTRIBUTE_LENGTH_ERROR)
        if value[0] > INCOMPLETE:
            raise Malformed(f'ORIGIN {value[0]} is undefined', INVALID_ORIGIN_ATTRIBUTE)
        return ORIGINS[value[0]]

    @classmethod
    def named(cls, name: str) -> 'Origin':
        """'igp', 'egp' or 'incomplete' (any case) -> the shared value; ValueError otherwise."""
        try:
            return ORIGINS[NAMES.index(name.lower())]
        except ValueError:
            raise ValueError(f'unknown origin {name}') from None

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return bytes((self.value,))

    def pack(self, negotiated: Negotiated) -> bytes:
        return _PACKED[self.value]

    def json(self) -> str:
        return f'"{NAMES[self.value]}"'

    def __str__(self) -> str:
        return NAMES[self.value]


ORIGINS = (Origin(IGP), Origin(EGP), Origin(INCOMPLETE))
_PACKED = tuple(bytes((Flag.TRANSITIVE, Code.ORIGIN, 1, value)) for value in (IGP, EGP, INCOMPLETE))
