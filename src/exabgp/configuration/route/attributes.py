"""Path attributes as routes write them: `KEYWORD VALUE` -> the codec's attribute values.

    origin igp|egp|incomplete                 med N                 local-preference N
    as-path ASN | [ ASN ... ] ( ASN ... )...  ([ ] a sequence, ( ) a set, as 5.0 reads them)
    atomic-aggregate                          aggregator ( ASN:IPV4 )
    originator-id IPV4                        cluster-list IPV4 | [ IPV4 ... ]
    community C | [ C ... ]                   C: ASN:N, a number, 0xHEX, or a well-known name
    large-community L | [ L ... ]             L: A:B:C, or a number
    extended-community E | [ E ... ]          E: target:X:Y, origin:X:Y, redirect:X:Y, l2info:A:B:C:D,
                                                 bandwidth:ASN:N, mup:X:Y, X:Y (a target),
                                                 redirect-to-nexthop, or 0x<16 hex digits>
    aigp N|0xHEX                              attribute [ 0xCODE 0xFLAGS 0xDATA ]

Invariants: the limits and the byte layouts are 5.0's (configuration/static/parser.py), including its
choice of the IPv4-address-specific type (0x01) for a route target or origin whose administrator is
an AS number above 65535. Each parser raises `ConfigError` at the offending word.
"""

from collections.abc import Callable
from ipaddress import IPv4Address
from struct import pack
from typing import Any

from exabgp.bgp.attribute.aggregation import ATOMIC_AGGREGATE, Aggregator
from exabgp.bgp.attribute.aigp import AIGP
from exabgp.bgp.attribute.aspath import AS_SEQUENCE, AS_SET, ASPath
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.base import Attribute
from exabgp.bgp.attribute.community import (
    BLACKHOLE,
    NO_ADVERTISE,
    NO_EXPORT,
    NO_EXPORT_SUBCONFED,
    NO_PEER,
    Communities,
    LargeCommunities,
)
from exabgp.bgp.attribute.extended import ExtendedCommunities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import Origin
from exabgp.bgp.attribute.reflection import ClusterList, OriginatorID
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.configuration import values
from exabgp.configuration.cursor import Cursor

WELL_KNOWN = {
    'no-export': NO_EXPORT,
    'no_export': NO_EXPORT,
    'no-advertise': NO_ADVERTISE,
    'no_advertise': NO_ADVERTISE,
    'no-export-subconfed': NO_EXPORT_SUBCONFED,
    'nopeer': NO_PEER,
    'no-peer': NO_PEER,
    'blackhole': BLACKHOLE,
}

HEXADECIMAL = frozenset('0123456789abcdef')
U16 = 0xFFFF
U32 = 0xFFFFFFFF


def _decimal(word: str) -> bool:
    return word.isdigit() and word.isascii()


def origin(cursor: Cursor) -> Origin:
    word = cursor.expect('origin (igp, egp or incomplete)')
    try:
        return Origin.named(word)
    except ValueError:
        raise cursor.fail(f"unknown origin '{word}' (igp, egp or incomplete)") from None


def _number(cursor: Cursor, what: str, high: int) -> int:
    word = cursor.expect(what)
    if not _decimal(word) or int(word) > high:
        raise cursor.fail(f"invalid {what} '{word}'")
    return int(word)


def med(cursor: Cursor) -> MED:
    return MED(_number(cursor, 'med', U32))


def local_preference(cursor: Cursor) -> LocalPreference:
    return LocalPreference(_number(cursor, 'local-preference', U32))


def as_path(cursor: Cursor) -> ASPath:
    """`ASN`, or segments: `[ ... ]` a sequence, `( ... )` a set, one after the other."""
    first = cursor.expect('as-path')
    if not cursor.is_punctuation(first, '[') and not cursor.is_punctuation(first, '('):
        try:
            return ASPath.sequence((values.asn_text(first),))
        except ValueError:
            raise cursor.fail(f"could not parse the as-path: '{first}' is not an ASN") from None
    segments: list[tuple[int, tuple[int, ...]]] = []
    opening = first
    while True:
        kind, closing = (AS_SEQUENCE, ']') if opening == '[' else (AS_SET, ')')
        asns: list[int] = []
        while True:
            word = cursor.next()
            if not word:
                raise cursor.fail_here(f"could not parse the as-path: missing '{closing}'")
            if cursor.is_punctuation(word, ','):
                continue
            if word in (']', ')'):
                if word != closing:
                    raise cursor.fail(f"could not parse the as-path: '{word}' closes nothing")
                break
            try:
                asns.append(values.asn_text(word))
            except ValueError:
                raise cursor.fail(f"could not parse the as-path: '{word}' is not an ASN") from None
        segments.append((kind, tuple(asns)))
        following = cursor.peek()
        if following not in ('[', '('):
            return ASPath(tuple(segments))
        opening = cursor.next()


