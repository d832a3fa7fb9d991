"""The shape MULTI_EXIT_DISC and LOCAL_PREF share: a value that is one 4-octet unsigned number.

    +-------------------------------+
    |     value (4 octets)          |
    +-------------------------------+

Invariants: a class listing `FourOctets` before `Attribute` among its bases is a frozen dataclass
with one field, `value`, an int below 2**32, and a `LABEL` naming it in the error a bad value
raises. Any length but four is malformed with Attribute Length Error as subcode, the message naming
the attribute by its type code; the table says what that costs. Text and JSON are the decimal number.

`FourOctets` is a mixin of methods only (no fields, no `Attribute` below it): the attributes stay one
level below `Attribute`, and differ only in code, flags and names.
"""

from typing import ClassVar, Self

from exabgp.bgp.attribute.base import Code, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated

SIZE = 4
LIMIT = 1 << 32


class FourOctets:
    """The methods of an attribute whose whole value is one 4-octet unsigned number."""

    __slots__ = ()

    CODE: ClassVar[int]
    LABEL: ClassVar[str]
    value: int

    def __post_init__(self) -> None:
        if not 0 <= self.value < LIMIT:
            raise ValueError(f'invalid {self.LABEL} {self.value}')

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> Self:
        if len(value) != SIZE:
            raise Malformed(f'{Code(cls.CODE).name} must be 4 octets, not {len(value)}', ATTRIBUTE_LENGTH_ERROR)
        return trusted(cls, int.from_bytes(value, 'big'))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.value.to_bytes(SIZE, 'big')

    def json(self) -> str:
        return str(self.value)

    def __str__(self) -> str:
        return str(self.value)
