"""ATOMIC_AGGREGATE (type code 6), AGGREGATOR (7, RFC 4271 5.1.6-7) and AS4_AGGREGATOR (18, RFC 6793).

    ATOMIC_AGGREGATE: no value.
    AGGREGATOR:      +--------------------------+------------------------+
                     | AS number (2 or 4 octets) | speaker IPv4 (4 octets) |
                     +--------------------------+------------------------+
    AS4_AGGREGATOR:  the same with a 4-octet AS number, whatever the session.

Invariants:
- AGGREGATOR is six octets on a 2-octet session and eight on a four-octet one; anything else is
  malformed (RFC 7606 7.7: attribute discard), as are an ATOMIC_AGGREGATE with a value (7.6) and an
  AS4_AGGREGATOR that is not eight octets (RFC 6793 6).
- On a 2-octet session an AGGREGATOR whose AS needs four octets is sent as AS_TRANS followed by an
  AS4_AGGREGATOR carrying the real AS, as ExaBGP 5.0 does.
- Text is 5.0's `aggregator ( 65000:1.2.3.4 )`; JSON is the string "65000:1.2.3.4".
- The two aggregators differ only in the width of the AS on the wire; `_Aggregation`, a mixin of
  methods (no fields, no `Attribute` below it), holds the rest once.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import ClassVar, Self

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated

AS_TRANS = 23456


@dataclass(frozen=True, slots=True)
class AtomicAggregate(Attribute):
    CODE: ClassVar[int] = Code.ATOMIC_AGGREGATE
    FLAGS: ClassVar[int] = Flag.TRANSITIVE
    NAME: ClassVar[str] = 'atomic-aggregate'

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'AtomicAggregate':
        if value:
            raise Malformed(f'ATOMIC_AGGREGATE must be empty, not {len(value)} octets', ATTRIBUTE_LENGTH_ERROR)
        return ATOMIC_AGGREGATE

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b''

    def json(self) -> str:
        return 'true'

    def text(self) -> str:
        return self.NAME

    def __str__(self) -> str:
        return ''


ATOMIC_AGGREGATE = AtomicAggregate()


class _Aggregation:
    """What AGGREGATOR and AS4_AGGREGATOR share (a mixin of methods, no fields): an AS and a speaker."""

    __slots__ = ()

    CODE: ClassVar[int]
    asn: int
    speaker: IPv4Address

    def __post_init__(self) -> None:
        if not 0 <= self.asn < 1 << 32:
            raise ValueError(f'invalid aggregator AS {self.asn}')

    @classmethod
    def _decoded(cls, value: bytes, width: int) -> Self:
        """The AS of `width` octets and the speaker, or Malformed for any other length."""
        if len(value) != width + 4:
            raise Malformed(
                f'{Code(cls.CODE).name} must be {width + 4} octets, not {len(value)}', ATTRIBUTE_LENGTH_ERROR
            )
        return trusted(cls, int.from_bytes(value[:width], 'big'), IPv4Address(value[width:]))

    def _packed(self, asn: int, width: int) -> bytes:
        return asn.to_bytes(width, 'big') + self.speaker.packed

    def json(self) -> str:
        return f'"{self}"'

    def text(self) -> str:
        return f'aggregator ( {self} )'

    def __str__(self) -> str:
        return f'{self.asn}:{self.speaker}'


@dataclass(frozen=True, slots=True)
class Aggregator(_Aggregation, Attribute):
    CODE: ClassVar[int] = Code.AGGREGATOR
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'aggregator'

    asn: int
    speaker: IPv4Address

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'Aggregator':
        return cls._decoded(value, 4 if negotiated.asn4 else 2)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        if negotiated.asn4:
            return self._packed(self.asn, 4)
        return self._packed(self.asn if self.asn <= 0xFFFF else AS_TRANS, 2)

    def pack(self, negotiated: Negotiated) -> bytes:
        packed = Attribute.pack(self, negotiated)
        if not negotiated.asn4 and self.asn > 0xFFFF:
            packed += AS4Aggregator(self.asn, self.speaker).pack(negotiated)
        return packed


@dataclass(frozen=True, slots=True)
class AS4Aggregator(_Aggregation, Attribute):
    CODE: ClassVar[int] = Code.AS4_AGGREGATOR
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'aggregator'

    asn: int
    speaker: IPv4Address

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'AS4Aggregator':
        return cls._decoded(value, 4)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self._packed(self.asn, 4)
