"""BMP export (RFC 7854): every peer mirrored to the BMP stations of the configuration.

`Exporter` is an `Observer`: the reactor calls it synchronously for every event, it builds the BMP
message once (bmp/message.py) and queues it for each connected station; one task per station
connects (TCP, active), writes and drains its queue.

Invariants:
- Never blocks nor slows a BGP session: an event is one message built and appended to a bounded
  queue per station. A station whose queue passes `limit` octets (it reads slower than our peers
  send) is disconnected, with the reason logged, and resynchronised when it connects again.
- A station that connects gets the Initiation (sysName, sysDescr), then for each peer up at that
  moment its Peer Up and its current Adj-RIB-In as Route Monitoring messages (from the mirror this
  module keeps, packed again as the peer would send it), then the live events queued from that
  same moment on: nothing is lost or repeated between the snapshot and the live stream.
- Route Monitoring is pre-policy Adj-RIB-In (we have no policy): each UPDATE exactly as received,
  with the A flag when the session did not negotiate 4-octet ASNs. A station with `adj-rib-out`
  also gets each UPDATE we send, exactly as sent, as post-policy Adj-RIB-Out (RFC 8671: flags O
  and L); the sent UPDATEs are mirrored (read back) only while some station asks for them, so a
  station added by a reload gets in its replay only the Adj-RIB-Out routes sent since.
- A peer is "up" for BMP from its session's ESTABLISHED to the end of that session: the Peer Down
  is sent only for the session a Peer Up was sent for (a collision's losing connection has none).
- A station that is unreachable, or goes away, is tried again after a back-off doubling from
  `retry` to `retry_max` seconds, reset by a successful connection.
- `stop()` queues a Termination to each connected station, gives it `grace` seconds to be written,
  then closes every connection and ends the station tasks.
"""

import asyncio
import contextlib
import dataclasses
import itertools
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from exabgp import lazy, logger
from exabgp.bgp.attribute.base import Action
from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import Family
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message
from exabgp.bgp.message.update import Update
from exabgp.bgp.message.update_pack import messages as pack_updates
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.route import Route
from exabgp.configuration.model import BMPStation, Neighbor
from exabgp.reactor.observer import Observer, PeerView
from exabgp.rib.incoming import AdjRibIn
from exabgp.session.events import Sent
from exabgp.version import RELEASE

# the BMP messages load with the first station: a daemon without one never imports them
if TYPE_CHECKING:
    from exabgp.bmp import message as bmp
else:
    bmp = lazy.module('exabgp.bmp.message')

log = logger.get('reactor')

LIMIT = 64 * 1024 * 1024  # octets queued for one station before it is dropped
RETRY = 1.0
RETRY_MAX = 30.0
CONNECT_TIMEOUT = 10.0
GRACE = 5.0
# routes packed in one go when a station is resynchronised, between two drains
CHUNK = 2000
CEASE = 6


