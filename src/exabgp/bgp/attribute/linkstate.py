"""BGP-LS attribute (type code 29, RFC 9552 5.3, SR extensions RFC 9085, SRv6 RFC 9514): optional
non-transitive, a sequence of TLVs describing a node, a link or a prefix.

    TLV: Type (2 octets) | Length (2 octets) | Value (Length octets)

The TLVs 5.0.15 decodes, with its JSON member names (`"name": value`, values as `json.dumps`):

    node    1024 node-flags {O T E B R V}, 1025 opaque, 1026 node-name, 1027 area-id,
            1028/1029 local-te-router-ids (one list for both), 1034 sr-capability-flags {I V}
            then "sids" [[range, first SID or label]], 1035 sr-algorithms,
            1038 srv6-capabilities {"flags": {"O": 0 or 64}}
    link    1030/1031 remote-te-router-id, 1088 admin-group-mask, 1089 maximum-link-bandwidth,
            1090 maximum-reservable-link-bandwidth, 1091 unreserved-bandwidth (IEEE floats),
            1092 te-metric, 1093 link-protection-flags, 1094 mpls-mask, 1095 igp-metric (1, 2 or 3
            octets), 1096 shared-risk-link-groups, 1097 opaque-link, 1098 link-name, 1099 sr-adj,
            1100 sr-adj-lan-sids, 1106 srv6-endx, 1107 srv6-lan-endx-isis, 1108 srv6-lan-endx-ospf,
            1162 srv6-locator, 1250 srv6-endpoint-behavior, 1252 srv6-sid-structure
    prefix  1152 igp-flags, 1153 igp-route-tags, 1154 igp-extended-route-tags, 1155 prefix-metric,
            1156 ospf-forwarding-address, 1157 opaque-prefix, 1158 sr-prefix-flags (with "sids",
            "undecoded-sids" and "sr-algorithm"), 1170 sr-prefix-attribute-flags,
            1171 sr-source-router-id

Invariants:
- The attribute keeps its value octets and packs back to them; the JSON is made once, on receipt.
- The framing is checked on receipt: a truncated TLV header or a TLV longer than what remains is
  `Malformed` (attribute discard, RFC 9552 8.2.2). A TLV that frames well but whose value 5.0
  would refuse (a wrong length, a truncated SID, a sub-TLV overrunning its TLV) is written the way
  5.0 writes a TLV it does not know, `"generic-lsid-N": ["0x..."]`, where 5.0.15 discards the
  whole attribute (`"error": "discard"`, every other TLV of the attribute lost with it).
- The JSON is 5.0.15's, quirks kept: repeated TLVs repeat their member (duplicate keys), except
  local TE router ids, SR LAN adjacency SIDs, SRv6 End.X, SRv6 LAN End.X and unknown TLVs, which
  collect into the member of the first one; "RSV" flags are always 0; sr-capability and sr-prefix
  both write a "sids" member; names and opaque values are UTF-8 with replacement, JSON-escaped.
- `render_six` is upstream 6.0's JSON (`exabgp.api.version` 4 or 6, through `json_six`), as its
  reference decodings show it: TLVs grouped by type in the order each type first comes, "area-ids",
  "local-router-ids", "remote-router-ids" (IPv4 and IPv6 together) and "sr-adjs" as lists, RFC
  8571's TLVs 1114-1120 decoded, one `"generic-lsid-N": ["0x..."]` per unknown TLV; everything
  else as 5.0. Later 6.0 development renamed more members (`sids`, the `srv6-sid-structure` keys):
  those references still show 5.0's names, and so do we. `render` (5.0) never consults it.
"""

import json as _json
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import prefix
from exabgp.bgp.slots import slot_store

HEADER = 4
_HEADER = struct.Struct('!HH')  # a TLV's type and length
RSV = 'RSV'


class _Odd(Exception):
    """A TLV value 5.0 would refuse: written as an unknown TLV instead."""


_string = _json.encoder.encode_basestring_ascii  # what json.dumps writes for a str (ensure_ascii)
_INFINITE = (float('inf'), float('-inf'))


