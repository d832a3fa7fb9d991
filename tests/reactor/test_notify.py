"""systemd notifications: a datagram socket stands where systemd's would be ($NOTIFY_SOCKET), and the
real daemon runs in a subprocess, as systemd would start it under a Type=notify unit."""

import getpass
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from daemon_helpers import free_port

from exabgp.reactor.notify import Notifier, _watchdog_interval

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """
neighbor 127.0.0.2 {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive;
    listen {port};
    family {{ ipv4 unicast; }}
}}
"""


def receive(sock: socket.socket, seconds: float) -> list[str]:
    """The datagrams that arrive within `seconds`."""
    found = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            found.append(sock.recv(4096).decode())
        except TimeoutError:
            break
    return found


def until(sock: socket.socket, wanted: str, seconds: float) -> list[str]:
    """The datagrams up to and including `wanted` (all of them if it does not come in time)."""
    found: list[str] = []
    deadline = time.monotonic() + seconds
    while wanted not in found and (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            found.append(sock.recv(4096).decode())
        except TimeoutError:
            break
    return found


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(('127.0.0.1', port)) == 0


@pytest.mark.parametrize('namespace', ['path', 'abstract'])
def test_the_daemon_says_ready_once_listening_pings_the_watchdog_and_says_stopping(
    tmp_path: Path, namespace: str
) -> None:
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if namespace == 'path':
        name = str(tmp_path / 'notify')
        notify.bind(name)
    else:
        name = f'@exabgp-test-{uuid.uuid4().hex}'
        notify.bind(b'\0' + name[1:].encode())
    port = free_port()
    config = tmp_path / 'exabgp.conf'
    config.write_text(CONFIG.format(port=port))
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment.update(
        {
            'NOTIFY_SOCKET': name,
            'WATCHDOG_USEC': '200000',  # a ping every 0.1 s
            'exabgp_daemon_user': getpass.getuser(),
            'exabgp_api_cli': 'false',
        }
    )
    daemon = subprocess.Popen(
        [sys.executable, str(ROOT / 'sbin' / 'exabgp'), str(config)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        before = until(notify, 'READY=1', 20)
        assert before[-1:] == ['READY=1'], before
        # ready means listening: the port takes a connection now
        assert listening(port)
        pings = receive(notify, 0.6)
        assert set(pings) == {'WATCHDOG=1'} and len(pings) >= 3, pings
        daemon.send_signal(signal.SIGTERM)
        after = until(notify, 'STOPPING=1', 10)
        assert after[-1:] == ['STOPPING=1'], after
        output, _ = daemon.communicate(timeout=20)
        assert daemon.returncode == 0, output
        # nothing follows STOPPING=1: the watchdog task ended with the daemon
        assert set(receive(notify, 0.2)) <= {'WATCHDOG=1'}
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.communicate()
        notify.close()


def test_without_notify_socket_nothing_is_opened_or_sent() -> None:
    silent = Notifier.from_environment({'WATCHDOG_USEC': '1000000'})
    assert silent.address is None and silent.watchdog is None
    silent.ready()
    silent.stopping()
    assert silent._socket is None


def test_the_watchdog_period_is_halved_and_only_for_our_pid() -> None:
    assert _watchdog_interval({'WATCHDOG_USEC': '30000000'}, 42) == 15.0
    assert _watchdog_interval({'WATCHDOG_USEC': '30000000', 'WATCHDOG_PID': '42'}, 42) == 15.0
    assert _watchdog_interval({'WATCHDOG_USEC': '30000000', 'WATCHDOG_PID': '7'}, 42) is None
    assert _watchdog_interval({'WATCHDOG_USEC': '0'}, 42) is None
    assert _watchdog_interval({}, 42) is None


def test_a_socket_nobody_listens_on_is_reported_and_does_not_raise(tmp_path: Path) -> None:
    notifier = Notifier(str(tmp_path / 'nobody'))
    notifier.ready()
    notifier.ready()
    assert notifier._failed
    notifier.close()
