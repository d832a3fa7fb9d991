"""API commands: one line of text from a process (or the CLI) parsed into a command value.

    [neighbor SELECTOR [, ...]] announce|withdraw route PREFIX TAIL
    [neighbor SELECTOR [, ...]] announce|withdraw ipv4|ipv6 unicast|multicast PREFIX TAIL
    [neighbor SELECTOR [, ...]] announce|withdraw attribute(s) TAIL nlri PREFIX ...
    [neighbor SELECTOR [, ...]] announce|withdraw flow route MATCH... ACTION...  (configuration.route.flow)
    [neighbor SELECTOR [, ...]] announce|withdraw ipv4|ipv6 flow|flow-vpn MATCH... ACTION...
    [neighbor SELECTOR [, ...]] announce|withdraw vpls KEYWORD VALUE ...      (configuration.route.vpls)
    [neighbor SELECTOR [, ...]] announce|withdraw ipv4|ipv6 mcast-vpn TYPE ... (configuration.route.mvpn)
    [neighbor SELECTOR [, ...]] announce eor [AFI SAFI]
    [neighbor SELECTOR [, ...]] announce route-refresh AFI SAFI
    [neighbor SELECTOR [, ...]] announce operational KIND afi AFI safi SAFI ...
    announce|withdraw watchdog [NAME]
    neighbor SELECTOR teardown SUBCODE
    show neighbor [IP] [summary|extensive|configuration] [json]
    show adj-rib in|out [IP] [extensive] [json]
    show health [json]                          (ours: healthy, ready, loop lag, peers)
    [neighbor SELECTOR] flush adj-rib out       [neighbor SELECTOR] clear adj-rib in|out
    enable-ack  disable-ack  silence-ack  shutdown  reload  restart  version  help  reset  # TEXT

Invariants:
- Pure: `parse` turns text into a value or raises `CommandError` with the reason; nothing is
  applied here. Executing a command is the reactor's job.
- Routes are read by the configuration's route grammar (`configuration.route.statements`), never by
  a grammar of our own: a route written in an API command means what it means in a configuration
  file, and the same `Builder` interns the attributes routes share (one builder per process).
- A route of a family whose codec is not built yet (mup, ...) is an error saying
  'not supported yet', as in the configuration.
- Words are 5.0's; where 5.0 matched a command anywhere in the line, we read it from the start
  (after the selectors), which accepts every line 5.0's own documentation shows.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address

from exabgp.api.selector import SelectorError, Selectors, split
from exabgp.bgp.family import AFI_BY_NAME, IPV4_UNICAST, SAFI_BY_NAME, Family
from exabgp.bgp.message.operational import NAMES, Advisory, Operational, Query, Reply
from exabgp.bgp.nlri import table
from exabgp.bgp.route import Route
from exabgp.configuration import model, operational
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError, unsupported
from exabgp.configuration.route import statements
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.route.grammars import flow, mup, mvpn, srpolicy
from exabgp.configuration.route.grammars import vpls as vpls_route
from exabgp.configuration.tokenizer import Statement, tokenize


class CommandError(ValueError):
    """A command that can not be run: the reason, for the log line next to the `error` answer."""


# ---------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Routes:
    """Announce or withdraw routes (`route`, `ipv4`/`ipv6`, `attributes` forms)."""

    selectors: Selectors
    withdraw: bool
    routes: tuple[Route, ...]


@dataclass(frozen=True, slots=True)
class EndOfRib:
    selectors: Selectors
    family: Family


@dataclass(frozen=True, slots=True)
class Refresh:
    selectors: Selectors
    family: Family


@dataclass(frozen=True, slots=True)
class SendOperational:
    """An operational message; a query or reply without router-id takes the session's."""

    selectors: Selectors
    operational: model.Operational

    def message(self, router_id: IPv4Address) -> Operational:
        value = self.operational
        kind = OPERATIONAL_KINDS[value.kind]
        if value.kind in ('asm', 'adm'):
            return Advisory.from_text(kind, value.family, value.advisory)
        identifier = value.router_id or router_id
        if value.kind.endswith('q'):
            return Query(kind, value.family, identifier, value.sequence)
        return Reply(kind, value.family, identifier, value.sequence, value.counter)


