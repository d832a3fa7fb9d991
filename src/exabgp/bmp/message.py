"""BMP version 3 messages (RFC 7854 section 4), with the Adj-RIB-Out flag of RFC 8671.

Common header (4.1), before every message:

    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |    Version    |             Message Length (whole message)    |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |    (length)   |   Msg. Type   |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Per-peer header (4.2), after the common header of every message but Initiation and Termination:

    | Peer Type (1) | Peer Flags (1) | Peer Distinguisher (8) | Peer Address (16) |
    | Peer AS (4) | Peer BGP ID (4) | Timestamp seconds (4) | Timestamp microseconds (4) |

Peer flags: V (0x80) the peer address is IPv6; L (0x40) post-policy; A (0x20) the UPDATEs use the
2-octet AS_PATH form; O (0x10, RFC 8671) Adj-RIB-Out. An IPv4 address fills the last 4 octets of a
16-octet field, the 12 before are zero (so is the local address of a Peer Up, by the same V flag).

Invariants:
- Every builder returns one whole message: the common header's length is the length returned.
- The per-peer header is built in two parts: `peer_header` (what does not change while a session
  lasts, built once per session) and the time stamp each message adds (`stamped`).
- `parse` reads back everything the builders write, and raises `BMPError` (never another exception)
  on any input it cannot read; `split` cuts a byte stream into whole messages, keeping the rest.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from ipaddress import IPv4Address, IPv6Address

VERSION = 3
COMMON_SIZE = 6
PEER_SIZE = 42
# the per-peer header before its time stamp
PEER_PREFIX_SIZE = 34
BGP_HEADER_SIZE = 19


class Kind(IntEnum):
    ROUTE_MONITORING = 0
    STATISTICS_REPORT = 1
    PEER_DOWN = 2
    PEER_UP = 3
    INITIATION = 4
    TERMINATION = 5
    ROUTE_MIRRORING = 6


class Flag(IntEnum):
    IPV6 = 0x80
    POST_POLICY = 0x40
    AS2 = 0x20
    ADJ_RIB_OUT = 0x10


class PeerType(IntEnum):
    GLOBAL = 0
    RD = 1
    LOCAL = 2


class Information(IntEnum):
    """Initiation (4.3) and Peer Up (4.10) information TLV types."""

    STRING = 0
    SYS_DESCR = 1
    SYS_NAME = 2


class TerminationType(IntEnum):
    STRING = 0
    REASON = 1


class TerminationReason(IntEnum):
    ADMINISTRATIVELY_CLOSED = 0
    UNSPECIFIED = 1
    OUT_OF_RESOURCES = 2
    REDUNDANT_CONNECTION = 3
    PERMANENTLY_CLOSED = 4


class DownReason(IntEnum):
    """Peer Down reasons (4.9)."""

    LOCAL_NOTIFICATION = 1
    LOCAL_NO_NOTIFICATION = 2
    REMOTE_NOTIFICATION = 3
    REMOTE_NO_NOTIFICATION = 4
    DECONFIGURED = 5


class Stat(IntEnum):
    """Statistics types (4.8) we send; the others are read back as raw values."""

    REJECTED = 0
    DUPLICATE_PREFIX = 1
    DUPLICATE_WITHDRAW = 2
    ADJ_RIB_IN = 7
    LOC_RIB = 8
    ADJ_RIB_IN_FAMILY = 9
    LOC_RIB_FAMILY = 10
    UPDATES_AS_WITHDRAW = 11
    PREFIXES_AS_WITHDRAW = 12
    # RFC 8671
    ADJ_RIB_OUT_PRE = 14
    ADJ_RIB_OUT_POST = 15
    ADJ_RIB_OUT_PRE_FAMILY = 16
    ADJ_RIB_OUT_POST_FAMILY = 17


# the statistics whose value is a 64-bit gauge; the per-family ones prefix it with AFI and SAFI
# (RFC 7854 4.8, RFC 8671 6 for the Adj-RIB-Out ones)
GAUGES = frozenset((7, 8, 14, 15))
FAMILY_GAUGES = frozenset((9, 10, 16, 17))


class BMPError(ValueError):
    """A BMP message that cannot be read."""


def _address(address: IPv4Address | IPv6Address) -> bytes:
    return address.packed if address.version == 6 else bytes(12) + address.packed


def _read_address(data: bytes, ipv6: bool) -> IPv4Address | IPv6Address:
    return IPv6Address(data) if ipv6 else IPv4Address(data[12:])


def frame(kind: int, body: bytes) -> bytes:
    """The common header before `body`."""
    return bytes((VERSION,)) + (COMMON_SIZE + len(body)).to_bytes(4, 'big') + bytes((kind,)) + body


def peer_header(
    address: IPv4Address | IPv6Address,
    asn: int,
    bgp_id: IPv4Address,
    flags: int = 0,
    peer_type: int = PeerType.GLOBAL,
    distinguisher: bytes = bytes(8),
) -> bytes:
    """The per-peer header but its time stamp; the V flag is set from `address`."""
    if address.version == 6:
        flags |= Flag.IPV6
    return bytes((peer_type, flags)) + distinguisher + _address(address) + asn.to_bytes(4, 'big') + bgp_id.packed


def stamped(peer: bytes, stamp: float) -> bytes:
    """The whole per-peer header: `peer` (from `peer_header`) and the time stamp `stamp` (seconds)."""
    seconds = int(stamp)
    return peer + seconds.to_bytes(4, 'big') + int((stamp - seconds) * 1_000_000).to_bytes(4, 'big')


def _tlvs(information: Iterable[tuple[int, bytes]]) -> bytes:
    return b''.join(kind.to_bytes(2, 'big') + len(value).to_bytes(2, 'big') + value for kind, value in information)


def route_monitoring(peer: bytes, stamp: float, update: bytes) -> bytes:
    """A Route Monitoring message (4.6) carrying a whole BGP UPDATE (with its header)."""
    return frame(Kind.ROUTE_MONITORING, stamped(peer, stamp) + update)


def counter(value: int) -> bytes:
    """A 32-bit statistics counter (wrapping, as RFC 7854 4.8 counters do)."""
    return (value & 0xFFFFFFFF).to_bytes(4, 'big')


def gauge(value: int) -> bytes:
    return value.to_bytes(8, 'big')


def family_gauge(afi: int, safi: int, value: int) -> bytes:
    return afi.to_bytes(2, 'big') + bytes((safi,)) + gauge(value)


def statistics_report(peer: bytes, stamp: float, statistics: Sequence[tuple[int, bytes]]) -> bytes:
    """A Statistics Report (4.8): (type, value already packed) pairs."""
    body = len(statistics).to_bytes(4, 'big') + _tlvs(statistics)
    return frame(Kind.STATISTICS_REPORT, stamped(peer, stamp) + body)


def peer_down(peer: bytes, stamp: float, reason: int, data: bytes = b'') -> bytes:
    """A Peer Down Notification (4.9): `data` is the NOTIFICATION (reasons 1 and 3, a whole BGP
    message) or the 2-octet FSM event code (reason 2); nothing for the others."""
    return frame(Kind.PEER_DOWN, stamped(peer, stamp) + bytes((reason,)) + data)


def peer_up(
    peer: bytes,
    stamp: float,
    local_address: IPv4Address | IPv6Address,
    local_port: int,
    remote_port: int,
    sent_open: bytes,
    received_open: bytes,
    information: Iterable[tuple[int, bytes]] = (),
) -> bytes:
    """A Peer Up Notification (4.10): both OPENs are whole BGP messages, as they went on the wire.
    The local address takes the form the peer's (the V flag of `peer`) gives it."""
    ipv6 = bool(peer[1] & Flag.IPV6)
    if ipv6 and local_address.version == 4:
        local = IPv6Address(b'\x00' * 10 + b'\xff\xff' + local_address.packed).packed
    elif not ipv6 and local_address.version == 6:
        local = bytes(16)
    else:
        local = _address(local_address)
    body = (
        stamped(peer, stamp)
        + local
        + local_port.to_bytes(2, 'big')
        + remote_port.to_bytes(2, 'big')
        + sent_open
        + received_open
        + _tlvs(information)
    )
    return frame(Kind.PEER_UP, body)


