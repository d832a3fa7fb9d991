"""One configured neighbor: its connections, its sessions one after another, and its RIBs.

Invariants:
- A peer task connects (unless passive) and accepts connections handed over by the listener; each
  connection runs its own `Channel`. When two are alive and one receives the peer's OPEN while the
  other is in OPENCONFIRM, RFC 4271 6.8 decides which stays (`session.collision`); a connection
  arriving while one is ESTABLISHED is refused with Cease 6/7.
- Routes live in the Adj-RIB-Out, which outlives sessions: a new session sends the whole table, then
  End-of-RIB for every negotiated family (unless `manual-eor`). Changes made while no session is up
  wait there.
- The sender writes UPDATEs in batches and awaits `drain()` between them, so a slow peer slows only
  its own sender, and a big table never starves keepalives (timers run between batches).
- After a session ends the peer waits as 5.0's back-off says before connecting again; with
  `tcp.attempts` set it stops after that many connection attempts.
"""

import asyncio
import contextlib
from ipaddress import IPv4Address, IPv6Address

from exabgp import logger
from exabgp.bgp.errors import CONNECTION_COLLISION_RESOLUTION
from exabgp.bgp.family import Family
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.refresh import BEGIN, END, QUERY, RouteRefresh
from exabgp.bgp.negotiated import Negotiated, Refresh
from exabgp.bgp.route import Route
from exabgp.configuration.model import Neighbor
from exabgp.reactor import tcp
from exabgp.reactor.channel import Channel
from exabgp.reactor.neighbor import address, self_resolver, session_config
from exabgp.reactor.observer import Observer
from exabgp.rib.incoming import AdjRibIn
from exabgp.rib.outgoing import AdjRibOut
from exabgp.session.backoff import Backoff
from exabgp.session.collision import keep_outgoing
from exabgp.session.events import Closed, Established, Negotiation, Received, Sent, StateChanged
from exabgp.session.session import Session
from exabgp.session.state import State
from exabgp.settings import Settings

network = logger.get('network')
reactor_log = logger.get('reactor')

CONNECT_TIMEOUT = 30.0
BATCH = 64 * 1024  # octets of UPDATEs written between two drains