@dataclass(frozen=True, slots=True)
class Watchdog:
    """`announce watchdog NAME` / `withdraw watchdog NAME`; NAME None means the process's name."""

    name: str | None
    withdraw: bool


@dataclass(frozen=True, slots=True)
class Teardown:
    selectors: Selectors
    subcode: int


@dataclass(frozen=True, slots=True)
class ShowHealth:
    """`show health` (ours): what /healthz and /readyz say."""

    json: bool


@dataclass(frozen=True, slots=True)
class ShowNeighbor:
    """`show neighbor`: `view` is summary, extensive, configuration or '' (then a usage text)."""

    view: str
    json: bool
    limit: str


@dataclass(frozen=True, slots=True)
class ShowRib:
    """`show adj-rib in|out`: `limit` is a neighbor address ('' for all), `kind` an NLRI filter."""

    direction: str
    extensive: bool
    json: bool
    limit: str
    kind: str


@dataclass(frozen=True, slots=True)
class FlushRib:
    selectors: Selectors


@dataclass(frozen=True, slots=True)
class ClearRib:
    selectors: Selectors
    direction: str


@dataclass(frozen=True, slots=True)
class Ack:
    """enable-ack, disable-ack (answered, then off), silence-ack (off at once, not answered)."""

    mode: str


@dataclass(frozen=True, slots=True)
class Control:
    """shutdown, reload, restart."""

    action: str


@dataclass(frozen=True, slots=True)
class Version:
    pass


@dataclass(frozen=True, slots=True)
class Help:
    pass


@dataclass(frozen=True, slots=True)
class Comment:
    text: str


@dataclass(frozen=True, slots=True)
class Reset:
    pass


Command = (
    Routes
    | EndOfRib
    | Refresh
    | SendOperational
    | Watchdog
    | Teardown
    | ShowNeighbor
    | ShowHealth
    | ShowRib
    | FlushRib
    | ClearRib
    | Ack
    | Control
    | Version
    | Help
    | Comment
    | Reset
)


# ---------------------------------------------------------------- parsing

SINGLE: dict[str, Command] = {
    'enable-ack': Ack('enable'),
    'disable-ack': Ack('disable'),
    'silence-ack': Ack('silence'),
    'shutdown': Control('shutdown'),
    'reload': Control('reload'),
    'restart': Control('restart'),
    'version': Version(),
    'help': Help(),
    'reset': Reset(),
}

# commands taking no neighbor selector
GLOBAL = ('show', 'enable-ack', 'disable-ack', 'silence-ack', 'shutdown', 'reload', 'restart', 'version', 'help')

OPERATIONAL_KINDS = {name.lower(): code for code, name in NAMES.items()}


def parse(line: str, builder: Builder) -> Command:
    """The command a line holds; `CommandError` says why when it holds none."""
    text = line.strip()
    if text.startswith('#'):
        return Comment(text[1:].strip())
    try:
        statement = tokenize(text)
    except ConfigError as error:
        raise CommandError(error.message) from None
    words = statement.words
    if not words:
        raise CommandError('empty command')
    try:
        selectors, start = split(words)
    except SelectorError as error:
        raise CommandError(str(error)) from None
    verb = words[start]
    if selectors and verb in GLOBAL:
        raise CommandError(f"'{verb}' does not take a neighbor selection")
    if verb in SINGLE:
        if len(words) > start + 1:
            raise CommandError(f"unexpected '{words[start + 1]}' after '{verb}'")
        return SINGLE[verb]
    try:
        if verb in ('announce', 'withdraw'):
            return _change(statement, start, selectors, builder)
        if verb == 'teardown':
            return _teardown(words[start + 1 :], selectors)
        if verb == 'show':
            return _show(words[start + 1 :])
        if verb in ('flush', 'clear'):
            return _rib(verb, words[start + 1 :], selectors)
        if verb == 'crash':
            # 5.0's self-test of its error path: it raises in the command's callback, logs the
            # exception and answers error; we say so and answer the same
            raise CommandError("'crash' is ExaBGP 5.0's test of the API error path: it always fails")
    except ConfigError as error:
        raise CommandError(_located(error)) from None
    raise CommandError(f"unknown command '{verb}'")