def _dumps(value: Any) -> str:
    """`json.dumps(value)`, the same text, without its encoder's set-up for every small value (a
    BGP-LS attribute has dozens of them: this is most of the cost of a topology feed)."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is str:
        return _string(value)
    if kind is float and value == value and value not in _INFINITE:
        return float.__repr__(value)
    if kind is list:
        return '[' + ', '.join([_dumps(item) for item in value]) + ']'
    if kind is dict and all(type(key) is str for key in value):
        return '{' + ', '.join([f'{_string(key)}: {_dumps(item)}' for key, item in value.items()]) + '}'
    return _json.dumps(value)


def _ip(value: bytes) -> str:
    if len(value) not in (4, 16):
        raise _Odd
    return prefix.text(value)


def _sid(value: bytes) -> str:
    if len(value) != 16:
        raise _Odd
    return prefix.text(value)


def _hex(value: bytes) -> str:
    return '0x' + value.hex().upper()


def _flags(value: bytes, names: tuple[str, ...]) -> dict[str, int]:
    """5.0's flag object of the first octet: a name per bit from the top, the RSV ones always 0."""
    if not value:
        raise _Odd
    octet = value[0]
    found: dict[str, int] = {}
    for bit, name in enumerate(names):
        found[name] = 0 if name == RSV else (octet >> (7 - bit)) & 1
    return found


def _exact(value: bytes, size: int) -> bytes:
    if len(value) != size:
        raise _Odd
    return value


def _number(value: bytes) -> int:
    return int.from_bytes(value, 'big')


def _text(value: bytes) -> str:
    return value.decode('utf-8', 'replace')


def _walk(value: bytes) -> list[tuple[int, bytes]]:
    """Sub-TLVs; a remnant shorter than a header is ignored (as 5.0), an overrun is odd."""
    found = []
    offset = 0
    while len(value) - offset >= HEADER:
        kind = _number(value[offset : offset + 2])
        stop = offset + HEADER + _number(value[offset + 2 : offset + 4])
        if stop > len(value):
            raise _Odd
        found.append((kind, value[offset + HEADER : stop]))
        offset = stop
    return found


# ---------------------------------------------------------------- one renderer per TLV: value -> member(s)


def _member(name: str, convert: Callable[[bytes], object]) -> Callable[[bytes], str]:
    def render(value: bytes) -> str:
        return f'"{name}": {_dumps(convert(value))}'

    return render


def _fixed(name: str, size: int, convert: Callable[[bytes], object]) -> Callable[[bytes], str]:
    return _member(name, lambda value: convert(_exact(value, size)))


def _flag_member(name: str, names: tuple[str, ...], size: int = 0) -> Callable[[bytes], str]:
    return _member(name, lambda value: _flags(_exact(value, size) if size else value, names))


def _multiple(size: int) -> Callable[[bytes], list[int]]:
    def convert(value: bytes) -> list[int]:
        if len(value) % size:
            raise _Odd
        return [_number(value[at : at + size]) for at in range(0, len(value), size)]

    return convert


def _float(value: bytes) -> float:
    return float(struct.unpack('!f', value)[0])


def _floats(value: bytes) -> list[float]:
    return [float(number) for number in struct.unpack('!8f', value)]


def _limited(value: bytes) -> str:
    if len(value) > 255:
        raise _Odd
    return _text(value)


def _area(value: bytes) -> str:
    if not value:
        raise _Odd
    return f'"area-id": "{_number(value)}"'


def _igp_metric(value: bytes) -> str:
    if len(value) not in (1, 2, 3):
        raise _Odd
    return f'"igp-metric": {_number(value)}'


def _algorithms(value: bytes) -> str:
    return f'"sr-algorithms": {_dumps(list(value) or [0])}'


_SR_CAP_FLAGS = ('I', 'V', RSV, RSV, RSV, RSV, RSV, RSV)
SID_LABEL = 1161


def _sr_capabilities(value: bytes) -> str:
    flags = _flags(value, _SR_CAP_FLAGS)
    rest = value[2:]
    sids = []
    while rest:
        if len(rest) < 7:
            raise _Odd
        size = _number(rest[:3])
        if _number(rest[3:5]) != SID_LABEL:
            raise _Odd
        length = _number(rest[5:7])
        if length in (3, 4):
            sid = rest[7 : 7 + length]
            if len(sid) != length:
                raise _Odd
            sids.append([size, _number(sid) & 0xFFFFF if length == 3 else _number(sid)])
        rest = rest[7 + length :]
    return f'"sr-capability-flags": {_dumps(flags)}, "sids": {_dumps(sids)}'


