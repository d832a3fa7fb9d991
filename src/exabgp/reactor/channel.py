"""Running one sans-IO `Session` over one asyncio stream pair.

Invariants:
- Nothing polls: the channel waits on the socket and on one `loop.call_at` timer set to the
  session's next deadline (re-armed only when a deadline comes earlier than the armed one; a timer
  that fires early just re-arms).
- Reading never waits for writing: control messages are queued to the transport at once, and the
  send-hold timer learns from the transport's buffer whether the peer reads us. The write buffer's
  high-water mark is zero, so `drain()` means "everything reached the kernel".
- Bulk senders (the RIB's `Sender`) call `send` and then `await drain()`: that is the backpressure,
  so what waits for a peer is at most one batch in the transport plus the kernel's buffer; the rest
  stays in the Adj-RIB-Out, not packed.
- A connection is never kept for its unsent bytes: when the send-hold timer expires it is reset at
  once (freeing our queue and the kernel's), and so is any close not completed after the grace.
- Events go to the `handler` synchronously, in order, after every input.
"""

import asyncio
import contextlib
import socket
import struct
from collections.abc import Callable, Iterable
from typing import cast

from exabgp.bgp.errors import HOLD_TIMER_EXPIRED
from exabgp.bgp.message.table import Message
from exabgp.session.events import Closed, SessionEvent, Why
from exabgp.session.session import Session

READ_SIZE = 256 * 1024
CLOSE_GRACE = 2.0  # seconds given to a final NOTIFICATION to leave