def atomic_aggregate(cursor: Cursor) -> Attribute:
    return ATOMIC_AGGREGATE


def aggregator(cursor: Cursor) -> Aggregator:
    """`( ASN:IPV4 )`, with or without the parentheses."""
    word = cursor.expect('aggregator ( <asn>:<ipv4> )')
    bracketed = cursor.is_punctuation(word, '(')
    if bracketed:
        word = cursor.expect('aggregator <asn>:<ipv4>')
    asn_text, colon, address = word.partition(':')
    try:
        if not colon:
            raise ValueError(word)
        made = Aggregator(values.asn_text(asn_text), IPv4Address(address))
    except ValueError:
        raise cursor.fail(f"invalid aggregator '{word}', expecting ( <asn>:<ipv4> )") from None
    if bracketed:
        cursor.expect_word(')')
    return made


def originator_id(cursor: Cursor) -> OriginatorID:
    return OriginatorID(values.ipv4(cursor, 'originator-id'))


def cluster_list(cursor: Cursor) -> ClusterList:
    start = cursor.index
    words = cursor.bracketed('cluster-list')
    if not words:
        raise cursor.fail('no cluster-id in the cluster-list')
    clusters = []
    for word in words:
        try:
            clusters.append(IPv4Address(word))
        except ValueError:
            raise cursor.fail_at(cursor.words.index(word, start), f"invalid cluster-id '{word}'") from None
    return ClusterList(tuple(clusters))


def community_value(word: str) -> int:
    """One community; ValueError saying what is wrong."""
    if ':' in word:
        high, _, low = word.partition(':')
        if not _decimal(high) or not _decimal(low):
            raise ValueError(f"invalid community '{word}'")
        if int(high) > U16 or int(low) > U16:
            raise ValueError(f"invalid community '{word}' (each part must be 0 to 65535)")
        return (int(high) << 16) + int(low)
    if word[:2].lower() == '0x':
        try:
            number = int(word, 16)
        except ValueError:
            raise ValueError(f"invalid community '{word}'") from None
    elif _decimal(word):
        number = int(word)
    else:
        known = WELL_KNOWN.get(word.lower())
        if known is None:
            raise ValueError(f"invalid community name '{word}'")
        return known
    if number > U32:
        raise ValueError(f"invalid community '{word}' (too large)")
    return number


def _each(cursor: Cursor, what: str, parse: Callable[[str], Any]) -> list[Any]:
    """Parse each word of `[ ... ]` (or the single word), failing at the bad one."""
    start = cursor.index
    words = cursor.bracketed(what)
    found = []
    offset = start
    for word in words:
        try:
            found.append(parse(word))
        except ValueError as exc:
            while offset < len(cursor.words) and cursor.words[offset] != word:
                offset += 1
            raise cursor.fail_at(offset, str(exc)) from None
        offset += 1
    return found


def community(cursor: Cursor) -> Communities:
    return Communities(tuple(_each(cursor, 'community', community_value)))


def large_community_value(word: str) -> tuple[int, int, int]:
    if ':' in word:
        parts = word.split(':')
        if len(parts) != 3 or not all(_decimal(part) for part in parts):
            raise ValueError(f"invalid large-community '{word}' (expecting <asn>:<number>:<number>)")
        if any(int(part) > U32 for part in parts):
            raise ValueError(f"invalid large-community '{word}' (each part must fit in 32 bits)")
        return int(parts[0]), int(parts[1]), int(parts[2])
    if not _decimal(word):
        raise ValueError(f"invalid large-community '{word}'")
    number = int(word)
    if number >= 1 << 96:
        raise ValueError(f"invalid large-community '{word}' (too large)")
    return number >> 64, (number >> 32) & U32, number & U32


def large_community(cursor: Cursor) -> LargeCommunities:
    return LargeCommunities(tuple(_each(cursor, 'large-community', large_community_value)))


# extended community: type and subtype octets, and the layout of the value (struct codes)
_EXTENDED: dict[str, tuple[bytes, str]] = {
    'target': (b'\x00\x02', 'HL'),
    'target4': (b'\x01\x02', 'LH'),
    'origin': (b'\x00\x03', 'HL'),
    'origin4': (b'\x01\x03', 'LH'),
    'redirect': (b'\x80\x08', 'HL'),
    'l2info': (b'\x80\x0a', 'BBHH'),
    'bandwidth': (b'\x40\x04', 'Hf'),
    'mup': (b'\x0c\x00', 'HL'),
}
_LIMIT = {'B': 0xFF, 'H': U16, 'L': U32, 'f': U32}


