"""The library examples (etc/exabgp/examples/) run as programs against a second speaker on loopback:
the test's own `Speaker`, in the test's event loop."""

import asyncio
import signal
import sqlite3
import sys
from ipaddress import ip_address
from pathlib import Path

from exabgp.speaker import PeerState, Speaker, UpdateReceived

EXAMPLES = Path(__file__).resolve().parent.parent / 'etc' / 'exabgp' / 'examples'
TIMEOUT = 20


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def second_speaker(port: int, passive: bool, local: str = '127.0.0.1', peer: str = '127.0.0.2') -> str:
    """The test's side (127.0.0.1, AS 65001 unless told otherwise); the example is the other."""
    side = f'passive; listen {port};' if passive else f'connect {port};'
    local_as, peer_as = (65001, 65002) if local == '127.0.0.1' else (65002, 65001)
    return f"""
neighbor {peer} {{
    router-id {local};
    local-address {local};
    local-as {local_as};
    peer-as {peer_as};
    {side}
    family {{ ipv4 unicast; }}
}}
"""


async def example(name: str, *arguments: str, stdin: bytes | None = None) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLES / name),
        *arguments,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None
    if stdin is not None:
        process.stdin.write(stdin)
    process.stdin.close()
    return process


async def line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    async with asyncio.timeout(TIMEOUT):
        text = (await process.stdout.readline()).decode().strip()
    if not text:
        assert process.stderr is not None
        raise AssertionError(f'the example ended: {(await process.stderr.read()).decode()}')
    return text


async def ended(process: asyncio.subprocess.Process) -> int:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    async with asyncio.timeout(TIMEOUT):
        return await process.wait()


async def update(events, wanted) -> UpdateReceived:
    async with asyncio.timeout(TIMEOUT):
        async for event in events:
            if isinstance(event, UpdateReceived) and wanted(event):
                return event
    raise AssertionError('no such update')


async def test_inject_announces_its_routes_and_leaves_with_cease():
    port = free_port()
    routes = b'route 10.0.0.0/24 next-hop self community [65000:1]\n# a comment\nroute 10.0.1.0/24 next-hop 192.0.2.2\n'
    async with Speaker(second_speaker(port, passive=True)) as speaker, speaker.events() as events:
        process = await example('inject.py', '--port', str(port), stdin=routes)
        try:
            assert await line(process) == 'announced 2'
            await speaker.established(timeout=TIMEOUT)
            async with asyncio.timeout(TIMEOUT):
                while len(speaker.rib_in('127.0.0.2')) < 2:
                    await update(events, lambda event: event.announced)
            received = {str(route.nlri): route for route in speaker.rib_in('127.0.0.2')}
            assert received['10.0.0.0/24'].nexthop == ip_address('127.0.0.2')
            assert received['10.0.1.0/24'].nexthop == ip_address('192.0.2.2')
        finally:
            code = await ended(process)
        assert code == 0
        async with asyncio.timeout(TIMEOUT):
            async for event in events:
                if isinstance(event, PeerState) and event.state == 'down':
                    assert event.reason == 'notification received (6,3)'
                    break


async def test_monitor_stores_what_it_receives(tmp_path):
    port = free_port()
    database = tmp_path / 'routes.sqlite'
    process = await example(
        'monitor.py',
        *('--passive', '--port', str(port), '--local', '127.0.0.1', '--peer', '127.0.0.2'),
        *('--local-as', '65001', '--peer-as', '65002', '--db', str(database)),
    )
    sending = second_speaker(port, passive=False, local='127.0.0.2', peer='127.0.0.1')
    try:
        async with Speaker(sending) as speaker:
            await speaker.established(timeout=TIMEOUT)
            assert await line(process) == 'state up'
            await speaker.announce('route 10.0.0.0/24 next-hop 192.0.2.1 med 5', 'route 10.0.1.0/24 next-hop 192.0.2.1')
            seen = {await line(process), await line(process)}
            assert seen == {
                '+ 10.0.0.0/24 192.0.2.1 origin igp as-path ( 65002 ) med 5',
                '+ 10.0.1.0/24 192.0.2.1 origin igp as-path ( 65002 )',
            }
            await speaker.withdraw('route 10.0.0.0/24 next-hop 192.0.2.1')
            assert await line(process) == '- 10.0.0.0/24'
            with sqlite3.connect(database) as stored:
                rows = stored.execute('SELECT peer, prefix, nexthop FROM routes').fetchall()
            assert rows == [('127.0.0.2', '10.0.1.0/24', '192.0.2.1')]
    finally:
        code = await ended(process)
    assert code == 0


async def test_anycast_follows_the_service(tmp_path):
    port = free_port()

    async def answer(reader, writer):
        writer.close()

    service = await asyncio.start_server(answer, '127.0.0.1', 0)
    service_port = service.sockets[0].getsockname()[1]
    async with Speaker(second_speaker(port, passive=True)) as speaker, speaker.events() as events:
        process = await example(
            'anycast.py',
            *('--port', str(port), '--service', f'127.0.0.1:{service_port}', '--prefix', '198.51.100.53/32'),
            *('--interval', '0.2', '--rise', '2', '--fall', '2'),
        )
        try:
            assert await line(process) == 'announce 198.51.100.53/32'
            announced = await update(events, lambda event: event.announced)
            assert [str(route.nlri) for route in announced.announced] == ['198.51.100.53/32']
            assert announced.announced[0].nexthop == ip_address('127.0.0.2')
            service.close()
            await service.wait_closed()
            assert await line(process) == 'withdraw 198.51.100.53/32'
            withdrawn = await update(events, lambda event: event.withdrawn)
            assert [str(nlri) for nlri in withdrawn.withdrawn] == ['198.51.100.53/32']
            assert speaker.rib_in('127.0.0.2') == []
        finally:
            code = await ended(process)
        assert code == 0
