"""The supported library API: a BGP speaker inside someone else's asyncio program.

    async with Speaker(CONFIGURATION_TEXT) as speaker:
        await speaker.established('127.0.0.2')
        await speaker.announce('route 10.0.0.0/24 next-hop 192.0.2.1 community [65000:1]')
        async with speaker.events() as events:
            async for event in events:
                ...

Everything public is in `__all__`; the rest of the package is private and may change at any release.

Invariants:
- It runs on the loop that enters `async with` (uvloop or not): it creates tasks on it and nothing
  else. No thread, no signal handler, no logging handler, no read of the process environment: the
  settings are 5.0's defaults unless a `Settings` is given (`settings.load(environ, path)` builds
  one from an environment the caller chooses).
- The peers are the daemon's (`reactor.peer.Peer`): the same FSM, Adj-RIB-Out, packing and bytes on
  the wire. A configuration's `process` blocks are refused: the caller is the API.
- Listening: as the daemon, on every address of `tcp.bind` (none by default) at `tcp.port`, and on
  the `listen PORT` socket of a neighbor that has one. A connection no neighbor matches is closed
  with Cease 6/5.
- `announce`/`withdraw` change the Adj-RIB-Out of each selected peer, then wake its sender: when they
  return, `rib_out()` shows the change (the API's `done`); the UPDATEs follow once a session is up.
  A route no selected peer can take raises `ValueError` saying why, as the API answers `error`;
  routes some peers took and others refused are logged (warning), as the API does.
- Events are values, delivered to each `events()` subscription through its own queue bounded in
  events (`queue`). The policy is the API processes' (reactor/output.py): nothing the speaker does
  waits on a consumer; when a queue is full its events are dropped until the consumer has read it
  down to half, then one `Dropped` event says how many were lost, and for which peers, exactly
  where the hole is. A consumer that stops reading costs at most `queue` events of memory.
- Leaving `async with` stops every peer (Cease 6/3 once what is pending is sent), waits for their
  tasks (at most `STOP_TIMEOUT` seconds, then cancels them), closes the listeners and ends every
  subscription.
"""

import asyncio
import dataclasses
import os
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from ipaddress import ip_address, ip_network
from types import TracebackType
from typing import Self

from exabgp import logger
from exabgp import settings as settings_module
from exabgp.api.command import CommandError, Routes, parse
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.base import Attribute
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import SELF, NextHop, Route
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.model import Config, Neighbor
from exabgp.configuration.parser import load, load_text
from exabgp.configuration.route.grammar import Builder
from exabgp.reactor import tcp
from exabgp.reactor.daemon import listening
from exabgp.reactor.listener import Listeners, matches
from exabgp.reactor.neighbor import self_unusable
from exabgp.reactor.observer import Observer, PeerView
from exabgp.reactor.peer import Peer
from exabgp.session.state import State
from exabgp.settings import Settings

__all__ = [
    'SELF',
    'ConfigError',
    'Dropped',
    'Event',
    'Events',
    'Neighbor',
    'NotificationReceived',
    'PeerState',
    'Route',
    'Settings',
    'Speaker',
    'UpdateReceived',
    'neighbors',
    'route',
    'routes',
]

log = logger.get('reactor')

DEFAULT_QUEUE = 100_000  # events one subscription holds before it drops (see the module docstring)
STOP_TIMEOUT = 5.0  # seconds the peers get to send what is pending and close at exit

# ------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class PeerState:
    """The peer's session moved: `state` is one of 5.0's API states (`connected`, `up`, `down`) or
    FSM states (`idle`, `active`, `connect`, `opensent`, `openconfirm`, `established`); `reason`
    says why a session went `down`, in 5.0's words."""

    peer: str
    state: str
    reason: str = ''


@dataclass(frozen=True, slots=True)
class UpdateReceived:
    """An UPDATE from the peer, decoded: the routes it announces and the NLRI it withdraws (an
    End-of-RIB is an UPDATE with neither, `eor` its family)."""

    peer: str
    announced: tuple[Route, ...]
    withdrawn: tuple[NLRI, ...]
    eor: Family | None = None


