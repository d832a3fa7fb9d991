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
- Messages the API asks for outside the RIB (End-of-RIB, ROUTE-REFRESH, OPERATIONAL) wait in
  `_extra` and go out after the next flush of the RIB, so they follow the routes changed before them.
- `stats` counts the messages of the current session by kind, as 5.0's `show neighbor` reports them.
"""

import asyncio
import contextlib
import time
from ipaddress import IPv4Address, IPv6Address

from exabgp import logger
from exabgp.bgp.errors import CONNECTION_COLLISION_RESOLUTION
from exabgp.bgp.family import Family
from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.refresh import BEGIN, END, QUERY, RouteRefresh
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.negotiated import Negotiated, Refresh
from exabgp.bgp.route import Route
from exabgp.configuration.model import Neighbor
from exabgp.reactor import md5drops, tcp
from exabgp.reactor.channel import Channel
from exabgp.reactor.neighbor import address, self_resolver, session_config
from exabgp.reactor.observer import Observer
from exabgp.rib.incoming import AdjRibIn
from exabgp.rib.outgoing import AdjRibOut
from exabgp.session.backoff import Backoff
from exabgp.session.collision import keep_outgoing
from exabgp.session.events import Closed, Established, Negotiation, Reason, Received, Sent, StateChanged, Why
from exabgp.session.session import Session
from exabgp.session.state import State
from exabgp.settings import Settings

network = logger.get('network')
reactor_log = logger.get('reactor')

CONNECT_TIMEOUT = 30.0
BATCH = 64 * 1024  # octets of UPDATEs written between two drains

OPENED = (State.OPENSENT, State.OPENCONFIRM, State.ESTABLISHED)

# the message kinds `show neighbor` counts, by type code
COUNTED = {
    MessageType.OPEN: 'open',
    MessageType.NOTIFICATION: 'notification',
    MessageType.KEEPALIVE: 'keepalive',
    MessageType.UPDATE: 'update',
    MessageType.ROUTE_REFRESH: 'refresh',
}


class Stats:
    """What `show neighbor` reports: messages of the current session, and when things happened."""

    __slots__ = ('complete', 'created', 'received', 'reset', 'sent')

    def __init__(self) -> None:
        self.created = self.reset = time.time()
        self.complete = 0.0
        self.sent = dict.fromkeys(COUNTED.values(), 0)
        self.received = dict.fromkeys(COUNTED.values(), 0)

    def closed(self) -> None:
        self.reset = time.time()
        self.complete = 0.0
        for counts in (self.sent, self.received):
            for kind in counts:
                counts[kind] = 0


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
        self._md5_before: dict[str, int] = {}  # the kernel MD5 drop counters as our last attempt began
        self.channels: list[Channel] = []
        self.established: Channel | None = None
        self.negotiated: Negotiated | None = None
        self.done = asyncio.Event()
        self._incoming: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
        self._changed = asyncio.Event()
        self._stopping = False
        self._stop_subcode = 3
        self._stop_text: str | None = None
        self._stop_reason = 'shutting down'
        self._report_sent = False
        self._opened: set[Channel] = set()
        self._event_channel: Channel | None = None
        self._restarted = True
        self._before: list[bytes] = []
        self._extra: list[bytes] = []
        self.stats = Stats()
        self._load_routes(neighbor)

    # ------------------------------------------------------------------ routes

    def _load_routes(self, neighbor: Neighbor) -> None:
        self.rib_out.hold(neighbor.announced())
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

    def send_after_flush(self, message: object) -> None:
        """A message (End-of-RIB, ROUTE-REFRESH, OPERATIONAL; a value or its wire form) to send once
        the pending routes are out; dropped when no session is established."""
        if self.established is None:
            return
        if not isinstance(message, bytes):
            message = message.pack(self.established.session.negotiated)  # type: ignore[attr-defined]
        self._extra.append(message)
        self._changed.set()

    def resend(self, families: list[Family] | None = None, enhanced: bool = False) -> None:
        """Send the Adj-RIB-Out again (`flush adj-rib out`, a ROUTE-REFRESH); `enhanced` wraps each
        family in RFC 7313's Beginning and End of Route Refresh."""
        chosen = list(self.rib_out.families) if families is None else families
        self.rib_out.resend(chosen)
        channel = self.established
        if enhanced and channel is not None:
            negotiated = channel.session.negotiated
            self._before.extend(RouteRefresh(family, BEGIN).pack(negotiated) for family in chosen)
            self._extra.extend(RouteRefresh(family, END).pack(negotiated) for family in chosen)
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

    def stop(self, subcode: int = 3, text: str | None = None, reason: str = 'shutting down') -> None:
        """Stop for good: close the sessions with Cease `subcode` and end the peer task; `reason` is
        what the API's "down" event says (5.0's words)."""
        self._stopping = True
        self._stop_subcode = subcode
        self._stop_text = text
        self._stop_reason = reason
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
            self.observer.fsm(self, 'idle')
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
        # the API's fsm events follow 5.0's peer: ACTIVE, IDLE, then CONNECT once TCP is up
        self.observer.fsm(self, 'active')
        self.observer.fsm(self, 'idle')
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
            if self.neighbor.md5_password and isinstance(exc, TimeoutError):
                self._unanswered_md5()
            await self._failed()
            return None
        channel = self._channel(reader, writer, outgoing=True)
        if channel is None:
            await self._failed()
        return channel

    def _unanswered_md5(self) -> None:
        """A signed connection attempt got no answer: a peer that cannot check a signature drops
        the segment silently, so say at the default level what is the likely cause."""
        neighbor = self.neighbor
        drops = md5drops.moved(self._md5_before, md5drops.read())
        counted = f'; meanwhile {md5drops.explain(drops)}' if drops else ''
        source = neighbor.md5_ip or neighbor.local_address
        self.log.warning(
            f'no answer to our TCP MD5 signed connection to {neighbor.peer_address}: if it is up, it has likely no '
            f'md5 password for {source or "our address"}, or not the same one{counted}'
        )

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
                # 5.0's md5-ip: the address we connect from (the local address unless set otherwise)
                tcp.bind(sock, str(neighbor.md5_ip or neighbor.local_address))
            if neighbor.md5_password:
                # the kernel finds the key by the remote address: the peer's, never ours
                tcp.set_md5(sock, peer, tcp.md5_key(neighbor.md5_password, neighbor.md5_base64))
            if neighbor.outgoing_ttl:
                tcp.set_ttl(sock, peer, neighbor.outgoing_ttl)
            if neighbor.incoming_ttl:
                tcp.set_min_ttl(sock, peer, neighbor.incoming_ttl)
            loop = asyncio.get_running_loop()
            self._md5_before = md5drops.read() if neighbor.md5_password else {}
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
            report_sent=True,
        )
        session = Session(config, outgoing=outgoing)
        self._report_sent = self.observer.wants_sent(self)
        channel = Channel(session, reader, writer, lambda events: self._events(channel, events))
        self.channels.append(channel)
        self.log.info(f'{"outgoing" if outgoing else "incoming"} connection {local} - {remote[0]}')
        self.observer.connected(self)
        self.observer.fsm(self, 'connect')
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
            self._before.clear()
            self._extra.clear()
        exc = task.exception()
        if exc is not None:
            reactor_log.error(f'peer {self.neighbor.peer()}: the session failed: {exc!r}')

    # ------------------------------------------------------------------ session events

    def _events(self, channel: Channel, events: list[object]) -> None:
        self._event_channel = channel
        observer = self.observer
        stats = self.stats
        for event in events:
            if isinstance(event, Received):
                message = event.message
                kind = COUNTED.get(message.TYPE)  # type: ignore[attr-defined]
                if kind is not None:
                    stats.received[kind] += 1
                self._received(event)
                observer.received(self, message, event.header, event.body)
            elif isinstance(event, Sent):
                kind = COUNTED.get(event.message.TYPE)  # type: ignore[attr-defined]
                if kind is not None:
                    stats.sent[kind] += 1
                if self._report_sent:
                    observer.sent(self, event.message, event.header, event.body)
            elif isinstance(event, StateChanged):
                if event.new is State.IDLE:
                    # reported after "down", as 5.0 does
                    if event.old in OPENED:
                        self._opened.add(channel)
                elif event.new in OPENED:
                    observer.fsm(self, str(event.new).lower())
            elif isinstance(event, Negotiation):
                self._negotiation(channel, event)
            elif isinstance(event, Established):
                self._established(channel, event)
            elif isinstance(event, Closed):
                self.log.info(f'session closed: {event.reason}')
                # 5.0 reports a session going down once it had sent or received an OPEN
                if channel in self._opened:
                    self._opened.discard(channel)
                    observer.down(self, self._down_reason(event.reason))
                observer.fsm(self, 'idle')
                if channel is self.established or self.established is None:
                    stats.closed()

    def _down_reason(self, reason: Reason) -> str:
        """Why a session ended, in 5.0's words for the API's "down" event."""
        if self._stopping:
            return f'stop, message [{self._stop_reason}]'
        notification = reason.notification
        if notification is None:
            return 'closing connection'
        way = 'received' if reason.why is Why.NOTIFICATION_RECEIVED else 'sent'
        return f'notification {way} ({notification.code},{notification.subcode})'

    def _received(self, event: Received) -> None:
        message = event.message
        if isinstance(message, RouteRefresh):
            if message.subtype == QUERY and self.established is not None:
                negotiated = self.established.session.negotiated
                self.resend([message.family], enhanced=negotiated.refresh == Refresh.ENHANCED)
            return
        announced = getattr(message, 'announced', None)
        if announced is None or not self.neighbor.adj_rib_in:
            return
        self.rib_in.update(announced, message.withdrawn)  # type: ignore[attr-defined]

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
        self.stats.complete = time.time()
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
        # 5.0 sends no withdrawal in the first flush of a session that has anything to send
        withdrawals = False
        try:
            while session.state is State.ESTABLISHED:
                self._changed.clear()
                if self._before:
                    await self._write(channel, self._take(self._before))
                if self.rib_out.pending():
                    await self._send_updates(channel, negotiated, resolve, rate, withdrawals)
                    withdrawals = True
                if first:
                    first = False
                    if not self.neighbor.manual_eor and session.state is State.ESTABLISHED:
                        await self._write(channel, list(self.rib_out.end_of_rib(negotiated)))
                if self._extra and session.state is State.ESTABLISHED:
                    await self._write(channel, self._take(self._extra))
                if session.state is not State.ESTABLISHED or self._stopping:
                    return
                await self._changed.wait()
        except Exception as exc:  # one peer's failure must not take the daemon down
            reactor_log.error(f'peer {self.neighbor.peer()}: sending updates failed: {exc!r}')
            channel.stop(0, 'internal error while sending updates')

    @staticmethod
    def _take(messages: list[bytes]) -> list[bytes]:
        taken = list(messages)
        messages.clear()
        return taken

    async def _write(self, channel: Channel, messages: list[bytes]) -> None:
        """Send whole messages (each one packed), counted and reported like the session's own."""
        if not messages or channel.session.state is not State.ESTABLISHED:
            return
        channel.send_wire(b''.join(messages))
        self._account(channel, messages)
        await channel.drain()

    def _account(self, channel: Channel, messages: list[bytes]) -> None:
        self._event_channel = channel
        sent = self.stats.sent
        report = self._report_sent
        for wire in messages:
            code = wire[18]
            kind = COUNTED.get(code)  # type: ignore[call-overload]
            if kind is not None:
                sent[kind] += 1
            if report:
                header, body = wire[:19], wire[19:]
                message = unpack_message(code, body, channel.session.negotiated)
                self.observer.sent(self, message, header, body)

    async def _send_updates(
        self, channel: Channel, negotiated: Negotiated, resolve, rate: int, withdrawals: bool
    ) -> None:
        session = channel.session
        batch: list[bytes] = []
        size = 0
        for wire in self.rib_out.updates(negotiated, resolve, withdrawals):
            if session.state is not State.ESTABLISHED:
                return
            if rate:
                await self._write(channel, [wire])
                await asyncio.sleep(1.0 / rate)
                continue
            batch.append(wire)
            size += len(wire)
            if size >= BATCH:
                await self._write(channel, self._take(batch))
                size = 0
        if batch:
            await self._write(channel, batch)

    # ------------------------------------------------------------------ views

    def negotiated_now(self) -> Negotiated | None:
        """What the session an event comes from negotiated; None before the peer's OPEN is in."""
        channel = self._event_channel or self.established
        if channel is None or channel.session.received_open is None:
            return None
        return channel.session.negotiated

    def router_id(self) -> IPv4Address | None:
        channel = self.established or (self.channels[0] if self.channels else None)
        if channel is None:
            return self.neighbor.router_id
        return channel.session.config.router_id

    def state(self) -> State:
        """5.0's peer state: the established session's, else the newest connection's, else IDLE."""
        channel = self.established or (self.channels[-1] if self.channels else None)
        return State.IDLE if channel is None else channel.session.state

    def session(self) -> Session | None:
        channel = self.established or (self.channels[-1] if self.channels else None)
        return None if channel is None else channel.session

    def local_address(self) -> IPv4Address | IPv6Address | None:
        channel = self.established or (self.channels[0] if self.channels else None)
        if channel is None:
            return self.neighbor.local_address
        return address(channel.writer.get_extra_info('sockname')[0])
