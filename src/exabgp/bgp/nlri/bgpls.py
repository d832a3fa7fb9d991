"""BGP-LS NLRI (RFC 9552 5.2, RFC 9514 6): AFI 16388, SAFI 71 (`bgp-ls bgp-ls`) and SAFI 72
(`bgp-ls bgp-ls-vpn`). Decoded, never announced: ExaBGP 5.0 has no configuration or API for them.

    +------------------+------------------+----------------------------------+
    | NLRI Type (2)    | Total Length (2) | [RD (8), SAFI 72 only] then body |
    +------------------+------------------+----------------------------------+

    body: Protocol-ID (1) | Identifier (8, the l3-routing-topology) | descriptor TLVs

    TLV: Type (2) | Length (2) | Value            (all lengths in octets)

NLRI types and the descriptor TLVs 5.0 reads (others are walked over and not shown):

    1 Node        256 Local Node Descriptors (only the first TLV is read, and it must be 256)
    2 Link        256 Local, 257 Remote Node Descriptors, 258 Link Local/Remote Identifiers,
                  259/261 interface address, 260/262 neighbor address, 263 Multi-Topology ID
    3/4 Prefix    256 Local Node Descriptors, 264 OSPF Route Type, 265 IP Reachability (required)
    6 SRv6 SID    256 first, then 263 Multi-Topology ID, 518 SRv6 SID Information (RFC 9514 6.1)

    Node Descriptor sub-TLVs, in ascending type order, each at most once (RFC 9552 5.2.1.4):
    512 AS (4), 513 BGP-LS Identifier (4), 514 OSPF Area-ID (4 or 16), 515 IGP Router-ID:
    IS-IS (protocols 1, 2) a system id (6) and optionally a pseudonode number (7); OSPF,
    direct, static (3, 5, 6, 227) a router id (4) and optionally a designated router (8).

Invariants:
- A `BGPLS` is its family, NLRI type `code`, the value octets `body` as received (RD included
  for SAFI 72) and its path identifier; it packs back to exactly the received octets.
- The whole NLRI is checked on receipt with 5.0's rules (the lengths and orders above); one that
  fails makes the whole NLRI field `Malformed` (the MP attribute decoder then disables the
  family, RFC 9552 8.2.2 / RFC 7606 5.4). 5.0 resets the session instead.
- The JSON is computed once on receipt (`head` and `tail`, not part of equality) and is 5.0.15's
  byte for byte, empty lists written `[  ]`. Node and prefix NLRI name the MP_REACH next hop
  between them (`json_at`); withdrawn ones have none and 5.0 writes `"nexthop": "None"`.
  Unknown NLRI types are `{ "code": N, "parsed": false, "raw": HEX }`. In upstream 6.0's mode
  (`six`) a prefix NLRI's "ip-reachability-tlv" carries the prefix length as "ip-reach-prefix" does.
- `index()` is the family, path identifier, NLRI type and value: the whole NLRI.
"""

import json as _json
import re
import struct
from dataclasses import dataclass, field
from ipaddress import IPv6Address

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import SAFI, Family
from exabgp.bgp.nlri import prefix, rd
from exabgp.bgp.nlri.base import NLRI, with_path
from exabgp.bgp.slots import slot_store

HEADER = 4
_HEADER = struct.Struct('!HH')  # a TLV's type and length
IDENTIFIER_END = 9  # Protocol-ID (1) and Identifier (8)
LOCAL_NODE = 256
REMOTE_NODE = 257
LINK_IDS = 258
IFACE_V4, NEIGH_V4, IFACE_V6, NEIGH_V6 = 259, 260, 261, 262
MULTI_TOPOLOGY = 263
OSPF_ROUTE_TYPE = 264
IP_REACHABILITY = 265
SRV6_SID_INFO = 518

NODE_AS, NODE_BGPLS_ID, NODE_OSPF_AREA, NODE_ROUTER_ID = 512, 513, 514, 515
ISIS_PROTOCOLS = (1, 2)
ROUTER_ID_PROTOCOLS = (3, 5, 6, 227)

