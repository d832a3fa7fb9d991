"""The configuration sections holding routes: static, announce, flow and l2vpn.

Routes go into the neighbor's (or template's) `Draft` as they are read, with the watchdog they belong
to and, for each family, where its first route was written (the neighbor checks its families once
its section is closed).

Flow routes are read by configuration.route.flow, VPLS routes by configuration.route.vpls, each in
the block form or on one line.
"""

from typing import Any, Protocol

from exabgp.bgp.family import AFI
from exabgp.bgp.nlri import table
from exabgp.bgp.route import Route
from exabgp.bgp.slots import slot_store
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError, unsupported
from exabgp.configuration.neighbor import Draft
from exabgp.configuration.route import prefix, statements
from exabgp.configuration.route.grammar import ROUTE, Builder, Spec, check_family, make_routes, read_tail
from exabgp.configuration.route.grammars import flow, mup, mvpn, srpolicy
from exabgp.configuration.route.grammars import vpls as vpls_route
from exabgp.configuration.tokenizer import Statement


class Blocks(Protocol):
    """What the section parser offers: the dispatch of a section's statements."""

    def block(
        self, opening: Statement | None, where: str, commands: Any, sections: Any, fallback: Any = None
    ) -> Any: ...

    def no_name(self, header: Statement) -> None: ...


def store(draft: Draft, parsed: statements.Parsed, statement: Statement, at: int) -> None:
    routes, watchdog, family = parsed
    target = draft.routes
    if watchdog is not None:
        start = len(target)
        draft.watchdogs.extend((start + offset, watchdog) for offset in range(len(routes)))
    target.extend(routes)
    if family not in draft.route_families:
        draft.route_families[family] = statement.location(at)


def static_route(builder: Builder, statement: Statement, draft: Draft) -> None:
    """`route PREFIX TAIL;`. The usual case, words already accepted after another prefix, is made
    from the builder's `ready` cache without a cursor; anything else (new words, an error to report)
    goes the general way, and words it accepts whole become ready."""
    words = statement.words
    text = statement.line.text
    if len(words) < 3 or '"' in text or "'" in text:
        store(draft, statements.route(builder, Cursor(statement)), statement, 1)
        return
    try:
        afi, packed, length = prefix.parse(words[1])
    except ValueError:
        store(draft, statements.route(builder, Cursor(statement)), statement, 1)
        return
    key = (afi, afi == _IPV4 and 224 <= packed[0] <= 239, *words[2:])
    ready = builder.ready.get(key)
    if ready is None:
        parsed = statements.route(builder, Cursor(statement))
        store(draft, parsed, statement, 1)
        tail = builder.tails.get((afi, ROUTE, *words[2:]))
        if tail is not None:
            builder.make_ready(key, parsed[2], tail)
        return
    family, build, qualifiers, attributes, nexthop = ready
    try:
        nlri = build(family, packed, length, qualifiers)
    except ValueError as exc:
        raise ConfigError(str(exc), statement.location(1)) from None
    # Route is a frozen dataclass with slots: its three slots are set directly (grammar.make_routes)
    route = _NEW(Route)
    _SET_NLRI(route, nlri)
    _SET_ATTRIBUTES(route, attributes)
    _SET_NEXTHOP(route, nexthop)
    draft.routes.append(route)
    if family not in draft.route_families:
        draft.route_families[family] = statement.location(1)


def static_attributes(builder: Builder, cursor: Cursor, draft: Draft) -> None:
    for parsed in statements.attributes(builder, cursor):
        store(draft, parsed, cursor.statement, 0)


def static_sr_policy(cursor: Cursor, draft: Draft) -> None:
    """`sr-policy distinguisher N color N endpoint IP ...;` in `static`: the endpoint gives the family."""
    store(draft, srpolicy.statement(cursor, None), cursor.statement, 1)


def static_block(builder: Builder, header: Statement, parser: Blocks, draft: Draft) -> None:
    """`route PREFIX { KEYWORD VALUE; ... }`."""
    cursor = Cursor(header)
    afi, packed, length = statements.read_prefix(cursor)
    spec = Spec()
    read_tail(cursor, spec, afi, ROUTE)

    def command(inner: Cursor) -> None:
        statements.block(builder, spec, inner, afi)

    closing = parser.block(header, 'route', {}, {}, command)
    tail = builder.finish(spec)
    family = statements.family_of(afi, packed, tail)
    check_family(cursor, family, 1)
    problem = statements.missing(afi, family, tail)
    if problem:
        where = closing.location(0) if closing is not None else header.location(len(header.words))
        raise ConfigError(problem, where)
    store(draft, (make_routes(family, packed, length, tail, header, 1), tail.watchdog, family), header, 1)


