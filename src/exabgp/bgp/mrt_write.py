"""MRT records (RFC 6396), written: BGP4MP / BGP4MP_ET messages and state changes, TABLE_DUMP_V2
peer index tables and RIB records; the layouts are in `exabgp.bgp.mrt`, which reads them back.

Invariants:
- Pure: values in, bytes out; the caller gives the time stamp (seconds since the epoch, a float).
- A BGP4MP_ET record carries the microseconds of its time stamp in its first four octets, counted
  in its length (RFC 6396 3); a BGP4MP record drops them.
- BGP4MP messages use the 4-octet ASN subtypes (MESSAGE_AS4, MESSAGE_AS4_ADDPATH) when the session
  negotiated 4-octet ASNs, since readers decode the AS_PATH of the message with the subtype's ASN
  size; otherwise the 2-octet ones, with an ASN above 65535 written as AS_TRANS (RFC 6793).
- A RIB record's attributes are given as TABLE_DUMP_V2 stores them (4-octet AS_PATH, the short
  MP_REACH_NLRI of RFC 6396 4.3.4): this module does not rewrite attributes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.family import AFI, Family
from exabgp.bgp.mrt import BGP4MP, BGP4MP_ET, PEER_INDEX_TABLE, RIB_SUBTYPES, TABLE_DUMP_V2

AS_TRANS = 23456
STATE_CHANGE = 0
STATE_CHANGE_AS4 = 5
# (4-octet ASNs, ADD-PATH) -> BGP4MP message subtype (RFC 6396 4.4, RFC 8050 for ADD-PATH)
MESSAGE_SUBTYPE = {(False, False): 1, (True, False): 4, (False, True): 8, (True, True): 9}
# (family, ADD-PATH) -> TABLE_DUMP_V2 RIB subtype
RIB_SUBTYPE = {value: subtype for subtype, value in RIB_SUBTYPES.items()}
# RFC 6396 4.4.1: the BGP FSM states of STATE_CHANGE records
FSM_STATES = {'idle': 1, 'connect': 2, 'active': 3, 'opensent': 4, 'openconfirm': 5, 'established': 6}

Address = IPv4Address | IPv6Address


def record(timestamp: float, kind: int, subtype: int, body: bytes) -> bytes:
    """One MRT record: the common header (with the microseconds for the _ET types) and `body`."""
    seconds = int(timestamp)
    if kind == BGP4MP_ET:
        micro = min(round((timestamp - seconds) * 1_000_000), 999_999)
        body = micro.to_bytes(4, 'big') + body
    return (
        seconds.to_bytes(4, 'big') + kind.to_bytes(2, 'big') + subtype.to_bytes(2, 'big') + len(body).to_bytes(4, 'big')
    ) + body


def _bgp4mp_head(peer_as: int, local_as: int, peer: Address, local: Address, asn4: bool) -> bytes:
    asns = peer_as.to_bytes(4, 'big') + local_as.to_bytes(4, 'big') if asn4 else _as2(peer_as) + _as2(local_as)
    afi = AFI.IPV4 if peer.version == 4 else AFI.IPV6
    # interface index 0: the daemon does not know which interface a TCP session runs over
    return asns + b'\x00\x00' + afi.to_bytes(2, 'big') + peer.packed + local.packed


def _as2(asn: int) -> bytes:
    return (asn if asn <= 0xFFFF else AS_TRANS).to_bytes(2, 'big')


def bgp4mp_message(
    timestamp: float,
    peer_as: int,
    local_as: int,
    peer: Address,
    local: Address,
    message: bytes,
    asn4: bool = True,
    addpath: bool = False,
    extended: bool = True,
) -> bytes:
    """A BGP4MP(_ET) MESSAGE record of `message` (a whole BGP message, header included) received
    from `peer`; `local` must be of the same address family as `peer`."""
    body = _bgp4mp_head(peer_as, local_as, peer, local, asn4) + message
    return record(timestamp, BGP4MP_ET if extended else BGP4MP, MESSAGE_SUBTYPE[(asn4, addpath)], body)


def bgp4mp_state(
    timestamp: float,
    peer_as: int,
    local_as: int,
    peer: Address,
    local: Address,
    old: str,
    new: str,
    extended: bool = True,
) -> bytes:
    """A BGP4MP(_ET) STATE_CHANGE_AS4 record: the FSM of the session with `peer` went from `old` to
    `new` (state names as `FSM_STATES` spells them)."""
    body = _bgp4mp_head(peer_as, local_as, peer, local, True)
    body += FSM_STATES[old].to_bytes(2, 'big') + FSM_STATES[new].to_bytes(2, 'big')
    return record(timestamp, BGP4MP_ET if extended else BGP4MP, STATE_CHANGE_AS4, body)


@dataclass(frozen=True, slots=True)
class IndexedPeer:
    """One peer of a PEER_INDEX_TABLE, always written with a 4-octet ASN."""

    router_id: IPv4Address
    address: Address
    asn: int


def peer_index_table(timestamp: float, collector: IPv4Address, view: str, peers: Iterable[IndexedPeer]) -> bytes:
    """The TABLE_DUMP_V2 PEER_INDEX_TABLE record (RFC 6396 4.3.1); RIB entries name peers by their
    position in `peers`."""
    name = view.encode()
    entries = []
    for peer in peers:
        # peer type: bit 0 an IPv6 address, bit 1 a 4-octet ASN
        kind = 2 | (1 if peer.address.version == 6 else 0)
        entries.append(bytes((kind,)) + peer.router_id.packed + peer.address.packed + peer.asn.to_bytes(4, 'big'))
    body = collector.packed + len(name).to_bytes(2, 'big') + name + len(entries).to_bytes(2, 'big')
    return record(timestamp, TABLE_DUMP_V2, PEER_INDEX_TABLE, body + b''.join(entries))


@dataclass(frozen=True, slots=True)
class TableEntry:
    """One path of a RIB record: who it is from, since when, and its attributes (TABLE_DUMP_V2
    form); `path_id` only in the ADD-PATH subtypes (RFC 8050)."""

    peer_index: int
    originated: int
    attributes: bytes
    path_id: int | None = None


def rib(timestamp: float, sequence: int, family: Family, prefix: bytes, entries: Iterable[TableEntry]) -> bytes:
    """A TABLE_DUMP_V2 RIB record (RFC 6396 4.3.2) of `prefix` (its length octet then the
    significant octets, as in an UPDATE); ADD-PATH when the entries carry path identifiers."""
    entries = tuple(entries)
    addpath = any(entry.path_id is not None for entry in entries)
    parts = [sequence.to_bytes(4, 'big'), prefix, len(entries).to_bytes(2, 'big')]
    for entry in entries:
        parts.append(entry.peer_index.to_bytes(2, 'big') + entry.originated.to_bytes(4, 'big'))
        if addpath:
            parts.append((entry.path_id or 0).to_bytes(4, 'big'))
        parts.append(len(entry.attributes).to_bytes(2, 'big') + entry.attributes)
    return record(timestamp, TABLE_DUMP_V2, RIB_SUBTYPE[(family, addpath)], b''.join(parts))