class Channel:
    def __init__(
        self,
        session: Session,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        handler: Callable[[list[SessionEvent]], None],
    ) -> None:
        self.session = session
        self.reader = reader
        self.writer = writer
        self.handler = handler
        self.closed: Closed | None = None
        self._loop = asyncio.get_running_loop()
        self._timer: asyncio.TimerHandle | None = None
        self._armed: float | None = None
        self._drainer: asyncio.Task | None = None
        self._reading_ended = False
        self._peer_closed = False
        writer.transport.set_write_buffer_limits(high=0)

    async def run(self) -> Closed:
        """Drive the session until it closes; return why."""
        session = self.session
        session.connection_made(self._loop.time())
        self._after()
        try:
            while not session.closed:
                try:
                    data = await self.reader.read(READ_SIZE)
                except (ConnectionError, OSError) as exc:
                    session.connection_lost(self._loop.time(), str(exc))
                else:
                    if data:
                        session.receive_data(data, self._loop.time())
                    else:
                        self._peer_closed = not self._reading_ended
                        session.connection_lost(self._loop.time(), 'the peer closed the connection')
                self._after()
        finally:
            await self._shutdown()
        assert self.closed is not None
        return self.closed

    def stop(self, subcode: int, text: str | None = None) -> None:
        self.session.stop(self._loop.time(), subcode, text)
        self._after()
        if self.session.closed:
            self._end_reading()

    def send(self, messages: Iterable[Message | bytes]) -> None:
        """Hand messages (values, or whole messages already packed) to the session, which writes
        them and reports each as `Sent`."""
        self.session.send(messages, self._loop.time())
        self._after()

    async def drain(self) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.drain()

    def _after(self) -> None:
        session = self.session
        data = session.data_to_send()
        if data and not self.writer.is_closing():
            self.writer.write(data)
            if self.writer.transport.get_write_buffer_size():
                session.output_blocked(self._loop.time())
                if self._drainer is None:
                    self._drainer = self._loop.create_task(self._wait_drained())
        events = session.events()
        for event in events:
            if isinstance(event, Closed):
                self.closed = event
        if events:
            self.handler(events)
        self._arm()

    async def _wait_drained(self) -> None:
        try:
            await self.drain()
        finally:
            self._drainer = None
        self.session.output_drained(self._loop.time())
        self._after()

    def _arm(self) -> None:
        deadline = self.session.next_deadline()
        if deadline is None or self.session.closed:
            return
        if self._armed is not None and self._armed <= deadline:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._armed = deadline
        self._timer = self._loop.call_at(deadline, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self._armed = None
        now = self._loop.time()
        deadline = self.session.next_deadline()
        # the loop may run a timer up to one clock resolution early
        # (every asyncio loop and uvloop's have `_clock_resolution`; AbstractEventLoop does not declare it)
        resolution = self._loop._clock_resolution  # type: ignore[attr-defined]
        if deadline is not None and deadline <= now + resolution:
            self.session.handle_timer(max(now, deadline))
        self._after()
        if self.session.closed:
            self._end_reading()

    def _end_reading(self) -> None:
        # wake `run` so it sees the session closed; the transport stops reading first, as bytes the
        # peer sends meanwhile would reach a reader already at EOF (an assertion inside asyncio that
        # aborts the connection, and the NOTIFICATION being written with it)
        self._reading_ended = True
        with contextlib.suppress(RuntimeError, AttributeError):
            _reading(self.writer).pause_reading()
        self.reader.feed_eof()

    def _lingers(self) -> bool:
        """Whether to wait for the peer to close after us: only when we sent a NOTIFICATION to a peer
        that may still be sending; not after its own NOTIFICATION or EOF, nor after a hold time of
        silence (a dead peer would only delay our next connection)."""
        if self._peer_closed:
            return False
        if self.closed is None:
            return True
        reason = self.closed.reason
        if reason.why not in (Why.STOPPED, Why.NOTIFICATION_SENT):
            return False
        return reason.notification is None or reason.notification.code != HOLD_TIMER_EXPIRED

    async def _shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._drainer is not None:
            self._drainer.cancel()
            await asyncio.gather(self._drainer, return_exceptions=True)
        writer = self.writer
        transport = _reading(writer)
        if self.closed is not None and self.closed.reason.why is Why.SEND_HOLD_EXPIRED:
            # RFC 9687: the peer reads nothing, so nothing queued would leave; drop it all now
            _reset(transport)
            return
        if transport.is_closing():
            with contextlib.suppress(TimeoutError, ConnectionError, OSError):
                await asyncio.wait_for(writer.wait_closed(), CLOSE_GRACE)
            return
        with contextlib.suppress(TimeoutError, ConnectionError, OSError):
            await asyncio.wait_for(writer.drain(), CLOSE_GRACE)
        # Closing a socket with unread input makes the kernel answer with a reset, and the peer's
        # kernel then drops what its application had not read yet: our NOTIFICATION. So we half-close,
        # read and drop until the peer closes too (or the grace ends), and only then close.
        discard = _Discard(self._loop)
        transport.set_protocol(discard)
        if self._lingers() and not transport.is_closing():
            if transport.can_write_eof():
                with contextlib.suppress(OSError):  # the connection was reset meanwhile
                    transport.write_eof()
            transport.resume_reading()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(discard.ended), CLOSE_GRACE)
        transport.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(discard.lost), CLOSE_GRACE)
        if not discard.lost.done():
            # a peer that still reads nothing would keep the transport and its unsent bytes forever
            _reset(transport)


class _Discard(asyncio.Protocol):
    """What a closing channel's transport reads into: the peer's last bytes, dropped."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.ended = loop.create_future()  # the peer closed its side, or the connection is gone
        self.lost = loop.create_future()

    def data_received(self, data: bytes) -> None:
        pass

    def eof_received(self) -> bool:
        _settle(self.ended)
        return True  # we close, once the NOTIFICATION has left

    def connection_lost(self, exc: Exception | None) -> None:
        _settle(self.ended)
        _settle(self.lost)


def _reading(writer: asyncio.StreamWriter) -> asyncio.Transport:
    # the transport of a stream connection reads too: StreamWriter declares only its write half
    return cast(asyncio.Transport, writer.transport)


def _reset(transport: asyncio.Transport) -> None:
    """Drop the connection with a TCP reset: what waits in the transport and in the kernel's send
    buffer is freed now (a plain close would leave the kernel retrying to a peer that reads nothing)."""
    sock = transport.get_extra_info('socket')
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    transport.abort()


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
