"""The route grammar shared by the configuration and the API: `PREFIX KEYWORD VALUE ...` -> `Route`s.

    route 10.0.0.0/24 next-hop 192.0.2.1 med 10 community [ 1:1 2:2 ] split /25 watchdog w1;
    unicast 2001:db8::/32 next-hop self as-path [ 65000 ];          (announce { ipv6 { ... } })
    attributes next-hop 192.0.2.1 med 10 nlri 10.0.0.0/24 10.0.1.0/24;

The keywords after the prefix form the route's "tail": path attributes (route/attributes.py), the
next hop, `path-information`, `split`, `watchdog`, `withdraw`, `name` (ignored, as in 5.0) and the
keywords of families this version does not encode yet (`rd`, `label`, `bgp-prefix-sid`, ...), which
are refused with 'family X is not supported yet' at the keyword.

Invariants:
- An attribute written twice keeps its first value, except extended communities, which add up (5.0).
  `next-hop` written twice keeps the last.
- Identical tails share one parsed `Tail`: its `Attributes` and next hop are interned in the
  `Builder`, so a million routes written the same way hold one attribute set.
- A tail is cached by its exact words (and the address family and kind of route it was read for):
  a statement holding quoted words is never cached, as a quoted word equals its unquoted twin.
"""

from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.base import Code
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.nlri.table import FAMILIES
from exabgp.bgp.route import SELF, NextHop, Route
from exabgp.configuration import values
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import unsupported
from exabgp.configuration.model import Watchdog
from exabgp.configuration.route import attributes, prefix, qualifiers

# the kinds of route statement, and the keywords each accepts
ROUTE = 'route'  # static `route`, `attributes`, and the API's `announce route`
UNICAST = 'unicast'  # announce { ipvX { unicast ...; } }
MULTICAST = 'multicast'  # announce { ipvX { multicast ...; } }

PATH_ID_MAX = 0xFFFFFFFF
TAIL_CACHE = 4096


class Spec:
    """A route tail being read."""

    __slots__ = ('attributes', 'nexthop', 'path_id', 'split', 'watchdog', 'withdraw')

    def __init__(self) -> None:
        self.attributes: dict[int, Any] = {}
        self.nexthop: NextHop = None
        self.path_id: int | None = None
        self.split: int | None = None
        self.watchdog: str | None = None
        self.withdraw = False

    def add(self, attribute: Any) -> None:
        code = attribute.CODE
        known = self.attributes.get(code)
        if known is None:
            self.attributes[code] = attribute
        elif code == Code.EXTENDED_COMMUNITY:
            self.attributes[code] = attributes.merge_extended(known, attribute)


@dataclass(frozen=True, slots=True)
class Tail:
    """What the words after a prefix say, shared by every route written with the same words."""

    attributes: Attributes
    nexthop: NextHop
    path_id: int | None
    split: int | None
    watchdog: Watchdog | None


def _next_hop(cursor: Cursor, spec: Spec, afi: int) -> None:
    word = cursor.expect('next-hop')
    if word.lower() == 'self':
        spec.nexthop = SELF
        return
    try:
        spec.nexthop = values.ip_text(word)
    except ValueError:
        raise cursor.fail(f"'{word}' is an invalid next-hop") from None


def _path_information(cursor: Cursor, spec: Spec, afi: int) -> None:
    word = cursor.expect('path-information')
    if word.isdigit() and word.isascii():
        value = int(word)
        if value > PATH_ID_MAX:
            raise cursor.fail(f"'{word}' is an invalid path-information, it must fit in 32 bits")
    else:
        try:
            value = int(IPv4Address(word))
        except ValueError:
            raise cursor.fail(f"'{word}' is an invalid path-information (a number or an IPv4 address)") from None
    spec.path_id = value


def _split(cursor: Cursor, spec: Spec, afi: int) -> None:
    word = cursor.expect('split /<length>')
    bits = 32 if afi == AFI.IPV4 else 128
    if not word.startswith('/') or not word[1:].isdigit() or not word[1:].isascii() or int(word[1:]) > bits:
        raise cursor.fail(f"'{word}' is an invalid split, expecting /<length> with a length up to {bits}")
    spec.split = int(word[1:])


def _watchdog(cursor: Cursor, spec: Spec, afi: int) -> None:
    word = cursor.expect('watchdog name')
    if word.lower() in ('announce', 'withdraw'):
        raise cursor.fail(f"'{word}' is an invalid watchdog name")
    spec.watchdog = word


def _withdraw(cursor: Cursor, spec: Spec, afi: int) -> None:
    spec.withdraw = True


def _name(cursor: Cursor, spec: Spec, afi: int) -> None:
    cursor.expect('name')


def _family_keyword(safi: int, value: Callable[[Cursor], object]) -> Callable[[Cursor, Spec, int], None]:
    """`rd` and `label`: the value is checked, then the route refused (its family is not built yet)."""

    def refuse(cursor: Cursor, spec: Spec, afi: int) -> None:
        at = cursor.index - 1
        value(cursor)
        # as in 5.0, a route-distinguisher makes the route a VPN route whatever else is written
        for index, word in enumerate(cursor.words):
            if word in ('rd', 'route-distinguisher'):
                raise cursor.fail_at(index, unsupported(f'family {Family(AFI(afi), SAFI.MPLS_VPN)}'))
        raise cursor.fail_at(at, unsupported(f'family {Family(AFI(afi), SAFI(safi))}'))

    return refuse


def _keyword(name: str) -> Callable[[Cursor, Spec, int], None]:
    def refuse(cursor: Cursor, spec: Spec, afi: int) -> None:
        raise cursor.fail(unsupported(name))

    return refuse


