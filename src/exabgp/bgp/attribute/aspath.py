"""AS_PATH (type code 2, RFC 4271 5.1.2, RFC 5065, RFC 6793) and AS4_PATH (type code 17, RFC 6793).

The value is a sequence of path segments:

    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    | segment type  | segment length|  AS numbers (length of them)  ~
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

    type 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET; the AS numbers are two
    octets on a session without four-octet ASNs, four octets otherwise, and always four in AS4_PATH.

Invariants:
- `segments` is a tuple of `(segment type, tuple of AS numbers)`; AS numbers are ints < 2**32.
- AS_PATH decodes with the session's AS width. A path is malformed (RFC 7606 7.2: treat-as-withdraw)
  on an unknown segment type, a zero segment length, a segment overrunning the attribute, or a lone
  trailing octet. AS4_PATH is malformed by RFC 6793 section 6 (attribute discard) under the same
  rules plus a length below 6; its confederation segments are dropped, not refused.
- Packing splits segments longer than 255 AS numbers and skips empty ones. On a 2-octet session an
  AS number above 65535 is sent as AS_TRANS and the real path follows in an AS4_PATH (without
  confederation segments), as ExaBGP 5.0 does.
- Text and JSON are 5.0's: `( 1 2 )` for a sequence, `[ 1 2 ]` for a set, `{( )}` and `{[ ]}` for the
  confederation ones; JSON names both confederation kinds "as-sequence", as 5.0 does.
"""

import struct
from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, header, trusted
from exabgp.bgp.errors import MALFORMED_AS_PATH, Malformed
from exabgp.bgp.negotiated import Negotiated

AS_SET = 1
AS_SEQUENCE = 2
AS_CONFED_SEQUENCE = 3
AS_CONFED_SET = 4

AS_TRANS = 23456
_MAX_SEGMENT = 255
_FORMAT = {2: 'H', 4: 'I'}

Segment = tuple[int, tuple[int, ...]]

_BRACKETS = {
    AS_SET: ('[', ']'),
    AS_SEQUENCE: ('(', ')'),
    AS_CONFED_SEQUENCE: ('{(', ')}'),
    AS_CONFED_SET: ('{[', ']}'),
}
_ELEMENT = {
    AS_SET: 'as-set',
    AS_SEQUENCE: 'as-sequence',
    AS_CONFED_SEQUENCE: 'as-sequence',
    AS_CONFED_SET: 'as-sequence',
}


def unpack_segments(data: bytes, width: int) -> tuple[Segment, ...]:
    """Decode path segments of `width`-octet AS numbers; Malformed on any RFC 7606 7.2 error."""
    segments = []
    offset = 0
    end = len(data)
    while offset < end:
        if end - offset < 2:
            raise Malformed('AS path ends with a lone octet', MALFORMED_AS_PATH)
        kind = data[offset]
        count = data[offset + 1]
        if kind not in _BRACKETS:
            raise Malformed(f'invalid AS path segment type {kind}', MALFORMED_AS_PATH)
        if not count:
            raise Malformed('AS path segment of length zero', MALFORMED_AS_PATH)
        start = offset + 2
        offset = start + count * width
        if offset > end:
            raise Malformed('AS path segment overruns the attribute', MALFORMED_AS_PATH)
        segments.append((kind, struct.unpack_from(f'!{count}{_FORMAT[width]}', data, start)))
    return tuple(segments)


def pack_segments(segments: tuple[Segment, ...], width: int) -> bytes:
    chunks = []
    for kind, asns in segments:
        for first in range(0, len(asns), _MAX_SEGMENT):
            part = asns[first : first + _MAX_SEGMENT]
            chunks.append(bytes((kind, len(part))))
            chunks.extend(asn.to_bytes(width, 'big') for asn in part)
    return b''.join(chunks)


def segments_text(segments: tuple[Segment, ...]) -> str:
    parts = []
    for kind, asns in segments:
        opening, closing = _BRACKETS[kind]
        parts.append(f'{opening} {" ".join(str(asn) for asn in asns)} {closing}')
    return ' '.join(parts)


