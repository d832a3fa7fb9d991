"""The route grammar shared by the configuration and the API: `PREFIX KEYWORD VALUE ...` -> `Route`s.

    route 10.0.0.0/24 next-hop 192.0.2.1 med 10 community [ 1:1 2:2 ] split /25 watchdog w1;
    unicast 2001:db8::/32 next-hop self as-path [ 65000 ];          (announce { ipv6 { ... } })
    attributes next-hop 192.0.2.1 med 10 nlri 10.0.0.0/24 10.0.1.0/24;

The keywords after the prefix form the route's "tail": path attributes (route/attributes.py), the
next hop, `path-information`, `split`, `watchdog`, `withdraw`, `name` (ignored, as in 5.0), the
qualifiers of the NLRI (`label`, `rd`), and keywords of what this version does not encode yet
(`bgp-prefix-sid`, ...), refused with '... is not supported yet' at the keyword.

Which keywords a statement takes, and which family a `route` statement is, come from the family
table (bgp.nlri.table): `route` takes every keyword and is the family its keywords select (`rd`:
VPN, `label`: labeled unicast); `announce { ipv4 { SAFI ... } }` takes the common keywords and
those its row lists.

Invariants:
- An attribute written twice keeps its first value, except extended communities, which add up (5.0).
  `next-hop` written twice keeps the last.
- Identical tails share one parsed `Tail`: its `Attributes` and next hop are interned in the
  `Builder`, so a million routes written the same way hold one attribute set.
- A tail is cached by its exact words (and the address family and kind of route it was read for):
  a statement holding quoted words is never cached, as a quoted word equals its unquoted twin.
- A static `route` statement's words become `ready` (routes made from them without reading them
  again) only once a statement written with them was accepted whole: words refused once (no next
  hop, a family not built, a required keyword missing) are read again, and refused again with the
  line, each time they are written.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address
from typing import Any, NamedTuple

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.base import Code
from exabgp.bgp.family import AFI, Family, safi_name
from exabgp.bgp.nlri import table
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.table import FamilySpec
from exabgp.bgp.route import SELF, NextHop, Route
from exabgp.bgp.slots import slot_store
from exabgp.configuration import values
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError, suggest, unsupported
from exabgp.configuration.model import Watchdog
from exabgp.configuration.route import attributes, prefix, qualifiers
from exabgp.configuration.route.grammars import prefixsid
from exabgp.configuration.tokenizer import Statement

# the kind of route statement taking every keyword: static `route`, `attributes`, and the API's
# `announce route`; the other kinds are the family rows of `announce { AFI { SAFI ... } }`
ROUTE = 'route'
Kind = str | FamilySpec

PATH_ID_MAX = 0xFFFFFFFF
TAIL_CACHE = 4096


class Spec:
    """A route tail being read."""

    __slots__ = ('attributes', 'labels', 'nexthop', 'path_id', 'rd', 'selected', 'split', 'watchdog', 'withdraw')

    def __init__(self) -> None:
        self.attributes: dict[int, Any] = {}
        self.nexthop: NextHop = None
        self.path_id: int | None = None
        self.labels: tuple[int, ...] | None = None
        self.rd: bytes | None = None
        # the family-selecting keywords written (`label`, `rd`, ...)
        self.selected: set[str] = set()
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
    labels: tuple[int, ...] | None = None
    rd: bytes | None = None
    selected: frozenset[str] = frozenset()
    # what the NLRI codecs build from (bgp.nlri.base.NLRI.from_prefix), made once for every route
    # written with these words; the codecs only read it
    qualifiers: Mapping[str, Any] = field(default_factory=dict, compare=False)


class Ready(NamedTuple):
    """A route statement's words, already accepted: what each route written with them is made of."""

    family: Family
    build: 'Callable[[Family, bytes, int, Mapping[str, Any]], NLRI]'
    qualifiers: Mapping[str, Any]
    attributes: Attributes
    nexthop: NextHop


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


