"""One API process: the program a `process` block runs, its pipes, and the tasks serving them.

Invariants:
- The program runs with `asyncio.create_subprocess_exec` in its own session (so a Ctrl-C on the
  daemon's terminal does not reach it), with `TERM=dumb` (no terminal escape sequences at the start
  of its output), stdin and stdout as pipes, stderr logged line by line (topic `processes`).
- Four tasks per run: the reader (stdout, commands), the writer (its `Output` into stdin), the
  stderr logger, the watcher (waits for the exit, then tells `on_exit`). None of them is ever waited
  on by a session or by another process.
- The reader takes what one `read()` returned, splits the complete lines and hands them as one
  batch to `run_commands`; it reads again only once the batch is applied. Lines starting with
  `debug ` are logged, not run (5.0). A line longer than MAX_LINE without a newline is refused; a line
  that is not UTF-8 reaches the runner with its stray octets kept, which refuses it with the reason.
"""

import asyncio
import contextlib
import fcntl
import os
import signal
import struct
import termios
from collections.abc import Awaitable, Callable

from exabgp import logger
from exabgp.configuration.model import Process
from exabgp.configuration.route.grammar import Builder
from exabgp.reactor.output import Marker, Output

log = logger.get('processes')

READ_SIZE = 64 * 1024
MAX_LINE = 1024 * 1024
TERMINATE_GRACE = 2.0  # seconds between SIGTERM and SIGKILL, as 5.0
LAST_READ = 1.0  # seconds to read what an ended process wrote, when something else keeps its pipe open


class ApiProcess:
    """A running API process, and what commands need to know about it (it is a command client)."""

    every_peer = False

    def __init__(
        self,
        config: Process,
        ack: bool,
        limit: int,
        marker: Marker,
        run_commands: Callable[['ApiProcess', list[str]], Awaitable[None]],
        on_exit: Callable[['ApiProcess'], None],
    ) -> None:
        self.config = config
        self.name = config.name
        self.encoder = config.encoder
        self.ack = ack
        self.builder = Builder()
        self.output = Output(config.name, limit, marker)
        self._run_commands = run_commands
        self._on_exit = on_exit
        self.proc: asyncio.subprocess.Process | None = None
        self.tasks: list[asyncio.Task] = []
        self.stopping = False
        self.started = 0.0  # the loop's time when the program was started

    async def start(self) -> None:
        """Start the program; OSError when it can not be."""
        environment = dict(os.environ, TERM='dumb')
        self.proc = await asyncio.create_subprocess_exec(
            *self.config.run,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        log.info(f'process {self.name} started (pid {self.proc.pid}): {" ".join(self.config.run)}')
        loop = asyncio.get_running_loop()
        self.started = loop.time()
        stdin = self.proc.stdin
        assert stdin is not None
        reader = loop.create_task(self._read())
        self.tasks = [
            reader,
            loop.create_task(self.output.run(stdin.write, stdin.drain, _unread(stdin.transport))),
            loop.create_task(self._log_stderr()),
            loop.create_task(self._watch(reader)),
        ]

    async def _read(self) -> None:
        stdout = self.proc.stdout if self.proc else None
        assert stdout is not None
        pending = b''
        # inside a line too long to be a command: dropped up to its end
        skipping = False
        while True:
            try:
                data = await stdout.read(READ_SIZE)
            except (ConnectionError, OSError):
                data = b''
            if not data:
                return
            pending += data
            if skipping:
                if b'\n' not in pending:
                    pending = b''
                    continue
                pending = pending.split(b'\n', 1)[1]
                skipping = False
            if b'\n' not in pending:
                if len(pending) > MAX_LINE:
                    log.error(f'process {self.name} sent a line of more than {MAX_LINE} octets: refused')
                    pending = b''
                    skipping = True
                    if self.ack:
                        self.output.answer('error')
                        self.output.seal()
                continue
            complete, _, pending = pending.rpartition(b'\n')
            lines = []
            for raw in complete.split(b'\n'):
                # octets that are not UTF-8 stay visible (as lone surrogates) for the command runner to refuse
                line = raw.decode('utf-8', 'surrogateescape').rstrip()
                if line.startswith('debug '):
                    log.warning(f'debug info from {self.name} : {line[6:]}')
                    continue
                lines.append(line)
            if lines:
                await self._run_commands(self, lines)

    async def _log_stderr(self) -> None:
        stderr = self.proc.stderr if self.proc else None
        assert stderr is not None
        while True:
            try:
                line = await stderr.readline()
            except ValueError:  # a line longer than the stream's limit: read on
                continue
            except (ConnectionError, OSError):
                return
            if not line:
                return
            log.info(f'process {self.name}: {line.decode("utf-8", "replace").rstrip()}')

    async def _watch(self, reader: asyncio.Task) -> None:
        assert self.proc is not None
        code = await self.proc.wait()
        # the lines it wrote before exiting are still applied
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader
        self.output.close()
        if not self.stopping:
            log.info(f'process {self.name} (pid {self.proc.pid}) ended with code {code}')
            self._on_exit(self)

    async def _last_commands(self) -> None:
        """What the process wrote before it ended (a healthcheck's withdrawal on SIGTERM) is still
        read and applied; a child it left holding the pipe open gets LAST_READ seconds."""
        if self.tasks:
            await asyncio.wait(self.tasks[:1], timeout=LAST_READ)

    async def stop(self, last: str | None, flush: float) -> None:
        """End the process: write `last` (the shutdown message), give it `flush` seconds to be
        written, close its stdin and give it as long again to leave by itself, then SIGTERM, then
        SIGKILL to its process group after TERMINATE_GRACE. The commands it wrote until then are applied."""
        self.stopping = True
        proc = self.proc
        if proc is None:
            return
        if proc.returncode is None:
            if last is not None:
                self.output.answer(last)
            await self.output.flushed(flush)
            if proc.stdin is not None:
                proc.stdin.close()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(flush):
                    await proc.wait()
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
            try:
                async with asyncio.timeout(TERMINATE_GRACE):
                    await proc.wait()
            except TimeoutError:
                log.info(f'process {self.name} did not stop on SIGTERM, killing it')
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                await proc.wait()
            await self._last_commands()
        self.output.close()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _unread(transport: asyncio.WriteTransport) -> Callable[[], int]:
    """How many octets written to the process's stdin it has not read yet: those asyncio still
    buffers, plus those in the pipe (FIONREAD works on either end of a Linux pipe; where it fails,
    nothing is counted and answers are never held)."""
    pipe = transport.get_extra_info('pipe')
    try:
        fd = pipe.fileno() if pipe is not None else -1
    except ValueError:  # a program that ended at once: its stdin is closed already
        fd = -1

    def unread() -> int:
        queued = transport.get_write_buffer_size()
        if fd < 0 or transport.is_closing():
            return 0
        try:
            count = struct.unpack('i', fcntl.ioctl(fd, termios.FIONREAD, b'\0\0\0\0'))[0]
        except OSError:
            return queued
        return queued + int(count)

    return unread
