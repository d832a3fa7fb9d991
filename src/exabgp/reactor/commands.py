"""Running API commands: the lines of a process (or of the CLI) applied to the daemon's peers.

The ordering contract (also in README.md, "API processes"):

1. Commands apply in the order they arrive, one client at a time: a client's next lines are read only
   once its previous batch is applied. Clients (processes, CLI) are independent of each other.
2. A route command changes the Adj-RIB-Out of each peer it selects before its `done` is queued:
   `done` means "in the RIB", not "on the wire" (5.0's meaning). `error` means nothing changed.
3. The lines one read returned (a batch) are applied together: the RIB changes of the whole batch are
   made without yielding to the event loop, and the peers' senders are woken once, at the end of the
   batch, so an announce/withdraw batch leaves as one set of UPDATEs. One exception: when the
   client's own output queue is over its bound, the batch waits for it to drain before its next
   command; what was applied so far is flushed first.
   The last answer line of a batch is sealed (`Output.seal()`): the process's writer sends it alone,
   once the process has read the rest, so scripts polling stdin with select() see it.
4. Which peers a command reaches (5.0's rules): route, operational and `clear adj-rib` commands
   without a neighbor selector reach the peers the client is bound to (`processes` /
   `processes-match`; the CLI is bound to every peer); with a selector, the bound peers it matches.
   `announce eor`, `announce route-refresh`, `flush adj-rib out` and `teardown` reach the established
   peers matching the selector (all established peers without one); `show` commands and watchdogs
   every peer. A route, operational, eor, refresh, flush, clear or teardown command reaching no peer
   is an error.
5. No silent `done`: a command that can have no effect on any peer it selects is an error, saying
   why (a family not configured, `next-hop self` the session's address family can not give, a
   family or capability the session did not negotiate, a watchdog no route is under); peers left
   out while others are served, and routes kept for a family the established session did not
   negotiate, are warned about.

Invariants: a command never raises out of here: a bad one is answered `error` and logged with the
client's name, its text and why (a line that is not UTF-8 too: its clients decode with
'surrogateescape', so the stray octets arrive here as lone surrogates, never replaced or dropped);
the client and every session go on. Long output (`show adj-rib` of a big table) is produced in chunks, yielding to the loop between them, and waits when the client's queue
is full, so no session and no other client is starved.
"""

import asyncio
import functools
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from exabgp import lazy, logger
from exabgp.api import command as commands
from exabgp.api import show
from exabgp.api.command import CommandError, parse
from exabgp.api.selector import Selectors, selected
from exabgp.bgp.family import Family
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.update_pack import eor
from exabgp.bgp.negotiated import Refresh
from exabgp.bgp.nlri import table
from exabgp.bgp.route import SELF, Route
from exabgp.configuration.model import Config
from exabgp.configuration.route.grammar import Builder
from exabgp.reactor.neighbor import self_unusable
from exabgp.reactor.output import Output
from exabgp.reactor.showing import as_sent, by_family, view
from exabgp.settings import Settings

if TYPE_CHECKING:
    import uuid

    from exabgp.api import v6
    from exabgp.reactor.peer import Peer
else:
    # upstream main's command syntax loads only when exabgp.api.version asks for it
    v6 = lazy.module('exabgp.api.v6')
    uuid = lazy.module('uuid')

log = logger.get('processes')

SHOW_CHUNK = 1000  # lines of a show command produced between two turns of the event loop


class Client(Protocol):
    """Who sends commands: an API process or a CLI connection."""

    name: str
    output: Output
    ack: bool
    builder: Builder
    every_peer: bool


class Host(Protocol):
    """What commands need of the daemon running them (the daemon is one)."""

    config: Config
    peers: dict[str, 'Peer']

    @property
    def dropped(self) -> dict[str, int]:
        """API events each peer's processes did not get, by peer address."""
        ...

    def command(self, action: str) -> None:
        """shutdown, reload, full-reload or restart."""
        ...

    async def health_report(self) -> dict[str, object]:
        """`show health`: healthy, ready, loop lag, peers (reactor/metrics.py)."""
        ...


