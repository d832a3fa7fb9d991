"""/metrics, /healthz, /readyz and `show health` on a real daemon: two of its neighbors in session
over loopback, an API process announcing routes, scraped over HTTP while messages flow."""

import asyncio
import contextlib
import re
from pathlib import Path

from daemon_helpers import daemon, free_port, script, two_speakers

from exabgp.api.command import ShowHealth, parse
from exabgp.configuration.route.grammar import Builder

# one sample line of the text exposition format: name, optional labels, a number
SAMPLE = re.compile(r'^([a-z_:][a-z0-9_:]*)(\{(?:[a-z_]+="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+)$')

ANNOUNCER = """
import sys, time
print('announce route 10.1.0.0/24 next-hop self', flush=True)
print('no such command', flush=True)
time.sleep(1.5)
print('announce route 10.1.1.0/24 next-hop self', flush=True)
print('withdraw route 10.1.0.0/24 next-hop self', flush=True)
for line in sys.stdin:
    pass
"""


async def get(port: int, path: str, method: str = 'GET') -> tuple[int, str, str]:
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(f'{method} {path} HTTP/1.1\r\nHost: test\r\n\r\n'.encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.decode().partition('\r\n\r\n')
    return int(head.split(' ')[1]), head, body


def samples(text: str) -> dict[str, float]:
    """Every sample, by its name and labels; fails on a line that is not of the format."""
    values: dict[str, float] = {}
    typed: set[str] = set()
    for line in text.splitlines():
        if line.startswith('# TYPE '):
            _, _, name, kind = line.split(' ')
            assert kind in ('gauge', 'counter')
            assert name not in typed
            typed.add(name)
            continue
        if line.startswith('# HELP '):
            continue
        match = SAMPLE.match(line)
        assert match, line
        assert match.group(1) in typed, line
        values[match.group(1) + (match.group(2) or '')] = float(match.group(3))
    return values


async def scrape(port: int) -> dict[str, float]:
    status, head, body = await get(port, '/metrics')
    assert status == 200 and 'text/plain; version=0.0.4' in head
    return samples(body)


async def until(port: int, name: str, minimum: float, timeout: float = 20) -> dict[str, float]:
    async with asyncio.timeout(timeout):
        while True:
            # the server starts with the daemon, after its configuration is read
            with contextlib.suppress(ConnectionRefusedError):
                values = await scrape(port)
                if values.get(name, 0) >= minimum:
                    return values
            await asyncio.sleep(0.1)


async def test_metrics_move_as_messages_flow(tmp_path: Path) -> None:
    port, metrics = free_port(), free_port()
    api = f'process announcer {{ run {script(tmp_path, "announcer.py", ANNOUNCER)}; encoder text; }}'
    config = two_speakers(port, '', 'api { processes [ announcer ]; }', sender_extra='', hold=30)
    config = api + config
    async with daemon(tmp_path, config, **{'metrics.port': metrics}) as (running, _):
        receiver = 'peer="127.0.0.2"'
        sender = 'peer="127.0.0.1"'
        up = await until(metrics, f'exabgp_peer_state{{{receiver},state="established"}}', 1)
        assert up[f'exabgp_peer_state{{{receiver},state="idle"}}'] == 0
        assert up[f'exabgp_peer_transitions_total{{{receiver},direction="up"}}'] == 1
        assert up[f'exabgp_peer_messages_total{{{receiver},direction="received",type="open"}}'] == 1
        first = await until(
            metrics, f'exabgp_peer_prefixes_received_total{{{receiver},family="ipv4 unicast",action="announced"}}', 1
        )
        assert first[f'exabgp_peer_prefixes_sent_total{{{sender},family="ipv4 unicast",action="announced"}}'] >= 1
        assert first['exabgp_process_commands_total{process="announcer"}'] >= 2
        assert first['exabgp_process_command_errors_total{process="announcer"}'] == 1
        assert first['exabgp_process_up{process="announcer"}'] == 1
        assert first[f'exabgp_peer_adj_rib_out_routes{{{sender}}}'] == 1
        # the second batch: one more announced, one withdrawn; the counters only go up
        withdrawn = f'exabgp_peer_prefixes_received_total{{{receiver},family="ipv4 unicast",action="withdrawn"}}'
        later = await until(metrics, withdrawn, 1)
        updates = f'exabgp_peer_messages_total{{{receiver},direction="received",type="update"}}'
        assert later[updates] > first[updates]
        assert later[f'exabgp_peer_adj_rib_out_routes{{{sender}}}'] == 1
        assert later['exabgp_ready'] == 1 and later['exabgp_healthy'] == 1
        assert later['exabgp_event_loop_lag_seconds'] < 1
        assert 'exabgp_build_info{version="' in ''.join(later)

        assert (await get(metrics, '/healthz'))[0] == 200
        status, _, body = await get(metrics, '/readyz')
        assert status == 200 and 'ready true' in body and 'established 2' in body
        assert (await get(metrics, '/nothing'))[0] == 404
        assert (await get(metrics, '/metrics', 'POST'))[0] == 405

        report = await running.health_report()
        assert report['healthy'] is True and report['ready'] is True and report['peers'] == 2

        # a reload counts, by outcome
        running.reload()
        reloaded = await scrape(metrics)
        assert reloaded['exabgp_reloads_total{outcome="success"}'] == 1


async def test_ready_once_the_peers_were_attempted_and_no_server_by_default(tmp_path: Path) -> None:
    port = free_port()
    async with daemon(tmp_path, two_speakers(port, '', '')) as (running, _):
        assert not running.metrics.enabled
        # the daemon's task has not run yet: nothing attempted
        assert (await running.health_report())['ready'] is False
        async with asyncio.timeout(20):
            while (report := await running.health_report())['established'] < 2:
                await asyncio.sleep(0.05)
        assert report['ready'] is True and report['attempted'] == 2 and report['healthy'] is True


def test_show_health_parses() -> None:
    assert parse('show health', Builder()) == ShowHealth(False)
    assert parse('show health json', Builder()) == ShowHealth(True)
