"""What the daemon writes to one reader (an API process, the CLI): a bounded queue and its writer task.

The policy when the reader does not keep up (the one ExaBGP problem this rewrite must not have):

- Nothing the daemon does waits on a reader. Events (BGP messages, state changes) are put in the
  queue and the call returns; one writer task per reader writes, then awaits `drain()`. A reader that
  stops reading stalls only its own writer task.
- The queue is bounded in octets (`limit`, setting `exabgp.process.queue`). An event that would take
  the queue past the bound is dropped, and so is every following event until the reader has drained
  the queue to half the bound: then one gap line is queued saying how many events were dropped, and
  for which peers, and events flow again. The reader thus sees an unbroken prefix of the stream, the
  gap line exactly where the hole is, then an unbroken stream again; it knows what it missed and can
  ask for the current state (`show adj-rib in`, `announce route-refresh`). Each gap is logged when it
  opens and when it closes, and counted (`dropped`, shown by `show neighbor extensive`).
- Answers to commands (`done`, `error`, the lines of `show ...`) are never dropped. They are bounded
  another way: the reader's next command is not taken while its queue is over the bound (`room()`),
  so a process that writes commands and never reads answers only stops itself.
- Memory for one reader is therefore at most `limit`, plus the answer of one command, plus the
  chunk being written (WRITE_CHUNK) and the transport's own buffer (asyncio's 64 KiB high-water mark).

Answers a script polls for: many API scripts wait for their acknowledgements with `select()` on
stdin and then `sys.stdin.readline()`. Python's readline takes everything one read of the pipe
returns into its own buffer, which select() can not see: when the last lines the daemon writes for a
batch of commands arrive in one read, the script waits in select() for a line already in its buffer,
for ever. ExaBGP 5.0 writes each answer line with its own write(2) and mostly gets away with it (its
answers to one batch are spread over turns of its loop, microseconds apart: a race it sometimes
loses). Here it is not left to timing: `seal()` marks the last answer line of a batch, and the writer
writes that line by itself, once the reader has taken every octet written before it out of the pipe
(`unread() == 0`, the transport's buffer plus the pipe's FIONREAD). A script reading one line per
select() then always finds the last line in the kernel, where select() sees it, while it works
through its buffer. The pipe gives no event when it is read empty, so the writer looks again after
HOLD_FIRST seconds, doubling up to HOLD_MAX: a reader that never reads costs about one wake-up a
second, and only while such a line waits. Readers without `unread` (the CLI's) are never held.

Invariants: lines are written in the order they were queued; the gap line (`marker`) is the only
line the queue makes up; after `close()` nothing is queued and the writer ends; a sealed line is
written alone and only to a reader holding nothing unread.
"""

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable

from exabgp import logger

log = logger.get('processes')

WRITE_CHUNK = 64 * 1024
DEFAULT_LIMIT = 32 * 1024 * 1024
HOLD_FIRST = 0.001  # seconds before looking again whether the reader took what was written
HOLD_MAX = 1.0

# builds the gap line: (events dropped, {peer: events dropped}) -> the line for this reader's encoder
Marker = Callable[[int, dict[str, int]], str]


