"""The scripted BGP test peer, on asyncio streams.

It listens, accepts the daemon, reads its OPEN and answers with the mirrored OPEN (see `wire`)
and a KEEPALIVE, then checks every message the daemon sends against the case (see `checker`).
Besides checking it acts: it sends the NOTIFICATION or signal a case asks for, a message of an
unknown type or a default route when the options say so, KEEPALIVEs often enough for the hold
time, and it answers a ROUTE-REFRESH by sending back the UPDATEs of that family the daemon sent
on this connection (so an API process asking for a refresh sees its own routes come back).

With `record` the peer checks nothing and keeps every message as a case line (`1:raw:...`): the
way to capture what a daemon sends when writing a new case.

`result` resolves once: success when every expectation was met, failure at the first message
that does not fit (with a decoded report), or when `fail` is called by whoever runs the peer
(the daemon died, the time ran out). The transcript of everything that happened is in `lines`.

Invariants: only the peer's own sockets are touched; signals go through the `signal_daemon`
callback, so the peer never looks for processes by name.
"""

import asyncio
import contextlib
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from qakit import report, wire
from qakit.case import NOTIFICATION, SIGNAL, Case, Step
from qakit.checker import Checker, Mismatch
from qakit.dump import TYPES, Context, hexdump

SignalSender = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Outcome:
    success: bool
    reason: str
    details: tuple[str, ...] = ()


