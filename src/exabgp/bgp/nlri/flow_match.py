"""FlowSpec components: the match types of RFC 8955 4.2.2 (IPv4) and RFC 8956 3 (IPv6), their
numeric and bitmask operators, and the names ExaBGP 5.0 gives their values.

A component is its type octet then, for a prefix, the prefix; for the other types a list of
(operator, value) pairs, the last with the end-of-list bit:

     0   1   2   3   4   5   6   7
    +---+---+---+---+---+---+---+---+
    | e | a |  len  | 0 |lt |gt |eq |   numeric operator (RFC 8955 4.2.1.1)
    +---+---+---+---+---+---+---+---+
    | e | a |  len  | 0 | 0 |not| m |   bitmask operator (RFC 8955 4.2.1.2)
    +---+---+---+---+---+---+---+---+

`e` ends the list, `a` ANDs the pair with the previous one (else OR), `len` is the value's size:
1 << len octets (1, 2, 4 or 8).

    IPv4 prefix (types 1, 2):  length (1 octet), then the minimal octets of the prefix
    IPv6 prefix (types 1, 2):  length, offset (1 octet each), then ceil((length - offset) / 8)
                               octets holding bits offset..length of the address, left aligned

Invariants:
- A `Prefix` keeps the wire form after its type octet (`packed`): an IPv4 prefix keeps the bits
  past its length inside its last octet as written (5.0 sends them), an IPv6 pattern has them zero.
- An `Operations` keeps its (operator, value) pairs with the end-of-list and length bits cleared:
  `pack` sets them, choosing the value's width as 5.0 does (the smallest of the widths the type
  allows that holds it). Reading drops the bits the RFCs reserve, and the AND bit of the first pair
  (RFC 8955 4.2.1.1: it MUST be treated as unset).
- `TYPES[afi][code]` is the one table of component types: name, kind, widths, value limit, names.
- Reading raises `Malformed` only: a component type the AFI does not define, a value wider than
  the type allows, a list or prefix running past the end, an IPv6 offset not below its length.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI
from exabgp.bgp.nlri import flow_ports
from exabgp.bgp.nlri import prefix as ip_prefix

END = 0x80
AND = 0x40
LENGTH = 0x30
# numeric comparison bits, and bitmask bits
LT, GT, EQ = 0x04, 0x02, 0x01
NOT, MATCH = 0x02, 0x01

DESTINATION, SOURCE = 1, 2
PROTOCOL, PORT, DESTINATION_PORT, SOURCE_PORT = 3, 4, 5, 6
ICMP_TYPE, ICMP_CODE, TCP_FLAGS, PACKET_LENGTH, DSCP, FRAGMENT, FLOW_LABEL = 7, 8, 9, 10, 11, 12, 13

NUMERIC_TEXT = {
    LT | GT | EQ: 'true',
    LT: '<',
    GT: '>',
    EQ: '=',
    LT | EQ: '<=',
    GT | EQ: '>=',
    LT | GT: '!=',
    0: 'false',
}
BITMASK_TEXT = {0: '', NOT: '!', MATCH: '=', NOT | MATCH: '!='}

# IANA protocol numbers 5.0 names
PROTOCOLS = {
    'icmp': 1,
    'igmp': 2,
    'tcp': 6,
    'egp': 8,
    'udp': 17,
    'rsvp': 46,
    'gre': 47,
    'esp': 50,
    'ah': 51,
    'ospf': 89,
    'ipip': 94,
    'pim': 103,
    'sctp': 132,
}
ICMP_TYPES = {
    'echo-reply': 0,
    'unreachable': 3,
    'redirect': 5,
    'echo-request': 8,
    'router-advertisement': 9,
    'router-solicit': 10,
    'time-exceeded': 11,
    'parameter-problem': 12,
    'timestamp': 13,
    'timestamp-reply': 14,
    'photuris': 40,
    'experimental-mobility': 41,
    'extended-echo-request': 42,
    'extended-echo-reply': 43,
    'experimental-one': 253,
    'experimental-two': 254,
}
# ICMP codes are named for the configuration only: 5.0 prints them as numbers
ICMP_CODES = {
    'network-unreachable': 0,
    'host-unreachable': 1,
    'protocol-unreachable': 2,
    'port-unreachable': 3,
    'fragmentation-needed': 4,
    'source-route-failed': 5,
    'destination-network-unknown': 6,
    'destination-host-unknown': 7,
    'source-host-isolated': 8,
    'destination-network-prohibited': 9,
    'destination-host-prohibited': 10,
    'network-unreachable-for-tos': 11,
    'host-unreachable-for-tos': 12,
    'communication-prohibited-by-filtering': 13,
    'host-precedence-violation': 14,
    'precedence-cutoff-in-effect': 15,
    'redirect-for-network': 0,
    'redirect-for-host': 1,
    'redirect-for-tos-and-net': 2,
    'redirect-for-tos-and-host': 3,
    'ttl-eq-zero-during-transit': 0,
    'ttl-eq-zero-during-reassembly': 1,
    'required-option-missing': 1,
    'ip-header-bad': 2,
}
TCP_FLAGS_BITS = {
    'fin': 0x01,
    'syn': 0x02,
    'rst': 0x04,
    'push': 0x08,
    'ack': 0x10,
    'urg': 0x20,
    'ece': 0x40,
    'cwr': 0x80,
    'ns': 0x100,
}
FRAGMENT_BITS = {'dont-fragment': 0x01, 'is-fragment': 0x02, 'first-fragment': 0x04, 'last-fragment': 0x08}


def _named(names: dict[str, int]) -> Callable[[int], str]:
    by_value = {value: name for name, value in names.items()}
    return lambda value: by_value.get(value, str(value))


def _bits(names: dict[str, int], label: str) -> Callable[[int], str]:
    """5.0's text of a bitmask value: the names of its bits, lowest first, joined by '+'; what no
    name covers is written `unknown LABEL type N`, N being the whole value."""

    def text(value: int) -> str:
        words = []
        left = value
        for name, bit in names.items():
            if left & bit:
                words.append(name)
                left &= ~bit
        if left:
            words.append(f'unknown {label} type {value}')
        return '+'.join(words)

    return text


def _port_text(value: int) -> str:
    return flow_ports.name(value) or str(value)


@dataclass(frozen=True, slots=True)
class Kind:
    """A component type of one AFI."""

    code: int
    name: str
    kind: str  # 'prefix', 'numeric' or 'bitmask'
    widths: tuple[int, ...] = ()  # the value widths 5.0 encodes with, smallest first
    limit: int = 0  # one more than the largest value the type holds
    text: Callable[[int], str] = str
    # the value bits the AFI defines (a fragment's reserved bits are dropped on receipt)
    defined: int = -1
    # how 5.0 prints a value of a rule it built itself rather than read (ports: by their name)
    built_text: Callable[[int], str] | None = None


def _types(afi: AFI) -> dict[int, Kind]:
    ipv6 = afi == AFI.IPV6
    suffix = '-ipv6' if ipv6 else '-ipv4'
    found = [
        Kind(DESTINATION, 'destination' + suffix, 'prefix'),
        Kind(SOURCE, 'source' + suffix, 'prefix'),
        Kind(PROTOCOL, 'next-header' if ipv6 else 'protocol', 'numeric', (1,), 1 << 8, _named(PROTOCOLS)),
        Kind(PORT, 'port', 'numeric', (1, 2), 1 << 16, built_text=_port_text),
        Kind(DESTINATION_PORT, 'destination-port', 'numeric', (1, 2), 1 << 16, built_text=_port_text),
        Kind(SOURCE_PORT, 'source-port', 'numeric', (1, 2), 1 << 16, built_text=_port_text),
        Kind(ICMP_TYPE, 'icmp-type', 'numeric', (1,), 1 << 8, _named(ICMP_TYPES)),
        Kind(ICMP_CODE, 'icmp-code', 'numeric', (1,), 1 << 8),
        Kind(TCP_FLAGS, 'tcp-flags', 'bitmask', (1, 2), 1 << 16, _bits(TCP_FLAGS_BITS, 'tcp flag')),
        Kind(PACKET_LENGTH, 'packet-length', 'numeric', (1, 2), 1 << 16),
        Kind(DSCP, 'traffic-class' if ipv6 else 'dscp', 'numeric', (1,), 1 << 8),
        # RFC 8956 3.6: IPv6 has no Don't Fragment bit, it is reserved there
        Kind(
            FRAGMENT, 'fragment', 'bitmask', (1, 2), 1 << 16, _bits(FRAGMENT_BITS, 'fragment'), 0x0E if ipv6 else 0x0F
        ),
    ]
    if ipv6:
        found.append(Kind(FLOW_LABEL, 'flow-label', 'numeric', (1, 2, 4), 1 << 32))
    return {kind.code: kind for kind in found}


TYPES: dict[int, dict[int, Kind]] = {AFI.IPV4: _types(AFI.IPV4), AFI.IPV6: _types(AFI.IPV6)}
# configuration keyword -> type code, per AFI (the prefix keywords are read apart: they set the AFI)
KEYWORDS: dict[int, dict[str, int]] = {
    afi: {kind.name: code for code, kind in kinds.items() if kind.kind != 'prefix'} for afi, kinds in TYPES.items()
}


def _fail(reason: str) -> Malformed:
    return Malformed(f'flow NLRI: {reason}', INVALID_NETWORK_FIELD)


@dataclass(frozen=True, slots=True)
class Prefix:
    """A destination or source prefix; `packed` is its wire form after the type octet."""

    code: int
    afi: int
    packed: bytes

    def pack(self) -> bytes:
        return bytes((self.code,)) + self.packed

    def values(self) -> list[str]:
        if self.afi == AFI.IPV4:
            return [ip_prefix.cidr(self.packed, 4)]
        length, offset = self.packed[0], self.packed[1]
        return [f'{ip_prefix.text(ipv6_address(self.packed[2:], length, offset))}/{length}/{offset}']


def ipv6_address(pattern: bytes, length: int, offset: int) -> bytes:
    """The 16-octet address an RFC 8956 pattern stands for: its bits placed at offset..length."""
    bits = length - offset
    if bits <= 0:
        return bytes(16)
    matched = int.from_bytes(pattern, 'big') >> (len(pattern) * 8 - bits)
    return (matched << (128 - length)).to_bytes(16, 'big')


def ipv6_pattern(address: bytes, length: int, offset: int) -> bytes:
    """The bits offset..length of a 16-octet address, left aligned in the fewest octets, zero padded."""
    bits = length - offset
    if bits <= 0:
        return b''
    size = (bits + 7) // 8
    matched = (int.from_bytes(address, 'big') >> (128 - length)) & ((1 << bits) - 1)
    return (matched << (size * 8 - bits)).to_bytes(size, 'big')


@dataclass(frozen=True, slots=True)
class Operations:
    """A numeric or bitmask component: (operator, value) pairs, operator holding AND and the
    comparison or bitmask bits only."""

    code: int
    afi: int
    pairs: tuple[tuple[int, int], ...]
    # built from a rule's text (the configuration, the API), not read from the wire: 5.0 prints
    # the ports of such a rule by name (`=http`), those of the same rule received as numbers
    built: bool = field(default=False, compare=False)

    def pack(self) -> bytes:
        widths = TYPES[self.afi][self.code].widths
        out = bytearray((self.code,))
        last = len(self.pairs) - 1
        for index, (operator, value) in enumerate(self.pairs):
            width = next((size for size in widths if value < 1 << (8 * size)), widths[-1])
            out.append(operator | (END if index == last else 0) | (width.bit_length() - 1) << 4)
            out += value.to_bytes(width, 'big')
        return bytes(out)

    def values(self) -> list[str]:
        """5.0's JSON list: one string per OR-ed term, the AND-ed pairs joined to the term they follow."""
        kind = TYPES[self.afi][self.code]
        names = NUMERIC_TEXT if kind.kind == 'numeric' else BITMASK_TEXT
        value_text = kind.built_text if self.built and kind.built_text is not None else kind.text
        found: list[str] = []
        for operator, value in self.pairs:
            comparison = operator & ~AND
            if kind.kind == 'numeric' and comparison in (0, LT | GT | EQ):
                text = names[comparison]
            else:
                text = names[comparison] + value_text(value)
            if operator & AND and found:
                found[-1] += '&' + text
            else:
                found.append(('&' if operator & AND else '') + text)
        return found