class Peer:
    def __init__(self, neighbor: Neighbor, settings: Settings, observer: Observer, *, generated: bool = False) -> None:
        self.neighbor = neighbor
        self.settings = settings
        self.observer = observer
        self.generated = generated
        self.log = logger.PeerLog(network, f'{neighbor.peer()} ASN {neighbor.peer_as}')
        self.rib_out = AdjRibOut(neighbor.families, neighbor.group_updates)
        self.rib_in = AdjRibIn()
        self.backoff = Backoff()
        self.attempts = 0
        self.channels: list[Channel] = []
        self.established: Channel | None = None
        self.negotiated: Negotiated | None = None
        self.done = asyncio.Event()
        self._incoming: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
        self._changed = asyncio.Event()
        self._refreshing: set[Family] = set()  # families refreshed between BoRR and EoRR
        self._stopping = False
        self._stop_subcode = 3
        self._stop_text: str | None = None
        self._restarted = True
        self._load_routes(neighbor)

    # ------------------------------------------------------------------ routes

    def _load_routes(self, neighbor: Neighbor) -> None:
        for route in neighbor.announced():
            self.rib_out.announce(route)
        for name, (announced, withdrawn) in neighbor.watched().items():
            for route in withdrawn:
                self.rib_out.announce_watched(name, route, withdrawn=True)
            for route in announced:
                self.rib_out.announce_watched(name, route, withdrawn=False)

    def announce(self, route: Route) -> bool:
        changed = self.rib_out.announce(route)
        if changed:
            self._changed.set()
        return changed

    def withdraw(self, route: Route) -> None:
        self.rib_out.withdraw(route)
        self._changed.set()

    def flush(self) -> None:
        self._changed.set()

    def reconfigure(self, neighbor: Neighbor) -> None:
        """Same neighbor, new routes: announce what is new or changed, withdraw what went away."""
        old = {route.nlri: route for route in self.neighbor.announced()}
        new = {route.nlri: route for route in neighbor.announced()}
        self.neighbor = neighbor
        for nlri, route in old.items():
            if nlri not in new:
                self.rib_out.withdraw(route)
        for route in new.values():
            self.rib_out.announce(route)
        self._changed.set()

    # ------------------------------------------------------------------ control

    @property
    def name(self) -> str:
        return self.neighbor.name()

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def passive(self) -> bool:
        return self.neighbor.passive or self.settings.bgp.passive or self.neighbor.auto_discovery

    def incoming(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._incoming.put_nowait((reader, writer))

    def stop(self, subcode: int = 3, text: str | None = None) -> None:
        """Stop for good: close the sessions with Cease `subcode` and end the peer task."""
        self._stopping = True
        self._stop_subcode = subcode
        self._stop_text = text
        for channel in list(self.channels):
            channel.stop(subcode, text)
        self._incoming.put_nowait(None)  # type: ignore[arg-type]
        self._changed.set()

    def teardown(self, subcode: int, text: str | None = None) -> None:
        """Close the sessions with Cease `subcode`; the peer connects again afterwards."""
        self.backoff.reset()
        for channel in list(self.channels):
            channel.stop(subcode, text)

    # ------------------------------------------------------------------ the task

    async def run(self) -> None:
        try:
            while not self._stopping:
                channel = await self._connection()
                if channel is None:
                    continue
                await self._serve(channel)
                if self._exhausted():
                    self.log.info('maximum connection attempts reached, stopping the peer')
                    break
                await self._wait_backoff()
        finally:
            for channel in list(self.channels):
                channel.stop(self._stop_subcode, self._stop_text)
            self.done.set()

    def _exhausted(self) -> bool:
        limit = self.settings.tcp.attempts
        return bool(limit) and self.attempts >= limit

    async def _wait_backoff(self) -> None:
        delay = self.backoff.failed()
        if delay <= 0 or self._stopping:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wait_incoming_peek(), delay)

    async def _wait_incoming_peek(self) -> None:
        # an incoming connection (or stop) cuts the back-off short
        item = await self._incoming.get()
        self._incoming.put_nowait(item)

    async def _connection(self) -> Channel | None:
        """The next connection: accepted from the listener or, unless passive, opened by us."""
        if self.passive:
            return self._accepted(await self._incoming.get())
        outgoing = asyncio.create_task(self._connect())
        waiting = asyncio.create_task(self._incoming.get())
        done, _ = await asyncio.wait((outgoing, waiting), return_when=asyncio.FIRST_COMPLETED)
        if waiting in done:
            outgoing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await outgoing
            return self._accepted(waiting.result())
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        try:
            reader, writer = outgoing.result()
        except (OSError, TimeoutError) as exc:
            self.log.info(f'connection to {self.neighbor.peer()} failed: {exc}')
            await self._failed()
            return None
        channel = self._channel(reader, writer, outgoing=True)
        if channel is None:
            await self._failed()
        return channel

    async def _failed(self) -> None:
        """Our connection attempt came to nothing: stop at the attempts limit, else back off."""
        if self._exhausted():
            self._stopping = True
        else:
            await self._wait_backoff()

    def _accepted(self, item: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> Channel | None:
        if item is None:
            return None
        reader, writer = item
        return self._channel(reader, writer, outgoing=False)

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        neighbor = self.neighbor
        self.attempts += 1
        peer = str(neighbor.peer_address)
        port = neighbor.connect or self.settings.tcp.port
        sock = tcp.create(peer, neighbor.source_interface)
        try:
            if neighbor.local_address is not None:
                tcp.bind(sock, str(neighbor.local_address))
            if neighbor.md5_password:
                key = tcp.md5_key(neighbor.md5_password, neighbor.md5_base64)
                tcp.set_md5(sock, str(neighbor.md5_ip or neighbor.peer_address), key)
            if neighbor.outgoing_ttl:
                tcp.set_ttl(sock, peer, neighbor.outgoing_ttl)
            if neighbor.incoming_ttl:
                tcp.set_min_ttl(sock, peer, neighbor.incoming_ttl)
            loop = asyncio.get_running_loop()
            self.log.debug(f'connecting to {peer}:{port}')
            await asyncio.wait_for(loop.sock_connect(sock, (peer, port)), CONNECT_TIMEOUT)
            return await asyncio.open_connection(sock=sock)
        except BaseException:
            sock.close()
            raise

    def _channel(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, outgoing: bool) -> Channel | None:
        """A channel for the connection; None if it was already gone when asyncio took it (the peer
        reset it at once: the transport then knows no addresses)."""
        sockname = writer.get_extra_info('sockname')
        remote = writer.get_extra_info('peername')
        if not sockname or not remote:
            self.log.info(f'{"outgoing" if outgoing else "incoming"} connection lost before it could be used')
            writer.close()
            return None
        local = address(sockname[0])
        config = session_config(
            self.neighbor,
            self.settings,
            local,
            restarted=self._restarted,
            report_sent=self.observer.wants_sent(self),
        )
        session = Session(config, outgoing=outgoing)
        channel = Channel(session, reader, writer, lambda events: self._events(channel, events))
        self.channels.append(channel)
        self.log.info(f'{"outgoing" if outgoing else "incoming"} connection {local} - {remote[0]}')
        self.observer.connected(self)
        return channel

    async def _serve(self, first: Channel) -> None:
        """Run `first` and any connection accepted meanwhile, until none is left."""
        tasks = {asyncio.create_task(first.run()): first}
        accept = asyncio.create_task(self._incoming.get())
        try:
            while tasks:
                done, _ = await asyncio.wait((*tasks, accept), return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task is accept:
                        item = task.result()
                        if item is not None:
                            extra = self._collide(item)
                            if extra is not None:
                                tasks[asyncio.create_task(extra.run())] = extra
                        accept = asyncio.create_task(self._incoming.get())
                        continue
                    channel = tasks.pop(task)
                    self._closed(channel, task)
        finally:
            accept.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await accept

    def _collide(self, item: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> Channel | None:
        reader, writer = item
        if self._stopping or self.established is not None:
            text = 'could not accept the connection, already established'
            wire = Notification.outgoing(6, CONNECTION_COLLISION_RESOLUTION, text).pack(Negotiated())
            writer.write(wire)
            writer.close()
            self.log.info('refused an incoming connection: a session is already established')
            return None
        return self._channel(reader, writer, outgoing=False)

    def _closed(self, channel: Channel, task: asyncio.Task) -> None:
        self.channels.remove(channel)
        if channel is self.established:
            self.established = None
            self.negotiated = None
            self.rib_in.clear()
        exc = task.exception()
        if exc is not None:
            reactor_log.error(f'peer {self.neighbor.peer()}: the session failed: {exc!r}')

    # ------------------------------------------------------------------ session events

    def _events(self, channel: Channel, events: list[object]) -> None:
        observer = self.observer
        for event in events:
            if isinstance(event, Received):
                self._received(event)
                observer.received(self, event.message, event.header, event.body)
            elif isinstance(event, Sent):
                observer.sent(self, event.message, event.header, event.body)
            elif isinstance(event, StateChanged):
                observer.fsm(self, str(event.new).lower())
            elif isinstance(event, Negotiation):
                self._negotiation(channel, event)
            elif isinstance(event, Established):
                self._established(channel, event)
            elif isinstance(event, Closed):
                self.log.info(f'session closed: {event.reason}')
                if channel is self.established:
                    observer.down(self, str(event.reason))

    def _received(self, event: Received) -> None:
        message = event.message
        if isinstance(message, RouteRefresh):
            self._refresh(message)
            return
        announced = getattr(message, 'announced', None)
        if announced is None or not self.neighbor.adj_rib_in:
            return
        self.rib_in.update(announced, message.withdrawn)  # type: ignore[attr-defined]

    def _refresh(self, message: RouteRefresh) -> None:
        """A refresh request: that family's routes again (RFC 2918), between a Beginning and an End
        of Route Refresh when enhanced route refresh was negotiated (RFC 7313). A peer's own BoRR
        and EoRR ask for nothing (5.0 resends the table on those too)."""
        negotiated = self.negotiated
        if message.subtype != QUERY or negotiated is None or message.family not in negotiated.families:
            return
        self.rib_out.resend((message.family,))
        if negotiated.refresh is Refresh.ENHANCED:
            self._refreshing.add(message.family)
        self._changed.set()

    def _negotiation(self, channel: Channel, event: Negotiation) -> None:
        self.observer.negotiated(self, event.sent, event.received, event.negotiated)
        local_id = event.sent.router_id
        remote_id = event.received.router_id
        for other in list(self.channels):
            if other is channel or other.session.state not in (State.OPENCONFIRM, State.ESTABLISHED):
                continue
            if other.session.state is State.ESTABLISHED:
                loser = channel
            else:
                winner_outgoing = keep_outgoing(local_id, remote_id)
                loser = other if other.session.outgoing != winner_outgoing else channel
            self.log.info(
                f'connection collision: closing the {"outgoing" if loser.session.outgoing else "incoming"} one'
            )
            loser.stop(CONNECTION_COLLISION_RESOLUTION)
            if loser is channel:
                return

    def _established(self, channel: Channel, event: Established) -> None:
        self.established = channel
        self.negotiated = event.negotiated
        self.backoff.reset()
        self._restarted = False
        self._refreshing.clear()
        self.log.info('session established')
        self.observer.up(self)
        asyncio.get_running_loop().create_task(self._sender(channel))

    # ------------------------------------------------------------------ sending

    async def _sender(self, channel: Channel) -> None:
        session = channel.session
        negotiated = session.negotiated
        local = address(channel.writer.get_extra_info('sockname')[0])
        resolve = self_resolver(local, session.config.router_id)
        rate = self.neighbor.rate_limit
        self.rib_out.resend()
        first = True
        try:
            while session.state is State.ESTABLISHED:
                self._changed.clear()
                refreshing, self._refreshing = self._refreshing, set()
                for family in refreshing:
                    channel.send_wire(RouteRefresh(family, BEGIN).pack(negotiated))
                await self._send_updates(channel, negotiated, resolve, rate)
                if refreshing and session.state is State.ESTABLISHED:
                    channel.send_wire(b''.join(RouteRefresh(family, END).pack(negotiated) for family in refreshing))
                    await channel.drain()
                if first:
                    first = False
                    if not self.neighbor.manual_eor and session.state is State.ESTABLISHED:
                        channel.send_wire(b''.join(self.rib_out.end_of_rib(negotiated)))
                        await channel.drain()
                if session.state is not State.ESTABLISHED or self._stopping:
                    return
                await self._changed.wait()
        except Exception as exc:  # one peer's failure must not take the daemon down
            reactor_log.error(f'peer {self.neighbor.peer()}: sending updates failed: {exc!r}')
            channel.stop(0, 'internal error while sending updates')

    async def _send_updates(self, channel: Channel, negotiated: Negotiated, resolve, rate: int) -> None:
        session = channel.session
        batch: list[bytes] = []
        size = 0
        for wire in self.rib_out.updates(negotiated, resolve):
            if session.state is not State.ESTABLISHED:
                return
            if rate:
                channel.send_wire(wire)
                await channel.drain()
                await asyncio.sleep(1.0 / rate)
                continue
            batch.append(wire)
            size += len(wire)
            if size >= BATCH:
                channel.send_wire(b''.join(batch))
                batch.clear()
                size = 0
                await channel.drain()
        if batch and session.state is State.ESTABLISHED:
            channel.send_wire(b''.join(batch))
            await channel.drain()

    # ------------------------------------------------------------------ views

    def local_address(self) -> IPv4Address | IPv6Address | None:
        channel = self.established or (self.channels[0] if self.channels else None)
        if channel is None:
            return self.neighbor.local_address
        return address(channel.writer.get_extra_info('sockname')[0])
