"""Becoming a daemon as ExaBGP 5.0 does: umask, fork to the background, drop root, the pid file.

Invariants (5.0's order and rules):
- The umask (`daemon.umask`) is set before anything is written.
- `daemon.daemonize` forks twice into a new session and points stdio at /dev/null, unless logs go to
  stdout or stderr (there would be nowhere to write them) or we already run under init or inetd.
- When started as root, privileges are dropped to `daemon.user` once the listening sockets are
  bound (ports below 1024 need root); failing to drop is fatal: we refuse to run as root.
- The pid file (`daemon.pid`) is written after the drop and refused when it names a live process;
  it is removed at exit only if we wrote it.
"""

import contextlib
import errno
import os
import pwd
import socket
import sys

from exabgp.settings import Settings


def set_umask(settings: Settings) -> None:
    os.umask(settings.daemon.umask)


def _stdin_is_socket() -> bool:
    if sys.__stdin__ is None:  # started without a standard input
        return False
    try:
        probe = socket.fromfd(sys.__stdin__.fileno(), socket.AF_INET, socket.SOCK_RAW)
    except (ValueError, OSError):
        return False
    with probe:
        try:
            probe.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)
        except OSError as exc:
            return exc.errno != errno.ENOTSOCK
    return True


def daemonise(settings: Settings) -> None:
    """Fork into the background when asked (the parent processes exit here)."""
    if not settings.daemon.daemonize:
        return
    if settings.log.enable and settings.log.destination.lower() in ('stdout', 'stderr'):
        return
    if _stdin_is_socket() or os.getppid() == 1:
        return
    if os.fork():
        os._exit(0)
    os.setsid()
    if os.fork():
        os._exit(0)
    null = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(null, descriptor)
    if null > 2:
        os.close(null)


def drop_privileges(user: str) -> str | None:
    """Become `user` when we are root; the reason it failed, or None."""
    uid, gid = os.getuid(), os.getgid()
    if uid and gid:
        return None
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return f"could not drop privileges: no user '{user}' (set exabgp.daemon.user)"
    try:
        if not gid:
            os.setgid(entry.pw_gid)
        if not uid:
            os.setuid(entry.pw_uid)
    except OSError as exc:
        return f"could not drop privileges to '{user}': {exc.strerror}"
    if (os.getuid(), os.geteuid(), os.getgid()) != (entry.pw_uid, entry.pw_uid, entry.pw_gid):
        return f"could not drop privileges to '{user}', refusing to run as root"
    return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True


class PidFile:
    def __init__(self, path: str) -> None:
        self.path = path
        self.written = False

    def save(self) -> str | None:
        """Write our pid; the reason it could not be, or None."""
        if not self.path:
            return None
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY
        try:
            descriptor = os.open(self.path, flags, 0o644)
        except FileExistsError:
            try:
                with open(self.path) as handle:
                    other = int(handle.readline().strip() or 0)
            except (OSError, ValueError):
                other = 0
            if _alive(other):
                return f'the pid file {self.path} names a running process ({other})'
            try:
                descriptor = os.open(self.path, os.O_WRONLY | os.O_TRUNC)
            except OSError as exc:
                return f'can not write the pid file {self.path}: {exc.strerror}'
        except OSError as exc:
            return f'can not write the pid file {self.path}: {exc.strerror}'
        with os.fdopen(descriptor, 'w') as handle:
            handle.write(f'{os.getpid()}\n')
        self.written = True
        return None

    def remove(self) -> None:
        if self.written:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path)
            self.written = False