def _located(error: ConfigError) -> str:
    """A grammar error as one line: the message and the word it is about."""
    where = error.location
    text = where.text[where.column - 1 :].split(' ', 1)[0]
    return f'{error.message} (at {text!r})' if text else error.message


def _change(statement: Statement, start: int, selectors: Selectors, builder: Builder) -> Command:
    words = statement.words
    withdraw = words[start] == 'withdraw'
    if start + 1 >= len(words):
        raise CommandError(f"'{words[start]}' what? (route, attributes, ipv4, ipv6, eor, watchdog, ...)")
    what = words[start + 1]
    cursor = Cursor(statement, start + 2)
    if what == 'route':
        routes, _, _ = statements.route(builder, cursor, withdraw=withdraw)
        return Routes(selectors, withdraw, tuple(routes))
    if what in ('attribute', 'attributes'):
        found = statements.attributes(builder, cursor)
        return Routes(selectors, withdraw, tuple(route for routes, _, _ in found for route in routes))
    if what in ('ipv4', 'ipv6'):
        return _family_route(cursor, what, selectors, withdraw, builder)
    if what == 'flow':
        if cursor.next() != 'route':
            raise CommandError(f"the command is '{words[start]} flow route ...'")
        return _flow(cursor, selectors, withdraw, builder)
    if what == 'vpls':
        return _vpls(cursor, selectors, withdraw, builder)
    if what == 'watchdog':
        if selectors:
            raise CommandError("'watchdog' does not take a neighbor selection")
        name = cursor.next() or None
        cursor.done()
        return Watchdog(name, withdraw)
    if withdraw:
        raise CommandError(f"unknown command 'withdraw {what}'")
    if what == 'eor':
        return EndOfRib(selectors, _family(cursor, IPV4_UNICAST))
    if what == 'route-refresh':
        return Refresh(selectors, _family(cursor, None))
    if what == 'operational':
        return SendOperational(selectors, _operational(statement, start + 2))
    raise CommandError(f"unknown command 'announce {what}'")


def _family_route(cursor: Cursor, afi_word: str, selectors: Selectors, withdraw: bool, builder: Builder) -> Routes:
    """`announce ipv4 SAFI PREFIX TAIL`: a route of the family the table row names."""
    kind = cursor.expect('the subsequent address family (unicast, multicast, nlri-mpls, ...)')
    row = table.announce_family(AFI_BY_NAME[afi_word], kind)
    if row is None or not row.built:
        raise cursor.fail(unsupported(f'{afi_word} {kind} routes'))
    if row.show == 'flow':
        return _flow(cursor, selectors, withdraw, builder)
    if row.grammar == 'mup':
        routes, _, _ = mup.statement(builder, cursor, row, withdraw=withdraw)
        return Routes(selectors, withdraw, tuple(routes))
    if row.grammar == 'mvpn':
        routes, _, _ = mvpn.route(builder, cursor, row, withdraw)
        return Routes(selectors, withdraw, tuple(routes))
    if row.grammar == 'sr-policy':
        routes, _, _ = srpolicy.statement(cursor, row.family.afi, withdraw)
        return Routes(selectors, withdraw, tuple(routes))
    routes, _, _ = statements.announced(builder, cursor, row, withdraw=withdraw)
    return Routes(selectors, withdraw, tuple(routes))


def _flow(cursor: Cursor, selectors: Selectors, withdraw: bool, builder: Builder) -> Routes:
    """A flow route in 5.0's one-line form: the block form on one line, or its keywords in any order."""
    try:
        route = flow.line(cursor, builder)
    except ConfigError:
        raise
    except ValueError as error:
        raise CommandError(str(error)) from None
    return Routes(selectors, withdraw, (route,))


