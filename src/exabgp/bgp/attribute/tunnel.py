"""TUNNEL_ENCAPSULATION (type code 23, RFC 9012) carrying an SR Policy (tunnel type 15, RFC 9830/9831).

The attribute is a list of tunnel TLVs; the SR Policy one holds sub-TLVs, a segment list holds
sub-sub-TLVs:

    Tunnel TLV:     Tunnel Type (2) | Length (2) | sub-TLVs                       RFC 9012 2
    sub-TLV:        Type (1) | Length (1, or 2 for types 128 to 255) | Value     RFC 9012 2
    SR Policy sub-TLVs (RFC 9830 2.4):
      12 Preference         Flags (1) | Reserved (1) | Preference (4)
      13 Binding SID        Flags (1) | Reserved (1) | [ MPLS label entry (4) | SRv6 SID (16) ]
      14 ENLP               Flags (1) | Reserved (1) | ENLP (1)
      15 Priority           Priority (1) | Reserved (1)
      20 SRv6 Binding SID   Flags (1) | Reserved (1) | SID (16) | [ behaviour and structure (8) ]
     128 Segment List       Reserved (1) | sub-sub-TLVs: Type (1) | Length (1) | Value
     129 Candidate Path Name, 130 Policy Name: Reserved (1) | the name
    Segment List sub-sub-TLVs: 9 Weight: Flags (1) | Reserved (1) | Weight (4); segments of the
    types A (1), C to H (3 to 8), B (13) and I to K (14 to 16), each Flags (1) | Reserved or SR
    Algorithm (1) | the fields of `SEGMENTS` | its SID: an MPLS label entry (A: always; C to H:
    optional) or an SRv6 SID (B: always; I to K: optional) then, with the B flag, the SRv6 endpoint
    behaviour and SID structure: Behaviour (2) | Reserved (2) | LB, LN, Fun, Arg lengths (1 each).

Invariants:
- A `TunnelEncap` keeps the attribute value as received or built (`value`), and packs it back
  unchanged. The parser hands it only values carrying an SR Policy tunnel (`carries_sr_policy`):
  any other tunnel encapsulation stays an unknown attribute, raw, as 5.0.15 keeps every one.
- `unpack` checks the whole structure: TLVs that overrun their container, a sub-TLV or segment of a
  length its type does not allow, a name or segment list without its reserved octet, are
  `Malformed`, and the table makes that treat-as-withdraw (RFC 9012 and RFC 7606; FRR does the
  same). Unknown tunnel types, sub-TLVs and segment types are kept and shown as hex.
- JSON is upstream main's: `{"sr-policy": {"preference": 100, "binding-sid": {"type": "mpls",
  "label": 24000}, "segment-lists": [{"weight": 1, "segments": [{"type": "A", ...}]}]}}`, sub-TLVs
  in wire order, every segment list gathered last under "segment-lists".
- The text (`str`) of a value that has only what the configuration writes is the configuration's
  words (`preference 100 binding-sid mpls 24000 segment-list weight 1 segment type-a mpls 16001`),
  which `configuration.route.srpolicy` reads back into the same bytes.
- The builders (`preference`, `segment_list` ...) are what the configuration calls; they write
  what upstream main writes: the binding SID with flags 0x10 and the S bit, the bottom-of-stack
  bit on the last type A segment (or type C with a SID) of a list, the A flag with a non-zero
  algorithm, the B flag with an endpoint behaviour.
"""

import json as _json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from ipaddress import IPv6Address
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag
from exabgp.bgp.errors import OPTIONAL_ATTRIBUTE_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.prefix import text as address_text

SR_POLICY = 15  # RFC 9012 tunnel type

PREFERENCE = 12
BINDING_SID = 13
ENLP = 14
PRIORITY = 15
SRV6_BINDING_SID = 20
SEGMENT_LIST = 128
CANDIDATE_PATH_NAME = 129
POLICY_NAME = 130
WEIGHT = 9

