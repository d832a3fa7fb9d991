"""FlowSpec routes as the configuration and the API write them (5.0's grammar).

    flow { route NAME { rd RD; next-hop IP; match { KEYWORD VALUE; ... } then { ACTION; ... }
                        scope { interface-set SET; } } }
    announce|withdraw flow route { match { ... } then { ... } }        (the API, the block on one line)
    announce|withdraw flow route KEYWORD VALUE ... ACTION ...          (the API, flat: any order)

match: `source`/`destination` (`-ipv4`/`-ipv6`) PREFIX (IPv6: ADDRESS/LENGTH[/OFFSET]), and the
numeric or bitmask keywords of bgp.nlri.flow_match, each taking one term or `[ TERM TERM ]` (OR),
a term being `OPVALUE` pairs joined by `&` (AND): `>1024&<2048`, `=80`, `!=0`, `syn&!ack`, names
for protocols, ports (the IANA service names 5.0 reads: bgp.nlri.flow_ports), ICMP types and codes, TCP flags (`fin+syn`) and fragments.
then: accept, discard, rate-limit N [bytes|packets], redirect ASN:N | IP:N | IP, redirect-to-nexthop,
redirect-to-nexthop-ietf IP, copy IP, mark DSCP, action sample|terminal|sample-terminal,
community, large-community, extended-community. scope: interface-set [transitive|non-transitive]:
input|output|input-output:ASN:GROUP.

Invariants (5.0's):
- An action is an extended community (RFC 8955 7, RFC 7674, draft-simpson-idr-flowspec-redirect,
  draft-ietf-idr-flowspec-interfaceset), built here as its 8 (or 20) octets: `discard` is a traffic
  rate of 0 with AS 0, `redirect IP` and `copy IP` set the route's next hop.
- The route is IPv6 when a source or destination is an IPv6 prefix, flow-vpn when `rd` is written.
- A route needs at least one match: with none it would match every packet.
- Words are read as written: a value 5.0 refuses is refused at its word with the reason.
- What a rule says besides its prefixes (`Parts`: the numeric and bitmask components packed, the
  attributes, the next hop, the RD) is made once per `Builder` for the words that say it: a rule
  on one line is cached by its words with the prefix values left out, a statement of a `route`
  block by its words. A detector sending 10,000 rules that differ by their addresses has its
  `protocol`, ports and actions read once. Nothing holding a quoted word is cached.
"""

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.extended import ExtendedCommunities, IPv6ExtendedCommunities
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri import flow_match, flow_ports
from exabgp.bgp.nlri.flow import Flow
from exabgp.bgp.nlri.flow_match import AND, EQ, GT, LT, MATCH, NOT, Component, Operations, Prefix
from exabgp.bgp.route import SELF, NextHop, Route
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.route import attributes, qualifiers
from exabgp.configuration.route.grammar import Builder, Spec
from exabgp.configuration.route.prefix import ipv4

_PREFIX_KEYWORDS = {
    'source': flow_match.SOURCE,
    'source-ipv4': flow_match.SOURCE,
    'source-ipv6': flow_match.SOURCE,
    'destination': flow_match.DESTINATION,
    'destination-ipv4': flow_match.DESTINATION,
    'destination-ipv6': flow_match.DESTINATION,
}
# keyword -> component type (both AFIs' names: 5.0 takes either in any route)
_OPERATION_KEYWORDS = {**flow_match.KEYWORDS[AFI.IPV4], **flow_match.KEYWORDS[AFI.IPV6]}
# words of the block form that the flat form skips
_STRUCTURE = frozenset(('match', 'then', 'scope', '{', '}', ';'))

RATE_MAX = 1_000_000_000_000  # 5.0 lowers a larger byte rate to this
DSCP_MAX = 0x3F
INTERFACE_GROUP_MAX = (1 << 14) - 1
_DIRECTIONS = {'input': 1, 'output': 2, 'input-output': 3}


