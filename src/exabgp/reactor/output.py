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

Invariants: lines are written in the order they were queued; the gap line (`marker`) is the only
line the queue makes up; after `close()` nothing is queued and the writer ends.
"""

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable

from exabgp import logger

log = logger.get('processes')

WRITE_CHUNK = 64 * 1024
DEFAULT_LIMIT = 32 * 1024 * 1024

# builds the gap line: (events dropped, {peer: events dropped}) -> the line for this reader's encoder
Marker = Callable[[int, dict[str, int]], str]


class Output:
    __slots__ = (
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
            self._push(f'{line}\n'.encode())

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
        self._size = 0
        self._ready.set()
        self._empty.set()
        self._room.set()

    def _push(self, data: bytes) -> None:
        self._lines.append(data)
        self._size += len(data)
        if self._size > self.peak:
            self.peak = self._size
        self._ready.set()
        self._empty.clear()
        if self._size > self.limit:
            self._room.clear()

    def _take(self) -> bytes:
        """Up to WRITE_CHUNK octets from the head of the queue (one line at least)."""
        lines = self._lines
        parts = [lines.popleft()]
        taken = len(parts[0])
        while lines and taken + len(lines[0]) <= WRITE_CHUNK:
            data = lines.popleft()
            parts.append(data)
            taken += len(data)
        self._size -= taken
        return b''.join(parts)

    def _caught_up(self) -> None:
        if self.lagging and self._size <= self.limit // 2:
            self.lagging = False
            counts, self._gap = self._gap, {}
            total, self._gap_total = self._gap_total, 0
            log.warning(f'process {self.name} is reading again: {total} events were dropped while it was not')
            self._push(self.marker(total, counts).encode() + b'\n')
        if self._size <= self.limit:
            self._room.set()

    async def run(self, write: Callable[[bytes], None], drain: Callable[[], Awaitable[None]]) -> None:
        """The writer task: write a chunk, wait for the reader, repeat; ends at `close()` or when the
        reader is gone (a write or drain error)."""
        try:
            while not self.closed:
                if not self._lines:
                    self._ready.clear()
                    self._empty.set()
                    await self._ready.wait()
                    continue
                write(self._take())
                await drain()
                self._caught_up()
        except (ConnectionError, OSError) as exc:
            log.debug(f'process {self.name}: writing stopped ({exc})')
        finally:
            self.close()
