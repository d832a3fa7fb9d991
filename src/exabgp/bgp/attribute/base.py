"""What every path attribute is, and how it is framed on the wire (RFC 4271 4.3, RFC 7606).

    0                   1
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  Attr. Flags  |Attr. Type Code|  then a 1-octet length, or 2 octets when Extended Length is set
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Invariants:
- An attribute is a frozen, hashable value. `CODE` is its type code and `FLAGS` the flags it is sent
  with (Optional/Transitive only: Partial and Extended Length are decided when packing, the low four
  bits are never set on send and ignored on receipt). The one exception is the unknown attribute,
  which keeps the flags it arrived with (see bgp.attribute.unknown).
- `unpack(value, negotiated)` takes the value octets only (no header) and either returns the value
  or raises `Malformed` (bgp.errors); never anything else. Which RFC 7606 action a `Malformed` leads to is decided
  by the attribute's entry in the table, not by the attribute.
- `pack_value(negotiated)` is the value octets; `pack(negotiated)` is what the attribute puts on the
  wire for that session: normally one attribute, header included, with the extended length form only
  when the value is longer than 255 octets. Three attributes depend on the session as ExaBGP 5.0 does:
  AS_PATH and AGGREGATOR add their AS4_ companion on a 2-octet session, and AIGP packs to nothing on
  a session that must not carry it.
- `json()` is the JSON value ExaBGP 5.0 writes for it under its name `NAME`; `__str__` is the value
  as 5.0 prints it in the text API. `text()` is the whole `name value` item of the text form, and
  `json_item()` the whole `"name": value` item of the JSON `attribute` object.
- `json_six()` is the JSON value upstream 6.0 writes (`exabgp.api.version` 4 or 6): the same as
  `json()` unless `SIX` is set (only BGP-LS today), so the 5.0 path never looks at it.
"""

from collections.abc import Callable
from enum import IntEnum
from typing import ClassVar, TypeVar

from exabgp.bgp.negotiated import Negotiated


class Flag:
    OPTIONAL = 0x80
    TRANSITIVE = 0x40
    PARTIAL = 0x20
    EXTENDED_LENGTH = 0x10
    # the bits that matter when comparing flags: RFC 7606 7.x ignores the low four
    SIGNIFICANT = 0xF0


class Code(IntEnum):
    ORIGIN = 1
    AS_PATH = 2
    NEXT_HOP = 3
    MED = 4
    LOCAL_PREF = 5
    ATOMIC_AGGREGATE = 6
    AGGREGATOR = 7
    COMMUNITY = 8
    ORIGINATOR_ID = 9
    CLUSTER_LIST = 10
    MP_REACH_NLRI = 14
    MP_UNREACH_NLRI = 15
    EXTENDED_COMMUNITY = 16
    AS4_PATH = 17
    AS4_AGGREGATOR = 18
    PMSI_TUNNEL = 22
    TUNNEL_ENCAP = 23
    IPV6_EXTENDED_COMMUNITY = 25
    AIGP = 26
    BGP_LS = 29
    LARGE_COMMUNITY = 32
    BGP_PREFIX_SID = 40


class Action(IntEnum):
    """RFC 7606 section 2: what a malformed attribute costs, from the mildest to the worst."""

    NONE = 0
    DISCARD = 1  # attribute discard: drop the attribute, keep the routes
    TREAT_AS_WITHDRAW = 2  # the UPDATE's routes are withdrawn
    DISABLE_FAMILY = 3  # AFI/SAFI disable (RFC 4760 7): stop the family on this session
    RESET = 4  # session reset: send a NOTIFICATION


T = TypeVar('T')


def trusted(cls: type[T], *values: object) -> T:
    """A value of `cls` from fields already known valid (decoded from the wire), skipping `__init__` checks.

    Decoding is the hot path: a frozen dataclass's `__init__` and `__post_init__` cost more than the
    decoding itself, and a decoder has validated every field already.
    """
    stores = _STORES.get(cls)
    if stores is None:
        # each slot's own descriptor setter: a third cheaper than object.__setattr__ by name
        stores = _STORES[cls] = tuple(cls.__dict__[name].__set__ for name in cls.__dict__['__slots__'])
    made = _new(cls)
    for store, value in zip(stores, values, strict=True):
        store(made, value)
    return made


_STORES: dict[type, tuple[Callable[[object, object], None], ...]] = {}
_new = object.__new__


def header(flags: int, code: int, length: int) -> bytes:
    """Attribute header: flags (with Extended Length when needed), type code and length."""
    if length > 255:
        return bytes((flags | Flag.EXTENDED_LENGTH, code)) + length.to_bytes(2, 'big')
    return bytes((flags & ~Flag.EXTENDED_LENGTH, code, length))


class Attribute:
    """Base of every path attribute. Subclasses are frozen dataclasses with slots."""

    __slots__ = ()

    CODE: ClassVar[int]
    FLAGS: ClassVar[int]
    NAME: ClassVar[str]
    SIX: ClassVar[bool] = False

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'Attribute':
        raise NotImplementedError

    def pack_value(self, negotiated: Negotiated) -> bytes:
        raise NotImplementedError

    def pack(self, negotiated: Negotiated) -> bytes:
        value = self.pack_value(negotiated)
        return header(self.FLAGS, self.CODE, len(value)) + value

    def json(self) -> str:
        raise NotImplementedError

    def json_item(self) -> str:
        return f'"{self.NAME}": {self.json()}'

    def json_six(self) -> str:
        return self.json()

    def text(self) -> str:
        return f'{self.NAME} {self}'
