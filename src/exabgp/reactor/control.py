"""The CLI's way in: 5.0's named pipes, and a unix socket of ours.

Named pipes (5.0's protocol, `api.cli`, `api.pipename`): the daemon does not create them. The
first of 5.0's folders (PIPE_FOLDERS, then the same under the install root) holding both
`<pipename>.in` and `<pipename>.out` as FIFOs is used. A CLI writes one command line into `.in`
and reads the answer from `.out` up to `done`, `error` or `shutdown`. We read `.in` opened
read-write (so we never see an end of file between two CLI runs), and write `.out` only while a
reader has it open: with no reader, an answer is dropped (no CLI is waiting for it).

Unix socket (ours, setting `exabgp.cli.socket` = a path): each connection is a client of its own;
lines written to it are commands, their answers come back on the same connection. The socket is
created mode 0600 and removed at exit. At exit each connection is closed and its handler waited
for, so none is left for the loop to cancel (Python 3.11's stream server prints a traceback for a
handler that ends cancelled).

Invariants: every CLI client is bound to every peer (a command without a neighbor selector reaches
them all, as 5.0's internal CLI process does) and always acknowledges (5.0's CLI turns acks on);
each has its own bounded output and writer task, like an API process, so a CLI that stops reading
stalls only itself.
"""

import asyncio
import contextlib
import errno
import os
import stat

from exabgp import logger
from exabgp.configuration.route.grammar import Builder
from exabgp.reactor.commands import Commands
from exabgp.reactor.output import DEFAULT_LIMIT, Output
from exabgp.settings import Settings

log = logger.get('cli')

READ_SIZE = 64 * 1024


def pipe_folders(root: str, uid: int) -> list[str]:
    """Where 5.0 looks for the named pipes, in its order."""
    tails = ['/run/exabgp/', f'/run/{uid}/', '/run/', '/var/run/exabgp/', f'/var/run/{uid}/', '/var/run/']
    return [*tails, *(root + tail for tail in tails)]


def find_pipes(root: str, pipename: str) -> str | None:
    """The first folder holding both FIFOs, or None (the CLI looks for them the same way)."""
    for folder in pipe_folders(root, os.getuid()):
        try:
            if all(stat.S_ISFIFO(os.stat(f'{folder}{pipename}.{end}').st_mode) for end in ('in', 'out')):
                return folder
        except OSError:
            continue
    return None


class CliClient:
    """A source of commands from the CLI: bound to every peer, acknowledging every command."""

    every_peer = True

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.ack = True
        self.builder = Builder()
        self.output = Output(name, limit, lambda total, peers: f'dropped {total}')