FLAG_V = 0x80  # segment: verify the SID (RFC 9830 2.4.4.2.3, as upstream main reads it)
FLAG_A = 0x40  # segment: the SR algorithm is valid
FLAG_B = 0x10  # segment: the SRv6 endpoint behaviour and structure follow
SRV6_BSID_FLAG_B = 0x20  # SRv6 binding SID: the same, one bit higher (RFC 9830 2.4.3)
BSID_SPECIFIED = 0x10  # what upstream main sets on the binding SID it sends
BOTTOM = 0x100  # the S bit of an MPLS label entry
LABEL_MAX = (1 << 20) - 1

# RFC 9830 2.4.5
ENLP_NAMES = {1: 'push-ipv4', 2: 'push-ipv6', 3: 'push-ipv4-ipv6', 4: 'no-push'}

# the fixed value lengths of the simple sub-TLVs
_LENGTHS = {PREFERENCE: (6,), BINDING_SID: (2, 6, 18), ENLP: (3,), PRIORITY: (2,), SRV6_BINDING_SID: (18, 26)}
_NAMES = {POLICY_NAME: 'policy-name', CANDIDATE_PATH_NAME: 'candidate-path-name'}

# a field of a segment: JSON name, kind ('ipv4', 'ipv6', 'u32'), configuration keyword
_SIZES = {'ipv4': 4, 'ipv6': 16, 'u32': 4}


@dataclass(frozen=True, slots=True)
class Segment:
    """What a segment type holds, for decoding, JSON and the configuration alike."""

    letter: str
    code: int
    algorithm: bool  # the second octet is the SR algorithm (else reserved)
    fields: tuple[tuple[str, str, str], ...]
    # its SID: 'label' an MPLS label entry (always), 'mpls' one optionally, 'srv6' an SRv6 SID
    # optionally, 'srv6!' always, both SRv6 forms then optionally the behaviour
    sid: str

    @property
    def base(self) -> int:
        return 2 + sum(_SIZES[kind] for _, kind, _ in self.fields)

    def lengths(self) -> tuple[int, ...]:
        base = self.base
        return {
            'label': (base + 4,),
            'mpls': (base, base + 4),
            'srv6': (base, base + 16, base + 24),
            'srv6!': (base + 16, base + 24),
        }[self.sid]


_NODE4 = (('ipv4_node', 'ipv4', 'ipv4'),)
_NODE6 = (('ipv6_node', 'ipv6', 'ipv6'),)
_INTERFACES = (
    ('local_if_id', 'u32', 'local-if-id'),
    ('local_ipv6', 'ipv6', 'local-ipv6'),
    ('remote_if_id', 'u32', 'remote-if-id'),
    ('remote_ipv6', 'ipv6', 'remote-ipv6'),
)
_ADJACENCY6 = (('local_ipv6', 'ipv6', 'local'), ('remote_ipv6', 'ipv6', 'remote'))

# by configuration name (`segment type-a ...`), in RFC 9830/9831's order
SEGMENTS: dict[str, Segment] = {
    'type-a': Segment('A', 1, False, (), 'label'),
    'type-b': Segment('B', 13, False, (), 'srv6!'),
    'type-c': Segment('C', 3, True, _NODE4, 'mpls'),
    'type-d': Segment('D', 4, True, _NODE6, 'mpls'),
    'type-e': Segment('E', 5, False, (('local_if_id', 'u32', 'local-if-id'), *_NODE4), 'mpls'),
    'type-f': Segment('F', 6, False, (('local_ipv4', 'ipv4', 'local'), ('remote_ipv4', 'ipv4', 'remote')), 'mpls'),
    'type-g': Segment('G', 7, False, _INTERFACES, 'mpls'),
    'type-h': Segment('H', 8, False, _ADJACENCY6, 'mpls'),
    'type-i': Segment('I', 14, True, _NODE6, 'srv6'),
    'type-j': Segment('J', 15, True, _INTERFACES, 'srv6'),
    'type-k': Segment('K', 16, True, _ADJACENCY6, 'srv6'),
}
BY_CODE: dict[int, tuple[str, Segment]] = {segment.code: (name, segment) for name, segment in SEGMENTS.items()}


