"""LOCAL_PREF (type code 5, RFC 4271 5.1.5): a 4-octet preference, well-known, sent to internal peers.

Invariants: `value` < 2**32; any length but four is malformed (RFC 7606 7.5: treat-as-withdraw).
Text and JSON are the decimal number. `Attributes.pack` leaves it out on external sessions.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated


@dataclass(frozen=True, slots=True)
class LocalPreference(Attribute):
    CODE: ClassVar[int] = Code.LOCAL_PREF
    FLAGS: ClassVar[int] = Flag.TRANSITIVE
    NAME: ClassVar[str] = 'local-preference'

    value: int

    def __post_init__(self) -> None:
        if not 0 <= self.value < 1 << 32:
            raise ValueError(f'invalid local preference {self.value}')

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'LocalPreference':
        if len(value) != 4:
            raise Malformed(f'LOCAL_PREF must be 4 octets, not {len(value)}', ATTRIBUTE_LENGTH_ERROR)
        return trusted(cls, int.from_bytes(value, 'big'))  # type: ignore[return-value]

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.value.to_bytes(4, 'big')

    def json(self) -> str:
        return str(self.value)

    def __str__(self) -> str:
        return str(self.value)
