"""`exabgp cli`: 5.0's abbreviations, and commands through the named pipes and the unix socket of a
running daemon (a real one, started from the checkout)."""

import getpass
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exabgp.application.cli import expand

ROOT = Path(__file__).resolve().parent.parent.parent
EXABGP = [sys.executable, str(ROOT / 'sbin' / 'exabgp')]

CONFIG = """
neighbor 192.0.2.9 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive;
    family { ipv4 unicast; }
}
"""


@pytest.mark.parametrize(
    ('typed', 'sent'),
    [
        ('s n s', 'show neighbor summary'),
        ('show neighbor summary', 'show neighbor summary'),
        ('s a o', 'show adj-rib out'),
        ('s a i e', 'show adj-rib in extensive'),
        ('a r 10.0.0.0/8 next-hop 1.1.1.1', 'announce route 10.0.0.0/8 next-hop 1.1.1.1'),
        ('f a o', 'flush adj-rib out'),
        ('neighbour 10.0.0.1 t 4', 'neighbor 10.0.0.1 teardown 4'),
        ('h', 'help'),
        ('a e ipv4 unicast', 'announce eor ipv4 unicast'),
    ],
)
def test_abbreviations(typed: str, sent: str) -> None:
    assert expand(typed.split()) == sent


@pytest.mark.parametrize(
    'line',
    [
        'peer * announce route 10.0.0.0/8 next-hop 1.1.1.1',
        'peer 10.0.0.1 teardown 4',
        'rib show out extensive',
        'rib flush out',
        'rib clear in',
        'session ack silence',
        'system api version',
        'daemon status',
        'peer list',
        'peer show',
    ],
)
def test_api_v6_lines_are_sent_as_typed(line: str) -> None:
    assert expand(line.split()) == line


def start(tmp_path: Path, pipes: bool = True, **settings: str) -> tuple[dict, subprocess.Popen]:
    """The daemon, with its named pipes (unless told) and unix socket ready; its output piped."""
    (tmp_path / 'run').mkdir()
    for end in ('in', 'out') if pipes else ():
        os.mkfifo(tmp_path / 'run' / f'exabgp.{end}', 0o600)
    (tmp_path / 'cli.conf').write_text(CONFIG)
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment.update(EXABGP_ROOT=str(tmp_path), exabgp_cli_socket=str(tmp_path / 'cli.sock'), exabgp_tcp_bind='')
    # keep our user: as root the daemon would drop to nobody, who can not reach tmp_path
    environment['exabgp_daemon_user'] = getpass.getuser()
    environment.update(settings)
    process = subprocess.Popen(
        [*EXABGP, str(tmp_path / 'cli.conf')], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 20
    while not (tmp_path / 'cli.sock').exists():
        assert time.monotonic() < deadline, 'the daemon did not start'
        time.sleep(0.05)
    return environment, process


@pytest.fixture
def daemon(tmp_path: Path):
    environment, process = start(tmp_path)
    try:
        yield environment
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)


@pytest.fixture
def daemon_v6(tmp_path: Path):
    environment, process = start(tmp_path, exabgp_api_version='6')
    try:
        yield environment
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)


def cli(environment: dict, *words: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EXABGP, 'cli', *words], env=environment, capture_output=True, text=True, timeout=30)


def test_commands_through_the_named_pipes(daemon: dict) -> None:
    summary = cli(daemon, 'show', 'neighbor', 'summary')
    assert summary.returncode == 0
    assert summary.stdout.splitlines()[0].startswith('Peer            AS')
    assert summary.stdout.splitlines()[1].split()[:4] == ['192.0.2.9', '65002', 'down', 'idle']
    assert cli(daemon, 'announce', 'route', '10.1.0.0/16', 'next-hop', '192.0.2.1').returncode == 0
    shown = cli(daemon, 's', 'a', 'o')
    assert shown.stdout.splitlines() == [
        'command: show adj-rib out',
        '192.0.2.9 ipv4 unicast 10.1.0.0/16 next-hop 192.0.2.1',
    ]
    refused = cli(daemon, 'bogus')
    assert 'ExaBGP returns an error' in refused.stderr


def test_commands_through_the_unix_socket(daemon: dict) -> None:
    shown = cli(daemon, '--socket', daemon['exabgp_cli_socket'], 'version')
    assert shown.returncode == 0
    assert shown.stdout.startswith('exabgp ')


def test_shutdown_through_the_unix_socket_ends_cleanly(tmp_path: Path) -> None:
    # the connection the shutdown came on used to be left to the loop to cancel at exit, and
    # Python 3.11 printed a CancelledError traceback for it (without the named pipes, whose closing
    # gave it time to end: 20 runs of 20)
    environment, process = start(tmp_path, pipes=False)
    try:
        shown = cli(environment, '--socket', environment['exabgp_cli_socket'], 'shutdown')
        output, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert shown.stdout == 'shutdown in progress\n'
    assert process.returncode == 0
    assert b'Traceback' not in output and b'CancelledError' not in output


def test_without_pipes_the_cli_says_where_it_looked(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment['EXABGP_ROOT'] = str(tmp_path)
    result = cli(environment, '--pipename', 'nothere', 'version')
    assert result.returncode == 1
    assert "could not find ExaBGP's named pipes (nothere.in and nothere.out)" in result.stdout


def test_api_v6_through_the_cli(daemon_v6: dict) -> None:
    listed = cli(daemon_v6, 'peer', 'list')
    assert listed.returncode == 0
    assert json.loads(listed.stdout) == [{'peer-address': '192.0.2.9', 'peer-as': 65002, 'state': 'idle'}]
    helped = cli(daemon_v6)
    assert helped.stdout.splitlines()[0] == 'no command provided, sending "system help"'
    assert 'peer <selector> teardown' in json.loads(helped.stdout.splitlines()[1])['commands']
    refused = cli(daemon_v6, 'show', 'neighbor', 'summary')
    assert 'ExaBGP returns an error' in refused.stderr
