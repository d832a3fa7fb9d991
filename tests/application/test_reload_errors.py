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
