"""BGP Prefix-SID (type code 40): SR-MPLS label index and SRGB (RFC 8669), SRv6 services (RFC 9252).

The value is a sequence of TLVs: type (1 octet), length (2 octets, the value only), value.

    type 1, Label-Index (length 7):  reserved (1) | flags (2) | label index (4)
    type 3, Originator SRGB (2+6n):  flags (2) | n times: SRGB base (3) | range size (3)
    type 5, SRv6 L3 Service,         reserved (1) | sub-TLVs: type (1) | length (2) | value
    type 6, SRv6 L2 Service:
      sub-TLV 1, SRv6 SID Information: reserved (1) | SID (16) | flags (1) | endpoint behavior (2)
                                       | reserved (1) | sub-sub-TLVs: type (1) | length (2) | value
        sub-sub-TLV 1, SID Structure (length 6): locator block, locator node, function, argument,
                                       transposition length, transposition offset (1 octet each)

Invariants:
- Optional transitive. A value with no TLV, a TLV, sub-TLV or sub-sub-TLV whose header or value
  overruns what holds it, a Label-Index TLV that is not 7 octets, an Originator SRGB TLV that is
  not 2 + 6n octets (n >= 1), an SID Information sub-TLV shorter than 21 octets or an SID
  Structure that is not 6 octets is malformed: the table applies attribute discard (RFC 8669 6).
- A Label-Index or Originator SRGB TLV repeated is dropped, the first one kept (RFC 8669 6 lets
  only unknown TLVs through), and not sent on. Unknown TLVs, sub-TLVs and sub-sub-TLVs are kept.
- `packed` is the value sent: the bytes received (less a dropped repeat), or the TLVs packed when
  built from a configuration; reserved octets and the flags of RFC 8669 TLVs are sent as zero.
- JSON and text are 5.0's: `{ "sr-label-index": 777, "sr-srgbs": [[800000, 4096]] }`,
  `{ "l3-service": [ { "sid": "2001:db8::", "flags": 0, "endpoint_behavior": 72, "structure":
  {"locator-block-length": 64, ...} } ] }`; text `[ 777, [ ( 800000,4096 ) ] ]` and
  `[ l3-service [ sid-information [ sid:2001:db8:: flags:0 endpoint_behavior:0x48 ... ] ]`.
  Where 5.0.15 writes broken JSON (the SID and behaviour of an SID Information as the literal
  `"%s"` and `%d`, nothing for an unknown sub-TLV) we write the values; the SID Information's
  flags are the received ones (5.0 always says 0).
"""

from dataclasses import dataclass
from ipaddress import IPv6Address
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated

LABEL_INDEX = 1
ORIGINATOR_SRGB = 3
L3_SERVICE = 5
L2_SERVICE = 6
SID_INFORMATION = 1
SID_STRUCTURE = 1

LABEL_INDEX_SIZE = 7
SID_INFORMATION_SIZE = 21
SID_STRUCTURE_SIZE = 6
SRGB_RANGE_SIZE = 6
# 5.0's endpoint behaviour when the configuration gives none (RFC 8986 8.1: opaque)
OPAQUE_BEHAVIOR = 0xFFFF
_ONCE = (LABEL_INDEX, ORIGINATOR_SRGB)
_SERVICES = {L3_SERVICE: 'l3-service', L2_SERVICE: 'l2-service'}
_STRUCTURE_NAMES = (
    'locator-block-length',
    'locator-node-length',
    'function-length',
    'argument-length',
    'transposition-length',
    'transposition-offset',
)


def _tlv(kind: int, value: bytes) -> bytes:
    return bytes((kind,)) + len(value).to_bytes(2, 'big') + value


def _walk(data: bytes, what: str) -> list[tuple[int, bytes]]:
    """The (type, value) pairs of a run of TLVs with 1-octet types and 2-octet lengths."""
    found = []
    offset = 0
    end = len(data)
    while offset < end:
        if end - offset < 3:
            raise Malformed(f'{what} header truncated ({end - offset} octets left)', ATTRIBUTE_LENGTH_ERROR)
        kind = data[offset]
        length = int.from_bytes(data[offset + 1 : offset + 3], 'big')
        offset += 3
        if offset + length > end:
            raise Malformed(f'{what} {kind} of {length} octets overruns its container', ATTRIBUTE_LENGTH_ERROR)
        found.append((kind, data[offset : offset + length]))
        offset += length
    return found