class Mirrored:
    """One established session as BMP sees it: its per-peer headers, its Peer Up, its Adj-RIB-In, and
    its Adj-RIB-Out while a station asks for it."""

    __slots__ = (
        'as_peer',
        'duplicate_withdraws',
        'header',
        'negotiated',
        'out_header',
        'prefixes_withdrawn',
        'rib',
        'rib_out',
        'up',
        'updates_withdrawn',
    )

    def __init__(self, header: bytes, out_header: bytes, up: bytes, negotiated: Negotiated) -> None:
        self.header = header
        self.out_header = out_header
        self.up = up
        self.negotiated = negotiated
        # how the peer encodes what it sends: the resync packs the routes again that way
        self.as_peer = dataclasses.replace(
            negotiated,
            local_as=negotiated.peer_as,
            peer_as=negotiated.local_as,
            addpath_send=negotiated.addpath_receive,
            addpath_receive=negotiated.addpath_send,
        )
        self.rib = AdjRibIn()
        # what we sent (RFC 8671), from the first UPDATE sent while a station asks for it
        self.rib_out: AdjRibIn | None = None
        self.duplicate_withdraws = 0
        self.updates_withdrawn = 0
        self.prefixes_withdrawn = 0

    def received(self, update: Update) -> None:
        rib = self.rib
        if update.withdrawn:
            before = len(rib)
            rib.update((), update.withdrawn)
            # a withdrawal removing nothing was a duplicate (RFC 7854 4.8 type 2)
            self.duplicate_withdraws += len(update.withdrawn) - (before - len(rib))
        rib.update(update.announced, ())
        if update.action is Action.TREAT_AS_WITHDRAW:
            self.updates_withdrawn += 1
            self.prefixes_withdrawn += len(update.withdrawn)

    def sent(self, update: Update) -> None:
        if self.rib_out is None:
            self.rib_out = AdjRibIn()
        self.rib_out.update(update.announced, update.withdrawn)

    def statistics(self, out: bool) -> list[tuple[int, bytes]]:
        found: list[tuple[int, bytes]] = [
            (bmp.Stat.DUPLICATE_WITHDRAW, bmp.counter(self.duplicate_withdraws)),
            (bmp.Stat.UPDATES_AS_WITHDRAW, bmp.counter(self.updates_withdrawn)),
            (bmp.Stat.PREFIXES_AS_WITHDRAW, bmp.counter(self.prefixes_withdrawn)),
        ]
        found.extend(_gauges(self.rib, bmp.Stat.ADJ_RIB_IN, bmp.Stat.ADJ_RIB_IN_FAMILY))
        if out:
            rib_out = self.rib_out or AdjRibIn()
            found.extend(_gauges(rib_out, bmp.Stat.ADJ_RIB_OUT_POST, bmp.Stat.ADJ_RIB_OUT_POST_FAMILY))
        return found

    def snapshot(self, out: bool) -> Iterator[bytes]:
        """The Adj-RIB-In (and the Adj-RIB-Out when `out`) as Route Monitoring messages: the
        routes are those of now, the messages built later, `CHUNK` routes at a time, the Adj-RIB-In
        packed as the peer sends, the Adj-RIB-Out as we send."""
        replays = [_replay(list(self.rib.routes()), self.header, self.as_peer)]
        if out and self.rib_out is not None:
            replays.append(_replay(list(self.rib_out.routes()), self.out_header, self.negotiated))
        return itertools.chain.from_iterable(replays)


def _gauges(rib: AdjRibIn, total: int, per_family: int) -> list[tuple[int, bytes]]:
    families: dict[Family, int] = {}
    for route in rib.routes():
        family = route.nlri.family
        families[family] = families.get(family, 0) + 1
    found = [(total, bmp.gauge(len(rib)))]
    found.extend(
        (per_family, bmp.family_gauge(family.afi, family.safi, count)) for family, count in sorted(families.items())
    )
    return found


def _replay(routes: list[Route], header: bytes, negotiated: Negotiated) -> Iterator[bytes]:
    for start in range(0, len(routes), CHUNK):
        stamp = time.time()
        try:
            updates = pack_updates(routes[start : start + CHUNK], (), negotiated)
        except ValueError as error:
            log.error(f'BMP: routes of a RIB could not be packed again for a station: {error}')
            continue
        yield b''.join(bmp.route_monitoring(header, stamp, update) for update in updates)