@dataclass
class FlowDraft:
    """A flow route being read."""

    prefixes: list[tuple[int, int, bytes, int, int]] = field(default_factory=list)
    operations: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    rd: bytes | None = None
    spec: Spec = field(default_factory=Spec)
    # the index of each prefix value read: the words a one-line rule's cache key leaves out
    read_at: list[int] = field(default_factory=list)


def _number(word: str) -> int | None:
    if word.isdigit() and word.isascii():
        return int(word)
    if word[:2].lower() == '0x' and word[2:] and all(char in '0123456789abcdefABCDEF' for char in word[2:]):
        return int(word[2:], 16)
    return None


def _named_value(word: str, names: Callable[[str], int | None], bits: bool) -> int | None:
    """5.0's `named`: names (looked up in lower case, `_` read as `-`) or numbers up to 65535,
    added up when joined by '+'."""
    total = 0
    for part in word.split('+'):
        name = part.lower().replace('_', '-')
        value = names(name)
        if value is None:
            value = flow_match.TCP_FLAGS_BITS['urg'] if name == 'urgent' and bits else _number(part)
            if value is None or value > 0xFFFF:
                return None
        total += value
    return total


def _value(code: int, word: str) -> int:
    """The value of a term of component `code`; ValueError saying why not."""
    if code == flow_match.PROTOCOL:
        value = _named_value(word, flow_match.PROTOCOLS.get, False)
    elif code == flow_match.ICMP_TYPE:
        value = _named_value(word, flow_match.ICMP_TYPES.get, False)
    elif code == flow_match.ICMP_CODE:
        value = _named_value(word, flow_match.ICMP_CODES.get, False)
    elif code == flow_match.TCP_FLAGS:
        value = _named_value(word, flow_match.TCP_FLAGS_BITS.get, True)
    elif code == flow_match.FRAGMENT:
        value = _named_value(word, flow_match.FRAGMENT_BITS.get, True)
    elif code in (flow_match.PORT, flow_match.DESTINATION_PORT, flow_match.SOURCE_PORT):
        value = _named_value(word, flow_ports.port, False)
    else:
        value = _number(word) if not word.startswith('0x') else None
    if value is None:
        raise ValueError(f"'{word}' is not a valid value")
    limits = {flow_match.DSCP: DSCP_MAX, flow_match.FLOW_LABEL: 0xFFFFF}
    widest = flow_match.TYPES[AFI.IPV6][code].widths[-1]
    limit = limits.get(code, (1 << (8 * widest)) - 1)
    if value > limit:
        raise ValueError(f"'{word}' is too large, the largest value is {limit}")
    return value


def _numeric_operator(text: str) -> tuple[int, str]:
    if text.startswith('!='):
        return LT | GT, text[2:]
    if text.startswith(('>=', '<=')):
        return (GT if text[0] == '>' else LT) | EQ, text[2:]
    if text[:1] in ('>', '<'):
        return (GT if text[0] == '>' else LT), text[1:]
    if text.startswith('='):
        return EQ, text[1:]
    if text.startswith('!'):
        raise ValueError(f"invalid operator in '{text}'")
    return EQ, text


def _bitmask_operator(text: str) -> tuple[int, str]:
    if text.startswith('!='):
        return NOT | MATCH, text[2:]
    if text.startswith('!'):
        return NOT, text[1:]
    if text.startswith('='):
        return MATCH, text[1:]
    return 0, text


def terms(code: int, word: str) -> list[tuple[int, int]]:
    """The (operator, value) pairs of one term: `OPVALUE&OPVALUE...`, the first OR-ed."""
    numeric = flow_match.TYPES[AFI.IPV6][code].kind == 'numeric'
    found = []
    for index, part in enumerate(word.split('&')):
        if not part:
            raise ValueError(f"'{word}' is not a valid expression")
        operator, text = (_numeric_operator if numeric else _bitmask_operator)(part)
        if not text:
            raise ValueError(f"'{word}' is not a valid expression (too short)")
        found.append((operator | (AND if index else 0), _value(code, text)))
    return found


