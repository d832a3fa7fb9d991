"""MRT dump: every BGP message the daemon receives, and every FSM move of its peers, written to a
file in RFC 6396 BGP4MP_ET records (MESSAGE_AS4 or MESSAGE, _ADDPATH when the session receives
path identifiers; STATE_CHANGE_AS4), as bgpd's `dump bgp all` and the RIPE RIS collectors do.

Configured by two settings (`exabgp.mrt.dump`, `exabgp.mrt.rotate`), not per neighbor: one file
holds every peer (each record names its peer), which is what the MRT tools and the collectors'
archives expect, and 5.0's configuration grammar stays as it is.

Invariants:
- The observer never waits: records are packed (bgp/mrt_write.py) into a memory buffer, which is
  written when it holds `FLUSH_SIZE` octets, `FLUSH_AFTER` seconds after its first record, when
  the file rotates, and at `close()`. One write call per flush, never one per record.
- A path ending in `.gz` is gzip: each flush is one gzip member (RFC 1952 allows a file of
  several), so the file on disk is a whole readable file after every flush, even if the daemon
  dies later.
- The path is a `strftime` pattern in UTC. With `rotate` N > 0 seconds a new file is started at
  every multiple of N since the epoch, named from the start of its period (bgpdump's and the
  collectors' `updates.%Y%m%d.%H%M`); 0 keeps the first file. Files are opened for appending, so
  a restart within a period continues its file.
- A file that can not be opened or written is logged once per failure streak and what was
  buffered for it is dropped; the next flush tries again. The BGP sessions never notice.
"""

import asyncio
import contextlib
import time
import zlib
from collections.abc import Callable
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING, BinaryIO

from exabgp import lazy, logger
from exabgp.bgp.message.table import Message
from exabgp.reactor.observer import Observer, PeerView
from exabgp.settings import Settings

# the MRT writer loads with the first dump: a daemon without one never imports it
if TYPE_CHECKING:
    from exabgp.bgp import mrt_write
else:
    mrt_write = lazy.module('exabgp.bgp.mrt_write')

log = logger.get('reactor')

FLUSH_SIZE = 1 << 18
FLUSH_AFTER = 1.0
# level 1: a 256 KiB flush takes under a millisecond (6 takes 5 ms, for a file a few percent smaller)
GZIP_LEVEL = 1
UNSPECIFIED: dict[int, IPv4Address | IPv6Address] = {4: IPv4Address(0), 6: IPv6Address(0)}


def observers(settings: Settings) -> list[Observer]:
    """The MRT dump the settings ask for, as a list to add to the daemon's observers (empty when
    `mrt.dump` is not set)."""
    if not settings.mrt.dump:
        return []
    return [MrtDump(settings.mrt.dump, settings.mrt.rotate)]


class MrtDump(Observer):
    def __init__(self, pattern: str, rotate: int = 0, clock: Callable[[], float] = time.time) -> None:
        self.pattern = pattern
        self.rotate = rotate
        self.clock = clock
        self.gzip = pattern.endswith('.gz')
        self._buffer: list[bytes] = []
        self._size = 0
        self._timer: asyncio.TimerHandle | None = None
        self._file: BinaryIO | None = None
        self._path = ''
        # the end of the current file's period (inf: never rotated)
        self._until = 0.0
        self._failing = False
        # the last state each peer was reported in, for the old state of a STATE_CHANGE
        self._states: dict[int, str] = {}
        self.records = 0

    # ------------------------------------------------------------------ events

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        negotiated = peer.current or peer.established
        asn4 = True if negotiated is None else negotiated.asn4
        addpath = negotiated is not None and bool(negotiated.addpath_receive)
        peer_address, local_address = _addresses(peer)
        peer_as, local_as = _asns(peer)
        now = self._now()
        self._add(
            mrt_write.bgp4mp_message(now, peer_as, local_as, peer_address, local_address, header + body, asn4, addpath)
        )

    def fsm(self, peer: PeerView, state: str) -> None:
        old = self._states.get(peer.key, 'idle')
        if old == state or state not in mrt_write.FSM_STATES:
            return
        self._states[peer.key] = state
        peer_address, local_address = _addresses(peer)
        peer_as, local_as = _asns(peer)
        now = self._now()
        self._add(mrt_write.bgp4mp_state(now, peer_as, local_as, peer_address, local_address, old, state))

    def close(self) -> None:
        """Write what is buffered and close the file (the daemon is ending)."""
        self.flush()
        self._close()

    # ------------------------------------------------------------------ buffer

    def _now(self) -> float:
        """The time stamp of the next record; at the end of a period the records so far go to
        their file and the next file is named."""
        now = self.clock()
        if now >= self._until:
            self.flush()
            self._close()
            start = now - now % self.rotate if self.rotate > 0 else now
            self._until = start + self.rotate if self.rotate > 0 else float('inf')
            self._path = time.strftime(self.pattern, time.gmtime(start))
        return now

    def _add(self, data: bytes) -> None:
        self._buffer.append(data)
        self._size += len(data)
        self.records += 1
        if self._size >= FLUSH_SIZE:
            self.flush()
        elif self._timer is None:
            with contextlib.suppress(RuntimeError):  # no loop: written at the next flush or close
                self._timer = asyncio.get_running_loop().call_later(FLUSH_AFTER, self.flush)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._buffer:
            return
        data = b''.join(self._buffer)
        self._buffer.clear()
        self._size = 0
        if self.gzip:
            data = zlib.compress(data, GZIP_LEVEL, wbits=31)
        try:
            if self._file is None:
                self._file = open(self._path, 'ab', buffering=0)  # noqa: SIM115 (kept open between flushes)
            self._file.write(data)
        except OSError as error:
            if not self._failing:
                log.error(f'mrt dump: records dropped, can not write {self._path}: {error}')
            self._failing = True
            self._close()
            return
        if self._failing:
            log.info(f'mrt dump: writing {self._path} again')
            self._failing = False

    def _close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None


def _addresses(peer: PeerView) -> tuple[IPv4Address | IPv6Address, IPv4Address | IPv6Address]:
    remote = peer.neighbor.peer_address
    local = peer.local_address
    if local is None or local.version != remote.version:
        return remote, UNSPECIFIED[remote.version]
    return remote, local


def _asns(peer: PeerView) -> tuple[int, int]:
    negotiated = peer.current or peer.established
    if negotiated is not None and negotiated.peer_as:
        return negotiated.peer_as, negotiated.local_as
    neighbor = peer.neighbor
    return neighbor.peer_as or 0, neighbor.local_as or 0