def announce(builder: Builder, cursor: Cursor, afi_text: str, draft: Draft) -> None:
    """A statement of announce { ipv4|ipv6|l2vpn { ... } }."""
    keyword = cursor.words[0]
    afi = {'ipv4': AFI.IPV4, 'ipv6': AFI.IPV6}.get(afi_text, AFI.L2VPN)
    row = table.announce_family(afi, keyword)
    if row is None:
        raise cursor.fail_at(0, f"invalid keyword '{keyword}' in announce {afi_text}")
    if not row.built:
        raise cursor.fail_at(0, unsupported(f'family {row.family}'))
    if row.show == 'flow':
        flow_line(builder, cursor, draft)
        return
    if row.grammar == 'mup':
        store(draft, mup.statement(builder, cursor, row), cursor.statement, 1)
        return
    if row.grammar == 'sr-policy':
        store(draft, srpolicy.statement(cursor, afi), cursor.statement, 1)
        return
    if row.grammar == 'vpls':
        vpls(builder, cursor, draft)
        return
    if row.grammar == 'mvpn':
        store(draft, mvpn.route(builder, cursor, row), cursor.statement, 0)
        return
    store(draft, statements.announced(builder, cursor, row), cursor.statement, 1)


def _flow_store(draft: Draft, route: Route, statement: Statement) -> None:
    store(draft, ([route], None, route.nlri.family), statement, 0)


def flow_line(builder: Builder, cursor: Cursor, draft: Draft) -> None:
    """`route KEYWORD VALUE ... ACTION ...;`: a flow route written on one line."""
    try:
        route = flow.line(cursor, builder)
    except ConfigError:
        raise
    except ValueError as error:
        raise ConfigError(str(error), cursor.statement.location(0)) from None
    _flow_store(draft, route, cursor.statement)


def flow_block(builder: Builder, header: Statement, parser: Blocks, draft: Draft) -> None:
    """`route NAME { rd ..; next-hop ..; match { } then { } scope { } }`."""
    made = flow.FlowDraft()

    def command(cursor: Cursor) -> None:
        flow.statement(cursor, made, builder)

    def section(statement: Statement) -> None:
        parser.no_name(statement)
        parser.block(statement, f'flow route {statement.words[0]}', {}, {}, command)

    parser.block(header, 'flow route', {}, {'match': section, 'then': section, 'scope': section}, command)
    try:
        route = flow.finish(made, builder)
    except ValueError as error:
        raise ConfigError(str(error), header.location(0)) from None
    _flow_store(draft, route, header)


def _vpls_store(draft: Draft, made: 'vpls_route.VplsDraft', statement: Statement, builder: Builder) -> None:
    try:
        route, watchdog = vpls_route.finish(made, builder)
    except ValueError as error:
        raise ConfigError(str(error), statement.location(0)) from None
    store(draft, ([route], watchdog, route.nlri.family), statement, 0)


def vpls(builder: Builder, cursor: Cursor, draft: Draft) -> None:
    """`vpls KEYWORD VALUE ...;`: a VPLS route written on one line."""
    made = vpls_route.VplsDraft()
    vpls_route.line(cursor, made)
    _vpls_store(draft, made, cursor.statement, builder)


def vpls_block(builder: Builder, header: Statement, parser: Blocks, draft: Draft) -> None:
    """`vpls NAME { KEYWORD VALUE; ... }`."""
    made = vpls_route.VplsDraft()

    def command(cursor: Cursor) -> None:
        cursor.index = 0
        vpls_route.line(cursor, made)

    parser.block(header, 'vpls', {}, {}, command)
    _vpls_store(draft, made, header, builder)


_IPV4 = AFI.IPV4
_NEW = object.__new__
_SET_NLRI = slot_store(Route, 'nlri')
_SET_ATTRIBUTES = slot_store(Route, 'attributes')
_SET_NEXTHOP = slot_store(Route, 'nexthop')