class Peer:
    def __init__(
        self,
        case: Case,
        signal_daemon: SignalSender | None = None,
        echo: Callable[[str], None] | None = None,
        record: bool = False,
    ):
        self.case = case
        self.record = record
        self.recorded: list[str] = []
        self.options = case.options
        self.checker = Checker(case.groups)
        self.signal_daemon = signal_daemon
        self.echo = echo
        self.lines: list[str] = []
        self.connections = 0
        self.context = Context()
        self.port = 0
        self._started = time.monotonic()
        self._servers: list[asyncio.Server] = []
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()
        self._sessions: set[asyncio.Task] = set()
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.result: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()

    def log(self, text: str) -> None:
        line = f'{time.monotonic() - self._started:7.3f} {text}'
        self.lines.append(line)
        if self.echo is not None:
            self.echo(line)

    async def listen(self, port: int = 0) -> int:
        """Listen on 127.0.0.1 (::1 with bind:ipv6), and on the other loopback when it is free."""
        first, second = ('::1', '127.0.0.1') if self.options.ipv6 else ('127.0.0.1', '::1')
        server = await asyncio.start_server(self._accept, first, port)
        self._servers.append(server)
        self.port = server.sockets[0].getsockname()[1]
        with contextlib.suppress(OSError):
            self._servers.append(await asyncio.start_server(self._accept, second, self.port))
        self.log(f'listening on {first} port {self.port}')
        return self.port

    async def close(self) -> None:
        """Stop listening and end the sessions: closing a socket ends its session task on its
        own (its read fails), so only the helpers (keepalive timers) are cancelled."""
        for server in self._servers:
            server.close()
        for writer in list(self._writers):
            writer.close()
        if self._sessions:
            await asyncio.wait(list(self._sessions), timeout=1)
        for task in list(self._tasks) + list(self._sessions):
            task.cancel()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1)

    def succeed(self, reason: str) -> None:
        if not self.result.done():
            self.log(f'success: {reason}')
            self.result.set_result(Outcome(True, reason))

    def fail(self, reason: str, details: list[str] | None = None) -> None:
        if not self.result.done():
            self.log(f'failure: {reason}')
            self.result.set_result(Outcome(False, reason, tuple(details or ())))

    @property
    def busy(self) -> bool:
        """A session is still open (it may hold messages not read yet)."""
        return self._active > 0

    async def idle(self) -> None:
        """Wait until no session is open."""
        await self._idle.wait()

    def waiting(self) -> list[str]:
        """What is still expected, decoded: the report for a daemon that stopped talking."""
        return report.unfinished(self.checker.group, self.checker.pending, self.checker.remaining, self.context)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._sessions.add(task)
        self._writers.add(writer)
        self._active += 1
        self._idle.clear()
        self.connections += 1
        number = self.connections
        self.log(f'connection {number} from {writer.get_extra_info("peername")}')
        try:
            await self._session(number, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            self.log(f'connection {number} closed by the daemon')
        except Exception as exc:  # a bug of the peer must fail the case, not hang it
            self.fail(f'the test peer failed: {exc!r}', traceback.format_exc().splitlines())
        finally:
            self._active -= 1
            if not self._active:
                self._idle.set()
            self._writers.discard(writer)
            if task is not None:
                self._sessions.discard(task)
            writer.close()

    async def _read(self, reader: asyncio.StreamReader) -> bytes:
        header = await reader.readexactly(wire.HEADER)
        length = int.from_bytes(header[16:18], 'big')
        if header[:16] != wire.MARKER or length < wire.HEADER:
            raise ValueError(f'not a BGP header: {header.hex().upper()}')
        return header + await reader.readexactly(length - wire.HEADER)

    async def _send(self, writer: asyncio.StreamWriter, message: bytes, what: str) -> None:
        self.log(f'send {what}: {hexdump(message)}')
        writer.write(message)
        await writer.drain()

    async def _session(self, number: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            daemon_open = await self._read(reader)
        except ValueError as exc:
            self.fail(f'connection {number}: {exc}')
            return
        self.log(f'recv OPEN: {hexdump(daemon_open)}')
        if daemon_open[18] != wire.OPEN:
            self.fail(
                f'connection {number}: the first message is not an OPEN',
                report.block('received:', daemon_open, self.context),
            )
            return
        reply = wire.reply_open(daemon_open, self.options.asn, self.options.send_unknown_capability)
        self.context = Context.from_opens(daemon_open, reply)
        # one write for the whole opening, so the daemon reads what follows the KEEPALIVE before it
        # could start sending its routes: the cases expect the daemon's answer to those first
        opening = [(reply, 'OPEN'), (wire.keepalive(), 'KEEPALIVE')]
        if self.options.send_unknown_message:
            opening.append((wire.unknown_message(), 'message of unknown type 255'))
        if self.options.send_default_route:
            opening.append((wire.default_route(), 'default route'))
        for message, what in opening:
            self.log(f'send {what}: {hexdump(message)}')
        writer.write(b''.join(message for message, _ in opening))
        await writer.drain()
        keepalives = self._spawn(self._keepalives(writer, wire.hold_time(daemon_open)))
        try:
            if not await self._act(writer, self.checker.start()):
                return
            if self.options.inspect_open and not await self._check(writer, daemon_open):
                return
            sent: list[bytes] = []
            while not self.result.done():
                try:
                    message = await self._read(reader)
                except ValueError as exc:
                    self.fail(f'connection {number}: {exc}')
                    return
                kind = message[18]
                if kind == wire.KEEPALIVE:
                    continue
                self.log(f'recv {TYPES.get(kind, kind)} in group {self.checker.group or "-"}: {hexdump(message)}')
                if not await self._check(writer, message):
                    return
                if kind == wire.UPDATE and not wire.is_end_of_rib(message):
                    sent.append(message)
                if kind == wire.ROUTE_REFRESH and len(message) == 23:
                    await self._refresh(writer, message, sent)
        finally:
            keepalives.cancel()

    async def _check(self, writer: asyncio.StreamWriter, message: bytes) -> bool:
        if self.record:
            self.recorded.append(f'1:raw:{hexdump(message)}')
            return True
        if self.checker.done:
            self.succeed('every expected message was received')
            return False
        verdict = self.checker.receive(message)
        if isinstance(verdict, Mismatch):
            self.fail(
                f'unexpected {TYPES.get(message[18], "message")} in group {verdict.group}',
                report.mismatch(verdict, self.context, self.checker.remaining),
            )
            return False
        self.log(f'matched (group {self.checker.group or "last"})')
        return await self._act(writer, verdict)

    async def _act(self, writer: asyncio.StreamWriter, actions: list[Step]) -> bool:
        """Run the actions now due; False once the case is over (success or failure)."""
        for action in actions:
            if action.kind == NOTIFICATION:
                await self._send(writer, wire.cease(action.payload), f'NOTIFICATION {action.payload!r}')
            elif action.kind == SIGNAL:
                problem = 'no daemon to signal' if self.signal_daemon is None else self.signal_daemon(action.payload)
                if problem:
                    self.fail(f'could not send {action.payload}: {problem}')
                    return False
                self.log(f'sent {action.payload} to the daemon')
        if self.checker.done and not self.record:
            self.succeed('every expected message was received')
            return False
        return not self.result.done()

    async def _refresh(self, writer: asyncio.StreamWriter, message: bytes, sent: list[bytes]) -> None:
        family = (int.from_bytes(message[19:21], 'big'), message[22])
        for update in sent:
            if wire.family(update) == family:
                await self._send(writer, update, 'UPDATE (route refresh answer)')

    async def _keepalives(self, writer: asyncio.StreamWriter, hold: int) -> None:
        if not hold:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            while not writer.is_closing():
                await asyncio.sleep(max(hold / 3, 1))
                writer.write(wire.keepalive())
                await writer.drain()

    def _spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