def _srv6_capabilities(value: bytes) -> str:
    return f'"srv6-capabilities": {_dumps({"flags": {"O": _number(value[:2]) & 0x40}})}'


_ADJ_FLAGS = ('F', 'B', 'V', 'L', 'S', 'P', RSV, RSV)


def _sids(flags: dict[str, int], rest: bytes, exact_index: bool = False) -> tuple[list[int], list[str]]:
    """SIDs after an SR header: 3-octet labels (V and L set), 4-octet indexes (neither), else raw."""
    sids: list[int] = []
    raw: list[str] = []
    while rest:
        if flags['V'] and flags['L']:
            if len(rest) < 3:
                raise _Odd
            sids.append(_number(rest[:3]))
            rest = rest[3:]
        elif not flags['V'] and not flags['L']:
            if len(rest) != 4 if exact_index else len(rest) < 4:
                raise _Odd
            sids.append(_number(rest[:4]))
            rest = rest[4:]
        else:
            raw.append(_hex(rest))
            break
    return sids, raw


def _sr_adj_value(value: bytes) -> dict[str, Any]:
    if len(value) < 2:
        raise _Odd
    flags = _flags(value, _ADJ_FLAGS)
    sids, raw = _sids(flags, value[4:])
    return {'flags': flags, 'sids': sids, 'weight': value[1], 'undecoded-sids': raw}


def _sr_adj(value: bytes) -> str:
    return f'"sr-adj": {_dumps(_sr_adj_value(value))}'


def _sr_adj_lan(value: bytes) -> dict[str, Any]:
    if len(value) < 10:
        raise _Odd
    flags = _flags(value, _ADJ_FLAGS)
    sids, raw = _sids(flags, value[10:])
    return {'flags': flags, 'weight': value[1], 'system-id': value[4:10].hex(), 'sids': sids, 'undecoded': raw}


_PREFIX_FLAGS = ('R', 'N', 'P', 'E', 'V', 'L', RSV, RSV)


def _sr_prefix(value: bytes) -> str:
    if len(value) < 2:
        raise _Odd
    flags = _flags(value, _PREFIX_FLAGS)
    sids, raw = _sids(flags, value[4:], exact_index=True)
    return (
        f'"sr-prefix-flags": {_dumps(flags)}, "sids": {_dumps(sids)}, '
        f'"undecoded-sids": {_dumps(raw)}, "sr-algorithm": {value[1]}'
    )


def _structure(value: bytes) -> dict[str, int]:
    if len(value) < 4:
        raise _Odd
    return {'loc_block_len': value[0], 'loc_node_len': value[1], 'func_len': value[2], 'arg_len': value[3]}


def _sid_structure(value: bytes) -> str:
    return f'"srv6-sid-structure": {_dumps(_structure(value))}'


SID_STRUCTURE = 1252
_SRV6_FLAGS = ('B', 'S', 'P', RSV, RSV, RSV, RSV, RSV)


def _srv6_subtlvs(value: bytes, unknown: Callable[[int], str]) -> dict[str, Any]:
    """The sub-TLVs of an End.X SID: the SID structure, others as hex under 5.0's names (last wins)."""
    found: dict[str, Any] = {}
    for kind, sub in _walk(value):
        if kind == SID_STRUCTURE:
            found['srv6-sid-structure'] = _structure(sub)
        else:
            found[unknown(kind)] = _hex(sub)
    return found


def _endx(value: bytes) -> dict[str, Any]:
    if len(value) < 22:
        raise _Odd
    head = {
        'flags': _flags(value[2:3], _SRV6_FLAGS),
        'behavior': _number(value[:2]),
        'algorithm': value[3],
        'weight': value[4],
        'sid': _sid(value[6:22]),
    }
    head.update(_srv6_subtlvs(value[22:], lambda kind: f'subtlv-not-implemented-{kind}'))
    return head


