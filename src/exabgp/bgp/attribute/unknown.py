"""Path attributes this implementation does not decode, kept as received (RFC 4271 5, 9).

Invariants: `code`, `flags` and the raw `value`. The parser keeps only optional transitive ones it
does not know, with the Partial bit set (RFC 4271 9: passed on marked partial); it drops optional
non-transitive ones and refuses well-known ones. `flags` are the flags it arrived with, Extended
Length included, the low four bits cleared: 5.0 keeps the received form and re-sends the attribute
with it, and names it by it. The configuration's `attribute [ code flags value ]` builds one too.
Text is 5.0's `attribute [ 0x99 0xE0 0x00000064 ]`, JSON `"attribute-0x99-0xE0": "0x00000064"`.
"""

from dataclasses import dataclass

from exabgp.bgp.attribute.base import Attribute, Flag
from exabgp.bgp.negotiated import Negotiated


@dataclass(frozen=True, slots=True)
class Unknown(Attribute):
    code: int
    flags: int
    value: bytes

    def __post_init__(self) -> None:
        if not (0 <= self.code <= 0xFF and 0 <= self.flags <= 0xFF and len(self.value) <= 0xFFFF):
            raise ValueError('invalid attribute code, flags or length')
        if self.flags & ~Flag.SIGNIFICANT:
            object.__setattr__(self, 'flags', self.flags & Flag.SIGNIFICANT)

    # an unknown attribute's code and name are its own, not its class's: properties where every
    # other attribute has class constants
    @property
    def CODE(self) -> int:  # type: ignore[override]
        return self.code

    @property
    def NAME(self) -> str:  # type: ignore[override]
        return f'attribute-0x{self.code:02X}-0x{self.flags:02X}'

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.value

    def pack(self, negotiated: Negotiated) -> bytes:
        length = len(self.value)
        if length > 0xFF or self.flags & Flag.EXTENDED_LENGTH:
            return bytes((self.flags | Flag.EXTENDED_LENGTH, self.code)) + length.to_bytes(2, 'big') + self.value
        return bytes((self.flags, self.code, length)) + self.value

    def json(self) -> str:
        return f'"0x{self.value.hex()}"'

    def text(self) -> str:
        return f'attribute [ 0x{self.code:02X} 0x{self.flags:02X} 0x{self.value.hex()} ]'

    def __str__(self) -> str:
        return f'0x{self.value.hex()}'
