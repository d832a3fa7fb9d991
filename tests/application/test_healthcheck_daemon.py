"""End to end: our daemon runs `exabgp healthcheck` as an API process for one speaker, the other
speaker (same daemon, 127.0.0.1 <-> 127.0.0.2 as in the demo) records the UPDATEs it receives:
the service route comes when the check passes and goes when it fails (--withdraw-on-down)."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, free_port

RECEIVER = """
import sys

with open(sys.argv[1], 'a') as record:
    for line in sys.stdin:
        if '"update"' in line:
            record.write(line)
            record.flush()
"""

HEALTHCHECK = """
command = test -e {here}/up
ip = 192.0.2.80/32
neighbor = 127.0.0.1
no-ip-setup
no-syslog
withdraw-on-down
rise = 1
fall = 1
interval = 0.2
fast-interval = 0.1
"""

CONFIG = """
process service {{
    run {python} {exabgp} healthcheck --config {here}/healthcheck.conf;
    encoder text;
}}

process receive {{
    run {python} {here}/receive.py {here}/received;
    encoder json;
}}

neighbor 127.0.0.2 {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive;
    listen {port};
    family {{ ipv4 unicast; }}
    api {{
        processes [ receive ];
        receive {{ parsed; update; }}
    }}
}}

neighbor 127.0.0.1 {{
    router-id 10.0.0.2;
    local-address 127.0.0.2;
    local-as 65002;
    peer-as 65001;
    connect {port};
    family {{ ipv4 unicast; }}
    api {{
        # routes from a process go to the neighbors it is bound to
        processes [ service ];
    }}
}}
"""


def changes(record: Path) -> list[tuple[str, str]]:
    """('announce' or 'withdraw', prefix) for each route in the UPDATEs received, in order."""
    seen = []
    text = record.read_text() if record.exists() else ''
    for line in text.splitlines():
        update = json.loads(line)['neighbor']['message'].get('update', {})  # or an end-of-RIB
        for family in update.get('announce', {}).values():
            seen += [('announce', route['nlri']) for routes in family.values() for route in routes]
        for routes in update.get('withdraw', {}).values():
            seen += [('withdraw', route['nlri']) for route in routes]
    return seen


def wait_for(record: Path, expected: list[tuple[str, str]], seconds: float) -> list[tuple[str, str]]:
    """The first changes received, once there are as many as expected (or the time is up). The
    healthcheck repeats its commands at each check: what follows may repeat the last change."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(changes(record)) < len(expected):
        time.sleep(0.05)
    return changes(record)[: len(expected)]


def test_the_route_follows_the_check(tmp_path: Path, demo_environment: dict[str, str]) -> None:
    (tmp_path / 'receive.py').write_text(RECEIVER)
    (tmp_path / 'healthcheck.conf').write_text(HEALTHCHECK.format(here=tmp_path))
    config = tmp_path / 'exabgp.conf'
    config.write_text(
        CONFIG.format(python=sys.executable, exabgp=ROOT / 'sbin' / 'exabgp', here=tmp_path, port=free_port())
    )
    (tmp_path / 'up').touch()
    record = tmp_path / 'received'
    daemon = subprocess.Popen(
        [sys.executable, str(ROOT / 'sbin' / 'exabgp'), str(config)],
        cwd=tmp_path,
        env=demo_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        announced = [('announce', '192.0.2.80/32')]
        assert wait_for(record, announced, 8) == announced
        (tmp_path / 'up').unlink()
        withdrawn = [*announced, ('withdraw', '192.0.2.80/32')]
        assert wait_for(record, withdrawn, 4) == withdrawn
    finally:
        daemon.send_signal(signal.SIGTERM)
        output, _ = daemon.communicate(timeout=20)
    assert daemon.returncode == 0, output


RECORDER = """
import sys

with open(sys.argv[1], 'a') as record:
    for line in sys.stdin:
        if '"update"' in line or '"state"' in line:
            record.write(line)
            record.flush()
"""

RECEIVING_DAEMON = """
process receive {{
    run {python} {here}/receive.py {here}/received;
    encoder json;
}}

neighbor 127.0.0.2 {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive;
    listen {port};
    family {{ ipv4 unicast; }}
    api {{
        processes [ receive ];
        neighbor-changes;
        receive {{ parsed; update; }}
    }}
}}
"""

SERVICE_DAEMON = """
process service {{
    run {python} {exabgp} healthcheck --config {here}/healthcheck.conf;
    encoder text;
}}

neighbor 127.0.0.1 {{
    router-id 10.0.0.2;
    local-address 127.0.0.2;
    local-as 65002;
    peer-as 65001;
    connect {port};
    family {{ ipv4 unicast; }}
    api {{
        processes [ service ];
    }}
}}
"""


def events(record: Path) -> list[str]:
    """What the receiving side saw, in order: each route change, and the session's state changes."""
    seen = []
    text = record.read_text() if record.exists() else ''
    for line in text.splitlines():
        neighbor = json.loads(line)['neighbor']
        if 'state' in neighbor:
            seen.append(neighbor['state'])
            continue
        update = neighbor['message'].get('update', {})
        for family in update.get('announce', {}).values():
            seen += [f'announce {route["nlri"]}' for routes in family.values() for route in routes]
        for routes in update.get('withdraw', {}).values():
            seen += [f'withdraw {route["nlri"]}' for route in routes]
    return seen


def test_the_withdrawal_at_shutdown_reaches_the_peer_before_the_session_closes(
    tmp_path: Path, demo_environment: dict[str, str]
) -> None:
    """The healthcheck withdraws its routes when the daemon stops it (SIGTERM): the session to the
    peer (another daemon here) stays up until it has, and the peer gets the withdrawal, then the Cease."""
    (tmp_path / 'receive.py').write_text(RECORDER)
    # the service stays up: its routes are withdrawn only because it is stopped
    (tmp_path / 'healthcheck.conf').write_text(HEALTHCHECK.replace('withdraw-on-down\n', '').format(here=tmp_path))
    (tmp_path / 'up').touch()
    values = {'python': sys.executable, 'exabgp': ROOT / 'sbin' / 'exabgp', 'here': tmp_path, 'port': free_port()}
    (tmp_path / 'receiving.conf').write_text(RECEIVING_DAEMON.format(**values))
    (tmp_path / 'service.conf').write_text(SERVICE_DAEMON.format(**values))
    record = tmp_path / 'received'

    def start(config: str) -> subprocess.Popen:
        command = [sys.executable, str(ROOT / 'sbin' / 'exabgp'), str(tmp_path / config)]
        options = {'cwd': tmp_path, 'env': demo_environment, 'stderr': subprocess.STDOUT, 'text': True}
        return subprocess.Popen(command, stdout=subprocess.PIPE, **options)

    receiving = start('receiving.conf')
    service = start('service.conf')
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and 'announce 192.0.2.80/32' not in events(record):
            time.sleep(0.05)
        assert events(record) == ['connected', 'up', 'announce 192.0.2.80/32']
        service.send_signal(signal.SIGTERM)
        output, _ = service.communicate(timeout=20)
        assert service.returncode == 0, output
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and 'down' not in events(record):
            time.sleep(0.05)
        assert events(record)[2:] == ['announce 192.0.2.80/32', 'withdraw 192.0.2.80/32', 'down'], output
        assert 'no neighbor matching' not in output
    finally:
        for daemon in (service, receiving):
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)
                daemon.communicate(timeout=20)