class Station:
    """One BMP station: its connection task and its queue."""

    def __init__(self, config: BMPStation, exporter: 'Exporter') -> None:
        self.config = config
        self.exporter = exporter
        self.name = f'bmp {config.name} ({config.host} port {config.port})'
        self.queue: deque[bytes] = deque()
        self.queued = 0
        self.wake = asyncio.Event()
        # events are queued only while connected: a reconnection replays the state instead
        self.live = False
        self.overflowed = False
        self.stopping = False
        # octets written, and connections dropped for a full queue (what a test or a look reads)
        self.sent = 0
        self.drops = 0
        self._timer: asyncio.TimerHandle | None = None
        self._writer: asyncio.StreamWriter | None = None

    def push(self, message: bytes) -> None:
        if not self.live:
            return
        self.queue.append(message)
        self.queued += len(message)
        if self.queued > self.exporter.limit:
            self._overflow()
        self.wake.set()

    def _overflow(self) -> None:
        """The station reads slower than the peers send: drop it now (the writer may be waiting on
        its drain) and forget what was queued; it gets the whole state again when it reconnects."""
        log.warning(
            f'{self.name}: more than {self.exporter.limit} octets waiting for the station, which reads '
            'slower than the peers send: dropping the connection, the state is sent again on reconnection'
        )
        self.live = False
        self.overflowed = True
        self.drops += 1
        self.queue.clear()
        self.queued = 0
        if self._writer is not None:
            self._writer.transport.abort()

    async def run(self) -> None:
        exporter = self.exporter
        delay = exporter.retry
        while not self.stopping:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(str(self.config.host), self.config.port), CONNECT_TIMEOUT
                )
            except (OSError, TimeoutError) as error:
                log.info(f'{self.name}: could not connect ({error}), trying again in {delay:g}s')
                await self._pause(delay)
                delay = min(delay * 2, exporter.retry_max)
                continue
            delay = exporter.retry
            log.info(f'{self.name}: connected')
            try:
                if not self.stopping:
                    await self._session(reader, writer)
                if not self.stopping and not self.overflowed:
                    log.info(f'{self.name}: the station closed the connection')
            except OSError as error:
                if not self.overflowed:
                    log.info(f'{self.name}: connection lost ({error})')
            finally:
                self._writer = None
                self.live = False
                self.overflowed = False
                self.queue.clear()
                self.queued = 0
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
            if not self.stopping:
                await self._pause(delay)

    async def _pause(self, seconds: float) -> None:
        """Sleep, unless the exporter stops meanwhile."""
        self.wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), seconds)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        exporter = self.exporter
        # the snapshot and the start of the live queue are taken at the same instant
        snapshots = [
            (mirrored.up, mirrored.snapshot(self.config.adj_rib_out)) for mirrored in exporter.mirrored.values()
        ]
        self.live = True
        self._writer = writer
        # RFC 7854: the station sends nothing; reading tells us when it goes away
        ended = asyncio.ensure_future(_until_closed(reader))
        ended.add_done_callback(lambda _: self.wake.set())
        if self.config.statistics_timeout:
            self._timer = asyncio.get_running_loop().call_later(self.config.statistics_timeout, self._statistics)
        try:
            writer.write(exporter.initiation)
            for up, snapshot in snapshots:
                writer.write(up)
                for chunk in snapshot:
                    writer.write(chunk)
                    await writer.drain()
                    if ended.done() or self.overflowed:
                        return
            while not self.overflowed:
                if self.queue:
                    batch = b''.join(self.queue)
                    self.queue.clear()
                    self.queued = 0
                    writer.write(batch)
                    self.sent += len(batch)
                    await writer.drain()
                    continue
                if ended.done() or self.stopping:
                    return
                self.wake.clear()
                await self.wake.wait()
        finally:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            ended.cancel()

    def _statistics(self) -> None:
        stamp = time.time()
        for mirrored in self.exporter.mirrored.values():
            self.push(bmp.statistics_report(mirrored.header, stamp, mirrored.statistics(self.config.adj_rib_out)))
        self._timer = asyncio.get_running_loop().call_later(self.config.statistics_timeout, self._statistics)

    def stop(self, message: bytes) -> None:
        self.push(message)
        self.stopping = True
        self.wake.set()


async def _until_closed(reader: asyncio.StreamReader) -> None:
    """Read (and ignore) what the station sends until it closes the connection."""
    while await reader.read(65536):
        pass


