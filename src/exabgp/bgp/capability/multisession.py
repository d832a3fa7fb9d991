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


def _session_ids(session: bytes) -> tuple[int, ...]:
    return tuple(code for code in session if code not in MULTISESSION_CODES)


def _json(variant: str, session: bytes) -> str:
    names = ','.join(f' "{code_name(code)}"' for code in _session_ids(session))
    return f'{{ "name": "multisession", "variant": "{variant}", "capabilities": [{names} ] }}'


def _text(variant: str, session: bytes) -> str:
    return f'Multisession{variant} {" ".join(code_name(code) for code in _session_ids(session))}'


@dataclass(frozen=True, slots=True)
class MultiSession(Capability):
    CODE: ClassVar[int] = 68

    flags: int = 0
    session: bytes = b''

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        return cls(value[0], bytes(value[1:])) if value else cls()

    def pack(self) -> bytes:
        return tlv(self.CODE, bytes((self.flags,)) + self.session)

    def session_ids(self) -> tuple[int, ...]:
        return _session_ids(self.session)

    def json(self) -> str:
        return _json('RFC', self.session)

    def __str__(self) -> str:
        return _text(' (RFC)', self.session)

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        return items[0].json()

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        return str(items[0])


@dataclass(frozen=True, slots=True)
class CiscoMultiSession(Capability):
    CODE: ClassVar[int] = 131

    flags: int = 0
    session: bytes = b''

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        return cls(value[0], bytes(value[1:])) if value else cls()

    def pack(self) -> bytes:
        return tlv(self.CODE, bytes((self.flags,)) + self.session)

    def session_ids(self) -> tuple[int, ...]:
        return _session_ids(self.session)

    def json(self) -> str:
        return _json('Cisco', self.session)

    def __str__(self) -> str:
        return _text('', self.session)

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        return items[0].json()

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        return str(items[0])