def _bad(reason: str) -> Malformed:
    return Malformed(f'tunnel encapsulation: {reason}', OPTIONAL_ATTRIBUTE_ERROR)


def _hex(value: bytes) -> str:
    return '0x' + value.hex().upper()


# ---------------------------------------------------------------- walking the structure


def tunnels(value: bytes) -> Iterator[tuple[int, bytes]]:
    """(tunnel type, its sub-TLV octets) of each tunnel TLV; `Malformed` when one overruns."""
    offset, end = 0, len(value)
    while offset < end:
        if end - offset < 4:
            raise _bad(f'{end - offset} octets left, too few for a tunnel TLV header')
        kind = int.from_bytes(value[offset : offset + 2], 'big')
        stop = offset + 4 + int.from_bytes(value[offset + 2 : offset + 4], 'big')
        if stop > end:
            raise _bad(f'tunnel type {kind} overruns the attribute')
        yield kind, value[offset + 4 : stop]
        offset = stop


def subtlvs(value: bytes) -> Iterator[tuple[int, bytes]]:
    """(type, value) of each sub-TLV: a 1-octet length below type 128, 2 octets from it (RFC 9012 2)."""
    offset, end = 0, len(value)
    while offset < end:
        kind = value[offset]
        size = 1 if kind < 128 else 2
        if end - offset < 1 + size:
            raise _bad(f'sub-TLV {kind} ends inside its header')
        start = offset + 1 + size
        stop = start + int.from_bytes(value[offset + 1 : start], 'big')
        if stop > end:
            raise _bad(f'sub-TLV {kind} overruns its tunnel')
        yield kind, value[start:stop]
        offset = stop


def _subsub(value: bytes) -> Iterator[tuple[int, bytes]]:
    offset, end = 0, len(value)
    while offset < end:
        if end - offset < 2:
            raise _bad('a segment list ends inside a sub-TLV header')
        kind, stop = value[offset], offset + 2 + value[offset + 1]
        if stop > end:
            raise _bad(f'segment list sub-TLV {kind} overruns the list')
        yield kind, value[offset + 2 : stop]
        offset = stop


def carries_sr_policy(value: bytes) -> bool:
    """The value holds an SR Policy tunnel TLV (then it is decoded, else kept raw): read up to the
    first TLV that does not fit."""
    try:
        return any(kind == SR_POLICY for kind, _ in tunnels(value))
    except Malformed:
        return False


def _check(value: bytes) -> None:
    for kind, body in tunnels(value):
        if kind != SR_POLICY:
            continue
        for sub, data in subtlvs(body):
            allowed = _LENGTHS.get(sub)
            if allowed is not None and len(data) not in allowed:
                raise _bad(f'SR policy sub-TLV {sub} of {len(data)} octets')
            if sub in _NAMES and not data:
                raise _bad(f'SR policy sub-TLV {sub} without its reserved octet')
            if sub == SEGMENT_LIST:
                if not data:
                    raise _bad('a segment list without its reserved octet')
                for code, segment in _subsub(data[1:]):
                    if code == WEIGHT:
                        if len(segment) != 6:
                            raise _bad(f'a segment list weight of {len(segment)} octets')
                    elif code in BY_CODE and len(segment) not in BY_CODE[code][1].lengths():
                        raise _bad(f'a type {BY_CODE[code][1].letter} segment of {len(segment)} octets')


# ---------------------------------------------------------------- reading fields


def _label_entry(data: bytes) -> tuple[int, int, bool, int]:
    entry = int.from_bytes(data[:4], 'big')
    return entry >> 12, (entry >> 9) & 7, bool(entry & BOTTOM), entry & 0xFF


def _behaviour(data: bytes) -> tuple[int, int, int, int, int]:
    return int.from_bytes(data[:2], 'big'), data[4], data[5], data[6], data[7]