class Commands:
    def __init__(self, settings: Settings, daemon: Host) -> None:
        self.daemon = daemon
        self.settings = settings
        # per client name: [commands, commands answered with an error] (metrics)
        self.counts: dict[str, list[int]] = {}
        # upstream main's target-first commands, answered in JSON: chosen once, so the 5.0
        # parser runs as it is when they are not asked for
        self.v6 = settings.api.version == 6
        self._parse = v6.parse if self.v6 else parse
        self.started = time.time()
        # whether commands are logged at debug: set by `run` for each batch
        self._debug = False
        self._handlers = {
            commands.Routes: self._routes,
            commands.EndOfRib: self._eor,
            commands.Refresh: self._refresh,
            commands.SendOperational: self._operational,
            commands.Watchdog: self._watchdog,
            commands.Teardown: self._teardown,
            commands.ShowNeighbor: self._show_neighbor,
            commands.ShowRib: self._show_rib,
            commands.ShowHealth: self._show_health,
            commands.FlushRib: self._flush_rib,
            commands.ClearRib: self._clear_rib,
            commands.Ack: self._ack,
            commands.Control: self._control,
            commands.Version: self._version,
            commands.Help: self._help,
            commands.Comment: self._comment,
            commands.Reset: self._reset,
        }
        if self.v6:
            self._handlers.update(
                {
                    v6.Status: self._status,
                    v6.Ping: self._ping,
                    v6.Bye: self._bye,
                    v6.ApiVersion: self._api_version,
                    v6.PeerList: self._peer_list,
                }
            )

    @functools.cached_property
    def uuid(self) -> str:
        """This daemon's identity in API v6's `daemon status` and `session ping` answers."""
        return str(uuid.uuid4())

    # ------------------------------------------------------------------ running

    async def run(self, client: Client, lines: list[str]) -> None:
        """Apply a batch of lines, in order, then wake the senders of the peers it changed."""
        touched: set[Peer] = set()
        # read once a batch, not once a line: the log level changes only with a reload
        self._debug = log.isEnabledFor(logging.DEBUG)
        try:
            for line in lines:
                if not line:
                    continue
                if client.output.full:
                    _flush(touched)
                    client.output.seal()
                    await client.output.room()
                await self.one(client, line, touched)
        finally:
            _flush(touched)
            client.output.seal()

    async def one(self, client: Client, line: str, touched: set['Peer']) -> None:
        count = self.counts.get(client.name)
        if count is None:
            count = self.counts[client.name] = [0, 0]
        count[0] += 1
        undecodable = '' if line.isascii() else _not_utf8(line)
        if undecodable:
            # logged as repr: a lone surrogate written as text would make the log handler fail
            self._refuse(client, line, undecodable)
            return
        if self._debug:
            log.debug(f'command from {_who(client)} : {line}')
        try:
            command = self._parse(line, client.builder)
        except CommandError as error:
            self._refuse(client, line, str(error))
            return
        try:
            # each handler takes the command class it is filed under, which a dict's type can not say
            await self._handlers[type(command)](client, command, touched)  # type: ignore[operator]
        except CommandError as error:
            self._refuse(client, line, str(error))
        except Exception as exc:  # a bug in one command must not stop the client or the daemon
            log.exception(f'{_who(client)}: command {line!r} failed: {exc!r}')
            count[1] += 1
            _error(client)

    def _refuse(self, client: Client, line: str, reason: str) -> None:
        log.error(f'{_who(client)}: command {line!r} refused: {reason}')
        self.counts[client.name][1] += 1
        _error(client)

    # ------------------------------------------------------------------ selecting peers

    def _bound(self, client: Client) -> list['Peer']:
        peers = list(self.daemon.peers.values())
        if client.every_peer:
            return peers
        name = client.name
        found = []
        for peer in peers:
            api = peer.neighbor.api
            if name in api.processes or any(re.match(pattern, name) for pattern in api.processes_match):
                found.append(peer)
        return found

    @staticmethod
    def _select(peers: Iterable['Peer'], selectors: Selectors) -> list['Peer']:
        if not selectors:
            return list(peers)
        return [peer for peer in peers if selected(selectors, peer.neighbor.name())]

    def _established(self, selectors: Selectors) -> list['Peer']:
        peers = [peer for peer in self.daemon.peers.values() if peer.established is not None]
        return self._select(peers, selectors)

    # ------------------------------------------------------------------ routes and messages

    async def _routes(self, client: Client, command: commands.Routes, touched: set['Peer']) -> None:
        peers = self._select(self._bound(client), command.selectors)
        if not peers:
            raise CommandError('no neighbor matching the command')
        debug = self._debug
        refused: list[str] = []
        applied = 0
        kept: set[tuple[Peer, Family]] = set()
        withdraw = command.withdraw
        for peer in peers:
            rib = peer.rib_out
            change = rib.withdraw if withdraw else rib.announce
            configured = peer.neighbor.families
            negotiated = peer.negotiated
            sent = negotiated.families if negotiated is not None else None
            # made for the first `next-hop self` only: it reads the session's address
            resolve: Callable[[list[Route]], list[Route]] | None = None
            for route in command.routes:
                family = route.nlri.family
                if family not in configured:
                    refused.append(f'the family {family} is not configured on {peer.neighbor.name()}')
                    continue
                if route.nexthop is SELF and not withdraw:
                    problem = _self_unusable(peer, family)
                    if problem is not None:
                        refused.append(problem)
                        continue
                    # 5.0 resolves `self` as the route goes in: the same route given with the
                    # address and with `self` is the same route, and is not sent twice
                    if resolve is None:
                        resolve = as_sent(peer)
                    route = resolve([route])[0]
                change(route)
                applied += 1
                if debug:
                    what = 'removed from' if withdraw else 'added to'
                    log.debug(f'route {what} {peer.neighbor.name()} : {show.route_text(route, True)}')
                if sent is not None and family not in sent:
                    kept.add((peer, family))
            touched.add(peer)
        if not applied:
            raise CommandError('; '.join(dict.fromkeys(refused)))
        if refused:
            for problem in dict.fromkeys(refused):
                log.warning(f'{_who(client)}: {problem}')
        for peer, family in kept:
            # accepted for later: it goes out with the next session that negotiates the family
            log.warning(
                f'{_who(client)}: the routes of {family} are kept for {peer.neighbor.name()} but not sent: '
                f'the established session did not negotiate {family}'
            )
        _done(client)

    async def _eor(self, client: Client, command: commands.EndOfRib, touched: set['Peer']) -> None:
        peers = self._established(command.selectors)
        if not peers:
            raise CommandError('no established neighbor matching the command')
        family = command.family
        sent = [peer for peer in peers if peer.negotiated is not None and family in peer.negotiated.families]
        if not sent:
            raise CommandError(f'the family {family} was not negotiated with {_names(peers)}')
        for peer in sent:
            peer.send_after_flush(eor(family))
        _skipped(client, peers, sent, f'the family {family} was not negotiated')
        _done(client)

    async def _refresh(self, client: Client, command: commands.Refresh, touched: set['Peer']) -> None:
        peers = self._established(command.selectors)
        if not peers:
            raise CommandError('no established neighbor matching the command')
        family = command.family
        sent = []
        for peer in peers:
            negotiated = peer.negotiated
            if negotiated is None or family not in negotiated.families:
                continue
            if negotiated.refresh == Refresh.ABSENT:
                continue
            peer.send_after_flush(RouteRefresh(family))
            sent.append(peer)
        why = f'route refresh for {family} was not negotiated'
        if not sent:
            raise CommandError(f'{why} with {_names(peers)}')
        _skipped(client, peers, sent, why)
        _done(client)

    async def _operational(self, client: Client, command: commands.SendOperational, touched: set['Peer']) -> None:
        peers = self._select(self._bound(client), command.selectors)
        if not peers:
            raise CommandError('no neighbor matching the command')
        family = command.operational.family
        sent = []
        for peer in peers:
            negotiated = peer.negotiated
            router_id = peer.router_id()
            if negotiated is None or not negotiated.operational or router_id is None:
                continue
            if family not in peer.neighbor.families:
                continue
            peer.send_after_flush(command.message(router_id))
            sent.append(peer)
        why = f'no established session with the operational capability and the family {family}'
        if not sent:
            raise CommandError(f'{why}: {_names(peers)}')
        _skipped(client, peers, sent, why)
        _done(client)

    async def _watchdog(self, client: Client, command: commands.Watchdog, touched: set['Peer']) -> None:
        name = command.name or client.name
        peers = [peer for peer in self.daemon.peers.values() if peer.rib_out.has_watchdog(name)]
        if not peers:
            raise CommandError(f'no route is under the watchdog {name!r}')
        for peer in peers:
            if command.withdraw:
                peer.rib_out.watchdog_withdraw(name)
            else:
                peer.rib_out.watchdog_announce(name)
            touched.add(peer)
        _done(client)

    async def _teardown(self, client: Client, command: commands.Teardown, touched: set['Peer']) -> None:
        # as 5.0: done whatever it matched, and no neighbor written selects none (not all of them)
        peers = self._established(command.selectors) if command.selectors else []
        if not peers:
            log.warning(f'teardown {command.subcode}: no established neighbor matches, nothing to do')
        for peer in peers:
            log.info(f'teardown scheduled for {peer.neighbor.name()}')
            peer.teardown(command.subcode)
        _done(client)

    async def _flush_rib(self, client: Client, command: commands.FlushRib, touched: set['Peer']) -> None:
        peers = self._established(command.selectors)
        if not peers:
            raise CommandError('no established neighbor matching the command')
        for peer in peers:
            negotiated = peer.negotiated
            enhanced = bool(
                peer.neighbor.capability.route_refresh and negotiated and negotiated.refresh == Refresh.ENHANCED
            )
            peer.resend(enhanced=enhanced)
        _done(client)

    async def _clear_rib(self, client: Client, command: commands.ClearRib, touched: set['Peer']) -> None:
        peers = self._select(self.daemon.peers.values(), command.selectors)
        if not peers:
            raise CommandError('no neighbor matching the command')
        for peer in peers:
            if command.direction == 'in':
                peer.rib_in.clear()
            else:
                peer.rib_out.withdraw_all()
                touched.add(peer)
        _done(client)

    # ------------------------------------------------------------------ show

    async def _show_neighbor(self, client: Client, command: commands.ShowNeighbor, touched: set['Peer']) -> None:
        output = client.output
        peers = list(self.daemon.peers.values())
        now = time.time()
        limit = command.limit
        if command.json:
            output.answer(show.neighbors_json([view(peer, now) for peer in peers]))
        elif command.view == 'summary':
            output.answer(show.SUMMARY_HEADER)
            for peer in peers:
                if not limit or limit == str(peer.neighbor.peer_address):
                    output.answer(show.summary(view(peer, now)))
        elif command.view == 'extensive':
            dropped = self.daemon.dropped
            for peer in peers:
                if not limit or limit in peer.neighbor.name():
                    for line in show.extensive(view(peer, now, dropped.get(peer.neighbor.peer(), 0))):
                        output.answer(line)
        elif command.view == 'configuration':
            for neighbor in self.daemon.config.neighbors:
                if not limit or limit in neighbor.name():
                    for line in show.configuration(neighbor):
                        output.answer(line)
        else:
            for line in show.USAGE:
                output.answer(line)
        _done(client)

    async def _show_rib(self, client: Client, command: commands.ShowRib, touched: set['Peer']) -> None:
        output = client.output
        chunk = max(self.settings.api.chunk, 1)
        as_json = command.json
        to_json = show.rib_json_v2 if self.settings.api.show_routes_format == 'v2' else show.rib_json_v1
        limit = command.limit
        produced = 0
        for peer in list(self.daemon.peers.values()):
            neighbor = peer.neighbor
            if limit and f'neighbor {limit}' not in neighbor.name():
                continue
            outgoing = command.direction == 'out'
            rib = peer.rib_out if outgoing else peer.rib_in
            families = table.listed(command.kind) if command.kind else None
            # 5.0 lists a RIB family by family (AFI, then SAFI), each in the order its routes came
            routes = sorted(rib.routes(families), key=by_family)
            shown = as_sent(peer) if outgoing else list
            stale = None if outgoing or not peer.rib_in.has_stale() else peer.rib_in.is_stale
            address = str(neighbor.peer_address)
            details = show.as_dict(view(peer, time.time())) if command.extensive and as_json else None
            who = neighbor.name() if command.extensive else address
            for start in range(0, len(routes), chunk):
                part = shown(routes[start : start + chunk])
                if as_json:
                    lines = to_json(address, part, details, stale)
                else:
                    lines = show.rib_text(who, part, command.extensive, stale)
                for line in lines:
                    output.answer(line)
                produced += len(part)
                if produced >= SHOW_CHUNK:
                    produced = 0
                    await output.room()
                    # a big table is shown a chunk at a time: sessions and other clients run between
                    await asyncio.sleep(0)
        _done(client)

    async def _show_health(self, client: Client, command: commands.ShowHealth, touched: set['Peer']) -> None:
        report = await self.daemon.health_report()
        if command.json:
            client.output.answer(json.dumps(report))
        else:
            for key, value in report.items():
                client.output.answer(f'{key} {str(value).lower() if isinstance(value, bool) else value}')
        _done(client)

    # ------------------------------------------------------------------ the rest

    async def _ack(self, client: Client, command: commands.Ack, touched: set['Peer']) -> None:
        if command.mode == 'enable':
            client.ack = True
            _done(client)
        elif command.mode == 'disable':
            client.ack = False
            client.output.answer(show.DONE)
        else:
            client.ack = False

    async def _control(self, client: Client, command: commands.Control, touched: set['Peer']) -> None:
        said = f'{command.action} in progress'
        client.output.answer(json.dumps({'status': said}) if self.v6 else said)
        _done(client)
        _flush(touched)
        touched.clear()
        self.daemon.command(command.action)

    async def _version(self, client: Client, command: commands.Version, touched: set['Peer']) -> None:
        version = self.settings.version
        client.output.answer(
            json.dumps({'version': version, 'application': 'exabgp'}) if self.v6 else f'exabgp {version}'
        )
        _done(client)

    async def _help(self, client: Client, command: commands.Help, touched: set['Peer']) -> None:
        if self.v6:
            client.output.answer(json.dumps({'description': 'available API commands (v6 format)', 'commands': v6.HELP}))
        else:
            for line in show.help_lines():
                client.output.answer(line)
        _done(client)

    async def _comment(self, client: Client, command: commands.Comment, touched: set['Peer']) -> None:
        log.debug(f'{_who(client)}: {command.text}')
        _done(client)

    async def _reset(self, client: Client, command: commands.Reset, touched: set['Peer']) -> None:
        """5.0 drops the client's commands still queued; ours are applied as they come: nothing to do,
        and (as in 5.0) no answer; v6 answers it (upstream main does)."""
        if self.v6:
            client.output.answer(json.dumps({'status': 'asynchronous queue cleared'}))
            _done(client)

    # ------------------------------------------------------------------ v6 only (api/v6.py)

    async def _status(self, client: Client, command: v6.Status, touched: set['Peer']) -> None:
        uptime = int(time.time() - self.started)
        peers = {peer.neighbor.name(): peer.state().name for peer in self.daemon.peers.values()}
        report = {
            'version': self.settings.version,
            'uuid': self.uuid,
            'pid': os.getpid(),
            'uptime': uptime,
            'start_time': self.started,
            'peers': peers,
        }
        client.output.answer(json.dumps(report))
        _done(client)

    async def _ping(self, client: Client, command: v6.Ping, touched: set['Peer']) -> None:
        client.output.answer(json.dumps({'pong': self.uuid, 'active': True}))
        _done(client)

    async def _bye(self, client: Client, command: v6.Bye, touched: set['Peer']) -> None:
        _done(client)

    async def _api_version(self, client: Client, command: v6.ApiVersion, touched: set['Peer']) -> None:
        client.output.answer(json.dumps({'api_version': self.settings.api.version, 'description': 'json-only'}))
        _done(client)

    async def _peer_list(self, client: Client, command: v6.PeerList, touched: set['Peer']) -> None:
        listed = []
        for peer in self.daemon.peers.values():
            neighbor = peer.neighbor
            listed.append(
                {
                    'peer-address': str(neighbor.peer_address),
                    'peer-as': neighbor.peer_as,
                    'state': peer.state().name.lower(),
                }
            )
        client.output.answer(json.dumps(listed))
        _done(client)