def _attribute(parse: Callable[[Cursor], Any]) -> Callable[[Cursor, Spec, int], None]:
    def add(cursor: Cursor, spec: Spec, afi: int) -> None:
        spec.add(parse(cursor))

    return add


COMMON: dict[str, Callable[[Cursor, Spec, int], None]] = {
    'next-hop': _next_hop,
    **{name: _attribute(parse) for name, parse in attributes.PARSERS.items()},
    'name': _name,
    'split': _split,
    'watchdog': _watchdog,
    'withdraw': _withdraw,
}

KEYWORDS: dict[str, dict[str, Callable[[Cursor, Spec, int], None]]] = {
    ROUTE: {
        **COMMON,
        'path-information': _path_information,
        'rd': _family_keyword(SAFI.MPLS_VPN, qualifiers.route_distinguisher),
        'route-distinguisher': _family_keyword(SAFI.MPLS_VPN, qualifiers.route_distinguisher),
        'label': _family_keyword(SAFI.NLRI_MPLS, qualifiers.labels),
        'bgp-prefix-sid': _keyword('bgp-prefix-sid'),
        'bgp-prefix-sid-srv6': _keyword('bgp-prefix-sid-srv6'),
    },
    UNICAST: {**COMMON, 'path-information': _path_information},
    MULTICAST: COMMON,
}

WHERE = {ROUTE: 'a route', UNICAST: 'a unicast route', MULTICAST: 'a multicast route'}


def read_tail(cursor: Cursor, spec: Spec, afi: int, kind: str, stop: str = '') -> bool:
    """Read `KEYWORD VALUE...` pairs into `spec` until the end of the statement, or the word `stop`
    (then True)."""
    table = KEYWORDS[kind]
    while cursor.more():
        keyword = cursor.next()
        if stop and keyword == stop:
            return True
        handler = table.get(keyword)
        if handler is None:
            if keyword in KEYWORDS[ROUTE]:
                raise cursor.fail(f"'{keyword}' can not be used in {WHERE[kind]}")
            raise cursor.fail(f"invalid keyword '{keyword}' in {WHERE[kind]}")
        handler(cursor, spec, afi)
    return False


class Builder:
    """Turns route statements into routes, interning what routes share. One per configuration load
    (or per API process): the caches only grow with distinct attribute sets, never with routes."""

    __slots__ = ('attribute_sets', 'nexthops', 'tails')

    def __init__(self) -> None:
        self.attribute_sets: dict[Attributes, Attributes] = {}
        self.nexthops: dict[Any, Any] = {}
        self.tails: dict[tuple[Any, ...], Tail] = {}

    def finish(self, spec: Spec) -> Tail:
        made = attributes.build(spec.attributes)
        shared = self.attribute_sets.setdefault(made, made)
        nexthop = spec.nexthop
        if isinstance(nexthop, IPv4Address | IPv6Address):
            nexthop = self.nexthops.setdefault(nexthop, nexthop)
        watchdog = Watchdog(spec.watchdog, spec.withdraw) if spec.watchdog else None
        return Tail(shared, nexthop, spec.path_id, spec.split, watchdog)

    def tail(self, cursor: Cursor, afi: int, kind: str) -> Tail:
        """The tail from the cursor to the end of the statement, cached by its words."""
        statement = cursor.statement
        text = statement.line.text
        cacheable = '"' not in text and "'" not in text
        if cacheable:
            key = (afi, kind, *statement.words[cursor.index :])
            known = self.tails.get(key)
            if known is not None:
                cursor.index = len(statement.words)
                return known
        spec = Spec()
        read_tail(cursor, spec, afi, kind)
        made = self.finish(spec)
        if cacheable:
            if len(self.tails) >= TAIL_CACHE:
                self.tails.clear()
            self.tails[key] = made
        return made


def check_family(cursor: Cursor, family: Family, index: int) -> None:
    if family not in FAMILIES:
        raise cursor.fail_at(index, unsupported(f'family {family}'))


# frozen dataclasses with slots: setting the slots directly skips three object.__setattr__ per value,
# which is most of the cost of a route (the codec's decoder does the same)
_NEW = object.__new__
_SET_FAMILY = INET.family.__set__  # type: ignore[attr-defined]
_SET_PACKED = INET.packed.__set__  # type: ignore[attr-defined]
_SET_PATH = INET.path_id.__set__  # type: ignore[attr-defined]
_SET_NLRI = Route.nlri.__set__  # type: ignore[attr-defined]
_SET_ATTRIBUTES = Route.attributes.__set__  # type: ignore[attr-defined]
_SET_NEXTHOP = Route.nexthop.__set__  # type: ignore[attr-defined]


def make_routes(family: Family, packed: bytes, length: int, tail: Tail) -> list[Route]:
    """The routes a prefix and its tail stand for (several when `split` applies). The prefix is
    already checked (prefix.parse), which is why the values are built without their constructors."""
    pieces = [(packed, length)] if tail.split is None else prefix.split(packed, length, tail.split)
    path_id = tail.path_id
    shared = tail.attributes
    nexthop = tail.nexthop
    made = []
    for address, size in pieces:
        nlri = _NEW(INET)
        _SET_FAMILY(nlri, family)
        _SET_PACKED(nlri, bytes((size,)) + address[: (size + 7) >> 3])
        _SET_PATH(nlri, path_id)
        route = _NEW(Route)
        _SET_NLRI(route, nlri)
        _SET_ATTRIBUTES(route, shared)
        _SET_NEXTHOP(route, nexthop)
        made.append(route)
    return made