NAMES = {1: 'bgpls-node', 2: 'bgpls-link', 3: 'bgpls-prefix-v4', 4: 'bgpls-prefix-v6', 6: 'bgpls-srv6sid'}
# 5.0's `bgp-ls:SHORT:0x...` text for the types it does not print as JSON
_SHORT = {6: 'srv6_sid'}


def _bad(reason: str) -> Malformed:
    return Malformed(f'BGP-LS NLRI: {reason}', INVALID_NETWORK_FIELD)


def tlvs(data: bytes, what: str = 'NLRI') -> list[tuple[int, bytes]]:
    """The (type, value) pairs of a TLV sequence, every boundary checked."""
    found = []
    offset = 0
    end = len(data)
    while offset < end:
        if end - offset < HEADER:
            raise _bad(f'{what} ends with a truncated TLV header')
        kind, size = _HEADER.unpack_from(data, offset)
        stop = offset + HEADER + size
        if stop > end:
            raise _bad(f'{what} TLV {kind} claims {stop - offset - HEADER} octets, {end - offset - HEADER} remain')
        found.append((kind, data[offset + HEADER : stop]))
        offset = stop
    return found


def _ip(raw: bytes) -> str:
    return prefix.text(raw)


def _descriptor(kind: int, value: bytes, protocol: int) -> str:
    """One Node Descriptor sub-TLV as 5.0 writes it in the list."""
    size = len(value)
    if kind in (NODE_AS, NODE_BGPLS_ID):
        if size != 4:
            raise _bad(f'node descriptor sub-TLV {kind} of {size} octets, expecting 4')
        number = int.from_bytes(value, 'big')
        return f'{{ "autonomous-system": {number} }}' if kind == NODE_AS else f'{{ "bgp-ls-identifier": "{number}" }}'
    if kind == NODE_OSPF_AREA:
        if size not in (4, 16):
            raise _bad(f'OSPF area-id sub-TLV of {size} octets, expecting 4 or 16')
        return f'{{ "ospf-area-id": "{_ip(value)}" }}'
    if kind == NODE_ROUTER_ID and protocol in ISIS_PROTOCOLS:
        if size not in (6, 7):
            raise _bad(f'IS-IS router-id sub-TLV of {size} octets, expecting 6 or 7')
        # 5.0 shows the whole value (pseudonode included) as the system id, then the pseudonode
        psn = f', "psn": "{value[6]}"' if size == 7 and value[6] else ''
        return f'{{ "router-id": "{value.hex()}"{psn} }}'
    if kind == NODE_ROUTER_ID and protocol in ROUTER_ID_PROTOCOLS:
        if size not in (4, 8):
            raise _bad(f'router-id sub-TLV of {size} octets, expecting 4 or 8')
        designated = f', "designated-router-id": "{_ip(value[4:])}"' if size == 8 else ''
        return f'{{ "router-id": "{_ip(value[:4])}"{designated} }}'
    return f'{{ "generic-node-descriptor-{kind}": "0x{value.hex().upper()}" }}'


# every link and prefix of a router names it again, with the same octets: its descriptors' text is
# remembered by protocol and octets (which decide it alone), a bounded memory started afresh when full
_MEMO_ENTRIES = 8192
_memo: dict[tuple[int, bytes], str] = {}


def node_descriptors(value: bytes, protocol: int) -> str:
    """A Node Descriptors TLV's sub-TLVs, which must be in ascending type order, each at most once."""
    key = (protocol, value)
    known = _memo.get(key)
    if known is None:
        known = _descriptors(value, protocol)
        if len(_memo) >= _MEMO_ENTRIES:
            _memo.clear()
        _memo[key] = known
    return known