def _prefix(cursor: Cursor, prefixes: list[tuple[int, int, bytes, int, int]], code: int) -> None:
    word = cursor.expect('a prefix')
    pieces = word.split('/')
    packed = ipv4(pieces[0]) if len(pieces) == 2 else None
    size = pieces[-1]
    if packed is not None and size.isdigit() and size.isascii() and int(size) <= 32:
        # the common case (a dotted quad and its length), without building an address object
        if prefixes and prefixes[0][1] != AFI.IPV4:
            raise cursor.fail('a flow route can not mix IPv4 and IPv6 prefixes')
        prefixes.append((code, AFI.IPV4, packed, int(size), 0))
        return
    try:
        address = ip_address(pieces[0])
        if len(pieces) not in (2, 3) or (len(pieces) == 3 and address.version == 4):
            raise ValueError('expecting IPv4/mask, IPv6/mask or IPv6/mask/offset')
        length = int(pieces[1])
        offset = int(pieces[2]) if len(pieces) == 3 else 0
        if not 0 <= length <= (32 if address.version == 4 else 128):
            raise ValueError(f'netmask {length} is out of range')
        if (length, offset) != (0, 0) and not 0 <= offset < length:
            raise ValueError(f'offset {offset} must be zero for /0 or in the range 0-{length - 1}')
    except ValueError as error:
        raise cursor.fail(f"'{word}' is not a valid flow prefix ({error})") from None
    afi = AFI.IPV4 if address.version == 4 else AFI.IPV6
    if prefixes and prefixes[0][1] != afi:
        raise cursor.fail('a flow route can not mix IPv4 and IPv6 prefixes')
    prefixes.append((code, afi, address.packed, length, offset))


def _operations(cursor: Cursor, draft: FlowDraft, code: int) -> None:
    words = cursor.bracketed('a value')
    pairs = draft.operations.setdefault(code, [])
    for word in words:
        try:
            pairs.extend(terms(code, word))
        except ValueError as error:
            raise cursor.fail(str(error)) from None


def _community(raw: bytes) -> ExtendedCommunities:
    return ExtendedCommunities((raw,))


def _rate(speed: float, packets: bool) -> bytes:
    return (b'\x80\x0c' if packets else b'\x80\x06') + bytes(2) + struct.pack('!f', speed)


def _ip(cursor: Cursor, word: str) -> IPv4Address | IPv6Address:
    try:
        return ip_address(word)
    except ValueError:
        raise cursor.fail(f"'{word}' is not an IP address") from None


