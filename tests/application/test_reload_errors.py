"""The daemon with its real loader: a broken file at start exits 1 with every problem; a broken file
at reload is reported the same way and the running configuration is kept; the strict setting
refuses a file that only has warnings."""

import asyncio
import logging
from pathlib import Path

import pytest

from exabgp import settings as settings_module
from exabgp.application.server import Rotation
from exabgp.reactor.daemon import Daemon

GOOD = """\
neighbor 127.0.0.1 {
    router-id 1.2.3.4;
    local-address 127.0.0.1;
    local-as 1;
    peer-as 2;
    passive;
    hold-time 90;
}
"""
BROKEN = GOOD.replace('    hold-time 90;\n', '    hold-tme 90;\n    peer-as 4294967296;\n')


def daemon(path: Path, **changes: object) -> Daemon:
    settings = settings_module.load({}, '', str(path.parent))
    settings = settings.replace({'api.cli': False, 'tcp.bind': (), **changes})
    return Daemon(settings, Rotation([str(path)], settings))


async def test_a_broken_file_at_start_exits_with_every_problem(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / 'exabgp.conf'
    path.write_text(BROKEN)
    with caplog.at_level(logging.DEBUG):
        assert await asyncio.wait_for(daemon(path).run(), 20) == 1
    assert f"{path}:7:5: invalid keyword 'hold-tme' in neighbor, did you mean hold-time?" in caplog.text
    assert f"{path}:8:13: '4294967296' is an invalid ASN, must be 0 to 4294967295" in caplog.text


async def test_strict_setting_refuses_warnings_at_start(tmp_path: Path) -> None:
    path = tmp_path / 'exabgp.conf'
    path.write_text(GOOD.replace('    hold-time 90;\n', '    hold-time 90;\n    hold-time 180;\n'))
    assert await asyncio.wait_for(daemon(path, **{'configuration.strict': True}).run(), 20) == 1


async def test_a_broken_reload_keeps_the_running_configuration(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / 'exabgp.conf'
    path.write_text(GOOD)
    running = daemon(path)
    task = asyncio.create_task(running.run())
    try:
        async with asyncio.timeout(20):
            while not running.peers:
                await asyncio.sleep(0.05)
        before = running.config
        path.write_text(BROKEN)
        with caplog.at_level(logging.DEBUG):
            assert running.reload() is False
        assert running.config is before
        assert len(running.peers) == 1
        assert 'reload failed, keeping the running configuration' in caplog.text
        assert 'did you mean hold-time?' in caplog.text
        assert "'4294967296' is an invalid ASN" in caplog.text
    finally:
        running.stop(0)
        await asyncio.wait_for(task, 20)


# ---------------------------------------------------------------- the Cease a reload sends


class Peer:
    """A BGP peer on loopback that accepts the daemon, mirrors its OPEN (another router id) and
    keeps every NOTIFICATION it is sent."""

    def __init__(self) -> None:
        self.notifications: asyncio.Queue[bytes] = asyncio.Queue()
        self.established = asyncio.Event()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._session, '127.0.0.1', 0)
        return self.server.sockets[0].getsockname()[1]

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                header = await reader.readexactly(19)
                message = header + await reader.readexactly(int.from_bytes(header[16:18], 'big') - 19)
                if message[18] == 1:  # OPEN: the same, router id 2.2.2.2, then a KEEPALIVE
                    writer.write(message[:24] + bytes((2, 2, 2, 2)) + message[28:] + b'\xff' * 16 + b'\x00\x13\x04')
                elif message[18] == 4:
                    self.established.set()
                elif message[18] == 3:
                    self.notifications.put_nowait(message[19:])
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


# an internal session, so the peer's OPEN is the daemon's own
IBGP = GOOD.replace('peer-as 2', 'peer-as 1').replace('    passive;\n', '')


async def _reload_cease(tmp_path: Path, new: str) -> bytes:
    peer = Peer()
    port = await peer.start()
    path = tmp_path / 'exabgp.conf'
    path.write_text(IBGP)
    running = daemon(path, **{'tcp.port': port})
    task = asyncio.create_task(running.run())
    try:
        async with asyncio.timeout(20):
            await peer.established.wait()
            path.write_text(new)
            assert running.reload() is True
            return await peer.notifications.get()
    finally:
        running.stop(0)
        await asyncio.wait_for(task, 20)
        peer.server.close()


async def test_a_reload_that_changes_a_neighbor_closes_it_with_other_configuration_change(tmp_path: Path) -> None:
    # RFC 4486 3: 6/6 Other Configuration Change, no data (5.0.15: 6/3 Peer De-configured)
    changed = IBGP.replace('hold-time 90', 'hold-time 60')
    assert await _reload_cease(tmp_path, changed) == b'\x06\x06'


async def test_a_reload_that_removes_a_neighbor_closes_it_with_peer_deconfigured(tmp_path: Path) -> None:
    # RFC 4486 3: 6/3 Peer De-configured (5.0.15 closes the connection without a NOTIFICATION)
    removed = IBGP.replace('127.0.0.1 {', '127.0.0.9 {')
    assert await _reload_cease(tmp_path, removed) == b'\x06\x03'