def _lan_endx(value: bytes, isis: bool) -> dict[str, Any]:
    start = 12 if isis else 10
    if len(value) < start + 16:
        raise _Odd
    head = {
        'flags': _flags(value[2:3], _SRV6_FLAGS),
        'neighbor-id': value[6:12].hex() if isis else _ip(value[6:10]),
        'behavior': _number(value[:2]),
        'algorithm': value[3],
        'weight': value[4],
        'sid': _sid(value[start : start + 16]),
    }
    head.update(_srv6_subtlvs(value[start + 16 :], lambda kind: f'{kind}-undecoded'))
    return head


def _locator(value: bytes) -> str:
    if len(value) < 8:
        raise _Odd
    shown = {'flags': _flags(value, ('D',) + (RSV,) * 7), 'algorithm': value[1], 'metric': _number(value[4:8])}
    return f'"srv6-locator": {_dumps(shown)}'


def _endpoint(value: bytes) -> str:
    if len(value) < 4:
        raise _Odd
    shown = {'endpoint-behavior': _number(value[:2]), 'flags': [], 'algorithm': value[3]}
    return f'"srv6-endpoint-behavior": {_dumps(shown)}'


# TLVs written as one member each time they appear
_SINGLE: dict[int, Callable[[bytes], str]] = {
    1024: _flag_member('node-flags', ('O', 'T', 'E', 'B', 'R', 'V', RSV, RSV), 1),
    1025: _member('opaque', _text),
    1026: _member('node-name', _limited),
    1027: _area,
    1030: _member('remote-te-router-id', _ip),
    1031: _member('remote-te-router-id', _ip),
    1034: _sr_capabilities,
    1035: _algorithms,
    1038: _srv6_capabilities,
    1088: _fixed('admin-group-mask', 4, _number),
    1089: _fixed('maximum-link-bandwidth', 4, _float),
    1090: _fixed('maximum-reservable-link-bandwidth', 4, _float),
    1091: _fixed('unreserved-bandwidth', 32, _floats),
    1092: _fixed('te-metric', 4, _number),
    1093: _flag_member(
        'link-protection-flags',
        ('ExtraTrafic', 'Unprotected', 'Shared', 'Dedicated 1:1', 'Dedicated 1+1', 'Enhanced', RSV, RSV),
        2,
    ),
    1094: _flag_member('mpls-mask', ('LDP', 'RSVP-TE', RSV, RSV, RSV, RSV, RSV, RSV), 1),
    1095: _igp_metric,
    1096: _member('shared-risk-link-groups', _multiple(4)),
    1097: _member('opaque-link', _text),
    1098: _member('link-name', _limited),
    1099: _sr_adj,
    1152: _flag_member('igp-flags', ('D', 'N', 'L', 'P', RSV, RSV, RSV, RSV), 1),
    1153: _member('igp-route-tags', _multiple(4)),
    1154: _member('igp-extended-route-tags', _multiple(8)),
    1155: _fixed('prefix-metric', 4, _number),
    1156: _member('ospf-forwarding-address', _ip),
    1157: _member('opaque-prefix', _text),
    1158: _sr_prefix,
    1162: _locator,
    1170: _flag_member('sr-prefix-attribute-flags', ('X', 'R', 'N', RSV, RSV, RSV, RSV, RSV)),
    1171: _member('sr-source-router-id', _ip),
    1250: _endpoint,
    1252: _sid_structure,
}


@dataclass(frozen=True, slots=True)
class _Collected:
    """TLVs collected into one member, at the place of the first: its values and how to write them."""

    group: str
    convert: Callable[[bytes], Any]
    write: Callable[[list[Any]], str]


def _listed(name: str) -> Callable[[list[Any]], str]:
    return lambda values: f'"{name}": [ {", ".join(_dumps(value) for value in values)} ]'


_COLLECTED: dict[int, _Collected] = {
    1028: _Collected('local-te-router-ids', _ip, lambda values: f'"local-te-router-ids": {_dumps(values)}'),
    1029: _Collected('local-te-router-ids', _ip, lambda values: f'"local-te-router-ids": {_dumps(values)}'),
    1100: _Collected('sr-adj-lan-sids', _sr_adj_lan, lambda values: f'"sr-adj-lan-sids": {_dumps(values)}'),
    1106: _Collected('srv6-endx', _endx, _listed('srv6-endx')),
    1107: _Collected('srv6-lan-endx-isis', lambda value: _lan_endx(value, True), _listed('srv6-lan-endx-isis')),
    1108: _Collected('srv6-lan-endx-ospf', lambda value: _lan_endx(value, False), _listed('srv6-lan-endx-ospf')),
}