@dataclass(frozen=True, slots=True)
class NotificationReceived:
    """The peer closed its session with this NOTIFICATION."""

    peer: str
    code: int
    subcode: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Dropped:
    """The subscription's queue was full: `count` events were dropped just before this one
    (`peers`: how many about each peer). Ask `rib_in()` for the current state."""

    count: int
    peers: dict[str, int] = field(default_factory=dict)


Event = PeerState | UpdateReceived | NotificationReceived | Dropped


class Events:
    """One subscription to the speaker's events (from `Speaker.events`), an async iterator.

    It receives every event from the moment it is made; iteration ends when the subscription is
    closed (`close()`, leaving `async with`) or the speaker stops. Use it as `async with` (or
    close it) when leaving a loop early, or its queue keeps filling up to its bound."""

    def __init__(self, peer: str | None, limit: int, closed: Callable[['Events'], None]) -> None:
        self.peer = peer
        self.limit = max(limit, 2)
        self.dropped = 0
        self._queue: deque[Event] = deque()
        self._ready = asyncio.Event()
        self._lagging = False
        self._gap: dict[str, int] = {}
        self._gap_total = 0
        self._closed = False
        self._unsubscribe = closed

    def _put(self, event: Event, peer: str) -> None:
        if self._closed or (self.peer is not None and peer != self.peer):
            return
        if self._lagging or len(self._queue) >= self.limit:
            if not self._lagging:
                self._lagging = True
                log.warning(f'an events() consumer is not reading: {len(self._queue)} events wait, dropping')
            self.dropped += 1
            self._gap_total += 1
            self._gap[peer] = self._gap.get(peer, 0) + 1
            return
        self._queue.append(event)
        self._ready.set()

    def _caught_up(self) -> None:
        if self._lagging and len(self._queue) <= self.limit // 2:
            self._lagging = False
            gap, self._gap = self._gap, {}
            total, self._gap_total = self._gap_total, 0
            log.warning(f'an events() consumer is reading again: {total} events were dropped')
            self._queue.append(Dropped(total, gap))

    def pending(self) -> int:
        """Events queued and not read yet."""
        return len(self._queue)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._unsubscribe(self)
        self._ready.set()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Event:
        while not self._queue:
            if self._closed:
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        event = self._queue.popleft()
        self._caught_up()
        return event

    async def get(self, timeout: float | None = None) -> Event:
        """The next event (TimeoutError after `timeout` seconds; StopAsyncIteration once closed)."""
        async with asyncio.timeout(timeout):
            return await self.__anext__()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class _Observer(Observer):
    """The reactor's observer for a speaker: events as values, to each subscription."""

    def __init__(self, speaker: 'Speaker') -> None:
        self.speaker = speaker

    def _emit(self, view: PeerView, event: Event) -> None:
        peer = view.neighbor.peer()
        for subscription in list(self.speaker._subscriptions):
            subscription._put(event, peer)
        if isinstance(event, PeerState) and event.state in ('up', 'down'):
            self.speaker._changed.set()

    def connected(self, peer: PeerView) -> None:
        self._emit(peer, PeerState(peer.neighbor.peer(), 'connected'))

    def up(self, peer: PeerView) -> None:
        self._emit(peer, PeerState(peer.neighbor.peer(), 'up'))

    def down(self, peer: PeerView, reason: str) -> None:
        self._emit(peer, PeerState(peer.neighbor.peer(), 'down', reason))

    def fsm(self, peer: PeerView, state: str) -> None:
        self._emit(peer, PeerState(peer.neighbor.peer(), state))

    def negotiated(self, peer: PeerView, sent: Open, received: Open, negotiated: Negotiated) -> None:
        """Not an event of this API: `Speaker.negotiated(peer)` says it once the session is up."""

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        name = peer.neighbor.peer()
        if isinstance(message, Update):
            self._emit(peer, UpdateReceived(name, message.announced, message.withdrawn, message.eor))
        elif isinstance(message, Notification):
            self._emit(peer, NotificationReceived(name, message.code, message.subcode, message.data))