def segments_json(segments: tuple[Segment, ...]) -> str:
    items = ', '.join(
        f'"{position}": {{"element": "{_ELEMENT[kind]}", "value": [{", ".join(str(asn) for asn in asns)}]}}'
        for position, (kind, asns) in enumerate(segments)
    )
    return f'{{{items}}}'


def _check(segments: tuple[Segment, ...]) -> None:
    for kind, asns in segments:
        if kind not in _BRACKETS:
            raise ValueError(f'invalid AS path segment type {kind}')
        if any(not 0 <= asn < 1 << 32 for asn in asns):
            raise ValueError('AS numbers are 32-bit unsigned integers')


@dataclass(frozen=True, slots=True)
class ASPath(Attribute):
    CODE: ClassVar[int] = Code.AS_PATH
    FLAGS: ClassVar[int] = Flag.TRANSITIVE
    NAME: ClassVar[str] = 'as-path'

    segments: tuple[Segment, ...] = ()

    def __post_init__(self) -> None:
        _check(self.segments)

    @classmethod
    def sequence(cls, asns: tuple[int, ...]) -> 'ASPath':
        return cls(((AS_SEQUENCE, tuple(asns)),) if asns else ())

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'ASPath':
        return trusted(cls, unpack_segments(value, 4 if negotiated.asn4 else 2))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        if negotiated.asn4:
            return pack_segments(self.segments, 4)
        return pack_segments(self._transitional(), 2)

    def pack(self, negotiated: Negotiated) -> bytes:
        if negotiated.asn4:
            value = pack_segments(self.segments, 4)
            return header(self.FLAGS, self.CODE, len(value)) + value
        value = pack_segments(self._transitional(), 2)
        packed = header(self.FLAGS, self.CODE, len(value)) + value
        if any(asn > 0xFFFF for _, asns in self.segments for asn in asns):
            packed += AS4Path(self.segments).pack(negotiated)
        return packed

    def _transitional(self) -> tuple[Segment, ...]:
        """The path as a 2-octet speaker sees it: AS_TRANS for every AS number that needs four octets."""
        return tuple((kind, tuple(asn if asn <= 0xFFFF else AS_TRANS for asn in asns)) for kind, asns in self.segments)

    def json(self) -> str:
        return segments_json(self.segments)

    def __str__(self) -> str:
        return segments_text(self.segments)


@dataclass(frozen=True, slots=True)
class AS4Path(Attribute):
    """The real path beside an AS_PATH carrying AS_TRANS. Never holds confederation segments."""

    CODE: ClassVar[int] = Code.AS4_PATH
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    # 5.0 has no name for it: it prints as a generic attribute
    NAME: ClassVar[str] = 'attribute-0x11-0xC0'

    segments: tuple[Segment, ...] = ()

    def __post_init__(self) -> None:
        _check(self.segments)
        if any(kind in (AS_CONFED_SEQUENCE, AS_CONFED_SET) for kind, _ in self.segments):
            object.__setattr__(
                self,
                'segments',
                tuple(segment for segment in self.segments if segment[0] in (AS_SET, AS_SEQUENCE)),
            )

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'AS4Path':
        if len(value) < 6 or len(value) % 2:
            raise Malformed(f'AS4_PATH of {len(value)} octets', MALFORMED_AS_PATH)
        segments = unpack_segments(value, 4)
        # RFC 6793 6: confederation segments must not be in AS4_PATH; they are dropped, not refused
        outside = tuple(segment for segment in segments if segment[0] in (AS_SET, AS_SEQUENCE))
        return trusted(cls, outside)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return pack_segments(self.segments, 4)

    def pack(self, negotiated: Negotiated) -> bytes:
        value = pack_segments(self.segments, 4)
        # RFC 6793 6: an AS4_PATH has no empty form
        return header(self.FLAGS, self.CODE, len(value)) + value if value else b''

    def json(self) -> str:
        return f'"{self}"'

    def text(self) -> str:
        return f'attribute [ 0x11 0xC0 {self} ]'

    def __str__(self) -> str:
        return segments_text(self.segments)
