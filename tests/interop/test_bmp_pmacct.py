"""Our BMP export read by a real collector: pmacct's pmbmpd (Debian package pmacct).

Our daemon (a child process) holds two neighbors over loopback, 127.0.0.2 announcing ROUTES routes
to 127.0.0.1, and mirrors both to pmbmpd, which logs each BMP message it decodes as a JSON line
(one per prefix for Route Monitoring). Checked from that log: the Initiation with our sysDescr,
both Peer Up with their addresses and ASNs, every prefix with its attributes, Statistics Reports,
both Peer Down and the Termination once the daemon is stopped. Skipped when pmbmpd is missing.
"""

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from peers import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
SBIN = '/usr/local/sbin:/usr/sbin:/sbin'
PMBMPD = shutil.which('pmbmpd') or shutil.which('pmbmpd', path=SBIN)
ROUTES = 300

pytestmark = pytest.mark.skipif(PMBMPD is None, reason='pmbmpd is not installed (Debian package pmacct)')


def configuration(station: int, bgp: int) -> str:
    routes = ' '.join(
        f'route 10.2.{index >> 8}.{index & 255}/32 next-hop 127.0.0.2 med {index};' for index in range(ROUTES)
    )
    return f"""
bmp pmacct {{ host 127.0.0.1; port {station}; statistics-timeout 1; }}
neighbor 127.0.0.2 {{
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;
    passive; listen {bgp}; family {{ ipv4 unicast; }}
}}
neighbor 127.0.0.1 {{
    router-id 10.0.0.2; local-address 127.0.0.2; local-as 65002; peer-as 65001;
    connect {bgp}; family {{ ipv4 unicast; }}
    static {{ {routes} }}
}}
"""


def logged(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def until(condition, timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.1)


async def test_pmbmpd_decodes_every_message(tmp_path: Path) -> None:
    port = free_port('127.0.0.1')
    messages = tmp_path / 'msglog.json'
    (tmp_path / 'pmbmpd.conf').write_text(
        f'daemonize: false\nbmp_daemon_ip: 127.0.0.1\nbmp_daemon_port: {port}\n'
        f'bmp_daemon_msglog_file: {messages}\nbmp_daemon_msglog_output: json\nlogfile: {tmp_path / "pmbmpd.log"}\n'
    )
    (tmp_path / 'exabgp.conf').write_text(configuration(port, free_port('127.0.0.1')))
    collector = subprocess.Popen(
        [PMBMPD, '-f', str(tmp_path / 'pmbmpd.conf')], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    environment = dict(os.environ, exabgp_tcp_bind='', exabgp_api_cli='false')
    daemon = None
    try:
        await until(
            lambda: (tmp_path / 'pmbmpd.log').exists() and 'waiting for BMP' in (tmp_path / 'pmbmpd.log').read_text()
        )
        daemon = subprocess.Popen(
            [sys.executable, str(ROOT / 'sbin' / 'exabgp'), str(tmp_path / 'exabgp.conf')],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

        def kind(name: str) -> list[dict]:
            return [entry for entry in logged(messages) if entry.get('bmp_msg_type') == name]

        await until(lambda: len(kind('route_monitor')) == ROUTES and kind('stats'))
        daemon.send_signal(signal.SIGTERM)
        await until(lambda: kind('term'))
        init = kind('init')
        assert len(init) == 1 and init[0]['bmp_init_info_sysdescr'].startswith('ExaBGP ')
        assert sorted((up['peer_ip'], up['peer_asn']) for up in kind('peer_up')) == [
            ('127.0.0.1', 65001),
            ('127.0.0.2', 65002),
        ]
        routes = kind('route_monitor')
        assert {route['ip_prefix'] for route in routes} == {
            f'10.2.{index >> 8}.{index & 255}/32' for index in range(ROUTES)
        }
        assert all(route['as_path'] == '65002' and route['bgp_nexthop'] == '127.0.0.2' for route in routes)
        assert sorted(route['med'] for route in routes) == list(range(ROUTES))
        # every statistic read as we meant it (a misread length would shift the ones after it)
        statistics = {(entry['peer_ip'], entry['counter_type']): entry for entry in kind('stats')}
        assert {counter for _, counter in statistics} == {2, 7, 9, 11, 12}
        assert statistics[('127.0.0.2', 7)]['counter_value'] == ROUTES
        assert (statistics[('127.0.0.2', 9)]['afi'], statistics[('127.0.0.2', 9)]['counter_value']) == (1, ROUTES)
        assert {down['reason_type'] for down in kind('peer_down')} == {1}
        assert len(kind('peer_down')) == 2
        assert kind('term')[0]['bmp_term_info_reason'] == 'Session administratively closed'
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.terminate()
            daemon.wait(20)
        # pmbmpd does not end on SIGTERM while a BMP connection was open
        collector.kill()
        collector.wait(20)