# ------------------------------------------------------------------ routes and neighbors


def routes(text: str, builder: Builder | None = None) -> list[Route]:
    """Routes from 5.0's text syntax, as an API process writes them after `announce`: `route
    10.0.0.0/24 next-hop 192.0.2.1 as-path [65001]`, `ipv6 unicast 2001:db8::/32 next-hop ...`,
    `attributes next-hop ... nlri P1 P2`, `flow route ...`. ValueError says what is wrong."""
    try:
        command = parse(f'announce {text}', builder or Builder())
    except CommandError as error:
        raise ValueError(f'{text!r}: {error}') from None
    if not isinstance(command, Routes):
        raise ValueError(f'{text!r}: not a route')
    return list(command.routes)


def route(
    prefix: str,
    next_hop: str | NextHop = SELF,
    *attributes: Attribute,
    path_id: int | None = None,
    multicast: bool = False,
) -> Route:
    """A unicast (or multicast) route from values: `route('10.0.0.0/24', '192.0.2.1', Origin(0),
    ASPath(...))`. `next_hop` is an address, `SELF` (the session's local address) or None for a
    withdrawal; the attributes are the codec's values (exabgp.bgp.attribute.*), without NEXT_HOP."""
    network = ip_network(prefix, strict=False)
    afi = AFI.IPV4 if network.version == 4 else AFI.IPV6
    family = Family(afi, SAFI.MULTICAST if multicast else SAFI.UNICAST)
    nlri = INET.make(family, network.network_address, network.prefixlen, path_id)
    hop = ip_address(next_hop) if isinstance(next_hop, str) else next_hop
    return Route(nlri, Attributes(attributes), hop)


def neighbors(configuration: str | os.PathLike[str]) -> list[Neighbor]:
    """The neighbors of a configuration (text, or a file path): for `Speaker.add_neighbor`.
    ConfigError says where it fails."""
    return list(_config(configuration).neighbors)


def _config(configuration: str | os.PathLike[str]) -> Config:
    if isinstance(configuration, os.PathLike):
        return load(os.fspath(configuration))
    return load_text(configuration)


# ------------------------------------------------------------------ the speaker