class Output:
    __slots__ = (
        '_alone',
        '_answered',
        '_count',
        '_empty',
        '_gap',
        '_gap_total',
        '_lines',
        '_ready',
        '_room',
        '_size',
        'closed',
        'dropped',
        'lagging',
        'limit',
        'marker',
        'name',
        'peak',
    )

    def __init__(self, name: str, limit: int, marker: Marker) -> None:
        self.name = name
        self.limit = max(limit, WRITE_CHUNK)
        self.marker = marker
        self._lines: deque[bytes] = deque()
        self._size = 0
        # lines ever queued, so a line has a number: the head of the queue is `_count - len(_lines)`
        self._count = 0
        # the number of the last answer line queued since the last seal()
        self._answered: int | None = None
        # numbers of the sealed lines still queued, in order: each is written alone, to an empty pipe
        self._alone: deque[int] = deque()
        self._ready = asyncio.Event()
        self._empty = asyncio.Event()
        self._empty.set()
        self._room = asyncio.Event()
        self._room.set()
        self.lagging = False
        self.closed = False
        # events dropped since the reader started, and during the gap open now, by peer
        self.dropped = 0
        self._gap: dict[str, int] = {}
        self._gap_total = 0
        # the most octets ever queued at once (for tests and diagnosis)
        self.peak = 0

    @property
    def size(self) -> int:
        """Octets queued and not yet handed to the writer."""
        return self._size

    @property
    def full(self) -> bool:
        return not self._room.is_set()

    def event(self, line: str, peer: str) -> bool:
        """An event about `peer`: queued (True), or dropped while the reader is too far behind."""
        if self.closed:
            return True
        data = f'{line}\n'.encode()
        if self.lagging or self._size + len(data) > self.limit:
            if not self.lagging:
                self.lagging = True
                log.warning(
                    f'process {self.name} is not reading: {self._size} octets are waiting, events are dropped '
                    f'until it catches up'
                )
            self.dropped += 1
            self._gap_total += 1
            self._gap[peer] = self._gap.get(peer, 0) + 1
            return False
        self._push(data)
        return True

    def answer(self, line: str) -> None:
        """A line answering a command: never dropped."""
        if not self.closed:
            self._answered = self._count
            self._push(f'{line}\n'.encode())

    def seal(self) -> None:
        """The answers to a batch of commands are all queued: their last line is written alone, once
        the reader has read everything before it (see the module's docstring)."""
        # an answer the writer took already (a long `show` yields to the loop) is not held
        if self._answered is not None and self._answered >= self._head() and not self.closed:
            self._alone.append(self._answered)
        self._answered = None

    async def room(self) -> None:
        """Wait until the queue is back under its bound."""
        await self._room.wait()

    async def flushed(self, timeout: float) -> bool:
        """Wait (at most `timeout`) until everything queued was written."""
        if not self._lines:
            return True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._empty.wait()
        return not self._lines

    def close(self) -> None:
        self.closed = True
        self._lines.clear()
        self._alone.clear()
        self._answered = None
        self._size = 0
        self._ready.set()
        self._empty.set()
        self._room.set()

    def _push(self, data: bytes) -> None:
        self._lines.append(data)
        self._count += 1
        self._size += len(data)
        if self._size > self.peak:
            self.peak = self._size
        self._ready.set()
        self._empty.clear()
        if self._size > self.limit:
            self._room.clear()

    def _head(self) -> int:
        return self._count - len(self._lines)

    def _sealed_first(self) -> bool:
        return bool(self._alone) and self._alone[0] == self._head()

    def _take(self) -> bytes:
        """Up to WRITE_CHUNK octets from the head of the queue (one line at least), stopping before a
        sealed line; a sealed line at the head is taken alone."""
        lines = self._lines
        if self._sealed_first():
            self._alone.popleft()
            data = lines.popleft()
            self._size -= len(data)
            return data
        # lines that may go in this write: those before the next sealed one
        room = self._alone[0] - self._head() if self._alone else len(lines)
        parts = [lines.popleft()]
        taken = len(parts[0])
        while len(parts) < room and lines and taken + len(lines[0]) <= WRITE_CHUNK:
            data = lines.popleft()
            parts.append(data)
            taken += len(data)
        self._size -= taken
        return b''.join(parts)

    async def _read_out(self, unread: Callable[[], int]) -> None:
        """Wait until the reader has taken everything written so far (or the output is closed)."""
        delay = HOLD_FIRST
        # one turn of the loop first: a reader waiting in select() is often already done
        await asyncio.sleep(0)
        while not self.closed and unread() > 0:
            await asyncio.sleep(delay)
            delay = min(delay * 2, HOLD_MAX)

    def _caught_up(self) -> None:
        if self.lagging and self._size <= self.limit // 2:
            self.lagging = False
            counts, self._gap = self._gap, {}
            total, self._gap_total = self._gap_total, 0
            log.warning(f'process {self.name} is reading again: {total} events were dropped while it was not')
            self._push(self.marker(total, counts).encode() + b'\n')
        if self._size <= self.limit:
            self._room.set()

    async def run(
        self,
        write: Callable[[bytes], None],
        drain: Callable[[], Awaitable[None]],
        unread: Callable[[], int] | None = None,
    ) -> None:
        """The writer task: write a chunk, wait for the reader, repeat; ends at `close()` or when the
        reader is gone (a write or drain error). `unread()` says how many octets written are not read
        yet: given, a sealed line waits until it is 0."""
        try:
            while not self.closed:
                if not self._lines:
                    self._ready.clear()
                    self._empty.set()
                    await self._ready.wait()
                    continue
                if unread is not None and self._sealed_first():
                    await self._read_out(unread)
                    if self.closed:
                        break
                write(self._take())
                await drain()
                self._caught_up()
        except (ConnectionError, OSError) as exc:
            log.debug(f'process {self.name}: writing stopped ({exc})')
        finally:
            self.close()
