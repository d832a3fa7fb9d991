"""Readable renderings of BGP messages, for failure reports.

`describe` first asks the project's codec (`exabgp.bgp`) to decode the message and prints the
value it returns, field by field. When the codec is not importable, has no decoder for the message
yet, or fails, a small built-in dump is used instead: the header, the OPEN fields and capabilities,
the UPDATE withdrawn routes, attributes (the common ones decoded, the rest in hex) and IP prefixes,
NOTIFICATION codes and data, ROUTE-REFRESH family. The kit therefore works before the codec exists.

`hexdump` splits a message as the case files do (marker:length:type:body).

Invariants: no function here raises on any input; a part that cannot be read is shown in hex.
"""

import dataclasses
import enum
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field

from qakit import wire

TYPES = {1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH', 6: 'OPERATIONAL'}

AFI = {1: 'ipv4', 2: 'ipv6', 25: 'l2vpn', 16388: 'bgp-ls'}
SAFI = {
    1: 'unicast',
    2: 'multicast',
    4: 'nlri-mpls',
    5: 'mcast-vpn',
    65: 'vpls',
    70: 'evpn',
    71: 'bgp-ls',
    72: 'bgp-ls-vpn',
    73: 'sr-policy',
    85: 'mup',
    128: 'mpls-vpn',
    132: 'rtc',
    133: 'flow',
    134: 'flow-vpn',
}

CAPABILITIES = {
    1: 'multiprotocol',
    2: 'route-refresh',
    3: 'outbound-route-filtering',
    5: 'extended-next-hop',
    6: 'extended-message',
    9: 'bgp-role',
    64: 'graceful-restart',
    65: 'asn4',
    66: 'unassigned',
    67: 'dynamic',
    68: 'multisession',
    69: 'add-path',
    70: 'enhanced-route-refresh',
    71: 'long-lived-graceful-restart',
    73: 'hostname',
    75: 'software-version',
    128: 'route-refresh (cisco)',
    131: 'multisession (cisco)',
}

ATTRIBUTES = {
    1: 'ORIGIN',
    2: 'AS_PATH',
    3: 'NEXT_HOP',
    4: 'MULTI_EXIT_DISC',
    5: 'LOCAL_PREF',
    6: 'ATOMIC_AGGREGATE',
    7: 'AGGREGATOR',
    8: 'COMMUNITIES',
    9: 'ORIGINATOR_ID',
    10: 'CLUSTER_LIST',
    14: 'MP_REACH_NLRI',
    15: 'MP_UNREACH_NLRI',
    16: 'EXTENDED_COMMUNITIES',
    17: 'AS4_PATH',
    18: 'AS4_AGGREGATOR',
    22: 'PMSI_TUNNEL',
    26: 'AIGP',
    29: 'BGP-LS',
    32: 'LARGE_COMMUNITY',
    35: 'OTC',
    40: 'PREFIX_SID',
}

ERRORS = {
    1: ('message header error', {1: 'connection not synchronised', 2: 'bad message length', 3: 'bad message type'}),
    2: (
        'open message error',
        {
            1: 'unsupported version number',
            2: 'bad peer AS',
            3: 'bad BGP identifier',
            4: 'unsupported optional parameter',
            6: 'unacceptable hold time',
            7: 'unsupported capability',
            11: 'role mismatch',
        },
    ),
    3: (
        'update message error',
        {
            1: 'malformed attribute list',
            2: 'unrecognized well-known attribute',
            3: 'missing well-known attribute',
            4: 'attribute flags error',
            5: 'attribute length error',
            6: 'invalid origin attribute',
            8: 'invalid next hop attribute',
            9: 'optional attribute error',
            10: 'invalid network field',
            11: 'malformed AS_PATH',
        },
    ),
    4: ('hold timer expired', {}),
    5: ('finite state machine error', {}),
    6: (
        'cease',
        {
            1: 'maximum number of prefixes reached',
            2: 'administrative shutdown',
            3: 'peer de-configured',
            4: 'administrative reset',
            5: 'connection rejected',
            6: 'other configuration change',
            7: 'connection collision resolution',
            8: 'out of resources',
            9: 'hard reset',
        },
    ),
    7: ('route-refresh message error', {}),
}


@dataclass(frozen=True, slots=True)
class Context:
    """What changes the reading of an UPDATE: 4-octet AS_PATH, the families of the session and
    those sent with path ids."""

    asn4: bool = True
    addpath: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    families: tuple[tuple[int, int], ...] = ()

    @classmethod
    def from_opens(cls, daemon_open: bytes, peer_open: bytes) -> 'Context':
        sent = wire.addpath(daemon_open)
        received = wire.addpath(peer_open)
        addpath = frozenset(fam for fam, mode in sent.items() if mode & 2 and received.get(fam, 0) & 1)
        families = tuple(
            (int.from_bytes(value[0:2], 'big'), value[3])
            for code, value in wire.capabilities(daemon_open[wire.HEADER :])
            if code == 1 and len(value) == 4
        )
        return cls(wire.asn4(daemon_open) and wire.asn4(peer_open), addpath, families)


def family_name(afi: int, safi: int) -> str:
    return f'{AFI.get(afi, f"afi-{afi}")} {SAFI.get(safi, f"safi-{safi}")}'


def hexdump(message: bytes) -> str:
    text = message.hex().upper()
    return f'{text[:32]}:{text[32:36]}:{text[36:38]}:{text[38:]}'


def describe(message: bytes, context: Context | None = None) -> list[str]:
    """Lines describing a whole message; never raises."""
    context = context or Context()
    return _codec_lines(message, context) or builtin(message, context)


def builtin(message: bytes, context: Context | None = None) -> list[str]:
    """The built-in dump alone (what `describe` gives when the codec cannot help); never raises."""
    try:
        return _builtin(message, context or Context())
    except Exception as exc:  # the dump must never hide the report it is part of
        return [f'(could not dump: {exc!r})', hexdump(message)]


def _builtin(message: bytes, context: Context) -> list[str]:
    if len(message) < wire.HEADER:
        return [f'truncated message: {message.hex().upper()}']
    kind = message[18]
    length = int.from_bytes(message[16:18], 'big')
    head = f'{TYPES.get(kind, f"type {kind}")} (length {length})'
    if message[:16] != wire.MARKER:
        head += ' with a marker that is not all ones'
    body = message[wire.HEADER :]
    dumper = _DUMPERS.get(kind)
    lines = [head]
    if dumper is not None:
        lines.extend(f'  {line}' for line in dumper(body, context))
    elif body:
        lines.append(f'  body {body.hex().upper()}')
    return lines


def _open(body: bytes, context: Context) -> list[str]:
    del context
    if len(body) < 10:
        return [f'short OPEN body {body.hex().upper()}']
    lines = [
        f'version {body[0]}, my AS {int.from_bytes(body[1:3], "big")}, hold time {int.from_bytes(body[3:5], "big")}, '
        f'BGP identifier {ipaddress.IPv4Address(body[5:9])}'
    ]
    for kind, value in wire.parameters(body):
        if kind != wire.CAPABILITIES_PARAMETER:
            lines.append(f'parameter {kind}: {value.hex().upper()}')
    lines.extend(_capability(code, value) for code, value in wire.capabilities(body))
    return lines


def _capability(code: int, value: bytes) -> str:
    name = f'capability {code} {CAPABILITIES.get(code, "unknown")}'
    if code == 1 and len(value) == 4:
        return f'{name}: {family_name(int.from_bytes(value[0:2], "big"), value[3])}'
    if code == 65 and len(value) == 4:
        return f'{name}: {int.from_bytes(value, "big")}'
    if code == 69:
        modes = {1: 'receive', 2: 'send', 3: 'send/receive'}
        entries = [
            f'{family_name(int.from_bytes(value[i : i + 2], "big"), value[i + 2])} {modes.get(value[i + 3], value[i + 3])}'
            for i in range(0, len(value) - 3, 4)
        ]
        return f'{name}: {", ".join(entries)}'
    if code in (73, 75):
        return f'{name}: {value.decode("utf-8", "replace")!r}'
    return f'{name}: {value.hex().upper()}' if value else name


def _prefixes(data: bytes, afi: int, addpath: bool) -> list[str]:
    size = 4 if afi == 1 else 16
    found = []
    while data:
        path = ''
        if addpath:
            path = f'path-id {int.from_bytes(data[0:4], "big")} '
            data = data[4:]
        bits = data[0]
        octets = (bits + 7) // 8
        if bits > size * 8 or len(data) < 1 + octets:
            found.append(f'{path}undecodable {data.hex().upper()}')
            break
        raw = data[1 : 1 + octets] + b'\x00' * (size - octets)
        address = ipaddress.IPv4Address(raw) if afi == 1 else ipaddress.IPv6Address(raw)
        found.append(f'{path}{address}/{bits}')
        data = data[1 + octets :]
    return found


def _nexthop(value: bytes) -> str:
    if len(value) == 4:
        return str(ipaddress.IPv4Address(value))
    if len(value) == 16:
        return str(ipaddress.IPv6Address(value))
    if len(value) == 32:
        return f'{ipaddress.IPv6Address(value[:16])} {ipaddress.IPv6Address(value[16:])}'
    if len(value) == 12:
        return f'rd {value[:8].hex().upper()} {ipaddress.IPv4Address(value[8:])}'
    if len(value) == 24:
        return f'rd {value[:8].hex().upper()} {ipaddress.IPv6Address(value[8:])}'
    return value.hex().upper() or '(none)'


def _nlri(afi: int, safi: int, data: bytes, context: Context) -> list[str]:
    if afi in (1, 2) and safi in (1, 2):
        return _prefixes(data, afi, (afi, safi) in context.addpath)
    return [data.hex().upper()] if data else []


def _as_path(value: bytes, width: int) -> str:
    kinds = {1: 'set', 2: 'sequence', 3: 'confed-sequence', 4: 'confed-set'}
    segments = []
    while len(value) >= 2:
        kind, count = value[0], value[1]
        numbers = [str(int.from_bytes(value[2 + i * width : 2 + (i + 1) * width], 'big')) for i in range(count)]
        segments.append(f'{kinds.get(kind, kind)} [{" ".join(numbers)}]')
        value = value[2 + count * width :]
    return ' '.join(segments) if segments else '(empty)'


def _attribute(code: int, value: bytes, context: Context) -> list[str]:
    if code == 1 and len(value) == 1:
        return [{0: 'igp', 1: 'egp', 2: 'incomplete'}.get(value[0], str(value[0]))]
    if code in (2, 17):
        return [_as_path(value, 4 if context.asn4 or code == 17 else 2)]
    if code in (3, 9) and len(value) == 4:
        return [str(ipaddress.IPv4Address(value))]
    if code in (4, 5) and len(value) == 4:
        return [str(int.from_bytes(value, 'big'))]
    if code == 8:
        return [
            ' '.join(
                f'{int.from_bytes(value[i : i + 2], "big")}:{int.from_bytes(value[i + 2 : i + 4], "big")}'
                for i in range(0, len(value), 4)
            )
        ]
    if code == 10:
        return [' '.join(str(ipaddress.IPv4Address(value[i : i + 4])) for i in range(0, len(value), 4))]
    if code == 32:
        return [
            ' '.join(
                ':'.join(str(int.from_bytes(value[i + j : i + j + 4], 'big')) for j in (0, 4, 8))
                for i in range(0, len(value), 12)
            )
        ]
    if code == 16:
        return [' '.join(value[i : i + 8].hex().upper() for i in range(0, len(value), 8))]
    if code == 14 and len(value) >= 5:
        afi, safi, size = int.from_bytes(value[0:2], 'big'), value[2], value[3]
        rest = value[5 + size :]
        lines = [f'{family_name(afi, safi)} next-hop {_nexthop(value[4 : 4 + size])}']
        return lines + [f'  nlri {entry}' for entry in _nlri(afi, safi, rest, context)]
    if code == 15 and len(value) >= 3:
        afi, safi = int.from_bytes(value[0:2], 'big'), value[2]
        return [family_name(afi, safi)] + [f'  withdraw {entry}' for entry in _nlri(afi, safi, value[3:], context)]
    return [value.hex().upper()] if value else ['(empty)']


def _update(body: bytes, context: Context) -> list[str]:
    if len(body) < 4:
        return [f'short UPDATE body {body.hex().upper()}']
    if wire.is_end_of_rib(wire.frame(wire.UPDATE, body)):
        return [f'End-of-RIB {family_name(*wire.family(wire.frame(wire.UPDATE, body)))}']
    lines = []
    withdrawn_size = int.from_bytes(body[0:2], 'big')
    withdrawn = body[2 : 2 + withdrawn_size]
    start = 2 + withdrawn_size + 2
    attributes_size = int.from_bytes(body[2 + withdrawn_size : start], 'big')
    attributes = body[start : start + attributes_size]
    nlri = body[start + attributes_size :]
    lines.extend(f'withdraw {entry}' for entry in _prefixes(withdrawn, 1, (1, 1) in context.addpath))
    while len(attributes) >= 3:
        flags, code = attributes[0], attributes[1]
        extended = flags & 0x10
        size = int.from_bytes(attributes[2:4], 'big') if extended else attributes[2]
        offset = 4 if extended else 3
        value = attributes[offset : offset + size]
        name = ATTRIBUTES.get(code, 'unknown')
        decoded = _attribute(code, value, context)
        lines.append(f'attribute {code} {name} (flags 0x{flags:02X}): {decoded[0]}')
        lines.extend(f'  {more}' for more in decoded[1:])
        attributes = attributes[offset + size :]
    if attributes:
        lines.append(f'trailing attribute octets {attributes.hex().upper()}')
    lines.extend(f'announce {entry}' for entry in _prefixes(nlri, 1, (1, 1) in context.addpath))
    return lines


def _notification(body: bytes, context: Context) -> list[str]:
    del context
    if len(body) < 2:
        return [f'short NOTIFICATION body {body.hex().upper()}']
    name, subcodes = ERRORS.get(body[0], ('unknown error', {}))
    line = f'code {body[0]} ({name}), subcode {body[1]}'
    if body[1] in subcodes:
        line += f' ({subcodes[body[1]]})'
    data = body[2:]
    lines = [line]
    if data:
        printable = all(32 <= octet < 127 for octet in data)
        lines.append(f'data {data.decode("ascii")!r}' if printable else f'data {data.hex().upper()}')
    return lines


def _route_refresh(body: bytes, context: Context) -> list[str]:
    del context
    if len(body) != 4:
        return [f'ROUTE-REFRESH body {body.hex().upper()}']
    subtype = {0: 'refresh', 1: 'begin of route refresh', 2: 'end of route refresh'}.get(body[2], body[2])
    return [f'{family_name(int.from_bytes(body[0:2], "big"), body[3])} ({subtype})']


_DUMPERS: dict[int, Callable[[bytes, Context], list[str]]] = {
    1: _open,
    2: _update,
    3: _notification,
    5: _route_refresh,
}


def _codec_lines(message: bytes, context: Context) -> list[str]:
    """The project codec's reading of the message, or [] when it cannot give one."""
    try:
        from exabgp.bgp.family import Family
        from exabgp.bgp.message.table import MESSAGES
        from exabgp.bgp.negotiated import Negotiated

        decoder = MESSAGES.get(message[18])
        if decoder is None:
            return []
        families = tuple(Family.of(afi, safi) for afi, safi in context.families) or Negotiated().families
        negotiated = Negotiated(
            asn4=context.asn4,
            families=families,
            addpath_receive=frozenset(Family.of(afi, safi) for afi, safi in context.addpath),
        )
        value = decoder.unpack(message[wire.HEADER :], negotiated)
        return [f'{TYPES.get(message[18], message[18])} (decoded by the exabgp codec)', *_fields(value, 1)]
    except Exception:  # the codec is optional and may be half-written: fall back to the dump
        return []


_EMPTY = (None, (), '', frozenset())


def _fields(value: object, depth: int, top: bool = True) -> list[str]:
    """The message field by field, one item of a sequence per line; what has a text form of its
    own (ExaBGP's, as the codec gives it) prints as that text; empty fields are left out."""
    pad = '  ' * depth
    own_text = type(value).__str__ is not object.__str__
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and (top or not own_text):
        lines = [f'{pad}{type(value).__name__}']
        for item in dataclasses.fields(value):
            inner = getattr(value, item.name)
            if inner is None or (isinstance(inner, str | tuple | frozenset) and not inner):
                continue
            nested = _fields(inner, depth + 2, top=False)
            if len(nested) == 1 and not nested[0].strip():
                continue
            own = type(inner).__str__ is not object.__str__
            if len(nested) == 1 and (own or not isinstance(inner, tuple | list | frozenset)):
                lines.append(f'{pad}  {item.name}: {nested[0].strip()}')
            else:
                lines.append(f'{pad}  {item.name}:')
                lines.extend(nested)
        return lines
    if isinstance(value, tuple | list | frozenset) and not own_text:
        return [line for inner in value for line in _fields(inner, depth, top=False)]
    return [f'{pad}{_short(value)}']


def _short(value: object) -> str:
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex().upper() or "b''"
    if type(value).__str__ is not object.__str__:
        return str(value)
    return repr(value)