def _vpls(cursor: Cursor, selectors: Selectors, withdraw: bool, builder: Builder) -> Routes:
    """A VPLS route: its keywords in any order, as in a configuration's `vpls ...;`."""
    made = vpls_route.VplsDraft()
    vpls_route.line(cursor, made)
    try:
        route, _ = vpls_route.finish(made, builder, withdraw)
    except ValueError as error:
        raise CommandError(str(error)) from None
    return Routes(selectors, withdraw, (route,))


def _family(cursor: Cursor, default: Family | None) -> Family:
    if not cursor.more():
        if default is None:
            raise CommandError('missing the family (AFI SAFI)')
        return default
    afi = cursor.next().lower()
    safi = cursor.next().lower()
    cursor.done()
    if afi not in AFI_BY_NAME:
        raise CommandError(f"'{afi}' is not an AFI")
    if safi not in SAFI_BY_NAME:
        raise CommandError(f"'{safi}' is not a SAFI")
    return Family(AFI_BY_NAME[afi], SAFI_BY_NAME[safi])


def _operational(statement: Statement, start: int) -> model.Operational:
    """`announce operational KIND afi A safi S ...`, read by the configuration's operational grammar."""
    words = statement.words[start:]
    if not words:
        raise CommandError('missing the operational message kind')
    return operational.parse(Cursor(Statement(words, '', statement.line, statement.first + start)))


def _teardown(words: list[str], selectors: Selectors) -> Teardown:
    """`[neighbor IP ...] teardown SUBCODE`; without a neighbor it selects none (5.0 answers done)."""
    if len(words) != 1 or not words[0].isdigit() or not words[0].isascii():
        raise CommandError('teardown needs a Cease subcode (a number)')
    subcode = int(words[0])
    if subcode > 255:
        raise CommandError('the Cease subcode must fit in one octet')
    return Teardown(selectors, subcode)


def _show(words: list[str]) -> Command:
    if not words:
        raise CommandError('show what? (neighbor, adj-rib in, adj-rib out)')
    what, rest = words[0], list(words[1:])
    json = _flag(rest, 'json')
    _flag(rest, 'text')
    if what == 'health':
        if rest:
            raise CommandError(f"unexpected '{rest[0]}' in show health")
        return ShowHealth(json)
    if what == 'neighbor':
        views = [word for word in ('summary', 'extensive', 'configuration') if _flag(rest, word)]
        if len(rest) > 1:
            raise CommandError(f"unexpected '{rest[1]}' in show neighbor")
        return ShowNeighbor(views[0] if views else '', json, rest[0] if rest else '')
    if what == 'adj-rib' and rest and rest[0] in ('in', 'out'):
        direction = rest.pop(0)
    elif what in ('adj-rib-in', 'adj-rib-out'):
        direction = what[-3:].lstrip('-')
    else:
        raise CommandError(f"unknown command 'show {what}'")
    # 5.0 shows the extensive form only when the line ends with the word
    extensive = _flag(rest, 'extensive') and words[-1] == 'extensive'
    kind = ''
    for name in ('inet', 'flow', 'l2vpn'):
        if _flag(rest, name):
            kind = name
    if len(rest) > 1:
        raise CommandError(f"unexpected '{rest[1]}' in show adj-rib")
    return ShowRib(direction, extensive, json, rest[0] if rest else '', kind)


def _flag(words: list[str], flag: str) -> bool:
    if flag in words:
        words.remove(flag)
        return True
    return False


def _rib(verb: str, words: list[str], selectors: Selectors) -> Command:
    if verb == 'flush':
        if words != ['adj-rib', 'out']:
            raise CommandError("the command is 'flush adj-rib out'")
        return FlushRib(selectors)
    if words in (['adj-rib', 'in'], ['adj-rib-in']):
        return ClearRib(selectors, 'in')
    if words in (['adj-rib', 'out'], ['adj-rib-out'], ['adj-rib']):
        return ClearRib(selectors, 'out')
    raise CommandError("the command is 'clear adj-rib in' or 'clear adj-rib out'")
