"""FlowSpec NLRI: traffic filters as routes (RFC 8955 for IPv4, RFC 8956 for IPv6), AFI 1 and 2,
SAFI 133 (`flow`) and 134 (`flow-vpn`, with a route distinguisher, RFC 8955 5).

    +---------------------------------+
    | Path Identifier (4 octets)      |   only when ADD-PATH applies to the family and direction
    +---------------------------------+
    | Length (1 or 2 octets)          |   0xnn when below 240, else 0xfnnn (12 bits, up to 4095)
    +---------------------------------+
    | Route Distinguisher (8 octets)  |   flow-vpn only
    +---------------------------------+
    | Components (variable)           |   see bgp.nlri.flow_match, in increasing type order
    +---------------------------------+

Invariants:
- A `Flow` is its family, its components (sorted by type as 5.0 packs them; several prefixes of
  one type stay in the order written), its route distinguisher (None for `flow`) and its path
  identifier. `packed` is the components' wire form, computed once: equality, hashing and the RIB
  index use it, so the same filter written twice, or received with other value widths, is one route.
- Reading (`unpack_all`) keeps what 5.0 keeps and refuses what RFC 8955 4.2 calls malformed, with
  `Malformed`: an NLRI running past the field, no component at all (it would match every packet),
  components out of increasing type order, a type repeated (5.0 accepts a repeated destination or
  source prefix, which it also sends: so do we), or a component flow_match refuses.
- `json()`, `__str__` are 5.0's: `{ "destination-ipv4": [ "10.0.0.0/24" ], "protocol": [ "=tcp" ],
  "rd": "65000:1", "string": "flow destination-ipv4 10.0.0.0/24 protocol =tcp rd 65000:1" }`; a
  route with a next hop (redirect to IP) adds `"next-hop"` and ` next-hop X` (`json_at`, `text_at`).
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import SAFI, Family
from exabgp.bgp.nlri import flow_match
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.flow_match import Component

RD_SIZE = 8
SHORT_LENGTH = 0xF0  # 240: from here on the length takes two octets
LENGTH_MAX = 0xFFF


def rd_text(rd: bytes) -> str:
    """A route distinguisher as 5.0 writes it (RFC 4364 4.2 types 0, 1 and 2, else hexadecimal)."""
    kind = int.from_bytes(rd[:2], 'big')
    if kind == 0:
        return f'{int.from_bytes(rd[2:4], "big")}:{int.from_bytes(rd[4:8], "big")}'
    if kind == 1:
        return f'{rd[2]}.{rd[3]}.{rd[4]}.{rd[5]}:{int.from_bytes(rd[6:8], "big")}'
    if kind == 2:
        return f'{int.from_bytes(rd[2:6], "big")}:{int.from_bytes(rd[6:8], "big")}'
    return '0x' + rd.hex().upper()


def _quoted(text: str) -> str:
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


@dataclass(frozen=True, slots=True)
class Flow(NLRI):
    family: Family = field()
    packed: bytes = field()
    components: tuple[Component, ...] = field(compare=False)
    rd: bytes | None = None
    path_id: int | None = None

    @classmethod
    def make(
        cls, family: Family, components: tuple[Component, ...], rd: bytes | None = None, path_id: int | None = None
    ) -> 'Flow':
        """From components in any order; ValueError when there is none, or too many to encode."""
        ordered = tuple(sorted(components, key=lambda component: component.code))
        return cls.assembled(family, ordered, b''.join(component.pack() for component in ordered), rd, path_id)

    @classmethod
    def assembled(
        cls,
        family: Family,
        ordered: tuple[Component, ...],
        packed: bytes,
        rd: bytes | None = None,
        path_id: int | None = None,
    ) -> 'Flow':
        """From components already in wire order and their wire form (a parser packing the
        components many routes share once); ValueError as `make`."""
        if not ordered:
            raise ValueError('a flow route needs at least one match, or it matches every packet')
        if len(packed) + (RD_SIZE if rd is not None else 0) > LENGTH_MAX:
            raise ValueError(f'the flow route is {len(packed)} octets long, more than FlowSpec can encode')
        return cls(family, packed, ordered, rd, path_id)

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'Flow':
        raise ValueError('a flow route is written with match and then, not as a prefix')

    def pack(self, addpath: bool) -> bytes:
        body = self.packed if self.rd is None else self.rd + self.packed
        size = len(body)
        head = bytes((size,)) if size < SHORT_LENGTH else (0xF000 | size).to_bytes(2, 'big')
        if addpath:
            return (self.path_id or 0).to_bytes(4, 'big') + head + body
        return head + body

    def index(self) -> Hashable:
        return (self.family, self.path_id, self.rd, self.packed)

    def order(self) -> bytes:
        return (b'no-pi' if self.path_id is None else self.path_id.to_bytes(4, 'big')) + (self.rd or b'') + self.packed

    def _grouped(self) -> list[tuple[str, list[str], int]]:
        """(name, values, how many terms) per component type, as 5.0 groups them: the string
        brackets the values of a type holding more than one prefix or (operator, value) pair."""
        kinds = flow_match.TYPES[self.family.afi]
        groups: list[tuple[str, list[str], int]] = []
        last = -1
        for component in self.components:
            terms = len(component.pairs) if isinstance(component, flow_match.Operations) else 1
            if component.code == last:
                name, values, count = groups[-1]
                groups[-1] = (name, values + component.values(), count + terms)
            else:
                groups.append((kinds[component.code].name, component.values(), terms))
                last = component.code
        return groups

    def text_at(self, nexthop: str) -> str:
        """5.0's string: `flow NAME VALUE NAME [ VALUE VALUE ] [rd RD] [next-hop IP]`."""
        words = ['flow']
        for name, values, terms in self._grouped():
            words.append(name)
            words.append(f'[ {" ".join(values)} ]' if terms > 1 else values[0])
        if self.rd is not None:
            words.append(f'rd {rd_text(self.rd)}')
        if nexthop:
            words.append(f'next-hop {nexthop}')
        return ' '.join(words)

    def json_at(self, nexthop: str) -> str:
        """5.0's JSON object, with the next hop the route is announced with ('' for none)."""
        members = [
            f'{_quoted(name)}: [ {", ".join(_quoted(value) for value in values)} ]'
            for name, values, _ in self._grouped()
        ]
        if self.rd is not None:
            members.append(f'"rd": "{rd_text(self.rd)}"')
        if nexthop:
            members.append(f'"next-hop": "{nexthop}"')
        members.append(f'"string": {_quoted(self.text_at(nexthop))}')
        return '{ ' + ', '.join(members) + ' }'

    def json(self) -> str:
        return self.json_at('')

    def __str__(self) -> str:
        return self.text_at('')

    def prefix(self) -> str:
        return self.text_at('')

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['Flow']:
        data = bytes(data)
        vpn = family.safi == SAFI.FLOW_VPN
        found = []
        offset = 0
        end = len(data)
        path_id = None
        while offset < end:
            if addpath:
                if offset + 4 >= end:
                    raise Malformed('the NLRI field ends inside a path identifier', INVALID_NETWORK_FIELD)
                path_id = int.from_bytes(data[offset : offset + 4], 'big')
                offset += 4
            size = data[offset]
            offset += 1
            if size >= SHORT_LENGTH:
                if offset >= end:
                    raise Malformed('flow NLRI: the field ends inside a length', INVALID_NETWORK_FIELD)
                size = ((size & 0x0F) << 8) | data[offset]
                offset += 1
            stop = offset + size
            if stop > end:
                raise Malformed(
                    f'flow NLRI: a {size} octet NLRI with {end - offset} octets left in the field',
                    INVALID_NETWORK_FIELD,
                )
            rd = None
            if vpn:
                if size < RD_SIZE:
                    raise Malformed('flow NLRI: too short for its route distinguisher', INVALID_NETWORK_FIELD)
                rd = data[offset : offset + RD_SIZE]
                offset += RD_SIZE
            found.append(cls._read(family, data, offset, stop, rd, path_id))
            offset = stop
        return found

    @classmethod
    def _read(
        cls, family: Family, data: bytes, offset: int, stop: int, rd: bytes | None, path_id: int | None
    ) -> 'Flow':
        components: list[Component] = []
        last = 0
        while offset < stop:
            component, offset = flow_match.read(family.afi, data, offset, stop)
            code = component.code
            repeated_prefix = code == last and isinstance(component, flow_match.Prefix)
            if code <= last and not repeated_prefix:
                raise Malformed(
                    f'flow NLRI: component type {code} after type {last} (RFC 8955 4.2: increasing order, once each)',
                    INVALID_NETWORK_FIELD,
                )
            last = code
            components.append(component)
        if not components:
            raise Malformed('flow NLRI: no component, which would match every packet', INVALID_NETWORK_FIELD)
        ordered = tuple(components)
        return cls(family, b''.join(component.pack() for component in ordered), ordered, rd, path_id)
