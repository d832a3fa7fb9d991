"""A capability we do not implement: its code and value kept as received (RFC 5492 section 3 says to
ignore it, so it never causes an error).

Invariants: `pack` gives back the TLV as received. The JSON says whether IANA left the code
unassigned (70-127) or reserved it for private use (128-255), as 5.0 does.
"""

from dataclasses import dataclass, field

from exabgp.bgp.capability.base import RESERVED, UNASSIGNED, Capability, tlv


def _iana(code: int) -> str:
    if code in RESERVED:
        return 'reserved'
    if code in UNASSIGNED:
        return 'unassigned'
    return 'unknown'


@dataclass(frozen=True, slots=True)
class UnknownCapability(Capability):
    # field() keeps dataclass from taking Capability's `code` property as this field's default
    code: int = field()
    value: bytes = b''

    def pack(self) -> bytes:
        return tlv(self.code, self.value)

    def json(self) -> str:
        return f'{{ "name": "unknown", "iana": "{_iana(self.code)}", "value": {self.code}, "raw": "{self.value.hex().upper()}" }}'

    def __str__(self) -> str:
        return f'{_iana(self.code).capitalize()} {self.code}'