class Exporter(Observer):
    """Mirrors every peer to every configured BMP station."""

    @property
    def initiation(self) -> bytes:
        """What a station hears first on each connection (RFC 7854 4.3)."""
        return bmp.initiation(
            [
                (bmp.Information.SYS_DESCR, f'ExaBGP {RELEASE}'.encode()),
                (bmp.Information.SYS_NAME, socket.gethostname().encode()),
            ]
        )

    def __init__(
        self,
        *,
        limit: int = LIMIT,
        retry: float = RETRY,
        retry_max: float = RETRY_MAX,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.retry = retry
        self.retry_max = retry_max
        self.clock = clock
        # peer key -> the established session mirrored
        self.mirrored: dict[int, Mirrored] = {}
        # peer key -> {id(negotiated): (negotiated, sent OPEN, received OPEN, peer's BGP id)}
        self._opens: dict[int, dict[int, tuple[Negotiated, bytes, bytes, IPv4Address]]] = {}
        # peer key -> the last OPENs received, as they came (a peer may group its capabilities
        # in one optional parameter, which packing the value again would not): (value, wire)
        self._received_opens: dict[int, deque[tuple[Open, bytes]]] = {}
        # peer key -> the last NOTIFICATION (whole message) sent and received
        self._notifications: dict[int, tuple[bytes, bytes]] = {}
        self.stations: dict[str, Station] = {}
        # some station wants the Adj-RIB-Out (RFC 8671): only then are sent UPDATEs mirrored
        self.out = False
        self._tasks: dict[str, asyncio.Task] = {}
        self._group: asyncio.TaskGroup | None = None
        # the daemon makes us one of its observers when it starts with a station, only then
        self.attached = False

    # ------------------------------------------------------------------ stations

    def start(self, group: asyncio.TaskGroup, stations: Sequence[BMPStation]) -> None:
        """Connect to the stations of the configuration the daemon starts with."""
        self._group = group
        self.attached = bool(stations)
        self.configure(stations)

    def configure(self, stations: Sequence[BMPStation]) -> None:
        """Follow the configuration (at start and on reload): a new station is connected to, one whose
        settings changed is connected to again, a removed one is sent a Termination and closed."""
        if self._group is None:
            return
        if stations and not self.attached:
            log.warning('BMP stations are added by a restart of the daemon when it started without any')
            return
        wanted = {station.name: station for station in stations}
        for name, station in list(self.stations.items()):
            if wanted.get(name) != station.config:
                station.stop(
                    bmp.termination(bmp.TerminationReason.PERMANENTLY_CLOSED, 'removed from the configuration')
                )
                del self.stations[name]
        for name, config in wanted.items():
            if name not in self.stations:
                station = self.stations[name] = Station(config, self)
                self._tasks[name] = self._group.create_task(station.run())
        self.out = any(station.adj_rib_out for station in wanted.values())
        if not self.out:
            # what is sent from now on is not mirrored: a copy kept would go stale
            for mirrored in self.mirrored.values():
                mirrored.rib_out = None

    async def stop(self, grace: float = GRACE) -> None:
        message = bmp.termination(bmp.TerminationReason.ADMINISTRATIVELY_CLOSED, 'shutting down')
        for station in self.stations.values():
            station.stop(message)
        tasks = [task for task in self._tasks.values() if not task.done()]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()

    def _push(self, message: bytes) -> None:
        for station in self.stations.values():
            station.push(message)

    def _push_out(self, message: bytes) -> None:
        for station in self.stations.values():
            if station.config.adj_rib_out:
                station.push(message)

    # ------------------------------------------------------------------ observer

    def wants_sent(self, neighbor: Neighbor) -> bool:
        # the NOTIFICATION we send closes a session: the Peer Down carries it
        return True

    def negotiated(self, peer: PeerView, sent: Open, received: Open, negotiated: Negotiated) -> None:
        opens = self._opens.setdefault(peer.key, {})
        # only the sessions of a collision can be negotiated at once: keep the last two
        while len(opens) > 1:
            del opens[next(iter(opens))]
        # ours goes out as Open.pack makes it; theirs is taken as it came when we have it
        wire = next((raw for value, raw in self._received_opens.get(peer.key, ()) if value is received), b'')
        opens[id(negotiated)] = (
            negotiated,
            sent.pack(negotiated),
            wire or received.pack(negotiated),
            received.router_id,
        )

    def up(self, peer: PeerView) -> None:
        negotiated = peer.established
        if negotiated is None:
            return
        found = self._opens.get(peer.key, {}).pop(id(negotiated), None)
        if found is None or found[0] is not negotiated:
            return
        _, sent, received, bgp_id = found
        self._received_opens.pop(peer.key, None)
        neighbor = peer.neighbor
        flags = 0 if negotiated.asn4 else bmp.Flag.AS2
        header = bmp.peer_header(neighbor.peer_address, negotiated.peer_as, bgp_id, flags)
        # RFC 8671: what we send is the post-policy Adj-RIB-Out (we apply no policy)
        out = bmp.Flag.ADJ_RIB_OUT | bmp.Flag.POST_POLICY
        out_header = bmp.peer_header(neighbor.peer_address, negotiated.peer_as, bgp_id, flags | out)
        local = peer.local_address or neighbor.local_address or neighbor.peer_address
        up = bmp.peer_up(header, self.clock(), local, peer.ports[0], peer.ports[1], sent, received)
        self.mirrored[peer.key] = Mirrored(header, out_header, up, negotiated)
        self._notifications.pop(peer.key, None)
        self._push(up)

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        if isinstance(message, Update):
            mirrored = self.mirrored.get(peer.key)
            if mirrored is None:
                return
            mirrored.received(message)
            self._push(bmp.route_monitoring(mirrored.header, self.clock(), header + body))
        elif isinstance(message, Open):
            self._received_opens.setdefault(peer.key, deque(maxlen=2)).append((message, header + body))
        elif message.TYPE == MessageType.NOTIFICATION:
            sent, _ = self._notifications.get(peer.key, (b'', b''))
            self._notifications[peer.key] = (sent, header + body)

    def sent(self, peer: PeerView, sent: Sent) -> None:
        kind = sent.kind
        if kind == MessageType.UPDATE:
            if not self.out:
                return
            mirrored = self.mirrored.get(peer.key)
            if mirrored is None:
                return
            update = sent.message
            if not isinstance(update, Update):
                # packed from the Adj-RIB-Out: read back as the peer reads it
                try:
                    update = Update.unpack(sent.body, mirrored.as_peer)
                except PeerError as error:
                    log.error(f'BMP: an UPDATE we sent could not be read back for the Adj-RIB-Out: {error}')
                    return
            mirrored.sent(update)
            self._push_out(bmp.route_monitoring(mirrored.out_header, self.clock(), sent.wire))
        elif kind == MessageType.NOTIFICATION:
            _, received = self._notifications.get(peer.key, (b'', b''))
            self._notifications[peer.key] = (sent.wire, received)

    def down(self, peer: PeerView, reason: str) -> None:
        key = peer.key
        mirrored = self.mirrored.get(key)
        if mirrored is None or peer.current is not mirrored.negotiated:
            if peer.established is None:
                # no session of this peer is (or is about to be) mirrored: forget what it left
                self._opens.pop(key, None)
                self._received_opens.pop(key, None)
                self._notifications.pop(key, None)
            return
        del self.mirrored[key]
        self._opens.pop(key, None)
        self._received_opens.pop(key, None)
        sent, received = self._notifications.pop(key, (b'', b''))
        self._push(bmp.peer_down(mirrored.header, self.clock(), *down_reason(reason, sent, received)))

    def signal(self, peers: Iterable[PeerView], number: int) -> None:
        """Nothing to mirror: a signal that stops the daemon ends in `stop`."""


def down_reason(reason: str, sent: bytes, received: bytes) -> tuple[int, bytes]:
    """RFC 7854 4.9's reason and data for a session that ended: `reason` in 5.0's words (the
    API's "down" event), with the last NOTIFICATION sent and received on it."""
    if reason.startswith('notification received') and received:
        return bmp.DownReason.REMOTE_NOTIFICATION, received
    if reason.startswith('notification sent') and sent:
        return bmp.DownReason.LOCAL_NOTIFICATION, sent
    if reason.startswith('stop'):
        if '[removed]' in reason:
            return bmp.DownReason.DECONFIGURED, b''
        # told to stop (a shutdown, a reload): reported before the Cease leaves, so it is built
        # here; its subcode is the one the daemon stops peers with (6/6 other configuration change,
        # else 6/3 peer de-configured)
        subcode = 6 if 'configuration changed' in reason else 3
        return bmp.DownReason.LOCAL_NOTIFICATION, frame(MessageType.NOTIFICATION, bytes((CEASE, subcode)))
    return bmp.DownReason.REMOTE_NO_NOTIFICATION, b''