def _descriptors(value: bytes, protocol: int) -> str:
    shown = []
    previous = -1
    for kind, sub in tlvs(value, 'node descriptor'):
        if kind <= previous:
            raise _bad(f'node descriptor sub-TLV {kind} follows {previous}: not in ascending order, or repeated')
        previous = kind
        shown.append(_descriptor(kind, sub, protocol))
    return ', '.join(shown)


def _interface(value: bytes, what: str) -> str:
    if len(value) not in (4, 16):
        raise _bad(f'{what} address sub-TLV of {len(value)} octets, expecting 4 or 16')
    return f'"{_ip(value)}"'


def _mtid(value: bytes) -> str:
    if len(value) < 2:
        raise _bad(f'multi-topology sub-TLV of {len(value)} octets, expecting at least 2')
    return str(int.from_bytes(value[:2], 'big') & 0x0FFF)


def _reachability(value: bytes, code: int) -> str:
    if not value:
        raise _bad('IP reachability sub-TLV without a prefix length')
    length = value[0]
    octets = value[1:]
    size = 16 if code == 4 else 4
    if length > size * 8:
        raise _bad(f'IP reachability prefix length {length} is over {size * 8}')
    if len(octets) > (length + 7) // 8:
        raise _bad(f'IP reachability sub-TLV carries {len(octets)} prefix octets, at most {(length + 7) // 8}')
    padded = octets + bytes(size - len(octets))
    # 5.0 writes the IPv4 prefix dotted and the IPv6 one with Python's ipaddress (not inet_ntop)
    text = '.'.join(map(str, padded)) if size == 4 else IPv6Address(padded).compressed
    return f'"ip-reachability-tlv": "{text}", "ip-reach-prefix": "{text}/{length}"'


def _start(code: int, body: bytes) -> tuple[int, list[str]]:
    if len(body) < IDENTIFIER_END:
        raise _bad(f'{NAMES[code]} of {len(body)} octets, need at least {IDENTIFIER_END}')
    protocol = body[0]
    # the NLRI type, protocol and topology are those of the NLRI before, nearly always
    key = (code, body[:IDENTIFIER_END])
    members = _starts.get(key)
    if members is None:
        members = [
            f'"ls-nlri-type": "{NAMES[code]}"',
            f'"l3-routing-topology": {int.from_bytes(body[1:9], "big")}',
            f'"protocol-id": {protocol}',
        ]
        if len(_starts) >= _MEMO_ENTRIES:
            _starts.clear()
        _starts[key] = members
    return protocol, members.copy()


_starts: dict[tuple[int, bytes], list[str]] = {}


def _node(code: int, body: bytes) -> tuple[list[str], list[str]]:
    protocol, members = _start(code, body)
    found = tlvs(body[IDENTIFIER_END:])
    if not found:
        raise _bad('node NLRI without a Local Node Descriptors TLV')
    if found[0][0] != LOCAL_NODE:
        raise _bad(f'node NLRI starting with TLV {found[0][0]}, not the Local Node Descriptors')
    members.append(f'"node-descriptors": [ {node_descriptors(found[0][1], protocol)} ]')
    return members, []


def _link(code: int, body: bytes) -> tuple[list[str], list[str]]:
    protocol, members = _start(code, body)
    local = remote = link_ids = ''
    interfaces: list[str] = []
    neighbors: list[str] = []
    topologies: list[str] = []
    for kind, value in tlvs(body[IDENTIFIER_END:]):
        if kind == LOCAL_NODE:
            local = node_descriptors(value, protocol)
        elif kind == REMOTE_NODE:
            remote = node_descriptors(value, protocol)
        elif kind == LINK_IDS:
            if len(value) < 8:
                raise _bad(f'link identifiers sub-TLV of {len(value)} octets, expecting 8')
            link_ids = (
                f'{{ "link-local-id": {int.from_bytes(value[:4], "big")}, '
                f'"link-remote-id": {int.from_bytes(value[4:8], "big")} }}'
            )
        elif kind in (IFACE_V4, IFACE_V6):
            interfaces.append(_interface(value, 'interface'))
        elif kind in (NEIGH_V4, NEIGH_V6):
            neighbors.append(_interface(value, 'neighbor'))
        elif kind == MULTI_TOPOLOGY:
            topologies.append(_mtid(value))
    members += [
        f'"local-node-descriptors": [ {local} ]',
        f'"remote-node-descriptors": [ {remote} ]',
        f'"interface-addresses": [ {", ".join(interfaces)} ]',
        f'"neighbor-addresses": [ {", ".join(neighbors)} ]',
        f'"multi-topology-ids": [ {", ".join(topologies)} ]',
        f'"link-identifiers": [ {link_ids} ]',
    ]
    return members, []


