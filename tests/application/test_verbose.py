"""`exabgp server -v`: every topic at DEBUG in the long format, as 5.0's -v (a real daemon from the
checkout, one connection attempt to a closed port, then it exits)."""

import getpass
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EXABGP = [sys.executable, str(ROOT / 'sbin' / 'exabgp')]
# a family 5.0 knows that we do not decode yet


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def run(tmp_path: Path, *flags: str) -> list[str]:
    config = tmp_path / 'verbose.conf'
    config.write_text(f"""
neighbor 127.0.0.1 {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    connect {closed_port()};
    family {{ ipv4 unicast; }}
    static {{ route 10.0.0.0/24 next-hop self; }}
}}
""")
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment.update(
        EXABGP_ROOT=str(tmp_path), exabgp_tcp_bind='', exabgp_api_cli='false', exabgp_daemon_user=getpass.getuser()
    )
    done = subprocess.run(
        [*EXABGP, 'server', *flags, '-1', str(config)], env=environment, capture_output=True, text=True, timeout=60
    )
    return done.stderr.splitlines()


def test_verbose_logs_every_topic_at_debug_with_time_and_pid(tmp_path: Path) -> None:
    lines = run(tmp_path, '-v')
    long = re.compile(r'^\d\d:\d\d:\d\d \d+ +(\S+) +(.*)$')
    parsed = [long.match(line) for line in lines]
    assert all(parsed), lines
    found = {(match.group(1), match.group(2)) for match in parsed if match}
    assert ('rib', 'insert 10.0.0.0/24 next-hop self') in found
    assert any(source == 'reactor' and text.startswith('new peer: neighbor 127.0.0.1') for source, text in found)
    assert any(source == 'network' and 'connecting to 127.0.0.1:' in text for source, text in found)
    # the family left out of the OPEN is said at the default level too


def test_without_verbose_no_debug_line(tmp_path: Path) -> None:
    lines = run(tmp_path)
    assert not any('insert 10.0.0.0/24' in line or 'new peer:' in line for line in lines)