def initiation(information: Iterable[tuple[int, bytes]]) -> bytes:
    """An Initiation message (4.3); RFC 7854 wants sysDescr and sysName among `information`."""
    return frame(Kind.INITIATION, _tlvs(information))


def termination(reason: int, text: str = '') -> bytes:
    """A Termination message (4.5): a reason, and a string when given."""
    information = [(TerminationType.REASON, reason.to_bytes(2, 'big'))]
    if text:
        information.insert(0, (TerminationType.STRING, text.encode('utf-8')))
    return frame(Kind.TERMINATION, _tlvs(information))


# ---------------------------------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class Peer:
    peer_type: int
    flags: int
    distinguisher: bytes
    address: IPv4Address | IPv6Address
    asn: int
    bgp_id: IPv4Address
    seconds: int
    microseconds: int


@dataclass(frozen=True, slots=True)
class Message:
    """One BMP message read back. Which fields are set depends on `kind`:
    route monitoring: `bgp` (the UPDATE); statistics: `statistics`; peer down: `reason` and `data`;
    peer up: `local_address`, `ports` (local, remote), `bgp` (sent OPEN) and `bgp2` (received OPEN)
    and `information`; initiation and termination: `information`."""

    kind: int
    peer: Peer | None = None
    bgp: bytes = b''
    bgp2: bytes = b''
    statistics: tuple[tuple[int, bytes], ...] = ()
    reason: int = 0
    data: bytes = b''
    local_address: IPv4Address | IPv6Address | None = None
    ports: tuple[int, int] = (0, 0)
    information: tuple[tuple[int, bytes], ...] = ()