def _selecting(keyword: str, value: Callable[[Cursor], Any], store: str) -> Callable[[Cursor, Spec, int], None]:
    """`label`, `rd`: an NLRI qualifier, which also selects the family of a `route` statement; a
    family whose codec is not built yet is refused at the first keyword selecting it."""

    def read(cursor: Cursor, spec: Spec, afi: int) -> None:
        at = cursor.index - 1
        setattr(spec, store, value(cursor))
        spec.selected.add(keyword)
        family = table.route_family(afi, False, [word for word in cursor.words if word in table.SELECTING])
        if table.codec(family) is None:
            row = table.TABLE[family]
            for index, word in enumerate(cursor.words):
                if word in row.selected_by:
                    raise cursor.fail_at(index, unsupported(f'family {family}'))
            raise cursor.fail_at(at, unsupported(f'family {family}'))

    return read


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

# every keyword a route may hold; a family's statement takes COMMON and those its row lists
EVERY: dict[str, Callable[[Cursor, Spec, int], None]] = {
    **COMMON,
    'path-information': _path_information,
    'rd': _selecting('rd', qualifiers.route_distinguisher, 'rd'),
    'route-distinguisher': _selecting('route-distinguisher', qualifiers.route_distinguisher, 'rd'),
    'label': _selecting('label', qualifiers.labels, 'labels'),
    # read through the module when met: the Prefix-SID grammar loads with its first use
    'bgp-prefix-sid': _attribute(lambda cursor: prefixsid.prefix_sid(cursor)),
    'bgp-prefix-sid-srv6': _attribute(lambda cursor: prefixsid.prefix_sid_srv6(cursor)),
}
_BY_FAMILY: dict[Family, dict[str, Callable[[Cursor, Spec, int], None]]] = {}


def _keywords(kind: Kind) -> dict[str, Callable[[Cursor, Spec, int], None]]:
    if isinstance(kind, str):
        return EVERY
    known = _BY_FAMILY.get(kind.family)
    if known is None:
        known = _BY_FAMILY[kind.family] = {
            **(COMMON if kind.common else {}),
            **{name: handler for name, handler in EVERY.items() if name in kind.keywords},
        }
    return known


def where(kind: Kind) -> str:
    return 'a route' if isinstance(kind, str) else f'a {safi_name(kind.family.safi)} route'


def read_tail(cursor: Cursor, spec: Spec, afi: int, kind: Kind, stop: str = '') -> bool:
    """Read `KEYWORD VALUE...` pairs into `spec` until the end of the statement, or the word `stop`
    (then True)."""
    handlers = _keywords(kind)
    while cursor.more():
        keyword = cursor.next()
        if stop and keyword == stop:
            return True
        handler = handlers.get(keyword)
        if handler is None:
            if keyword in EVERY:
                raise cursor.fail(f"'{keyword}' can not be used in {where(kind)}")
            raise cursor.fail(f"invalid keyword '{keyword}' in {where(kind)}{suggest(keyword, handlers)}")
        handler(cursor, spec, afi)
    return False


