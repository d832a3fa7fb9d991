"""The README's first command: `exabgp_daemon_user=$(id -un) ./sbin/exabgp etc/exabgp/demo.conf` runs
a session on loopback, its API process prints the routes received as JSON and stops the daemon, with
nothing installed."""

import getpass
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PORT = 1790


def usable() -> str:
    """Why the demo can not run here ('' when it can): it needs 127.0.0.2 and port 1790 free."""
    for address, port in (('127.0.0.1', PORT), ('127.0.0.2', 0)):
        with socket.socket() as probe:
            try:
                probe.bind((address, port))
            except OSError as exc:
                return f'cannot bind {address}:{port} ({exc.strerror})'
    return ''


@pytest.mark.skipif(bool(usable()), reason=usable() or 'usable')
def test_the_demo_prints_the_routes_and_stops_by_itself() -> None:
    # as a user runs it: from the checkout, the settings of no environment, nothing installed
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment.pop('PYTHONPATH', None)
    # the README keeps the daemon as the user who runs it (as root, 5.0 drops to nobody)
    environment['exabgp_daemon_user'] = getpass.getuser()
    result = subprocess.run(
        [sys.executable, str(ROOT / 'sbin' / 'exabgp'), 'etc/exabgp/demo.conf'],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    printed = [
        json.loads(line.split('process demo-receive: ', 1)[1])
        for line in output.splitlines()
        if 'process demo-receive: {' in line
    ]
    announced = {
        route['nlri']
        for message in printed
        for family in message.get('update', {}).get('announce', {}).values()
        for routes in family.values()
        for route in routes
    }
    assert announced == {'192.0.2.0/24', '198.51.100.0/24'}
    assert 'both routes received, stopping the daemon' in output
