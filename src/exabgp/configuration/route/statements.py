"""Whole route statements, as the configuration and the API write them.

    route PREFIX TAIL                      (static; the API's `announce route` / `withdraw route`)
    attributes TAIL nlri PREFIX PREFIX ... (static; the API's `announce attributes`)
    unicast|multicast PREFIX TAIL          (announce { ipv4|ipv6 { ... } })

The cursor given is positioned just after the leading keyword (`route`, `attributes`, `unicast`).
Each function returns the routes and the watchdog they belong to (None for most). A route of a family
whose codec is not built yet is refused with 'family X is not supported yet'.

Rules (5.0's): an IPv4 `route` and every `unicast` route being announced need a next hop; a
multicast one does not; a prefix in 224.0.0.0/4 written with `route` is an IPv4 multicast route.
"""

from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.route import Route
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.model import Watchdog
from exabgp.configuration.route import prefix
from exabgp.configuration.route.grammar import (
    ROUTE,
    UNICAST,
    Builder,
    Spec,
    check_family,
    make_routes,
    read_tail,
)

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
    family = prefix.family_of(afi, packed)
    tail = builder.tail(cursor, afi, ROUTE)
    check_family(cursor, family, at)
    if not withdraw and tail.nexthop is None and afi == AFI.IPV4:
        raise cursor.fail_here('missing next-hop: an IPv4 route needs one')
    return make_routes(family, packed, length, tail), tail.watchdog, family


def announced(builder: Builder, cursor: Cursor, afi: int, kind: str, withdraw: bool = False) -> Parsed:
    """`unicast PREFIX TAIL` or `multicast PREFIX TAIL` for a given address family."""
    at = cursor.index
    prefix_afi, packed, length = read_prefix(cursor)
    if prefix_afi != afi:
        raise cursor.fail_at(at, f'this prefix is not an {"IPv4" if afi == AFI.IPV4 else "IPv6"} prefix')
    family = Family(AFI(afi), SAFI.UNICAST if kind == UNICAST else SAFI.MULTICAST)
    check_family(cursor, family, at)
    tail = builder.tail(cursor, afi, kind)
    if not withdraw and kind == UNICAST and tail.nexthop is None:
        raise cursor.fail_here('missing next-hop')
    return make_routes(family, packed, length, tail), tail.watchdog, family


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
        family = prefix.family_of(prefix_afi, packed)
        check_family(cursor, family, at)
        found.append((make_routes(family, packed, length, tail), tail.watchdog, family))
    return found


def block(builder: Builder, spec: Spec, cursor: Cursor, afi: int) -> None:
    """One statement inside `route PREFIX { ... }`: keywords and values, like a tail."""
    cursor.index = 0
    read_tail(cursor, spec, afi, ROUTE)