@dataclass(frozen=True, slots=True)
class Generic:
    """A TLV, sub-TLV or sub-sub-TLV this version does not decode: kept and sent on as received."""

    kind: int
    value: bytes

    def pack(self) -> bytes:
        return _tlv(self.kind, self.value)

    def json(self) -> str:
        return f'"attribute-not-implemented-{self.kind}": "0x{self.value.hex().upper()}"'

    def __str__(self) -> str:
        return f'Attribute with code [ {self.kind} ] not implemented'


@dataclass(frozen=True, slots=True)
class LabelIndex:
    index: int

    def pack(self) -> bytes:
        return _tlv(LABEL_INDEX, bytes(3) + self.index.to_bytes(4, 'big'))

    def json(self) -> str:
        return f'"sr-label-index": {self.index}'

    def __str__(self) -> str:
        return str(self.index)


@dataclass(frozen=True, slots=True)
class OriginatorSRGB:
    ranges: tuple[tuple[int, int], ...]  # (base, size), each 24 bits

    def pack(self) -> bytes:
        value = bytes(2) + b''.join(base.to_bytes(3, 'big') + size.to_bytes(3, 'big') for base, size in self.ranges)
        return _tlv(ORIGINATOR_SRGB, value)

    def json(self) -> str:
        return '"sr-srgbs": [' + ', '.join(f'[{base}, {size}]' for base, size in self.ranges) + ']'

    def __str__(self) -> str:
        return '[ ' + ', '.join(f'( {base},{size} )' for base, size in self.ranges) + ' ]'


@dataclass(frozen=True, slots=True)
class SIDStructure:
    """RFC 9252 3.2.1: the lengths, in bits, of the parts of an SRv6 SID."""

    lengths: tuple[int, int, int, int, int, int]

    def pack(self) -> bytes:
        return _tlv(SID_STRUCTURE, bytes(self.lengths))

    def json(self) -> str:
        pairs = ', '.join(f'"{name}": {value}' for name, value in zip(_STRUCTURE_NAMES, self.lengths, strict=True))
        return f'"structure": {{{pairs}}}'

    def __str__(self) -> str:
        return f'sid-structure [{",".join(str(value) for value in self.lengths)}]'


@dataclass(frozen=True, slots=True)
class SIDInformation:
    """RFC 9252 3.1: an SRv6 SID, its flags and endpoint behaviour, and its sub-sub-TLVs."""

    sid: IPv6Address
    behavior: int
    flags: int = 0
    subs: tuple[SIDStructure | Generic, ...] = ()

    def pack(self) -> bytes:
        head = b'\x00' + self.sid.packed + bytes((self.flags,)) + self.behavior.to_bytes(2, 'big') + b'\x00'
        return _tlv(SID_INFORMATION, head + b''.join(sub.pack() for sub in self.subs))

    def json(self) -> str:
        items = [f'"sid": "{self.sid}"', f'"flags": {self.flags}', f'"endpoint_behavior": {self.behavior}']
        items.extend(
            sub.json() if isinstance(sub, SIDStructure) else _generic_sub(sub, 'sub-sub-tlv') for sub in self.subs
        )
        return '{ ' + ', '.join(items) + ' }'

    def __str__(self) -> str:
        text = f'sid-information [ sid:{self.sid} flags:{self.flags} endpoint_behavior:0x{self.behavior:x} '
        if self.subs:
            text += ' [ ' + ', '.join(_sub_text(sub, 'Data Sub-Sub-TLV') for sub in self.subs) + ' ]'
        return text

    @classmethod
    def unpack(cls, value: bytes) -> 'SIDInformation':
        if len(value) < SID_INFORMATION_SIZE:
            raise Malformed(f'SRv6 SID Information sub-TLV of {len(value)} octets', ATTRIBUTE_LENGTH_ERROR)
        subs: list[SIDStructure | Generic] = []
        for kind, data in _walk(value[SID_INFORMATION_SIZE:], 'SRv6 Service Data Sub-Sub-TLV'):
            if kind == SID_STRUCTURE:
                if len(data) != SID_STRUCTURE_SIZE:
                    raise Malformed(f'SRv6 SID Structure of {len(data)} octets', ATTRIBUTE_LENGTH_ERROR)
                subs.append(trusted(SIDStructure, tuple(data)))
            else:
                subs.append(Generic(kind, bytes(data)))
        sid = IPv6Address(bytes(value[1:17]))
        return trusted(cls, sid, int.from_bytes(value[18:20], 'big'), value[17], tuple(subs))


def _generic_sub(sub: Generic, what: str) -> str:
    return f'"generic-{what}-{sub.kind}": "0x{sub.value.hex().upper()}"'