def _behaviour_json(data: bytes) -> str:
    behaviour, lb, ln, fun, arg = _behaviour(data)
    return (
        f'"endpoint-behavior": {{"behavior": {behaviour}, "lb-length": {lb}, "ln-length": {ln}, '
        f'"fun-length": {fun}, "arg-length": {arg}}}'
    )


def _fields(segment: Segment, data: bytes) -> tuple[list[tuple[str, str, str, str]], int]:
    """(json name, kind, configuration keyword, value text) of each field, and where the SID starts."""
    found = []
    offset = 2
    for name, kind, word in segment.fields:
        size = _SIZES[kind]
        raw = data[offset : offset + size]
        found.append((name, kind, word, str(int.from_bytes(raw, 'big')) if kind == 'u32' else address_text(raw)))
        offset += size
    return found, offset


def _segment_json(code: int, data: bytes) -> str:
    if code not in BY_CODE:
        return f'{{"type": {code}, "value": "{_hex(data)}"}}'
    segment = BY_CODE[code][1]
    fields, offset = _fields(segment, data)
    parts = [f'"type": "{segment.letter}"']
    for name, kind, _, shown in fields:
        parts.append(f'"{name}": {shown}' if kind == 'u32' else f'"{name}": "{shown}"')
    if segment.algorithm:
        parts.append(f'"algorithm": {data[1]}')
    tail = data[offset:]
    if segment.sid == 'label':
        label, tc, bottom, ttl = _label_entry(tail)
        parts.append(f'"label": {label}, "tc": {tc}, "s": {"true" if bottom else "false"}, "ttl": {ttl}')
    elif segment.sid == 'mpls' and tail:
        label, tc, bottom, ttl = _label_entry(tail)
        parts.append(f'"sid": {label}')
        if segment.letter == 'C':  # upstream writes the whole label entry of this type only
            parts.append(f'"tc": {tc}, "s": {"true" if bottom else "false"}, "ttl": {ttl}')
    elif segment.sid in ('srv6', 'srv6!') and tail:
        parts.append(f'"sid": "{address_text(tail[:16])}"')
        if len(tail) == 24 and data[0] & FLAG_B:
            parts.append(_behaviour_json(tail[16:]))
    return '{' + ', '.join(parts) + '}'


def _segment_list_json(data: bytes) -> str:
    weight = 1  # upstream's weight for a list without one
    segments = []
    for code, segment in _subsub(data[1:]):
        if code == WEIGHT:
            weight = int.from_bytes(segment[2:6], 'big')
        else:
            segments.append(_segment_json(code, segment))
    return f'{{"weight": {weight}, "segments": [{", ".join(segments)}]}}'


def _name(data: bytes) -> str:
    return data[1:].decode('utf-8', 'backslashreplace')


def _subtlv_json(kind: int, data: bytes) -> str:
    if kind == PREFERENCE:
        return f'"preference": {int.from_bytes(data[2:6], "big")}'
    if kind == BINDING_SID:
        if len(data) == 2:
            return '"binding-sid": null'
        if len(data) == 6:
            return f'"binding-sid": {{"type": "mpls", "label": {_label_entry(data[2:])[0]}}}'
        return f'"binding-sid": {{"type": "srv6", "sid": "{address_text(data[2:18])}"}}'
    if kind == ENLP:
        return f'"enlp": {data[2]}'
    if kind == PRIORITY:
        return f'"priority": {data[0]}'
    if kind == SRV6_BINDING_SID:
        sid = address_text(data[2:18])
        if len(data) == 26 and data[0] & SRV6_BSID_FLAG_B:
            behaviour, lb, ln, fun, arg = _behaviour(data[18:])
            return (
                f'"srv6-binding-sid": {{"sid": "{sid}", "behavior": {behaviour}, "lb-length": {lb}, '
                f'"ln-length": {ln}, "fun-length": {fun}, "arg-length": {arg}}}'
            )
        return f'"srv6-binding-sid": "{sid}"'
    if kind in _NAMES:
        return f'"{_NAMES[kind]}": {_json.dumps(_name(data))}'
    return f'"unknown-subtlv-{kind}": "{_hex(data)}"'