def _prefix(code: int, body: bytes) -> tuple[list[str], list[str]]:
    protocol, members = _start(code, body)
    local = reach = ospf = ''
    for kind, value in tlvs(body[IDENTIFIER_END:]):
        if kind == LOCAL_NODE:
            local = node_descriptors(value, protocol)
        elif kind == OSPF_ROUTE_TYPE:
            if len(value) != 1:
                raise _bad(f'OSPF route type sub-TLV of {len(value)} octets, expecting 1')
            ospf = f'"ospf-route-type": {value[0]}'
        elif kind == IP_REACHABILITY:
            reach = _reachability(value, code)
    if not reach:
        raise _bad(f'{NAMES[code]} NLRI without an IP Reachability Information TLV')
    members += [f'"node-descriptors": [ {local} ]', reach]
    return members, [ospf] if ospf else []


def _srv6(code: int, body: bytes) -> tuple[list[str], list[str]]:
    protocol, members = _start(code, body)
    found = tlvs(body[IDENTIFIER_END:])
    if not found:
        raise _bad('SRv6 SID NLRI without a Local Node Descriptors TLV')
    if found[0][0] != LOCAL_NODE:
        raise _bad(f'SRv6 SID NLRI starting with TLV {found[0][0]}, not the Local Node Descriptors')
    # 5.0 writes this member with json.dumps: its topology ids are strings
    topologies: list[str] = []
    descriptors: dict[str, object] = {'multi-topology-ids': topologies}
    for kind, value in found[1:]:
        if kind == MULTI_TOPOLOGY:
            topologies.append(_mtid(value))
        elif kind == SRV6_SID_INFO:
            if len(value) != 16:
                raise _bad(f'SRv6 SID information sub-TLV of {len(value)} octets, expecting 16')
            descriptors['srv6-sid'] = _ip(value)
        else:
            listed = descriptors.setdefault(f'generic-tlv-{kind}', [])
            assert isinstance(listed, list)
            listed.append(f'0x{value.hex().upper()}')
    members += [
        f'"node-descriptors": [ {node_descriptors(found[0][1], protocol)} ]',
        f'"srv6-sid-descriptors": {_json.dumps(descriptors)}',
    ]
    return members, []


SRV6_SID = 6
_DECODERS = {1: _node, 2: _link, 3: _prefix, 4: _prefix, SRV6_SID: _srv6}
# the types whose 5.0 JSON names the next hop (after `head`, before `tail`)
_WITH_NEXTHOP = (1, 3, 4)
_PREFIXES = (3, 4)
# the members `_reachability` writes: the address, then the address and its length
_REACH = re.compile(r'"ip-reachability-tlv": "([^"]*)", "ip-reach-prefix": "\1/(\d+)"')


