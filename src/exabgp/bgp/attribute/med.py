"""MULTI_EXIT_DISC (type code 4, RFC 4271 5.1.4): a 4-octet unsigned metric, optional non-transitive.

Invariants: `value` < 2**32; any length but four is malformed (RFC 7606 7.4: treat-as-withdraw).
Text and JSON are the decimal number.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated


@dataclass(frozen=True, slots=True)
class MED(Attribute):
    CODE: ClassVar[int] = Code.MED
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'med'

    value: int

    def __post_init__(self) -> None:
        if not 0 <= self.value < 1 << 32:
            raise ValueError(f'invalid MED {self.value}')

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'MED':
        if len(value) != 4:
            raise Malformed(f'MED must be 4 octets, not {len(value)}', ATTRIBUTE_LENGTH_ERROR)
        return trusted(cls, int.from_bytes(value, 'big'))  # type: ignore[return-value]

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.value.to_bytes(4, 'big')

    def json(self) -> str:
        return str(self.value)

    def __str__(self) -> str:
        return str(self.value)