class Speaker:
    """BGP sessions and their RIBs on the caller's event loop (see the module docstring).

    `configuration` is 5.0's configuration text, a path to a file (`pathlib.Path`), a parsed
    `Config`, or neighbors (`neighbors()`); it may hold no neighbor (add them later). `queue` bounds
    each `events()` subscription, in events."""

    def __init__(
        self,
        configuration: str | os.PathLike[str] | Config | Iterable[Neighbor] = (),
        *,
        settings: Settings | None = None,
        queue: int = DEFAULT_QUEUE,
    ) -> None:
        if isinstance(configuration, Config):
            config = configuration
        elif isinstance(configuration, str | os.PathLike):
            config = _config(configuration)
        else:
            config = Config(neighbors=tuple(configuration))
        if config.processes:
            names = ', '.join(process.name for process in config.processes)
            raise ValueError(f'a Speaker runs no API process (the program using it is the API): {names}')
        self.settings = settings or settings_module.load({}, '')
        self.queue = queue
        self._neighbors = list(config.neighbors)
        self._peers: dict[str, Peer] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._generated: set[asyncio.Task[None]] = set()
        self._subscriptions: list[Events] = []
        self._observer = _Observer(self)
        self._listeners = Listeners(self._dispatch)
        self._changed = asyncio.Event()
        self._started = False
        self._builder = Builder()

    # ------------------------------------------------------------------ life

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Bind the listeners and start every peer (`async with` does it)."""
        if self._started:
            raise RuntimeError('the speaker is already running')
        self._started = True
        try:
            for neighbor in self._neighbors:
                self._add(neighbor)
            await self._listen()
        except BaseException:
            await self.stop()
            raise
        for key in list(self._peers):
            self._run(key)

    async def stop(self) -> None:
        """Stop every peer (Cease), the listeners and the subscriptions (leaving `async with` does it)."""
        for peer in self._peers.values():
            peer.stop(3)
        tasks = [*self._tasks.values(), *self._generated]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=STOP_TIMEOUT)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()
        self._generated.clear()
        self._peers.clear()
        await self._listeners.close()
        for subscription in list(self._subscriptions):
            subscription.close()

    async def _listen(self) -> None:
        config = Config(neighbors=tuple(peer.neighbor for peer in self._peers.values()))
        wanted = listening(config, self.settings.tcp.bind, self.settings.tcp.port)
        for (host, port), (keys, ttl) in wanted.items():
            try:
                await self._listeners.listen(host, port, keys, ttl)
            except tcp.SocketError as error:
                raise OSError(str(error)) from None
        self._listeners.keep(set(wanted))

    def _add(self, neighbor: Neighbor) -> Peer:
        key = neighbor.peer()
        if key in self._peers:
            raise ValueError(f'neighbor {key} is already configured')
        peer = Peer(neighbor, self.settings, self._observer)
        self._peers[key] = peer
        return peer

    def _run(self, key: str) -> None:
        self._tasks[key] = asyncio.get_running_loop().create_task(self._run_peer(self._peers[key]))

    async def _run_peer(self, peer: Peer) -> None:
        """A peer's task: a bug in it is logged and the peer started again after its back-off, so
        the caller's program never sees it as an exception."""
        while True:
            try:
                await peer.run()
                return
            except Exception as exc:
                log.error(f'peer {peer.neighbor.peer()} failed, starting it again: {exc!r}')
                if peer.generated or peer.stopping:
                    return
                await asyncio.sleep(max(1, peer.backoff.failed()))

    def _dispatch(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, local: str, remote: str) -> bool:
        for peer in list(self._peers.values()):
            neighbor = peer.neighbor
            local_address = None if neighbor.local_address is None else str(neighbor.local_address)
            if not matches(str(neighbor.peer_address), neighbor.peer_prefix, local_address, local, remote):
                continue
            full = 32 if neighbor.peer_address.version == 4 else 128
            if neighbor.peer_prefix != full:
                # a range: one generated peer per connection, as the daemon does
                single = dataclasses.replace(neighbor, peer_address=ip_address(remote), peer_prefix=full)
                spawned = Peer(single, self.settings, self._observer, generated=True)
                task = asyncio.get_running_loop().create_task(self._run_peer(spawned))
                self._generated.add(task)
                task.add_done_callback(self._generated.discard)
                spawned.incoming(reader, writer)
                return True
            peer.incoming(reader, writer)
            return True
        return False

    # ------------------------------------------------------------------ neighbors

    @property
    def peers(self) -> list[str]:
        """The configured peers, by address (or range), in the order they were added."""
        return list(self._peers) if self._started else [neighbor.peer() for neighbor in self._neighbors]

    def _peer(self, peer: str) -> Peer:
        found = self._peers.get(peer)
        if found is None:
            raise KeyError(f'no neighbor {peer} (known: {", ".join(self._peers) or "none"})')
        return found

    def state(self, peer: str) -> str:
        """The peer's FSM state, lower case (`idle` ... `established`)."""
        return self._peer(peer).state().name.lower()

    def negotiated(self, peer: str) -> Negotiated | None:
        """What the established session negotiated (families, ASN4, ADD-PATH...), None when down."""
        return self._peer(peer).negotiated

    async def established(self, peer: str | None = None, timeout: float | None = None) -> None:
        """Wait until `peer` (every peer when None) is established; TimeoutError after `timeout`."""
        async with asyncio.timeout(timeout):
            while True:
                chosen = [self._peer(peer)] if peer is not None else list(self._peers.values())
                if all(one.state() is State.ESTABLISHED for one in chosen):
                    return
                self._changed.clear()
                await self._changed.wait()

    async def add_neighbor(self, neighbor: Neighbor | str) -> list[str]:
        """Add neighbors (a value, or configuration text holding `neighbor` blocks) and start them;
        their `listen` sockets are opened. Returns their peer addresses."""
        added = neighbors(neighbor) if isinstance(neighbor, str) else [neighbor]
        keys = []
        for one in added:
            self._add(one)
            keys.append(one.peer())
        if self._started:
            await self._listen()
            for key in keys:
                self._run(key)
        else:
            self._neighbors.extend(added)
        return keys

    async def remove_neighbor(self, peer: str, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the peer (Cease 6/3 once what is pending is sent) and forget it."""
        if not self._started:
            self._neighbors = [neighbor for neighbor in self._neighbors if neighbor.peer() != peer]
            return
        found = self._peer(peer)
        found.stop(3, reason='removed')
        del self._peers[peer]
        task = self._tasks.pop(peer, None)
        if task is not None:
            done, _ = await asyncio.wait([task], timeout=timeout)
            if not done:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        await self._listen()

    # ------------------------------------------------------------------ routes

    async def announce(self, *changes: Route | str, peer: str | None = None) -> int:
        """Put routes (values, or 5.0's text: see `routes()`) in the Adj-RIB-Out of `peer`, or of
        every peer configured for their family; returns how many RIB entries changed."""
        return self._change(changes, peer, withdraw=False)

    async def withdraw(self, *changes: Route | str, peer: str | None = None) -> int:
        """Take routes out of the Adj-RIB-Out (as `announce`)."""
        return self._change(changes, peer, withdraw=True)

    def _change(self, changes: tuple[Route | str, ...], peer: str | None, withdraw: bool) -> int:
        if not self._started:
            raise RuntimeError('the speaker is not running: use `async with Speaker(...)`')
        made: list[Route] = []
        for change in changes:
            made.extend(routes(change, self._builder) if isinstance(change, str) else [change])
        chosen = [self._peer(peer)] if peer is not None else list(self._peers.values())
        if not chosen:
            raise ValueError('no neighbor is configured')
        applied = 0
        refused: list[str] = []
        touched = set()
        for one in chosen:
            rib = one.rib_out
            for value in made:
                problem = _unusable(one, value, withdraw)
                if problem is not None:
                    refused.append(problem)
                    continue
                if withdraw:
                    rib.withdraw(value)
                else:
                    rib.announce(value)
                applied += 1
                touched.add(one)
        if made and not applied:
            raise ValueError('; '.join(dict.fromkeys(refused)))
        for problem in dict.fromkeys(refused):
            # some went in, these did not: said, as the API's warning does
            log.warning(f'route not {"withdrawn" if withdraw else "announced"}: {problem}')
        for one in touched:
            one.flush()
        return applied

    async def sent(self, peer: str | None = None, timeout: float | None = None) -> None:
        """Wait until the established session of `peer` (of every established peer when None) has
        been written every change of its Adj-RIB-Out (handed to the kernel, not acknowledged by
        the peer); TimeoutError after `timeout`. A peer not established is not waited for."""
        async with asyncio.timeout(timeout):
            chosen = [self._peer(peer)] if peer is not None else list(self._peers.values())
            for one in chosen:
                if one.established is not None:
                    await one.sender.idle.wait()

    def rib_out(self, peer: str) -> list[Route]:
        """The routes the peer is (or will be, once established) sent."""
        return list(self._peer(peer).rib_out.routes())

    def rib_in(self, peer: str) -> list[Route]:
        """The routes the peer sent on its established session (empty with `adj-rib-in false`)."""
        return list(self._peer(peer).rib_in.routes())

    # ------------------------------------------------------------------ events

    def events(self, peer: str | None = None, queue: int | None = None) -> Events:
        """A subscription to the events of `peer` (every peer when None), from now on."""
        if peer is not None and self._started:
            self._peer(peer)
        subscription = Events(peer, queue or self.queue, self._subscriptions.remove)
        self._subscriptions.append(subscription)
        return subscription


def _unusable(peer: Peer, value: Route, withdraw: bool) -> str | None:
    family = value.nlri.family
    neighbor = peer.neighbor
    if family not in neighbor.families:
        return f'the family {family} is not configured on {neighbor.name()}'
    if withdraw or value.nexthop is not SELF:
        return None
    local = peer.local_address()
    return None if local is None else self_unusable(family, local)
