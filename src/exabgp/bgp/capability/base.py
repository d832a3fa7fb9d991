"""What every capability is, and the helpers the capability codecs share.

    +------------------------------+
    | Capability Code (1 octet)    |
    +------------------------------+
    | Capability Length (1 octet)  |
    +------------------------------+
    | Capability Value (variable)  |
    +------------------------------+

Invariants:
- A capability is a frozen, hashable value for ONE TLV; `CODE` is its code (`code` on a value, which
  for a capability we do not know is the code it came with).
- `unpack(value)` takes the value octets only and returns the value or raises PeerError (2/0 with
  5.0's explanation as data, as 5.0 sends it); never anything else.
- `pack()` returns the whole TLV (code, length, value).
- `json()` and `__str__` render one TLV. ExaBGP 5.0 kept one entry per code, merging TLVs that
  share it; `group_json(items)` / `group_text(items)` render the TLVs of one code, in wire order, as
  5.0 shows that entry. By default a later TLV replaces an earlier one, as 5.0's dict did.
"""

from collections.abc import Sequence
from typing import ClassVar, Self

from exabgp.bgp.errors import OPEN_MESSAGE_ERROR, PeerError

UNSPECIFIC = 0

# 5.0's names for capability codes, used where it prints a code rather than a capability
NAMES = {
    0: 'reserved',
    1: 'multiprotocol',
    2: 'route-refresh',
    3: 'outbound-route-filtering',
    4: 'multiple-routes',
    5: 'nexthop',
    6: 'extended-message',
    64: 'graceful-restart',
    65: 'asn4',
    67: 'dynamic-capability',
    68: 'multi-session',
    69: 'add-path',
    70: 'enhanced-route-refresh',
    73: 'hostname',
    75: 'software-version',
    128: 'cisco-route-refresh',
    131: 'cisco-multi-sesion',
    185: 'operational',
}

UNASSIGNED = range(70, 128)
RESERVED = range(128, 256)


def code_name(code: int) -> str:
    """How 5.0 names a capability code (multisession session ids are printed this way)."""
    name = NAMES.get(code)
    if name is not None:
        return name
    if code in UNASSIGNED:
        return f'unassigned-{code:#x}'
    if code in RESERVED:
        return f'reserved-{code:#x}'
    return f'capability-{code:#x}'


def tlv(code: int, value: bytes) -> bytes:
    return bytes((code, len(value))) + value


def malformed(reason: str) -> PeerError:
    """A malformed capability: OPEN error / unspecific, without data (RFC 5492 defines none); 5.0
    sends its reason as data."""
    return PeerError.texted(OPEN_MESSAGE_ERROR, UNSPECIFIC, reason)


def utf8(data: bytes, what: str) -> str:
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as exc:
        raise malformed(f'the {what} in the capability is not valid UTF-8 ({exc})') from None


class Capability:
    __slots__ = ()

    CODE: ClassVar[int]

    @property
    def code(self) -> int:
        return self.CODE

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        raise NotImplementedError

    def pack(self) -> bytes:
        raise NotImplementedError

    def json(self) -> str:
        raise NotImplementedError

    @classmethod
    def group_json(cls, items: Sequence[Self]) -> str:
        return items[-1].json()

    @classmethod
    def group_text(cls, items: Sequence[Self]) -> str:
        return str(items[-1])


class EmptyCapability(Capability):
    """A capability whose value is empty: whatever a peer puts in it is ignored, as 5.0 does."""

    __slots__ = ()

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        return cls()

    def pack(self) -> bytes:
        return tlv(self.CODE, b'')