def _then(cursor: Cursor, draft: FlowDraft, keyword: str) -> None:
    spec = draft.spec
    if keyword == 'accept':
        return
    if keyword == 'discard':
        spec.add(_community(_rate(0, False)))
    elif keyword == 'rate-limit':
        word = cursor.expect('a rate')
        if not word.isdigit():
            raise cursor.fail(f"'{word}' is not a valid rate")
        unit = cursor.peek()
        packets = unit == 'packets'
        if unit in ('bytes', 'packets'):
            cursor.next()
        speed = int(word) if packets else min(int(word), RATE_MAX)
        spec.add(_community(_rate(speed, packets)))
    elif keyword == 'redirect':
        _redirect(cursor, draft)
    elif keyword == 'redirect-to-nexthop':
        spec.add(_community(b'\x08\x00' + bytes(6)))
    elif keyword == 'redirect-to-nexthop-ietf':
        address = _ip(cursor, cursor.expect('an IP address'))
        if address.version == 4:
            spec.add(_community(b'\x01\x0c' + address.packed + bytes(2)))
        else:
            spec.add(IPv6ExtendedCommunities((b'\x00\x0c' + address.packed + bytes(2),)))
    elif keyword == 'copy':
        spec.nexthop = _ip(cursor, cursor.expect('an IP address'))
        spec.add(_community(b'\x08\x00' + bytes(5) + b'\x01'))
    elif keyword == 'mark':
        word = cursor.expect('a DSCP value')
        if not word.isdigit() or int(word) > DSCP_MAX:
            raise cursor.fail(f"'{word}' is not a valid dscp (0 to {DSCP_MAX})")
        spec.add(_community(b'\x80\x09' + bytes(5) + bytes((int(word),))))
    elif keyword == 'action':
        word = cursor.expect('sample, terminal or sample-terminal')
        sample, terminal = 'sample' in word, 'terminal' in word
        if not sample and not terminal:
            raise cursor.fail(f"'{word}' is not a valid flow action (sample, terminal, sample-terminal)")
        spec.add(_community(b'\x80\x07' + bytes(5) + bytes(((2 if sample else 0) | (1 if terminal else 0),))))
    elif keyword == 'interface-set':
        sets = []
        for word in cursor.bracketed('an interface-set'):
            try:
                sets.append(_interface_set(word))
            except ValueError as error:
                raise cursor.fail(str(error)) from None
        spec.add(ExtendedCommunities(tuple(sets)))
    else:
        spec.add(attributes.PARSERS[keyword](cursor))


def _redirect(cursor: Cursor, draft: FlowDraft) -> None:
    word = cursor.expect('a redirect target')
    colons = word.count(':')
    simpson = b'\x08\x00' + bytes(6)
    if colons == 0 or (colons > 1 and '[' not in word):
        draft.spec.nexthop = _ip(cursor, word)
        draft.spec.add(_community(simpson))
        return
    if word.startswith('[') and word.endswith(']'):
        draft.spec.nexthop = _ip(cursor, word[1:-1])
        draft.spec.add(_community(simpson))
        return
    if colons > 1:
        address, _, number = word[1:].partition(']:')
        local = _number(number)
        if local is None or local > 0xFFFF:
            raise cursor.fail(f"'{word}' is not a valid redirect, the local administrator is a 16 bit number")
        draft.spec.add(IPv6ExtendedCommunities((b'\x00\x0b' + _ip(cursor, address).packed + local.to_bytes(2, 'big'),)))
        return
    administrator, _, number = word.partition(':')
    if '.' in administrator:
        raise cursor.fail('redirect IP:N is not supported, as in 5.0 (no other vendor supports it)')
    asn, local = _number(administrator), _number(number)
    if asn is None or local is None or asn > 0xFFFFFFFF:
        raise cursor.fail(f"'{word}' is not a valid redirect (ASN:N)")
    if asn > 0xFFFF:
        if local > 0xFFFF:
            raise cursor.fail(f"'{word}': with a 4 octet ASN the local administrator is a 16 bit number")
        draft.spec.add(_community(b'\x82\x08' + asn.to_bytes(4, 'big') + local.to_bytes(2, 'big')))
        return
    if local > 0xFFFFFFFF:
        raise cursor.fail(f"'{word}': the local administrator is a 32 bit number")
    draft.spec.add(_community(b'\x80\x08' + asn.to_bytes(2, 'big') + local.to_bytes(4, 'big')))


def _interface_set(word: str) -> bytes:
    parts = word.split(':')
    if len(parts) != 4:
        raise ValueError(f"'{word}' is not a valid interface-set (transitive:input:ASN:GROUP)")
    transitive, direction, asn_text, group_text = parts
    if transitive not in ('transitive', 'non-transitive'):
        raise ValueError(f"'{transitive}' is not transitive or non-transitive")
    if direction not in _DIRECTIONS:
        raise ValueError(f"'{direction}' is not input, output or input-output")
    asn, group = _number(asn_text), _number(group_text)
    if asn is None or asn > 0xFFFFFFFF:
        raise ValueError(f"'{asn_text}' is not a valid 32 bit ASN")
    if group is None or group > INTERFACE_GROUP_MAX:
        raise ValueError(f"'{group_text}' is not a valid group-id (14 bits)")
    kind = 0x07 if transitive == 'transitive' else 0x47
    return bytes((kind, 0x02)) + asn.to_bytes(4, 'big') + ((_DIRECTIONS[direction] << 14) | group).to_bytes(2, 'big')