def split(buffer: bytes) -> tuple[list[bytes], bytes]:
    """The whole messages at the start of `buffer`, and what is left of it (an incomplete one)."""
    messages = []
    start = 0
    size = len(buffer)
    while size - start >= COMMON_SIZE:
        if buffer[start] != VERSION:
            raise BMPError(f'BMP version {buffer[start]}, expected {VERSION}')
        length = int.from_bytes(buffer[start + 1 : start + 5], 'big')
        if length < COMMON_SIZE:
            raise BMPError(f'BMP message length {length}, shorter than its header')
        if size - start < length:
            break
        messages.append(buffer[start : start + length])
        start += length
    return messages, buffer[start:]


def _read_tlvs(data: bytes) -> tuple[tuple[int, bytes], ...]:
    found = []
    while data:
        if len(data) < 4:
            raise BMPError(f'truncated TLV: {data.hex()}')
        kind = int.from_bytes(data[:2], 'big')
        length = int.from_bytes(data[2:4], 'big')
        if len(data) < 4 + length:
            raise BMPError(f'TLV of type {kind} wants {length} octets, {len(data) - 4} left')
        found.append((kind, data[4 : 4 + length]))
        data = data[4 + length :]
    return tuple(found)


def _bgp_message(data: bytes, what: str) -> tuple[bytes, bytes]:
    """The BGP message at the start of `data` (by its header's length), and what follows."""
    if len(data) < BGP_HEADER_SIZE or data[:16] != b'\xff' * 16:
        raise BMPError(f'{what}: no BGP message header')
    length = int.from_bytes(data[16:18], 'big')
    if length < BGP_HEADER_SIZE or length > len(data):
        raise BMPError(f'{what}: BGP message length {length} with {len(data)} octets left')
    return data[:length], data[length:]


def _peer(data: bytes) -> Peer:
    if len(data) < PEER_SIZE:
        raise BMPError(f'per-peer header of {len(data)} octets, expected {PEER_SIZE}')
    flags = data[1]
    return Peer(
        data[0],
        flags,
        data[2:10],
        _read_address(data[10:26], bool(flags & Flag.IPV6)),
        int.from_bytes(data[26:30], 'big'),
        IPv4Address(data[30:34]),
        int.from_bytes(data[34:38], 'big'),
        int.from_bytes(data[38:42], 'big'),
    )


def _statistics(data: bytes) -> tuple[tuple[int, bytes], ...]:
    if len(data) < 4:
        raise BMPError('statistics report without its count')
    count = int.from_bytes(data[:4], 'big')
    found = _read_tlvs(data[4:])
    if len(found) != count:
        raise BMPError(f'statistics report announces {count} statistics, carries {len(found)}')
    for kind, value in found:
        wanted = 8 if kind in GAUGES else 11 if kind in FAMILY_GAUGES else None
        if wanted is not None and len(value) != wanted:
            raise BMPError(f'statistic {kind} of {len(value)} octets, expected {wanted}')
    return found


def parse(message: bytes) -> Message:
    """One whole message (as `split` cuts them)."""
    if len(message) < COMMON_SIZE or message[0] != VERSION:
        raise BMPError(f'not a BMP v{VERSION} message: {message[:COMMON_SIZE].hex()}')
    if int.from_bytes(message[1:5], 'big') != len(message):
        raise BMPError('BMP message length does not match its header')
    kind = message[5]
    body = message[COMMON_SIZE:]
    if kind in (Kind.INITIATION, Kind.TERMINATION):
        return Message(kind, information=_read_tlvs(body))
    if kind > Kind.ROUTE_MIRRORING:
        raise BMPError(f'unknown BMP message type {kind}')
    peer = _peer(body)
    body = body[PEER_SIZE:]
    if kind == Kind.ROUTE_MONITORING:
        update, rest = _bgp_message(body, 'route monitoring')
        if rest:
            raise BMPError(f'route monitoring: {len(rest)} octets after the UPDATE')
        return Message(kind, peer, bgp=update)
    if kind == Kind.STATISTICS_REPORT:
        return Message(kind, peer, statistics=_statistics(body))
    if kind == Kind.PEER_DOWN:
        if not body:
            raise BMPError('peer down without a reason')
        reason, data = body[0], body[1:]
        if reason in (DownReason.LOCAL_NOTIFICATION, DownReason.REMOTE_NOTIFICATION):
            _, rest = _bgp_message(data, 'peer down')
            if rest:
                raise BMPError(f'peer down: {len(rest)} octets after the NOTIFICATION')
        elif reason == DownReason.LOCAL_NO_NOTIFICATION and len(data) != 2:
            raise BMPError(f'peer down reason 2 wants a 2-octet FSM event, not {len(data)} octets')
        return Message(kind, peer, reason=reason, data=data)
    if kind == Kind.PEER_UP:
        if len(body) < 20:
            raise BMPError(f'peer up of {len(body)} octets after the per-peer header')
        local = _read_address(body[:16], bool(peer.flags & Flag.IPV6))
        ports = (int.from_bytes(body[16:18], 'big'), int.from_bytes(body[18:20], 'big'))
        sent, rest = _bgp_message(body[20:], 'peer up sent OPEN')
        received, rest = _bgp_message(rest, 'peer up received OPEN')
        return Message(kind, peer, sent, received, local_address=local, ports=ports, information=_read_tlvs(rest))
    return Message(kind, peer, bgp=body)
