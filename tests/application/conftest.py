"""What the application tests share: the demo's checkout, skipped where the demo can not run."""

import getpass
import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO_PORT = 1790


def free_port() -> int:
    """A port nothing listens on now: the tests' own daemons use it, not the demo's (other runs on
    this machine may hold that one)."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return int(probe.getsockname()[1])


def _unusable() -> str:
    """Why the demo can not run here ('' when it can): it needs 127.0.0.2 and port 1790 free."""
    for address, port in (('127.0.0.1', DEMO_PORT), ('127.0.0.2', 0)):
        with socket.socket() as probe:
            # as the daemon's listener does: a port left in TIME_WAIT by an earlier run is usable
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((address, port))
            except OSError as exc:
                return f'cannot bind {address}:{port} ({exc.strerror})'
    return ''


@pytest.fixture
def demo_environment() -> dict[str, str]:
    """The environment a user runs the demo in: no exabgp settings, nothing installed, the daemon kept
    as the user who runs it (as root, 5.0 drops to nobody). Skips the test where the demo can not run."""
    reason = _unusable()
    if reason:
        pytest.skip(reason)
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment.pop('PYTHONPATH', None)
    environment['exabgp_daemon_user'] = getpass.getuser()
    return environment
