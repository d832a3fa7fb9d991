"""Running one sans-IO `Session` over one asyncio stream pair.

Invariants:
- Nothing polls: the channel waits on the socket and on one `loop.call_at` timer set to the
  session's next deadline (re-armed only when a deadline comes earlier than the armed one; a timer
  that fires early just re-arms).
- Reading never waits for writing: control messages are queued to the transport at once, and the
  send-hold timer learns from the transport's buffer whether the peer reads us. The write buffer's
  high-water mark is zero, so `drain()` means "everything reached the kernel".
- Bulk senders (the RIB) call `send_wire` and then `await drain()`: that is the backpressure.
- Events go to the `handler` synchronously, in order, after every input.
"""

import asyncio
import contextlib
from collections.abc import Callable

from exabgp.session.events import Closed
from exabgp.session.session import Session

READ_SIZE = 256 * 1024
CLOSE_GRACE = 2.0  # seconds given to a final NOTIFICATION to leave


class Channel:
    def __init__(
        self,
        session: Session,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        handler: Callable[[list[object]], None],
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
        writer.transport.set_write_buffer_limits(high=0)

    @property
    def local(self) -> tuple:
        return self.writer.get_extra_info('sockname') or ()

    @property
    def remote(self) -> tuple:
        return self.writer.get_extra_info('peername') or ()

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
                        session.connection_lost(self._loop.time(), 'the peer closed the connection')
                self._after()
        finally:
            await self._shutdown()
        assert self.closed is not None
        return self.closed

    def stop(self, subcode: int, text: str | None = None) -> None:
        self.session.stop(self._loop.time(), subcode, text)
        self._after()
        # wake the reader so `run` sees the session closed
        if self.session.closed:
            self._end_reading()

    def send(self, message: object) -> None:
        self.session.send(message, self._loop.time())
        self._after()

    def send_wire(self, wire: bytes) -> None:
        self.session.send_wire(wire, self._loop.time())
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
        if deadline is not None and deadline <= now + self._loop._clock_resolution:
            self.session.handle_timer(max(now, deadline))
        self._after()
        if self.session.closed:
            self._end_reading()

    def _end_reading(self) -> None:
        """Wake `run` with an end of file; the transport must stop reading first, as a stream fed
        its end of file refuses more data (the peer's last octets would fail the protocol)."""
        with contextlib.suppress(RuntimeError, AttributeError):
            self.writer.transport.pause_reading()
        self.reader.feed_eof()

    async def _shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._drainer is not None:
            self._drainer.cancel()
        writer = self.writer
        if not writer.is_closing():
            with contextlib.suppress(TimeoutError, ConnectionError, OSError):
                await asyncio.wait_for(writer.drain(), CLOSE_GRACE)
            writer.close()
        with contextlib.suppress(TimeoutError, ConnectionError, OSError):
            await asyncio.wait_for(writer.wait_closed(), CLOSE_GRACE)