@dataclass(frozen=True, slots=True)
class BGPLS(NLRI):
    family: Family
    code: int
    body: bytes
    path_id: int | None = None
    head: str = field(default='', compare=False)
    tail: str = field(default='', compare=False)

    def _wire(self) -> bytes:
        return self.code.to_bytes(2, 'big') + len(self.body).to_bytes(2, 'big') + self.body

    def pack(self, addpath: bool) -> bytes:
        return with_path(self.path_id, self._wire(), addpath)

    def index(self) -> tuple[Family, int | None, int, bytes]:
        # the value octets themselves, not the wire form rebuilt: they are hashed once and kept
        return (self.family, self.path_id, self.code, self.body)

    def order(self) -> bytes:
        return self._wire()

    def prefix(self) -> str:
        return str(self)

    def json_at(self, nexthop: str) -> str:
        if self.code not in _WITH_NEXTHOP:
            return self.head
        return f'{self.head}, "nexthop": "{nexthop}"{self.tail} }}'

    def json(self) -> str:
        return self.json_at('None')

    def six(self, text: str) -> str:
        """6.0 writes the prefix length in "ip-reachability-tlv" too (as in "ip-reach-prefix")."""
        if self.code not in _PREFIXES:
            return text
        return _REACH.sub(r'"ip-reachability-tlv": "\1/\2", "ip-reach-prefix": "\1/\2"', text, 1)

    def __str__(self) -> str:
        if self.code in _WITH_NEXTHOP or self.code == 2:
            return self.json()
        packed = self.body[rd.SIZE :] if self.family.safi == SAFI.BGP_LS_VPN and self.code in NAMES else self.body
        return f'bgp-ls:{_SHORT.get(self.code, "unknown")}:0x{packed.hex()}'

    @classmethod
    def decode(cls, family: Family, code: int, body: bytes, path_id: int | None) -> 'BGPLS':
        """One NLRI from its type and value, checked and its JSON made; `Malformed` if it does not parse."""
        decoder = _DECODERS.get(code)
        if decoder is None:
            raw = (code.to_bytes(2, 'big') + len(body).to_bytes(2, 'big') + body).hex().upper()
            return cls(family, code, body, path_id, f'{{ "code": {code}, "parsed": false, "raw": "{raw}" }}')
        value = body
        route = ''
        if family.safi == SAFI.BGP_LS_VPN:
            if len(body) < rd.SIZE:
                raise _bad(f'{NAMES[code]} VPN NLRI of {len(body)} octets has no room for a route distinguisher')
            value = body[rd.SIZE :]
            route = rd.json(body[: rd.SIZE])
        members, after = decoder(code, value)
        if route and code != SRV6_SID:
            # 5.0 reads the RD of an SRv6 SID NLRI but does not write it
            after.append(route)
        tail = ''.join(f', {member}' for member in after)
        if code in _WITH_NEXTHOP:
            return _made(family, code, body, path_id, '{ ' + ', '.join(members), tail)
        return _made(family, code, body, path_id, '{ ' + ', '.join(members) + tail + ' }', '')

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['BGPLS']:
        data = bytes(data)
        found = []
        offset = 0
        path_id = None
        end = len(data)
        while offset < end:
            if addpath:
                path_id, offset = prefix.path_at(data, offset, end)
            if offset + HEADER > end:
                raise _bad('the NLRI field ends inside a BGP-LS NLRI type and length')
            code = int.from_bytes(data[offset : offset + 2], 'big')
            stop = offset + HEADER + int.from_bytes(data[offset + 2 : offset + 4], 'big')
            if stop > end:
                raise _bad(f'NLRI truncated: need {stop - offset} octets, got {end - offset}')
            found.append(cls.decode(family, code, data[offset + HEADER : stop], path_id))
            offset = stop
        return found


_NEW = object.__new__
_STORES = tuple(slot_store(BGPLS, name) for name in ('family', 'code', 'body', 'path_id', 'head', 'tail'))


def _made(family: Family, code: int, body: bytes, path_id: int | None, head: str, tail: str) -> BGPLS:
    """A decoded NLRI, its slots stored directly: a frozen dataclass's __init__ costs twice as much,
    and a topology feed makes one per NLRI (bgp.slots)."""
    nlri = _NEW(BGPLS)
    family_, code_, body_, path_, head_, tail_ = _STORES
    family_(nlri, family)
    code_(nlri, code)
    body_(nlri, body)
    path_(nlri, path_id)
    head_(nlri, head)
    tail_(nlri, tail)
    return nlri
