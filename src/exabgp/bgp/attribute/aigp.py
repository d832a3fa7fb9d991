"""AIGP (type code 26, RFC 7311): the accumulated IGP metric, optional non-transitive.

    a sequence of TLVs: type (1 octet), length (2 octets, the whole TLV), value;
    type 1 is the AIGP TLV, eleven octets long, its value an 8-octet metric

Invariants: `metric` < 2**64. The parser only accepts the attribute on a session configured for it
(`negotiated.aigp`), as 5.0 does. A TLV that overruns the attribute or is shorter than its own
header, an AIGP TLV that is not eleven octets, or no AIGP TLV at all is malformed (RFC 7311 3.2:
handled as attribute discard). Other TLVs are ignored and not sent on; the first AIGP TLV wins.
It is sent on a session configured for AIGP or an internal one, never otherwise. The text and JSON
are 5.0's: the metric as 0x and sixteen lower-case hex digits.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import OPTIONAL_ATTRIBUTE_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated

AIGP_TLV = 1
AIGP_TLV_SIZE = 11


@dataclass(frozen=True, slots=True)
class AIGP(Attribute):
    CODE: ClassVar[int] = Code.AIGP
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'aigp'

    metric: int

    def __post_init__(self) -> None:
        if not 0 <= self.metric < 1 << 64:
            raise ValueError(f'invalid AIGP metric {self.metric}')

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'AIGP':
        metric = None
        offset = 0
        while offset < len(value):
            if len(value) - offset < 3:
                raise Malformed('AIGP TLV header truncated', OPTIONAL_ATTRIBUTE_ERROR)
            kind = value[offset]
            length = int.from_bytes(value[offset + 1 : offset + 3], 'big')
            if length < 3 or offset + length > len(value):
                raise Malformed(f'AIGP TLV length {length} does not fit', OPTIONAL_ATTRIBUTE_ERROR)
            if kind == AIGP_TLV:
                if length != AIGP_TLV_SIZE:
                    raise Malformed(f'AIGP TLV of {length} octets', OPTIONAL_ATTRIBUTE_ERROR)
                if metric is None:
                    metric = int.from_bytes(value[offset + 3 : offset + 11], 'big')
            offset += length
        if metric is None:
            raise Malformed('AIGP attribute without an AIGP TLV', OPTIONAL_ATTRIBUTE_ERROR)
        return trusted(cls, metric)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b'\x01\x00\x0b' + self.metric.to_bytes(8, 'big')

    def pack(self, negotiated: Negotiated) -> bytes:
        if negotiated.aigp or negotiated.ibgp:
            return b'\x80\x1a\x0b\x01\x00\x0b' + self.metric.to_bytes(8, 'big')
        return b''

    def json(self) -> str:
        return f'"{self}"'

    def __str__(self) -> str:
        return f'0x{self.metric:016x}'