def _generic(kind: int) -> Callable[[list[Any]], str]:
    return lambda values: f'"generic-lsid-{kind}": [{", ".join(_dumps(value) for value in values)}]'


# A topology repeats most TLVs from link to link (bandwidths, metrics, SRLGs, flags, router ids),
# so each TLV's rendering is remembered by its octets: its type and value decide it alone. The
# memory is bounded in entries and in the size of a remembered TLV, and starts afresh when full.
_MEMO_ENTRIES = 32768
_MEMO_OCTETS = 128
_Rendered = tuple[str | None, Callable[[list[Any]], str] | None, Any]
_memo: dict[bytes, _Rendered] = {}


def _rendered(kind: int, data: bytes) -> _Rendered:
    """One TLV: (None, None, its member) when written where it comes, else (group, writer, value)."""
    try:
        single = _SINGLE.get(kind)
        if single is not None:
            return None, None, single(data)
        collected = _COLLECTED.get(kind)
        if collected is not None:
            return collected.group, collected.write, collected.convert(data)
    except (_Odd, struct.error):
        pass
    return f'generic-lsid-{kind}', _generic(kind), _hex(data)


def render(value: bytes) -> str:
    """The JSON object 5.0 writes for the attribute's TLVs; `Malformed` if they do not frame."""
    members: list[str | tuple[Callable[[list[Any]], str], list[Any]]] = []
    groups: dict[str, list[Any]] = {}
    memo = _memo
    offset = 0
    end = len(value)
    while offset < end:
        stop = _framed(value, offset, end)
        raw = value[offset:stop]
        known = memo.get(raw)
        if known is None:
            known = _rendered((raw[0] << 8) | raw[1], raw[HEADER:])
            if stop - offset <= _MEMO_OCTETS:
                if len(memo) >= _MEMO_ENTRIES:
                    memo.clear()
                memo[raw] = known
        offset = stop
        key, write, shown = known
        if key is None:
            members.append(shown)
            continue
        found = groups.get(key)
        if found is None:
            assert write is not None  # a collected TLV always has its writer
            groups[key] = found = []
            members.append((write, found))
        found.append(shown)
    written = [member if isinstance(member, str) else member[0](member[1]) for member in members]
    return '{ ' + ', '.join(written) + ' }'


# ---------------------------------------------------------------- upstream 6.0's JSON (exabgp.api.version 4 or 6)

_ANOMALOUS = 0x80
# RFC 8571 6: the link loss unit, in percent
_LOSS_UNIT = 0.000003


def _micro(value: bytes) -> int:
    """An RFC 8571 24-bit value after its flag octet."""
    return _number(value[1:4])


def _delay(value: bytes) -> dict[str, Any]:
    return {'delay-us': _micro(value), 'anomalous': bool(value[0] & _ANOMALOUS)}


def _delays(value: bytes) -> dict[str, Any]:
    return {'min-delay-us': _micro(value), 'max-delay-us': _micro(value[4:]), 'anomalous': bool(value[0] & _ANOMALOUS)}


def _loss(value: bytes) -> dict[str, Any]:
    return {'loss-percent': _micro(value) * _LOSS_UNIT, 'anomalous': bool(value[0] & _ANOMALOUS)}


def _area_id(value: bytes) -> str:
    if not value:
        raise _Odd
    return str(_number(value))


# 6.0 writes every TLV but these as 5.0 does, and decodes the RFC 8571 performance metrics
_SIX_SINGLE: dict[int, Callable[[bytes], str]] = {
    kind: single for kind, single in _SINGLE.items() if kind not in (1027, 1030, 1031, 1099)
} | {
    1114: _fixed('unidirectional-link-delay', 4, _delay),
    1115: _fixed('minmax-unidirectional-link-delay', 8, _delays),
    1116: _fixed('unidirectional-delay-variation', 4, _micro),
    1117: _fixed('unidirectional-link-loss', 4, _loss),
    1118: _fixed('unidirectional-residual-bandwidth', 4, _float),
    1119: _fixed('unidirectional-available-bandwidth', 4, _float),
    1120: _fixed('unidirectional-utilized-bandwidth', 4, _float),
}