# ---------------------------------------------------------------- the configuration's words


def _segment_words(code: int, data: bytes) -> str:
    name, segment = BY_CODE[code]
    fields, offset = _fields(segment, data)
    words = [f'segment {name}']
    words.extend(f'{word} {shown}' for _, _, word, shown in fields)
    if segment.algorithm:
        words.append(f'algorithm {data[1]}')
    tail = data[offset:]
    if segment.sid == 'label':
        words.append(f'mpls {_label_entry(tail)[0]}')
    elif segment.sid == 'mpls' and tail:
        words.append(f'sid {_label_entry(tail)[0]}')
    elif segment.sid in ('srv6', 'srv6!') and tail:
        words.append(f'{"srv6" if segment.sid == "srv6!" else "sid"} {address_text(tail[:16])}')
        if len(tail) == 24 and data[0] & FLAG_B:
            words.append('endpoint-behavior {} {} {} {} {}'.format(*_behaviour(tail[16:])))
    if data[0] & FLAG_V:
        words.append('verification')
    return ' '.join(words)


def _subtlv_words(kind: int, data: bytes) -> str:
    if kind == PREFERENCE:
        return f'preference {int.from_bytes(data[2:6], "big")}'
    if kind == BINDING_SID and len(data) in (2, 6):
        return 'binding-sid null' if len(data) == 2 else f'binding-sid mpls {_label_entry(data[2:])[0]}'
    if kind == ENLP:
        return f'enlp {ENLP_NAMES.get(data[2], data[2])}'
    if kind == PRIORITY:
        return f'priority {data[0]}'
    if kind == SRV6_BINDING_SID and len(data) == 18:
        return f'srv6-binding-sid {address_text(data[2:18])}'
    if kind in _NAMES:
        return f'{_NAMES[kind]} {_json.dumps(_name(data))}'
    if kind == SEGMENT_LIST:
        words = []
        weight = ''
        for code, segment in _subsub(data[1:]):
            if code == WEIGHT:
                weight = f'segment-list weight {int.from_bytes(segment[2:6], "big")}'
            elif code in BY_CODE:
                words.append(_segment_words(code, segment))
            else:
                words.append(f'segment-{code} {_hex(segment)}')
        return ' '.join((weight or 'segment-list', *words))
    return f'sub-tlv-{kind} {_hex(data)}'


# ---------------------------------------------------------------- the attribute


@dataclass(frozen=True, slots=True)
class TunnelEncap(Attribute):
    CODE: ClassVar[int] = Code.TUNNEL_ENCAP
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'tunnel-encap'

    value: bytes

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'TunnelEncap':
        value = bytes(value)
        _check(value)
        return cls(value)

    @classmethod
    def sr_policy(cls, subs: Sequence[bytes]) -> 'TunnelEncap':
        """One SR Policy tunnel holding the sub-TLVs built by the functions below, in their order."""
        body = b''.join(subs)
        if len(body) > 0xFFFF - 4:
            raise ValueError(f'an SR policy of {len(body)} octets does not fit the attribute')
        return cls(SR_POLICY.to_bytes(2, 'big') + len(body).to_bytes(2, 'big') + body)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.value

    def json(self) -> str:
        parts = []
        for kind, body in tunnels(self.value):
            if kind != SR_POLICY:
                parts.append(f'"tunnel-type-{kind}": "{_hex(body)}"')
                continue
            items, lists = [], []
            for sub, data in subtlvs(body):
                if sub == SEGMENT_LIST:
                    lists.append(_segment_list_json(data))
                else:
                    items.append(_subtlv_json(sub, data))
            if lists:
                items.append(f'"segment-lists": [{", ".join(lists)}]')
            parts.append(f'"sr-policy": {{{", ".join(items)}}}')
        return '{' + ', '.join(parts) + '}'

    def __str__(self) -> str:
        parts: list[str] = []
        for kind, body in tunnels(self.value):
            if kind == SR_POLICY:
                parts.extend(_subtlv_words(sub, data) for sub, data in subtlvs(body))
            else:
                parts.append(f'tunnel-type-{kind} {_hex(body)}')
        return ' '.join(parts)

    def text(self) -> str:
        return f'{self.NAME} [ {self} ]'