_THEN = frozenset(
    (
        'accept',
        'discard',
        'rate-limit',
        'redirect',
        'redirect-to-nexthop',
        'redirect-to-nexthop-ietf',
        'copy',
        'mark',
        'action',
        'community',
        'large-community',
        'extended-community',
        'interface-set',
    )
)


def keyword(cursor: Cursor, draft: FlowDraft, word: str) -> None:
    """One keyword of a flow route and its values (any of match, then, scope, and the route's own)."""
    if word in _PREFIX_KEYWORDS:
        draft.read_at.append(cursor.index)
        _prefix(cursor, draft.prefixes, _PREFIX_KEYWORDS[word])
    elif word in _OPERATION_KEYWORDS:
        _operations(cursor, draft, _OPERATION_KEYWORDS[word])
    elif word in _THEN:
        _then(cursor, draft, word)
    elif word in ('rd', 'route-distinguisher'):
        draft.rd = qualifiers.route_distinguisher(cursor)
    elif word == 'next-hop':
        value = cursor.expect('a next-hop')
        draft.spec.nexthop = SELF if value.lower() == 'self' else _ip(cursor, value)
    else:
        raise cursor.fail(f"invalid keyword '{word}' in a flow route")


def flat(cursor: Cursor, draft: FlowDraft) -> None:
    """The words of a flow route written on one line, block punctuation and section names skipped."""
    while cursor.more():
        word = cursor.next()
        if word in _STRUCTURE:
            continue
        keyword(cursor, draft, word)


def line(cursor: Cursor, builder: Builder) -> Route:
    """The flow route written on one line from the cursor on (the API's, a `route ...;`
    statement's). ConfigError at a word; ValueError (not a ConfigError) when the words make no
    route (no match, too long, a flow label in an IPv4 rule)."""
    words = cursor.words
    start = cursor.index
    text = cursor.statement.line.text
    key: tuple[object, ...] | None = None
    at: list[int] = []
    if '"' not in text and "'" not in text:
        # the words less the prefix values (each the word after a prefix keyword), and whether
        # the first is IPv6: every other word is read the same way whatever the addresses are
        template: list[object] = []
        index, end = start, len(words)
        while index < end:
            word = words[index]
            template.append(word)
            if word in _PREFIX_KEYWORDS and index + 1 < end:
                if not at:
                    template.append(':' in words[index + 1])
                at.append(index + 1)
                index += 2
                continue
            index += 1
        key = ('flow', *template)
        parts: Parts | None = builder.parts.get(key)
        if parts is not None:
            prefixes: list[tuple[int, int, bytes, int, int]] = []
            for index in at:
                cursor.index = index
                _prefix(cursor, prefixes, _PREFIX_KEYWORDS[words[index - 1]])
            cursor.index = end
            return parts.route(prefixes)
    draft = FlowDraft()
    flat(cursor, draft)
    parts = _parts(draft, builder)
    if key is not None and draft.read_at == at:
        builder.remember(key, parts)
    return parts.route(draft.prefixes)