def _six_listed(name: str) -> Callable[[list[Any]], str]:
    return lambda values: f'"{name}": {_dumps(values)}'


# 6.0 collects these into one list each: the area ids, both router ids (IPv4 and IPv6 in one list,
# the remote ones as well), the adjacency SIDs; the others as 5.0 does
_SIX_COLLECTED: dict[int, _Collected] = _COLLECTED | {
    1027: _Collected('area-ids', _area_id, _six_listed('area-ids')),
    1028: _Collected('local-router-ids', _ip, _six_listed('local-router-ids')),
    1029: _Collected('local-router-ids', _ip, _six_listed('local-router-ids')),
    1030: _Collected('remote-router-ids', _ip, _six_listed('remote-router-ids')),
    1031: _Collected('remote-router-ids', _ip, _six_listed('remote-router-ids')),
    1099: _Collected('sr-adjs', _sr_adj_value, _six_listed('sr-adjs')),
}


def _joined(members: list[Any]) -> str:
    return ', '.join(members)


def render_six(value: bytes) -> str:
    """The JSON object upstream 6.0 writes for the attribute's TLVs (which must frame well).

    6.0 groups the TLVs by type, in the order each type first comes: a collected group is one list
    member, the TLVs of another type each write their member there, one after the other. A value
    5.0 would refuse is written as an unknown TLV, one `"generic-lsid-N": ["0x..."]` per TLV."""
    groups: dict[str | int, tuple[Callable[[list[Any]], str], list[Any]]] = {}
    for kind, data in tlvs(value):
        key: str | int
        try:
            collected = _SIX_COLLECTED.get(kind)
            if collected is not None:
                key, write, shown = collected.group, collected.write, collected.convert(data)
            else:
                single = _SIX_SINGLE.get(kind)
                if single is None:
                    raise _Odd
                key, write, shown = kind, _joined, single(data)
        except (_Odd, struct.error):
            key, write, shown = f'generic-lsid-{kind}', _joined, f'"generic-lsid-{kind}": ["{_hex(data)}"]'
        group = groups.get(key)
        if group is None:
            groups[key] = group = (write, [])
        group[1].append(shown)
    return '{ ' + ', '.join(write(found) for write, found in groups.values()) + ' }'


def _framed(value: bytes, offset: int, end: int) -> int:
    """Where the TLV at `offset` ends; `Malformed` (attribute discard) if it does not fit."""
    if end - offset < HEADER:
        raise Malformed('BGP-LS attribute ends with a truncated TLV header', ATTRIBUTE_LENGTH_ERROR)
    stop = offset + HEADER + ((value[offset + 2] << 8) | value[offset + 3])
    if stop > end:
        kind = (value[offset] << 8) | value[offset + 1]
        raise Malformed(
            f'BGP-LS attribute TLV {kind} claims {stop - offset - HEADER} octets,'
            f' {end - offset - HEADER} remain: 0x{value[offset:].hex().upper()}',
            ATTRIBUTE_LENGTH_ERROR,
        )
    return stop


def tlvs(value: bytes) -> list[tuple[int, bytes]]:
    found = []
    offset = 0
    end = len(value)
    while offset < end:
        stop = _framed(value, offset, end)
        found.append(((value[offset] << 8) | value[offset + 1], value[offset + HEADER : stop]))
        offset = stop
    return found


@dataclass(frozen=True, slots=True)
class LinkState(Attribute):
    CODE: ClassVar[int] = Code.BGP_LS
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'bgp-ls'
    SIX: ClassVar[bool] = True

    value: bytes
    shown: str = field(default='', compare=False)

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'LinkState':
        value = bytes(value)
        # slots stored directly (bgp.slots): a topology feed decodes one per NLRI
        made = _NEW(cls)
        _VALUE(made, value)
        _SHOWN(made, render(value))
        return made

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.value

    def json(self) -> str:
        return self.shown or render(self.value)

    def json_six(self) -> str:
        return render_six(self.value)

    def __str__(self) -> str:
        return '0x' + self.value.hex().upper()


_NEW = object.__new__
_VALUE = slot_store(LinkState, 'value')
_SHOWN = slot_store(LinkState, 'shown')
