"""systemd's service notifications (what sd_notify does), with no dependency: datagrams to $NOTIFY_SOCKET.

Under a `Type=notify` unit systemd sets NOTIFY_SOCKET (a path, or `@name` in the abstract namespace)
and, with `WatchdogSec=`, WATCHDOG_USEC (and WATCHDOG_PID, the pid it expects the pings from). The
daemon sends `READY=1` once it is listening and its API processes are started, `STOPPING=1` when
it begins to shut down, and `WATCHDOG=1` every half watchdog period from a task of its event loop,
so a loop that stalls stops the pings and systemd restarts the service.

Invariants:
- Without NOTIFY_SOCKET nothing is sent and no socket is opened; the daemon behaves the same.
- Sending never blocks and never raises: the socket is non-blocking, a datagram systemd cannot take
  is dropped, and the first failure is logged (at warning; later ones at debug).
- The environment is read once, by the application, and given here as a mapping.
"""

import asyncio
import contextlib
import os
import socket
from collections.abc import Mapping

from exabgp import logger

log = logger.get('daemon')

READY = b'READY=1'
STOPPING = b'STOPPING=1'
WATCHDOG = b'WATCHDOG=1'


def _address(name: str) -> str | bytes:
    """A NOTIFY_SOCKET value as `sendto` takes it: `@name` is `\\0name` in the abstract namespace."""
    if name.startswith('@'):
        return b'\0' + name[1:].encode()
    return name


def _watchdog_interval(environ: Mapping[str, str], pid: int) -> float | None:
    """Seconds between two pings (half the period systemd gave), or None when it asked for none."""
    usec = environ.get('WATCHDOG_USEC', '')
    expected = environ.get('WATCHDOG_PID', '')
    if not usec.isdigit() or int(usec) == 0:
        return None
    if expected and expected != str(pid):
        return None
    return int(usec) / 2_000_000


class Notifier:
    """Tells systemd how the daemon is doing; every method does nothing when there is no socket."""

    def __init__(self, socket_name: str = '', watchdog: float | None = None) -> None:
        self.address = _address(socket_name) if socket_name else None
        self.watchdog = watchdog if self.address is not None else None
        self._socket: socket.socket | None = None
        self._failed = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> 'Notifier':
        return cls(environ.get('NOTIFY_SOCKET', ''), _watchdog_interval(environ, os.getpid()))

    def send(self, message: bytes) -> None:
        if self.address is None:
            return
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self._socket.setblocking(False)
            self._socket.sendto(message, self.address)
        except OSError as exc:
            report = log.debug if self._failed else log.warning
            self._failed = True
            report(f'could not tell systemd {message.decode()} through {self.address!r}: {exc.strerror or exc}')

    def ready(self) -> None:
        self.send(READY)

    def stopping(self) -> None:
        self.send(STOPPING)

    async def keep_alive(self) -> None:
        """Ping the watchdog until cancelled (at once, then every half period)."""
        if self.watchdog is None:
            return
        while True:
            self.send(WATCHDOG)
            await asyncio.sleep(self.watchdog)

    def close(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
            self._socket = None
