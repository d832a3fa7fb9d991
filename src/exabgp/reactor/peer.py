"""One configured neighbor: its connections, its sessions one after another, and its RIBs.

Invariants:
- A peer task connects (unless passive) and accepts connections handed over by the listener; each
  connection runs its own `Channel`. When two are alive and one receives the peer's OPEN while the
  other is in OPENCONFIRM, RFC 4271 6.8 decides which stays (`session.collision`); a connection
  arriving while one is ESTABLISHED is refused with Cease 6/7. Our connection and the peer's
  completing in the same loop step are both served, and collide like any two.
- Routes live in the Adj-RIB-Out, which outlives sessions; its `Sender` (reactor/sender.py) turns
  them into UPDATEs for the established session, in a task that lives and ends with that session's
  connection (a TaskGroup per connection: nothing is left running).
- After a session ends the peer waits as 5.0's back-off says before connecting again; with
  `tcp.attempts` set it stops after that many connection attempts.
- What the sessions say goes to the `Reporter` (reactor/reporter.py: the observer's calls and
  `show neighbor`'s counts) with a `PeerView` of values, never the peer itself; the peer acts only on
  what concerns its connections and RIBs.
- Nothing is dropped silently: configured families we can not decode (left out of the OPEN) are
  warned about when the peer is made; an UPDATE part we could not use (RFC 7606 discard,
  treat-as-withdraw, AFI/SAFI disable, an MP attribute kept raw) is warned about with its bytes.
- AFI/SAFI disable (RFC 7606, RFC 4760 7): the session stops decoding and sending the family
  (session/session.py); here the routes the peer had announced in it leave the Adj-RIB-In and the
  API hears them withdrawn.
"""

import asyncio
import contextlib
import time
from ipaddress import IPv4Address, IPv6Address

from exabgp import logger
from exabgp.bgp.attribute.table import ATTRIBUTES
from exabgp.bgp.errors import CONNECTION_COLLISION_RESOLUTION
from exabgp.bgp.family import Family
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.refresh import QUERY, RouteRefresh
from exabgp.bgp.message.table import Message
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated, Refresh
from exabgp.bgp.nlri import table
from exabgp.configuration.model import Neighbor
from exabgp.reactor import md5drops, tcp
from exabgp.reactor.channel import Channel
from exabgp.reactor.neighbor import address, self_resolver, session_config
from exabgp.reactor.observer import Observer, PeerView
from exabgp.reactor.reporter import OPENED, Reporter
from exabgp.reactor.restarts import Restarts
from exabgp.reactor.sender import Sender
from exabgp.reactor.trace import Trace
from exabgp.rib.incoming import AdjRibIn
from exabgp.rib.outgoing import AdjRibOut
from exabgp.session.backoff import Backoff
from exabgp.session.collision import Close, refuse_connection, resolve
from exabgp.session.events import Closed, Established, Negotiation, Reason, Received, SessionEvent, Why
from exabgp.session.session import Session
from exabgp.session.state import State
from exabgp.settings import Settings

network = logger.get('network')
reactor_log = logger.get('reactor')
configuration_log = logger.get('configuration')

CONNECT_TIMEOUT = 30.0
MAXIMUM_LOGGED = 20  # NLRI named in an RFC 7606 warning; the UPDATE's hex holds them all