def _component(part: str, word: str) -> int:
    """A decimal number (an 'L' suffix is tolerated, as in 5.0) or a dotted IPv4 address."""
    digits = part[:-1] if part.endswith('L') else part
    if _decimal(digits):
        return int(digits)
    pieces = part.split('.')
    if len(pieces) != 4:
        raise ValueError(f"invalid extended-community '{word}': '{part}' is neither a number nor an IPv4 address")
    if not all(_decimal(piece) and int(piece) <= 0xFF for piece in pieces):
        raise ValueError(f"invalid extended-community '{word}': '{part}' is not an IPv4 address")
    return int(IPv4Address(part))


def extended_community_value(word: str) -> bytes:
    if ':' not in word:
        if word[:2].lower() == '0x':
            digits = word[2:]
            if len(digits) != 16 or any(char not in '0123456789abcdefABCDEF' for char in digits):
                raise ValueError(f"invalid extended-community '{word}' (expecting 0x and 16 hexadecimal digits)")
            return bytes.fromhex(digits)
        if word == 'redirect-to-nexthop':
            return b'\x08\x00' + bytes(6)
        raise ValueError(f"invalid extended-community '{word}'")
    parts = word.split(':')
    kind = 'target' if len(parts) == 2 else parts.pop(0)
    if kind not in _EXTENDED:
        raise ValueError(f"invalid extended-community type '{kind}' in '{word}'")
    components = [_component(part, word) for part in parts]
    if kind in ('origin', 'target') and (components[0] > U16 or '.' in parts[0] or parts[0].endswith('L')):
        kind += '4'
    header, layout = _EXTENDED[kind]
    if len(components) != len(layout):
        raise ValueError(f"invalid extended-community '{word}', {kind} expects {len(layout)} fields")
    for code, value in zip(layout, components, strict=True):
        if value > _LIMIT[code]:
            raise ValueError(f"invalid extended-community '{word}', the value {value} is too large")
    return header + pack('!' + layout, *components)


def extended_community(cursor: Cursor) -> ExtendedCommunities:
    return ExtendedCommunities(tuple(_each(cursor, 'extended-community', extended_community_value)))


def merge_extended(first: ExtendedCommunities, second: ExtendedCommunities) -> ExtendedCommunities:
    """5.0 adds the extended communities of a second `extended-community` to the first."""
    return ExtendedCommunities(first.communities + tuple(c for c in second.communities if c not in first.communities))


def aigp(cursor: Cursor) -> AIGP:
    word = cursor.expect('aigp (a number, decimal or 0x hexadecimal)')
    try:
        metric = int(word, 16 if word[:2].lower() == '0x' else 10)
        return AIGP(metric)
    except ValueError:
        raise cursor.fail(f"invalid aigp '{word}' (a number, decimal or 0x hexadecimal, up to 64 bits)") from None


def _hex(cursor: Cursor, what: str) -> str:
    """The hexadecimal digits after 0x (the data may have none: an empty attribute)."""
    word = cursor.expect(f'attribute {what}').lower()
    digits = word[2:]
    if not word.startswith('0x') or not (digits or what == 'data') or any(c not in HEXADECIMAL for c in digits):
        raise cursor.fail(f'invalid attribute, the {what} is not 0x hexadecimal')
    return digits


def generic(cursor: Cursor) -> Unknown:
    """`attribute [ 0xCODE 0xFLAGS 0xDATA ]`: any attribute, sent as written."""
    cursor.expect_word('[')
    code = int(_hex(cursor, 'code'), 16)
    flags = int(_hex(cursor, 'flag'), 16)
    data = _hex(cursor, 'data')
    if len(data) % 2:
        raise cursor.fail('invalid attribute, the data must be a whole number of octets')
    cursor.expect_word(']')
    if code > 0xFF or flags > 0xFF:
        raise cursor.fail('invalid attribute, the code and the flag are one octet each')
    return Unknown(code, flags, bytes.fromhex(data))


PARSERS: dict[str, Callable[[Cursor], Any]] = {
    'origin': origin,
    'med': med,
    'as-path': as_path,
    'local-preference': local_preference,
    'atomic-aggregate': atomic_aggregate,
    'aggregator': aggregator,
    'originator-id': originator_id,
    'cluster-list': cluster_list,
    'community': community,
    'large-community': large_community,
    'extended-community': extended_community,
    'aigp': aigp,
    'attribute': generic,
}


def build(collected: dict[int, Any]) -> Attributes:
    return Attributes(collected.values())
