"""Whole route statements, as the configuration and the API write them.

    route PREFIX TAIL                      (static; the API's `announce route` / `withdraw route`)
    attributes TAIL nlri PREFIX PREFIX ... (static; the API's `announce attributes`)
    SAFI PREFIX TAIL                       (announce { ipv4|ipv6 { ... } }: unicast, nlri-mpls, ...)

The cursor given is positioned just after the leading keyword (`route`, `attributes`, `unicast`).
Each function returns the routes and the watchdog they belong to (None for most). A route of a family
whose codec is not built yet is refused with 'family X is not supported yet'.

Rules (5.0's): an IPv4 `route` being announced needs a next hop, and so does a route of a family
whose table row says `nexthop_required` written in its own section (unicast, labeled: not
multicast); a `route` is the family its keywords select (bgp.nlri.table.route_family), else
unicast, or multicast for an IPv4 prefix in 224.0.0.0/4; a statement in a family's own section
writes one of the keywords that select the family (`label` for labeled unicast). A route being
announced writes the keywords its row `requires` (a VPN route its label, as 5.0 refuses it without),
and a `route` of such a family needs a next hop whatever its AFI (5.0 accepts an IPv6 VPN route
without one, then fails to send it).
"""

from exabgp.bgp.family import AFI, Family
from exabgp.bgp.nlri import table
from exabgp.bgp.nlri.table import FamilySpec
from exabgp.bgp.route import Route
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.model import Watchdog
from exabgp.configuration.route import prefix
from exabgp.configuration.route.grammar import ROUTE, Builder, Spec, Tail, check_family, make_routes, read_tail

Parsed = tuple[list[Route], Watchdog | None, Family]


def read_prefix(cursor: Cursor) -> tuple[int, bytes, int]:
    word = cursor.expect('prefix')
    try:
        return prefix.parse(word)
    except ValueError as exc:
        raise cursor.fail(str(exc)) from None


def route(builder: Builder, cursor: Cursor, withdraw: bool = False) -> Parsed:
    """`route PREFIX TAIL` (cursor after `route`)."""
    at = cursor.index
    afi, packed, length = read_prefix(cursor)
    tail = builder.tail(cursor, afi, ROUTE)
    family = family_of(afi, packed, tail)
    check_family(cursor, family, at)
    if not withdraw:
        problem = missing(afi, family, tail)
        if problem:
            raise cursor.fail_here(problem)
    return make_routes(family, packed, length, tail, cursor.statement, at), tail.watchdog, family


def missing(afi: int, family: Family, tail: Tail) -> str:
    """What a `route` being announced lacks ('' when nothing): a next hop, or a keyword its family requires."""
    row = table.TABLE[family]
    if tail.nexthop is not None and not row.requires:
        return ''  # the usual route: nothing more to check
    if tail.nexthop is None and (afi == AFI.IPV4 or row.requires):
        need = 'an IPv4 route needs one' if afi == AFI.IPV4 else f'{family} routes need one'
        return f'missing next-hop: {need}'
    return _required(row, tail)


def _required(row: FamilySpec, tail: Tail) -> str:
    for keyword in row.requires:
        if keyword not in tail.selected:
            return f'missing {keyword}: {row.family} routes need one'
    return ''


def family_of(afi: int, packed: bytes, tail: Tail) -> Family:
    """The family of a `route` statement: what its keywords select, else by its prefix."""
    multicast = afi == AFI.IPV4 and 224 <= packed[0] <= 239
    if not tail.selected:
        return table.PLAIN[afi, multicast]  # the usual route: one lookup
    return table.route_family(afi, multicast, tail.selected)


def announced(builder: Builder, cursor: Cursor, row: FamilySpec, withdraw: bool = False) -> Parsed:
    """`SAFI PREFIX TAIL` in a family's own section (`unicast 10.0.0.0/8 ...` in `announce { ipv4 { } }`)."""
    at = cursor.index
    afi = row.family.afi
    prefix_afi, packed, length = read_prefix(cursor)
    if prefix_afi != afi:
        raise cursor.fail_at(at, f'this prefix is not an {"IPv4" if afi == AFI.IPV4 else "IPv6"} prefix')
    family = row.family
    check_family(cursor, family, at)
    tail = builder.tail(cursor, afi, row)
    if not withdraw and row.nexthop_required and tail.nexthop is None:
        raise cursor.fail_here('missing next-hop')
    if row.selected_by and not tail.selected.intersection(row.selected_by):
        raise cursor.fail_here(f'missing {row.selected_by[0]}: {family} routes need one')
    if not withdraw and _required(row, tail):
        raise cursor.fail_here(_required(row, tail))
    return make_routes(family, packed, length, tail, cursor.statement, at), tail.watchdog, family


def attributes(builder: Builder, cursor: Cursor) -> list[Parsed]:
    """`attributes TAIL nlri PREFIX ...`: one set of attributes for many prefixes (cursor after
    `attributes`). Each prefix is filed under its own family."""
    words = cursor.words
    last = words[-1] if len(words) > cursor.index else ''
    try:
        afi = prefix.parse(last)[0]
    except ValueError:
        afi = AFI.IPV4
    spec = Spec()
    if not read_tail(cursor, spec, afi, ROUTE, stop='nlri') or not cursor.more():
        raise cursor.fail_here("missing 'nlri' and the prefixes the attributes apply to")
    tail = builder.finish(spec)
    found: list[Parsed] = []
    while cursor.more():
        at = cursor.index
        prefix_afi, packed, length = read_prefix(cursor)
        family = family_of(prefix_afi, packed, tail)
        check_family(cursor, family, at)
        found.append((make_routes(family, packed, length, tail, cursor.statement, at), tail.watchdog, family))
    return found


def block(builder: Builder, spec: Spec, cursor: Cursor, afi: int) -> None:
    """One statement inside `route PREFIX { ... }`: keywords and values, like a tail."""
    cursor.index = 0
    read_tail(cursor, spec, afi, ROUTE)
