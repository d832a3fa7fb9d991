"""MRT records (RFC 6396), read: TABLE_DUMP_V2 (with RFC 8050's ADD-PATH subtypes) and BGP4MP /
BGP4MP_ET, as RouteViews and RIPE RIS publish them.

    +---------------------------------------------------------------+
    | Timestamp (4)                                                 |
    | Type (2)                      | Subtype (2)                   |
    | Length (4)                                                    |
    | Microseconds (4)    only for the _ET types, counted in Length |
    | Message (Length octets)                                       |
    +---------------------------------------------------------------+

TABLE_DUMP_V2 RIB_<AFI>_<SAFI> (4.3.2): sequence (4), prefix length (1), prefix, entry count (2),
then per entry: peer index (2), originated time (4), [path identifier (4), RFC 8050], attribute
length (2), attributes (4-octet ASNs; MP_REACH_NLRI holds only its next-hop length and next hop).
BGP4MP MESSAGE(_AS4)(_LOCAL)(_ADDPATH) (4.4): peer AS, local AS (2 or 4), interface index (2), AFI
(2), peer address, local address (4 or 16), then the whole BGP message, header included.

Invariants:
- Pure: `records(read)` takes a function returning up to N octets (a file's `read`), so gzip and
  bzip2 streams are read a megabyte at a time, never whole. A record cut short by the end of the
  data ends the iteration with `Truncated`.
- A RIB entry gives its attributes and NLRI as stored, and the UPDATE body a peer would have sent
  for it (NLRI field for IPv4 unicast, a complete MP_REACH_NLRI otherwise), so the codec decodes
  it as it decodes the wire; that body is built when asked for.
- Types and subtypes this module does not read are yielded as `Other`, with their bytes.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address

from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.slots import slot_store

TABLE_DUMP_V2 = 13
BGP4MP = 16
BGP4MP_ET = 17

PEER_INDEX_TABLE = 1
# TABLE_DUMP_V2 subtype -> (family, ADD-PATH)
RIB_SUBTYPES: dict[int, tuple[Family, bool]] = {
    2: (Family(AFI.IPV4, SAFI.UNICAST), False),
    3: (Family(AFI.IPV4, SAFI.MULTICAST), False),
    4: (Family(AFI.IPV6, SAFI.UNICAST), False),
    5: (Family(AFI.IPV6, SAFI.MULTICAST), False),
    8: (Family(AFI.IPV4, SAFI.UNICAST), True),
    9: (Family(AFI.IPV4, SAFI.MULTICAST), True),
    10: (Family(AFI.IPV6, SAFI.UNICAST), True),
    11: (Family(AFI.IPV6, SAFI.MULTICAST), True),
}
# BGP4MP subtype -> (4-octet ASNs, ADD-PATH); state changes are 0 and 5
MESSAGE_SUBTYPES: dict[int, tuple[bool, bool]] = {
    1: (False, False),
    4: (True, False),
    6: (False, False),
    7: (True, False),
    8: (False, True),
    9: (True, True),
    10: (False, True),
    11: (True, True),
}
STATE_SUBTYPES = {0: False, 5: True}
MP_REACH_NLRI = 14
HEADER = 12
CHUNK = 1 << 20


class Truncated(ValueError):
    """The data ended inside a record."""


@dataclass(frozen=True, slots=True)
class PeerEntry:
    router_id: IPv4Address
    address: IPv4Address | IPv6Address
    asn: int


@dataclass(frozen=True, slots=True)
class PeerIndex:
    timestamp: float
    collector: IPv4Address
    view: str
    peers: tuple[PeerEntry, ...]


@dataclass(frozen=True, slots=True)
class RibEntry:
    """One path of a TABLE_DUMP_V2 RIB record: its attributes as the record stores them, and its
    NLRI (path identifier included); `body` is the UPDATE body (see the module docstring)."""

    timestamp: float
    family: Family
    addpath: bool
    peer_index: int
    originated: int
    attributes: bytes
    nlri: bytes

    @property
    def body(self) -> bytes:
        """`Truncated` when an attribute overruns the attributes."""
        try:
            return update_body(self.family, self.attributes, self.nlri)
        except IndexError:
            raise Truncated('a RIB entry has an attribute longer than its attributes') from None


_NEW = object.__new__
_TIMESTAMP, _FAMILY, _ADDPATH, _PEER_INDEX, _ORIGINATED, _ATTRIBUTES, _NLRI = (
    slot_store(RibEntry, name)
    for name in ('timestamp', 'family', 'addpath', 'peer_index', 'originated', 'attributes', 'nlri')
)


@dataclass(frozen=True, slots=True)
class Message:
    """A BGP message of a BGP4MP record, whole (header included)."""

    timestamp: float
    asn4: bool
    addpath: bool
    peer_as: int
    local_as: int
    peer_address: IPv4Address | IPv6Address
    local_address: IPv4Address | IPv6Address
    message: bytes


@dataclass(frozen=True, slots=True)
class StateChange:
    timestamp: float
    peer_as: int
    local_as: int
    peer_address: IPv4Address | IPv6Address
    local_address: IPv4Address | IPv6Address
    old: int
    new: int


@dataclass(frozen=True, slots=True)
class Other:
    timestamp: float
    kind: int
    subtype: int
    data: bytes


Record = PeerIndex | RibEntry | Message | StateChange | Other


def records(read: Callable[[int], bytes]) -> Iterator[Record]:
    """Every record of an MRT stream, in order (a RIB record gives one `RibEntry` per path)."""
    buffer = b''
    at = 0
    while True:
        if len(buffer) - at < HEADER:
            buffer, at = _refill(read, buffer, at, HEADER)
            if at == len(buffer):
                return
        start = at + HEADER
        header = buffer[at:start]
        length = int.from_bytes(header[8:12], 'big')
        if start + length > len(buffer):
            buffer, at = _refill(read, buffer, at, HEADER + length)
            start = at + HEADER
        if len(header) < HEADER or start + length > len(buffer):
            left = start + length - len(buffer) if len(header) == HEADER else HEADER - len(header)
            raise Truncated(f'the data ends {left} octets before the end of a record')
        data = buffer[start : start + length]
        at = start + length
        kind = int.from_bytes(header[4:6], 'big')
        subtype = int.from_bytes(header[6:8], 'big')
        timestamp = float(int.from_bytes(header[:4], 'big'))
        if kind == BGP4MP_ET:
            if length < 4:
                raise Truncated(f'a BGP4MP_ET record of {length} octets has no microseconds')
            timestamp += int.from_bytes(data[:4], 'big') / 1_000_000
            data = data[4:]
        try:
            yield from _record(timestamp, kind, subtype, data)
        except IndexError:
            raise Truncated(f'record type {kind} subtype {subtype} is shorter than its fields') from None


def _refill(read: Callable[[int], bytes], buffer: bytes, at: int, size: int) -> tuple[bytes, int]:
    """The unread part of `buffer` and what `read` gives, at least `size` octets unless the data
    ends; read in `CHUNK`s (a call per record costs more than the record's decoding)."""
    parts = [buffer[at:]]
    have = len(parts[0])
    while have < size:
        chunk = read(max(CHUNK, size - have))
        if not chunk:
            break
        parts.append(chunk)
        have += len(chunk)
    return b''.join(parts), 0


def _record(timestamp: float, kind: int, subtype: int, data: bytes) -> Iterator[Record]:
    if kind == TABLE_DUMP_V2 and subtype == PEER_INDEX_TABLE:
        yield _peer_index(timestamp, data)
    elif kind == TABLE_DUMP_V2 and subtype in RIB_SUBTYPES:
        family, addpath = RIB_SUBTYPES[subtype]
        yield from _rib(timestamp, family, addpath, data)
    elif kind in (BGP4MP, BGP4MP_ET) and subtype in MESSAGE_SUBTYPES:
        asn4, addpath = MESSAGE_SUBTYPES[subtype]
        peer_as, local_as, peer, local, rest = _bgp4mp_head(data, asn4)
        yield Message(timestamp, asn4, addpath, peer_as, local_as, peer, local, rest)
    elif kind in (BGP4MP, BGP4MP_ET) and subtype in STATE_SUBTYPES:
        peer_as, local_as, peer, local, rest = _bgp4mp_head(data, STATE_SUBTYPES[subtype])
        yield StateChange(
            timestamp,
            peer_as,
            local_as,
            peer,
            local,
            int.from_bytes(rest[0:2], 'big'),
            int.from_bytes(rest[2:4], 'big'),
        )
    else:
        yield Other(timestamp, kind, subtype, data)


def _address(data: bytes, at: int, afi: int) -> tuple[IPv4Address | IPv6Address, int]:
    size = 4 if afi == AFI.IPV4 else 16
    if len(data) < at + size:
        raise IndexError
    return ip_address(data[at : at + size]), at + size


def _bgp4mp_head(
    data: bytes, asn4: bool
) -> tuple[int, int, IPv4Address | IPv6Address, IPv4Address | IPv6Address, bytes]:
    """Peer AS, local AS, (interface index skipped), AFI, peer and local addresses; the rest."""
    size = 4 if asn4 else 2
    peer_as = int.from_bytes(data[0:size], 'big')
    local_as = int.from_bytes(data[size : 2 * size], 'big')
    at = 2 * size + 2
    afi = int.from_bytes(data[at : at + 2], 'big')
    peer, at = _address(data, at + 2, afi)
    local, at = _address(data, at, afi)
    return peer_as, local_as, peer, local, data[at:]


def _peer_index(timestamp: float, data: bytes) -> PeerIndex:
    collector = IPv4Address(data[0:4])
    name_length = int.from_bytes(data[4:6], 'big')
    view = data[6 : 6 + name_length].decode('utf-8', 'replace')
    at = 6 + name_length
    count = int.from_bytes(data[at : at + 2], 'big')
    at += 2
    peers = []
    for _ in range(count):
        kind = data[at]
        router_id = IPv4Address(data[at + 1 : at + 5])
        address, at = _address(data, at + 5, AFI.IPV6 if kind & 1 else AFI.IPV4)
        size = 4 if kind & 2 else 2
        if len(data) < at + size:
            raise IndexError
        asn = int.from_bytes(data[at : at + size], 'big')
        at += size
        peers.append(PeerEntry(router_id, address, asn))
    return PeerIndex(timestamp, collector, view, tuple(peers))


def _rib(timestamp: float, family: Family, addpath: bool, data: bytes) -> Iterator[RibEntry]:
    length = data[4]
    end = 5 + (length + 7) // 8
    prefix = data[4:end]
    count = int.from_bytes(data[end : end + 2], 'big')
    at = end + 2
    for _ in range(count):
        peer_index = int.from_bytes(data[at : at + 2], 'big')
        originated = int.from_bytes(data[at + 2 : at + 6], 'big')
        at += 6
        path = b''
        if addpath:
            path = data[at : at + 4]
            at += 4
        size = int.from_bytes(data[at : at + 2], 'big')
        attributes = data[at + 2 : at + 2 + size]
        if len(attributes) != size:
            raise IndexError
        at += 2 + size
        # a table has a million of these: the slots are set without the dataclass __init__
        entry = _NEW(RibEntry)
        _TIMESTAMP(entry, timestamp)
        _FAMILY(entry, family)
        _ADDPATH(entry, addpath)
        _PEER_INDEX(entry, peer_index)
        _ORIGINATED(entry, originated)
        _ATTRIBUTES(entry, attributes)
        _NLRI(entry, path + prefix)
        yield entry


def update_body(family: Family, attributes: bytes, nlri: bytes) -> bytes:
    """The UPDATE body announcing `nlri` (path identifier included) with TABLE_DUMP_V2 attributes."""
    if family == Family(AFI.IPV4, SAFI.UNICAST):
        return b'\x00\x00' + len(attributes).to_bytes(2, 'big') + attributes + nlri
    rebuilt = _with_mp_reach(family, attributes, nlri)
    return b'\x00\x00' + len(rebuilt).to_bytes(2, 'big') + rebuilt


def _with_mp_reach(family: Family, attributes: bytes, nlri: bytes) -> bytes:
    """The attributes with RFC 6396 4.3.4's short MP_REACH_NLRI (next-hop length and next hop)
    made whole: AFI, SAFI, next hop, reserved octet and the NLRI."""
    parts = []
    at = 0
    while at < len(attributes):
        flags, code = attributes[at], attributes[at + 1]
        extended = flags & 0x10
        size = int.from_bytes(attributes[at + 2 : at + 4], 'big') if extended else attributes[at + 2]
        start = at + (4 if extended else 3)
        value = attributes[start : start + size]
        if len(value) != size:
            raise IndexError
        if code == MP_REACH_NLRI:
            if value and value[0] == len(value) - 1:
                value = family.afi.to_bytes(2, 'big') + bytes((family.safi,)) + value + b'\x00' + nlri
            parts.append(bytes((flags | 0x10, code)) + len(value).to_bytes(2, 'big') + value)
        else:
            parts.append(attributes[at : start + size])
        at = start + size
    return b''.join(parts)