Component = Prefix | Operations


def read(afi: int, data: bytes, offset: int, end: int) -> tuple[Component, int]:
    """The component starting at `offset` (its type octet) and where it ends; `end` bounds the NLRI."""
    code = data[offset]
    kind = TYPES[afi].get(code)
    if kind is None:
        raise _fail(f'component type {code} is not defined for {"IPv6" if afi == AFI.IPV6 else "IPv4"}')
    offset += 1
    if kind.kind == 'prefix':
        return _read_prefix(code, afi, data, offset, end)
    mask = AND | (LT | GT | EQ if kind.kind == 'numeric' else NOT | MATCH)
    pairs: list[tuple[int, int]] = []
    while True:
        if offset >= end:
            raise _fail(f'the {kind.name} component ends without its end-of-list bit')
        octet = data[offset]
        size = 1 << ((octet & LENGTH) >> 4)
        stop = offset + 1 + size
        if stop > end:
            raise _fail(f'the {kind.name} component announces a {size} octet value with {end - offset - 1} left')
        value = int.from_bytes(data[offset + 1 : stop], 'big')
        if value >= kind.limit:
            raise _fail(f'the {kind.name} value {value} is too large for its field')
        operator = octet & mask
        if not pairs:
            operator &= ~AND
        pairs.append((operator, value & kind.defined))
        offset = stop
        if octet & END:
            return Operations(code, afi, tuple(pairs)), offset