def statement(cursor: Cursor, draft: FlowDraft, builder: Builder) -> None:
    """One `KEYWORD VALUE ...;` statement of a `route NAME { }` block (or of its sections). What a
    statement other than a prefix does to a rule is read once per builder and replayed after."""
    words = cursor.words
    word = words[0]
    text = cursor.statement.line.text
    if word in _PREFIX_KEYWORDS or '"' in text or "'" in text:
        cursor.index = 1
        keyword(cursor, draft, word)
        cursor.done()
        return
    key = ('flow statement', *words)
    effect: FlowDraft | None = builder.parts.get(key)
    if effect is None:
        effect = FlowDraft()
        cursor.index = 1
        keyword(cursor, effect, word)
        cursor.done()
        builder.remember(key, effect)
    for code, pairs in effect.operations.items():
        draft.operations.setdefault(code, []).extend(pairs)
    for attribute in effect.spec.attributes.values():
        draft.spec.add(attribute)
    if effect.spec.nexthop is not None:
        draft.spec.nexthop = effect.spec.nexthop
    if effect.rd is not None:
        draft.rd = effect.rd


@dataclass(frozen=True, slots=True)
class Parts:
    """What a flow rule says besides its prefixes: the rest of its NLRI and its attributes."""

    family: Family
    operations: tuple[Operations, ...]  # in type order, after the prefixes
    packed: bytes  # their wire form
    rd: bytes | None
    attributes: Attributes
    nexthop: NextHop

    def route(self, read: list[tuple[int, int, bytes, int, int]]) -> Route:
        """The route of these parts and the prefixes read; ValueError when it can not be one."""
        prefixes: list[Prefix] = []
        afi = self.family.afi
        for code, _, packed, length, offset in read:
            if afi == AFI.IPV4:
                prefixes.append(Prefix(code, afi, bytes((length,)) + packed[: (length + 7) // 8]))
            else:
                pattern = flow_match.ipv6_pattern(packed, length, offset)
                prefixes.append(Prefix(code, afi, bytes((length, offset)) + pattern))
        if len(prefixes) > 1:
            prefixes.sort(key=lambda prefix: prefix.code)
        ordered: tuple[Component, ...] = (*prefixes, *self.operations)
        packed = b''.join([prefix.pack() for prefix in prefixes]) + self.packed
        return Route(Flow.assembled(self.family, ordered, packed, self.rd), self.attributes, self.nexthop)


def _parts(draft: FlowDraft, builder: Builder) -> Parts:
    """The parts of the draft, made once per builder for the same operations, RD and actions
    (a `route NAME { }` block's: the one-line form caches by words before coming here)."""
    afi = draft.prefixes[0][1] if draft.prefixes else AFI.IPV4
    spec = draft.spec
    key = (
        'flow parts',
        afi,
        draft.rd,
        spec.nexthop,
        *[(code, *pairs) for code, pairs in draft.operations.items()],
        *spec.attributes.values(),
    )
    known = builder.parts.get(key)
    if known is None:
        known = _made(draft, builder, afi)
        builder.remember(key, known)
    return known


def _made(draft: FlowDraft, builder: Builder, afi: int) -> Parts:
    components: list[Operations] = []
    for code, pairs in draft.operations.items():
        if code == flow_match.FLOW_LABEL and afi == AFI.IPV4:
            raise ValueError('flow-label only applies to IPv6 flow routes')
        kind = flow_match.TYPES[afi][code]
        for _, value in pairs:
            if value >= kind.limit:
                raise ValueError(f'{kind.name} {value} is too large for its field')
        first, rest = pairs[0], pairs[1:]
        components.append(Operations(code, afi, ((first[0] & ~AND, first[1]), *rest), built=True))
    components.sort(key=lambda component: component.code)
    family = Family(afi, SAFI.FLOW_VPN if draft.rd is not None else SAFI.FLOW_IP)
    packed = b''.join([component.pack() for component in components])
    tail = builder.finish(draft.spec)
    return Parts(family, tuple(components), packed, draft.rd, tail.attributes, tail.nexthop)


def finish(draft: FlowDraft, builder: Builder) -> Route:
    """The route the draft describes; ValueError when it can not be one."""
    return _parts(draft, builder).route(draft.prefixes)
