"""The healthcheck adding and removing its addresses for real, in a network namespace the test
creates and deletes (root and `ip netns` needed, skipped otherwise): never on this machine's own
interfaces. Where 5.0.15 is installed, it sets up the same addresses."""

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ORACLE = Path('/work/oracle/venv/bin/exabgp')
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != 'PYTHONPATH'}


def _usable() -> str:
    if os.geteuid() != 0 or shutil.which('ip') is None:
        return 'needs root and the ip command'
    probe = f'exabgp-hc-probe-{os.getpid()}'
    if subprocess.run(['ip', 'netns', 'add', probe], capture_output=True, check=False).returncode:
        return 'ip netns add does not work here'
    subprocess.run(['ip', 'netns', 'delete', probe], capture_output=True, check=False)
    return ''


pytestmark = pytest.mark.skipif(bool(_usable()), reason=_usable() or 'usable')


@pytest.fixture
def namespace() -> Iterator[str]:
    name = f'exabgp-hc-{os.getpid()}'
    subprocess.run(['ip', 'netns', 'add', name], check=True)
    try:
        yield name
    finally:
        subprocess.run(['ip', 'netns', 'delete', name], check=False)


def inside(namespace: str, *argv: str, program: tuple[str, ...] = (sys.executable, str(ROOT / 'sbin' / 'exabgp'))):
    command = ['ip', 'netns', 'exec', namespace, *program, 'healthcheck', '--no-syslog', '--no-ack', *argv]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENVIRONMENT)


def addresses(namespace: str) -> set[str]:
    shown = subprocess.run(
        ['ip', 'netns', 'exec', namespace, 'ip', '-o', 'address', 'show', 'dev', 'lo'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = set()
    for line in shown.splitlines():
        words = line.replace('\\', ' ').split()
        address = words[3]
        if not address.startswith(('127.', '::1/')):
            label = words[-5] if words[2] == 'inet' and ':' in words[-5] else ''
            found.add(f'{address} {label}'.strip())
    return found


SERVICE = ('--ip', '192.0.2.81/32', '--ip', '192.0.2.84/31', '--ip', '2001:db8::81/128', '--label', 'web')
ADDED = {'192.0.2.81/32 lo:web', '192.0.2.84/32 lo:web', '192.0.2.85/32 lo:web', '2001:db8::81/128'}


def test_missing_addresses_are_added_with_their_label(namespace: str) -> None:
    process = inside(namespace, *SERVICE, '--rise', '1', '--interval', '0')
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert len(out.splitlines()) == 3
    assert addresses(namespace) == ADDED
    # a second run finds them there (the IPv6 one unlabelled: `ip` says it exists, which is fine)
    process = inside(namespace, *SERVICE, '--rise', '1', '--interval', '0')
    assert process.wait(timeout=30) == 0
    process.communicate()
    assert addresses(namespace) == ADDED


@pytest.mark.skipif(not ORACLE.exists(), reason='ExaBGP 5.0.15 is not installed at /work/oracle/venv')
def test_5_0_adds_the_same_addresses(namespace: str) -> None:
    process = inside(namespace, *SERVICE, '--rise', '1', '--interval', '0', program=(str(ORACLE),))
    assert process.wait(timeout=30) == 0
    process.communicate()
    assert addresses(namespace) == ADDED


def test_dynamic_setup_removes_the_labelled_addresses_when_down(namespace: str) -> None:
    process = inside(namespace, *SERVICE, '--dynamic-ip-setup', '--cmd', 'false', '--fall', '1', '--interval', '0')
    assert process.wait(timeout=30) == 0
    process.communicate()
    # the IPv6 address carries no label, so it is not known as ours
    assert addresses(namespace) == {'2001:db8::81/128'}


def test_sigterm_withdraws_and_removes_the_addresses(namespace: str) -> None:
    process = inside(namespace, '--ip', '192.0.2.90/32', '--rise', '1', '--interval', '5')
    assert process.stdout.readline() == 'neighbor * announce route 192.0.2.90/32 next-hop self med 100\n'
    assert addresses(namespace) == {'192.0.2.90/32'}
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert out == 'neighbor * withdraw route 192.0.2.90/32 next-hop self\n'
    assert process.returncode == 0
    assert addresses(namespace) == set()