def _read_prefix(code: int, afi: int, data: bytes, offset: int, end: int) -> tuple[Prefix, int]:
    if afi == AFI.IPV4:
        if offset >= end:
            raise _fail('the NLRI ends before a prefix length')
        length = data[offset]
        if length > 32:
            raise _fail(f'prefix length {length} is longer than the 32 bits of an IPv4 address')
        stop = offset + 1 + ip_prefix.octets(length)
        if stop > end:
            raise _fail(f'the NLRI ends inside a /{length} prefix')
        return Prefix(code, afi, bytes(data[offset:stop])), stop
    if offset + 2 > end:
        raise _fail('the NLRI ends before an IPv6 prefix length and offset')
    length, skip = data[offset], data[offset + 1]
    # RFC 8956 3.1: length 0 and offset 0 match every address, else offset < length <= 128
    if (length, skip) != (0, 0) and not skip < length <= 128:
        raise _fail(f'IPv6 prefix length {length} with offset {skip} is outside what RFC 8956 allows')
    stop = offset + 2 + (length - skip + 7) // 8
    if stop > end:
        raise _fail(f'the NLRI ends inside a /{length} prefix')
    address = ipv6_address(data[offset + 2 : stop], length, skip)
    return Prefix(code, afi, bytes((length, skip)) + ipv6_pattern(address, length, skip)), stop