def _sub_text(sub: object, what: str) -> str:
    if isinstance(sub, Generic):
        return f'SRv6 Service {what} type {sub.kind} not implemented'
    return str(sub)


@dataclass(frozen=True, slots=True)
class Service:
    """RFC 9252 2: an SRv6 L3 (type 5) or L2 (type 6) Service TLV."""

    kind: int
    subs: tuple[SIDInformation | Generic, ...]

    def pack(self) -> bytes:
        return _tlv(self.kind, b'\x00' + b''.join(sub.pack() for sub in self.subs))

    def json(self) -> str:
        items = (
            sub.json() if isinstance(sub, SIDInformation) else '{ ' + _generic_sub(sub, 'sub-tlv') + ' }'
            for sub in self.subs
        )
        return f'"{_SERVICES[self.kind]}": [ ' + ', '.join(items) + ' ]'

    def __str__(self) -> str:
        return f'{_SERVICES[self.kind]} [ ' + ', '.join(_sub_text(sub, 'Sub-TLV') for sub in self.subs) + ' ]'

    @classmethod
    def unpack(cls, kind: int, value: bytes) -> 'Service':
        if not value:
            raise Malformed(f'SRv6 {_SERVICES[kind]} TLV without its reserved octet', ATTRIBUTE_LENGTH_ERROR)
        subs: list[SIDInformation | Generic] = []
        for code, data in _walk(value[1:], 'SRv6 Service Sub-TLV'):
            subs.append(SIDInformation.unpack(data) if code == SID_INFORMATION else Generic(code, bytes(data)))
        return trusted(cls, kind, tuple(subs))


TLV = LabelIndex | OriginatorSRGB | Service | Generic


@dataclass(frozen=True, slots=True)
class PrefixSID(Attribute):
    CODE: ClassVar[int] = Code.BGP_PREFIX_SID
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'bgp-prefix-sid'

    tlvs: tuple[TLV, ...]
    packed: bytes

    @classmethod
    def make(cls, tlvs: tuple[TLV, ...]) -> 'PrefixSID':
        if not tlvs:
            raise ValueError('a BGP Prefix-SID attribute carries at least one TLV')
        return cls(tlvs, b''.join(tlv.pack() for tlv in tlvs))

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'PrefixSID':
        if not value:
            raise Malformed('a BGP Prefix-SID attribute without any TLV', ATTRIBUTE_LENGTH_ERROR)
        value = bytes(value)
        tlvs: list[TLV] = []
        seen: set[int] = set()
        repeated = False
        kept = []
        offset = 0
        for kind, data in _walk(value, 'BGP Prefix-SID TLV'):
            start = offset
            offset += 3 + len(data)
            if kind in _ONCE:
                if kind in seen:
                    repeated = True
                    continue
                seen.add(kind)
            tlvs.append(_decode(kind, data))
            kept.append(value[start:offset])
        return trusted(cls, tuple(tlvs), b''.join(kept) if repeated else value)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.packed

    def json(self) -> str:
        return '{ ' + ', '.join(tlv.json() for tlv in self.tlvs) + ' }'

    def __str__(self) -> str:
        index = next((tlv for tlv in self.tlvs if isinstance(tlv, LabelIndex)), None)
        if index is not None:
            srgb = next((tlv for tlv in self.tlvs if isinstance(tlv, OriginatorSRGB)), None)
            return f'[ {index}, {srgb} ]' if srgb is not None else f'[ {index} ]'
        return '[ ' + ', '.join(str(tlv) for tlv in self.tlvs) + ' ]'


def _decode(kind: int, data: bytes) -> TLV:
    if kind == LABEL_INDEX:
        if len(data) != LABEL_INDEX_SIZE:
            raise Malformed(f'Label-Index TLV of {len(data)} octets, expecting 7', ATTRIBUTE_LENGTH_ERROR)
        return trusted(LabelIndex, int.from_bytes(data[3:7], 'big'))
    if kind == ORIGINATOR_SRGB:
        if len(data) < 2 + SRGB_RANGE_SIZE or (len(data) - 2) % SRGB_RANGE_SIZE:
            raise Malformed(f'Originator SRGB TLV of {len(data)} octets, expecting 2 + 6n', ATTRIBUTE_LENGTH_ERROR)
        ranges = tuple(
            (int.from_bytes(data[at : at + 3], 'big'), int.from_bytes(data[at + 3 : at + 6], 'big'))
            for at in range(2, len(data), SRGB_RANGE_SIZE)
        )
        return trusted(OriginatorSRGB, ranges)
    if kind in _SERVICES:
        return Service.unpack(kind, data)
    return Generic(kind, bytes(data))