class Builder:
    """Turns route statements into routes, interning what routes share. One per configuration load
    (or per API process): the caches only grow with distinct attribute sets, never with routes."""

    __slots__ = ('attribute_sets', 'nexthops', 'parts', 'ready', 'tails')

    def __init__(self) -> None:
        self.attribute_sets: dict[Attributes, Attributes] = {}
        self.nexthops: dict[Any, Any] = {}
        self.tails: dict[tuple[Any, ...], Tail] = {}
        # what a static `route` statement written with these words (after the prefix) makes, once one
        # such statement was accepted whole; keyed by its AFI, whether its prefix is IPv4 multicast
        # (both pick the family) and those words; bounded as `tails`
        self.ready: dict[tuple[Any, ...], Ready] = {}
        # what a family's own grammar made of words it saw before (flow: a rule less its prefixes),
        # keyed by those words; bounded as `tails`
        self.parts: dict[tuple[Any, ...], Any] = {}

    def make_ready(self, key: tuple[Any, ...], family: Family, tail: Tail) -> None:
        """Remember that `route PREFIX WORDS` statements of `key` are accepted as `family` routes
        with `tail`: the next ones are made without reading their words again."""
        if tail.split is not None or tail.watchdog is not None:
            return
        build = _BUILDERS.get(family) or _builder(family)
        if build is None:
            return
        if len(self.ready) >= TAIL_CACHE:
            self.ready.clear()
        self.ready[key] = Ready(family, build, tail.qualifiers, tail.attributes, tail.nexthop)

    def remember(self, key: tuple[Any, ...], made: Any) -> None:
        if len(self.parts) >= TAIL_CACHE:
            self.parts.clear()
        self.parts[key] = made

    def finish(self, spec: Spec) -> Tail:
        made = attributes.build(spec.attributes)
        shared = self.attribute_sets.setdefault(made, made)
        nexthop = spec.nexthop
        if isinstance(nexthop, IPv4Address | IPv6Address):
            nexthop = self.nexthops.setdefault(nexthop, nexthop)
        watchdog = Watchdog(spec.watchdog, spec.withdraw) if spec.watchdog else None
        qualifiers = {'path-information': spec.path_id, 'label': spec.labels, 'rd': spec.rd}
        selected = frozenset(spec.selected)
        return Tail(shared, nexthop, spec.path_id, spec.split, watchdog, spec.labels, spec.rd, selected, qualifiers)

    def tail(self, cursor: Cursor, afi: int, kind: Kind) -> Tail:
        """The tail from the cursor to the end of the statement, cached by its words."""
        statement = cursor.statement
        text = statement.line.text
        cacheable = '"' not in text and "'" not in text
        if cacheable:
            key = (afi, kind if isinstance(kind, str) else kind.family, *statement.words[cursor.index :])
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
    if family not in _BUILDERS and _builder(family) is None:
        raise cursor.fail_at(index, unsupported(f'family {family}'))


def _builder(family: Family) -> 'Callable[[Family, bytes, int, Mapping[str, Any]], NLRI] | None':
    row = table.TABLE.get(family)
    codec = row.codec if row is not None else None
    if codec is None:
        return None
    build = _BUILDERS[family] = codec.from_prefix
    return build


# family -> its codec's `from_prefix`, once check_family found it built: a route statement (a
# million in a big configuration, one an API line) costs one dict read, not a table row's codec
_BUILDERS: dict[Family, Callable[[Family, bytes, int, Mapping[str, Any]], NLRI]] = {}


def make_routes(family: Family, packed: bytes, length: int, tail: Tail, statement: Statement, at: int) -> list[Route]:
    """The routes a prefix and its tail stand for (several when `split` applies). The prefix is
    already checked (prefix.parse), and the family built (check_family); a codec refusing the
    route (a VPN NLRI longer than its one-octet length field allows) is reported at the prefix,
    word `at` of `statement`."""
    pieces = [(packed, length)] if tail.split is None else prefix.split(packed, length, tail.split)
    build = _BUILDERS.get(family) or _builder(family)
    assert build is not None  # check_family refused the families not built
    qualifiers = tail.qualifiers
    shared = tail.attributes
    nexthop = tail.nexthop
    # frozen dataclass with slots: setting the slots directly skips three object.__setattr__
    made = []
    try:
        for address, size in pieces:
            route = _NEW(Route)
            _SET_NLRI(route, build(family, address, size, qualifiers))
            _SET_ATTRIBUTES(route, shared)
            _SET_NEXTHOP(route, nexthop)
            made.append(route)
    except ValueError as exc:
        raise ConfigError(str(exc), statement.location(at)) from None
    return made


_NEW = object.__new__
_SET_NLRI = slot_store(Route, 'nlri')
_SET_ATTRIBUTES = slot_store(Route, 'attributes')
_SET_NEXTHOP = slot_store(Route, 'nexthop')