class FifoSink:
    """Writes to the `.out` FIFO while a CLI reads it; drops what nobody is there to read."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None
        self.pending = b''

    def write(self, data: bytes) -> None:
        self.pending += data

    async def drain(self) -> None:
        while self.pending:
            if self.fd is None:
                try:
                    self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError as exc:
                    if exc.errno != errno.ENXIO:
                        log.error(f'could not open {self.path}: {exc.strerror}')
                    self.pending = b''
                    return
            try:
                written = os.write(self.fd, self.pending)
            except BlockingIOError:
                await self._writable(self.fd)
                continue
            except OSError:
                # the CLI went away: its answer goes with it
                self.close()
                self.pending = b''
                return
            self.pending = self.pending[written:]

    @staticmethod
    async def _writable(fd: int) -> None:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        loop.add_writer(fd, ready.set_result, None)
        try:
            await ready
        finally:
            loop.remove_writer(fd)

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


class Control:
    def __init__(self, settings: Settings, commands: Commands) -> None:
        self.settings = settings
        self.commands = commands
        self.limit = settings.process.queue or DEFAULT_LIMIT
        self.tasks: set[asyncio.Task] = set()
        self.server: asyncio.Server | None = None
        self.sink: FifoSink | None = None
        self._transport: asyncio.ReadTransport | None = None
        self._connections = 0
        # the unix socket's connections: their handler tasks (started by asyncio's server) and writers
        self._clients: dict[asyncio.Task, asyncio.StreamWriter] = {}

    async def start(self) -> None:
        if self.settings.api.cli:
            await self._pipes()
        if self.settings.cli.socket:
            await self._socket(self.settings.cli.socket)

    def _task(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # ------------------------------------------------------------------ named pipes

    async def _pipes(self) -> None:
        pipename = self.settings.api.pipename or 'exabgp'
        folder = find_pipes(self.settings.root, pipename)
        if folder is None:
            # 5.0 writes a dozen error lines here; for most users no cli is wanted: one line, with
            # the way to get one
            folders = ', '.join(pipe_folders(self.settings.root, os.getuid()))
            log.info(
                f'no named pipes {pipename}.in and {pipename}.out for the cli (looked in {folders}); to use '
                f'`exabgp cli`: mkdir -p {self.settings.root}/run && mkfifo -m 600 {self.settings.root}/run/{pipename}.{{in,out}}'
            )
            return
        log.info('named pipes for the cli are:')
        log.info(f'to send commands  {folder}{pipename}.in')
        log.info(f'to read responses {folder}{pipename}.out')
        fd = os.open(f'{folder}{pipename}.in', os.O_RDWR | os.O_NONBLOCK)
        reader = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, 'rb', buffering=0)
        )
        client = CliClient('cli', self.limit)
        self.sink = FifoSink(f'{folder}{pipename}.out')
        self._task(client.output.run(self.sink.write, self.sink.drain))
        self._task(self._serve(client, reader))

    # ------------------------------------------------------------------ unix socket

    async def _socket(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISSOCK(os.stat(path).st_mode):
                os.unlink(path)
        try:
            self.server = await asyncio.start_unix_server(self._connected, path)
        except OSError as exc:
            log.error(f'could not listen for the cli on {path}: {exc.strerror}')
            return
        os.chmod(path, 0o600)
        log.info(f'cli commands accepted on the unix socket {path}')

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections += 1
        client = CliClient(f'cli-{self._connections}', self.limit)
        handler = asyncio.current_task()
        if handler is not None:
            self._clients[handler] = writer
        writing = asyncio.get_running_loop().create_task(client.output.run(writer.write, writer.drain))
        try:
            await self._serve(client, reader)
            await client.output.flushed(5.0)
        except asyncio.CancelledError:
            # nobody awaits this task: ending it cancelled only makes asyncio print a traceback
            # (close() ends connections first, so only a handler stuck past its wait gets here)
            pass
        finally:
            client.output.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writing
            writer.close()
            with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
                await writer.wait_closed()
            self._clients.pop(handler, None)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ both

    async def _serve(self, client: CliClient, reader: asyncio.StreamReader) -> None:
        pending = b''
        while True:
            try:
                data = await reader.read(READ_SIZE)
            except (ConnectionError, OSError):
                return
            if not data:
                if pending.strip():
                    await self.commands.run(client, [pending.decode('utf-8', 'surrogateescape').strip()])
                return
            pending += data
            if b'\n' not in pending:
                continue
            complete, _, pending = pending.rpartition(b'\n')
            lines = [raw.decode('utf-8', 'surrogateescape').strip() for raw in complete.split(b'\n')]
            log.debug(f'{client.name}: {lines}')
            await self.commands.run(client, lines)

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.settings.cli.socket)
        # each connection ends (its client reads the end of the answers), then its handler
        for writer in list(self._clients.values()):
            writer.close()
        if self._clients:
            await asyncio.wait(list(self._clients), timeout=2.0)
        if self._transport is not None:
            self._transport.close()
        if self.sink is not None:
            self.sink.close()
        for task in list(self.tasks):
            task.cancel()
        for task in list(self.tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
