"""Multisession capability: code 68 (draft-ietf-idr-bgp-multisession-07 section 4) and the code 131
Cisco routers use for it.

    +--------------------------------------------------+
    | Flags (1 octet)                                  |
    +--------------------------------------------------+
    | Session Id: capability codes, 1 octet each       |
    +--------------------------------------------------+

Invariants: `flags` and `session` hold the value as received (an empty value is read as flags 0 and
an empty Session Id, as 5.0 does rather than refusing it). `session_ids()` is the Session Id as 5.0
uses it: without the multisession codes themselves, which section 4 says to ignore. When a peer
sends the capability more than once, 5.0 keeps the first.

5.0 sent its own Session Id as separate one-octet TLVs (the flags, then each code); one value here is
one TLV, so whoever builds an OPEN decides which form to send.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, code_name, tlv

MULTISESSION_CODES = (68, 131)


class _Multisession:
    """What both codes share (a mixin of methods, no fields): only the code and 5.0's names differ."""

    __slots__ = ()

    CODE: ClassVar[int]
    VARIANT: ClassVar[str]  # the JSON "variant"
    LABEL: ClassVar[str]  # what the text puts after "Multisession"
    flags: int
    session: bytes

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        # the dataclasses below give the (flags, session) constructor the mixin cannot declare
        return cls(value[0], bytes(value[1:])) if value else cls()  # type: ignore[call-arg]

    def pack(self) -> bytes:
        return tlv(self.CODE, bytes((self.flags,)) + self.session)

    def session_ids(self) -> tuple[int, ...]:
        return tuple(code for code in self.session if code not in MULTISESSION_CODES)

    def json(self) -> str:
        names = ','.join(f' "{code_name(code)}"' for code in self.session_ids())
        return f'{{ "name": "multisession", "variant": "{self.VARIANT}", "capabilities": [{names} ] }}'

    def __str__(self) -> str:
        return f'Multisession{self.LABEL} {" ".join(code_name(code) for code in self.session_ids())}'

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        return items[0].json()

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        return str(items[0])


@dataclass(frozen=True, slots=True)
class MultiSession(_Multisession, Capability):
    CODE: ClassVar[int] = 68
    VARIANT: ClassVar[str] = 'RFC'
    LABEL: ClassVar[str] = ' (RFC)'

    flags: int = 0
    session: bytes = b''


@dataclass(frozen=True, slots=True)
class CiscoMultiSession(_Multisession, Capability):
    CODE: ClassVar[int] = 131
    VARIANT: ClassVar[str] = 'Cisco'
    LABEL: ClassVar[str] = ''

    flags: int = 0
    session: bytes = b''