def _not_utf8(line: str) -> str:
    """Why a line read with 'surrogateescape' is not UTF-8 (its first stray octet), or ''."""
    for position, char in enumerate(line):
        if '\udc80' <= char <= '\udcff':
            return f'not valid UTF-8: octet 0x{ord(char) - 0xDC00:02X} at character {position + 1}'
    return ''


def _who(client: Client) -> str:
    return f'process {client.name}'


def _done(client: Client) -> None:
    if client.ack:
        _answer(client, show.DONE)


def _error(client: Client) -> None:
    if client.ack:
        _answer(client, show.ERROR)


def _answer(client: Client, text: str) -> None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug(f'responding to {_who(client)} : {text}')
    client.output.answer(text)


def _names(peers: Iterable['Peer']) -> str:
    return ', '.join(peer.neighbor.name() for peer in peers)


def _skipped(client: Client, peers: list['Peer'], sent: list['Peer'], why: str) -> None:
    """Some of the peers a command selected were left out: said, as the command still had an effect."""
    left = [peer for peer in peers if peer not in sent]
    if left:
        log.warning(f'{_who(client)}: {why} with {_names(left)}, nothing sent to it')


def _self_unusable(peer: 'Peer', family: Family) -> str | None:
    """Why `next-hop self` can not be resolved for a route of `family` on this peer, or None."""
    local = peer.local_address()
    if local is None:
        return None  # not known before the session: the sender warns if it can not be resolved
    return self_unusable(family, local)


def _flush(peers: set['Peer']) -> None:
    for peer in peers:
        peer.flush()
    peers.clear()