# ---------------------------------------------------------------- building (the configuration)


def _sub(kind: int, value: bytes) -> bytes:
    if kind < 128:
        if len(value) > 0xFF:
            raise ValueError(f'sub-TLV {kind} of {len(value)} octets does not fit its length')
        return bytes((kind, len(value))) + value
    if len(value) > 0xFFFF:
        raise ValueError(f'sub-TLV {kind} of {len(value)} octets does not fit its length')
    return bytes((kind,)) + len(value).to_bytes(2, 'big') + value


def preference(value: int) -> bytes:
    return _sub(PREFERENCE, b'\x00\x00' + value.to_bytes(4, 'big'))


def binding_sid(label: int | None) -> bytes:
    if label is None:
        return _sub(BINDING_SID, b'\x00\x00')
    return _sub(BINDING_SID, bytes((BSID_SPECIFIED, 0)) + ((label << 12) | BOTTOM).to_bytes(4, 'big'))


def srv6_binding_sid(sid: IPv6Address) -> bytes:
    return _sub(SRV6_BINDING_SID, b'\x00\x00' + sid.packed)


def enlp(value: int) -> bytes:
    return _sub(ENLP, bytes((0, 0, value)))


def priority(value: int) -> bytes:
    return _sub(PRIORITY, bytes((value, 0)))


def name(kind: int, text: str) -> bytes:
    return _sub(kind, b'\x00' + text.encode('utf-8'))


def behaviour(behaviour: int, lb: int, ln: int, fun: int, arg: int) -> bytes:
    return behaviour.to_bytes(2, 'big') + b'\x00\x00' + bytes((lb, ln, fun, arg))


@dataclass(frozen=True, slots=True)
class Built:
    """A segment being built: its type code, value, and where its MPLS label entry is (or None)."""

    code: int
    value: bytes
    label_at: int | None


def segment(
    kind: Segment,
    values: Sequence[bytes],
    algorithm: int,
    sid: bytes | int | None,
    endpoint: bytes | None,
    verify: bool,
) -> Built:
    """A segment of type `kind`: its fields packed (`values`), then its SID (an MPLS label, an SRv6
    SID as 16 octets) and endpoint behaviour (8 octets, `behaviour`), as the configuration wrote."""
    flags = (FLAG_V if verify else 0) | (FLAG_A if algorithm else 0) | (FLAG_B if endpoint is not None else 0)
    value = bytes((flags, algorithm)) + b''.join(values)
    label_at = None
    if isinstance(sid, int):
        label_at = len(value)
        value += (sid << 12).to_bytes(4, 'big')
    elif sid is not None:
        value += sid + (endpoint or b'')
    return Built(kind.code, value, label_at)


def segment_list(weight: int, segments: Sequence[Built]) -> bytes:
    """A segment list sub-TLV; the S bit goes on the last type A segment, or type C with a SID."""
    last = None
    for index, built in enumerate(segments):
        if built.code in (1, 3) and built.label_at is not None:
            last = index
    body = bytearray(b'\x00' + bytes((WEIGHT, 6, 0, 0)) + weight.to_bytes(4, 'big'))
    for index, built in enumerate(segments):
        value = bytearray(built.value)
        if index == last and built.label_at is not None:
            value[built.label_at + 2] |= BOTTOM >> 8
        if len(value) > 0xFF:
            raise ValueError('a segment too long for its length octet')
        body += bytes((built.code, len(value))) + value
    return _sub(SEGMENT_LIST, bytes(body))