class Peer:
    def __init__(self, neighbor: Neighbor, settings: Settings, observer: Observer, *, generated: bool = False) -> None:
        self.neighbor = neighbor
        self.settings = settings
        self.observer = observer
        self.generated = generated
        self.log = logger.PeerLog(network, f'{neighbor.peer()} ASN {neighbor.peer_as}')
        self.trace = Trace(neighbor.peer())
        self.sender = Sender(AdjRibOut(neighbor.families, neighbor.group_updates))
        self.rib_out = self.sender.rib
        self.rib_in = AdjRibIn()
        self.backoff = Backoff()
        self.attempts = 0
        # a connection was tried, accepted or (passive) waited for: readiness (/readyz)
        self.attempted = False
        self._md5_before: dict[str, int] = {}  # the kernel MD5 drop counters as our last attempt began
        self.channels: list[Channel] = []
        # (local, remote) TCP ports of each channel, read once when it is made (BMP's Peer Up)
        self._ports: dict[Channel, tuple[int, int]] = {}
        self.established: Channel | None = None
        self.negotiated: Negotiated | None = None
        self.done = asyncio.Event()
        # accepted connections, and None to wake the task when it stops
        self._incoming: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = asyncio.Queue()
        self._stopping = False
        self._stop_subcode = 3
        self._stop_text: str | None = None
        self._stop_reason = 'shutting down'
        self._event_channel: Channel | None = None
        self._groups: dict[Channel, asyncio.TaskGroup] = {}
        self._restarted = True
        self.reporter = Reporter(observer, neighbor.peer())
        self.stats = self.reporter.stats
        self.restarts = Restarts(
            self.rib_in, observer, self.log, self.view, settings.process.withdraw_on_down, settings.bgp.staletime
        )
        self._ended: Reason | None = None  # why the established session ended, for its graceful restart
        self._load_routes(neighbor)
        unbuilt = [str(family) for family in neighbor.families if family not in table.built(neighbor.families)]
        if unbuilt:
            configuration_log.warning(
                f'neighbor {neighbor.peer()}: {", ".join(unbuilt)} not supported yet, '
                'left out of the OPEN (no route of these families is sent or received)'
            )

    # ------------------------------------------------------------------ routes

    def _load_routes(self, neighbor: Neighbor) -> None:
        self.rib_out.hold(neighbor.announced())
        for name, (announced, withdrawn) in neighbor.watched().items():
            for route in withdrawn:
                self.rib_out.announce_watched(name, route, withdrawn=True)
            for route in announced:
                self.rib_out.announce_watched(name, route, withdrawn=False)

    def flush(self) -> None:
        """The Adj-RIB-Out changed: send what is pending."""
        self.sender.wake()

    def send_after_flush(self, message: Message | bytes) -> None:
        """A message (End-of-RIB, ROUTE-REFRESH, OPERATIONAL; a value or its wire form) to send once
        the pending routes are out; dropped when no session is established."""
        if self.established is not None:
            self.sender.after_routes(message)

    def resend(self, families: list[Family] | None = None, enhanced: bool = False) -> None:
        """Send the Adj-RIB-Out again (`flush adj-rib out`, a ROUTE-REFRESH); `enhanced` wraps each
        family in RFC 7313's Beginning and End of Route Refresh (only with a session established)."""
        chosen = list(self.rib_out.families) if families is None else families
        self.sender.resend(chosen, enhanced and self.established is not None)

    def reconfigure(self, neighbor: Neighbor) -> None:
        """Same neighbor, new routes: announce what is new or changed, withdraw what went away."""
        old = self.neighbor.announced()
        self.neighbor = neighbor
        self.sender.replace(old, neighbor.announced())

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
            # the established session's sender closes it once the pending routes are out
            if channel is not self.established:
                channel.stop(subcode, text)
        self._incoming.put_nowait(None)
        self.sender.close_after_routes(subcode, text)

    def report_stopping(self, reason: str = 'shutting down') -> None:
        """Tell the API now what it hears when the peer stops, before its processes hear of the
        shutdown (5.0's order); the sessions close later (`stop`) without reporting it again."""
        self._stop_reason = reason
        opened = [(channel, channel.session.state in OPENED) for channel in self.channels]
        self.reporter.stopping(self.view(), opened, reason)

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
            self.restarts.close()
            if not self.reporter.ended:
                self.observer.fsm(self.view(), 'idle')
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
        view = self.view()
        self.observer.fsm(view, 'active')
        self.observer.fsm(view, 'idle')
        self.attempted = True
        if self.passive:
            return self._accepted(await self._incoming.get())
        outgoing = asyncio.create_task(self._connect())
        waiting = asyncio.create_task(self._incoming.get())
        done, _ = await asyncio.wait((outgoing, waiting), return_when=asyncio.FIRST_COMPLETED)
        if waiting in done:
            if outgoing in done and not outgoing.cancelled() and outgoing.exception() is None:
                return self._both(outgoing.result(), waiting.result())
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
            # a socket set up short of what the configuration asks (md5, tcp-ao, ttl) is an error
            level = self.log.error if isinstance(exc, tcp.SocketError) else self.log.info
            level(
                f'connection to {self.neighbor.peer()} failed: {exc}',
                extra=logger.event('peer.connect', outcome='failed', error=str(exc)),
            )
            if self.neighbor.md5_password and isinstance(exc, TimeoutError):
                self._unanswered_md5()
            await self._failed()
            return None
        channel = self._channel(reader, writer, outgoing=True)
        if channel is None:
            await self._failed()
        return channel

    def _both(
        self,
        opened: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        accepted: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None,
    ) -> Channel | None:
        """Our connection and the peer's completed in the same loop step: neither is dropped. Ours
        is served first and theirs goes back to the queue, where `_serve` takes it as a second
        connection; RFC 4271 6.8 picks the one to keep when the OPENs are in, and the other is
        closed with Cease 6/7."""
        if accepted is not None:
            self._incoming.put_nowait(accepted)
        channel = self._channel(*opened, outgoing=True)
        if channel is None and accepted is not None:
            return self._accepted(self._incoming.get_nowait())
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
        if self.neighbor.tcp_ao is not None:
            # the listening sockets hold no TCP-AO key: what arrives there is not authenticated
            self.log.error(
                f'refused an incoming connection from {self.neighbor.peer()}: tcp-ao is configured and only '
                'our outgoing connections carry the key'
            )
            writer.close()
            return None
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
            if neighbor.tcp_ao is not None:
                ao = neighbor.tcp_ao
                tcp.set_ao(sock, peer, ao.keyid, ao.algorithm, ao.key)
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
        self.reporter.report_sent = self.observer.wants_sent(self.neighbor)
        channel = Channel(session, reader, writer, lambda events: self._events(channel, events))
        self.channels.append(channel)
        self._ports[channel] = (sockname[1], remote[1])
        self.log.info(f'{"outgoing" if outgoing else "incoming"} connection {local} - {remote[0]}')
        view = self.view()
        self.observer.connected(view)
        self.observer.fsm(view, 'connect')
        return channel

    async def _serve(self, first: Channel) -> None:
        """Run `first` and any connection accepted meanwhile, until none is left."""
        tasks: dict[asyncio.Task[object], Channel] = {asyncio.create_task(self._drive(first)): first}
        accept = asyncio.create_task(self._incoming.get())
        try:
            while tasks:
                done, _ = await asyncio.wait((*tasks, accept), return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task is accept:
                        item = accept.result()
                        if item is not None:
                            extra = self._collide(item)
                            if extra is not None:
                                tasks[asyncio.create_task(self._drive(extra))] = extra
                        accept = asyncio.create_task(self._incoming.get())
                        continue
                    channel = tasks.pop(task)
                    self._closed(channel, task)
        finally:
            for task in (accept, *tasks):
                task.cancel()
            await asyncio.gather(accept, *tasks, return_exceptions=True)

    async def _drive(self, channel: Channel) -> None:
        """One connection: its channel, and the sender once its session is established; both end
        together (the sender sees the session leave ESTABLISHED and returns)."""
        async with asyncio.TaskGroup() as group:
            self._groups[channel] = group
            try:
                await channel.run()
            finally:
                del self._groups[channel]
                if channel is self.established:
                    self.sender.session_ended()

    def _collide(self, item: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> Channel | None:
        reader, writer = item
        if refuse_connection(self.established is not None, self._stopping):
            text = 'could not accept the connection, already established'
            five = self.settings.notification.text
            wire = Notification.outgoing(6, CONNECTION_COLLISION_RESOLUTION, text, five=five).pack(Negotiated())
            writer.write(wire)
            writer.close()
            self.log.info('refused an incoming connection: a session is already established')
            return None
        return self._channel(reader, writer, outgoing=False)

    def _closed(self, channel: Channel, task: asyncio.Task) -> None:
        self.channels.remove(channel)
        self._ports.pop(channel, None)
        if channel is self.established:
            self.established = None
            self.negotiated = None
            self.restarts.ended(channel.session, self._ended)
            self._ended = None
        exc = task.exception()
        if exc is not None:
            reactor_log.error(f'peer {self.neighbor.peer()}: the session failed: {exc!r}')

    # ------------------------------------------------------------------ session events

    def _events(self, channel: Channel, events: list[SessionEvent]) -> None:
        self._event_channel = channel
        reporter = self.reporter
        if Trace.enabled():
            self.trace.events(events, channel.session, asyncio.get_running_loop().time())
        view = self.view()
        for event in events:
            if isinstance(event, Closed):
                self.log.info(
                    f'session closed: {event.reason}',
                    extra=logger.event('peer.state', state='idle', reason=str(event.reason)),
                )
                current = channel is self.established or self.established is None
                if channel is self.established:
                    self._ended = event.reason
                reporter.closed(view, channel, event, self._down_reason(event.reason), current)
                continue
            reporter.event(view, channel, event)
            if isinstance(event, Received):
                self._received(event)
            elif isinstance(event, Negotiation):
                self._negotiation(channel, event)
            elif isinstance(event, Established):
                self._established(channel, event)
                view = self.view()
                self.observer.up(view)

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
        if not isinstance(message, Update):
            return
        if message.action or message.unparsed:
            self._undecoded(message, event.header + event.body)
        if self.neighbor.adj_rib_in or self.restarts.tracking:
            self.rib_in.update(message.announced, message.withdrawn)
        if message.disabled:
            self.restarts.disabled(message.disabled)
        if message.eor is not None:
            self.restarts.end_of_rib(message.eor)

    def _undecoded(self, update: Update, wire: bytes) -> None:
        """What of a received UPDATE could not be used: the API gets the rest (5.0's JSON has no
        place for it). The log says what RFC 7606 section 6 asks for: the peer (the adapter's
        prefix), the attribute at fault, the NLRI it cost and the whole UPDATE in hex."""
        if update.action:
            what = update.action.name.lower().replace('_', '-')
            families = f' ({", ".join(str(family) for family in update.disabled)})' if update.disabled else ''
            entry = ATTRIBUTES.get(update.code)
            culprit = f'attribute {update.code} ({entry.name})' if entry else f'attribute {update.code}'
            nlri = [str(route) for route in update.withdrawn[:MAXIMUM_LOGGED]]
            if len(update.withdrawn) > MAXIMUM_LOGGED:
                nlri.append(f'and {len(update.withdrawn) - MAXIMUM_LOGGED} more')
            self.log.warning(
                f'RFC 7606 {what}{families}: {update.reason}; {culprit if update.code else "attribute field"}; '
                f'NLRI {" ".join(nlri) or "none"}; UPDATE {wire.hex().upper()}',
                extra=logger.event(
                    'update.error',
                    action=what,
                    families=[str(family) for family in update.disabled],
                    reason=update.reason,
                    body=wire.hex().upper(),
                ),
            )
        for attribute in update.unparsed:
            self.log.warning(
                f'received an MP attribute of {attribute.family}, a family not supported yet: its routes are '
                f'ignored; attribute {attribute.raw.hex().upper()}'
            )

    def _negotiation(self, channel: Channel, event: Negotiation) -> None:
        local_id = event.sent.router_id
        remote_id = event.received.router_id
        for other in list(self.channels):
            if other is channel:
                continue
            verdict = resolve(
                channel.session.outgoing, other.session.state, other.session.outgoing, local_id, remote_id
            )
            if verdict is None:
                continue
            loser = channel if verdict is Close.ARRIVING else other
            self.log.info(
                f'connection collision: closing the {"outgoing" if loser.session.outgoing else "incoming"} one'
            )
            loser.stop(CONNECTION_COLLISION_RESOLUTION)
            if loser is channel:
                return

    def _established(self, channel: Channel, event: Established) -> None:
        self.established = channel
        self.negotiated = event.negotiated
        self.restarts.established(channel.session)
        self.backoff.reset()
        self._restarted = False
        self.stats.complete = time.time()
        self.log.info('session established', extra=logger.event('peer.state', state='established'))
        local = address(channel.writer.get_extra_info('sockname')[0])
        resolve = self_resolver(local, channel.session.config.router_id)
        neighbor = self.neighbor
        self._groups[channel].create_task(self.sender.run(channel, resolve, neighbor.rate_limit, neighbor.manual_eor))

    # ------------------------------------------------------------------ views

    def view(self) -> PeerView:
        """The peer as its observer sees it now (for the events of the channel last heard from)."""
        channel = self._event_channel or self.established
        current = None
        if channel is not None and channel.session.received_open is not None:
            current = channel.session.negotiated
        return PeerView(
            id(self), self.neighbor, self.local_address(), self.router_id(), self.negotiated, current, self.ports()
        )

    def ports(self) -> tuple[int, int]:
        """(local, remote) TCP ports of the connection `local_address` is of (BMP's Peer Up)."""
        channel = self.established or (self.channels[0] if self.channels else None)
        return (0, 0) if channel is None else self._ports.get(channel, (0, 0))

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
