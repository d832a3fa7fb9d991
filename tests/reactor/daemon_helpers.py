"""Running a real daemon in the test's event loop: a configuration written to a temporary folder,
API processes that are real Python scripts, BGP sessions over loopback between two neighbors of
the same daemon (127.0.0.1 listens, 127.0.0.2 connects to it)."""

import asyncio
import contextlib
import socket
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

from exabgp import settings as settings_module
from exabgp.application.validate import context
from exabgp.configuration.parser import load
from exabgp.reactor.daemon import Daemon


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def script(folder: Path, name: str, body: str) -> str:
    """An API process: a Python script, run by this interpreter."""
    path = folder / name
    path.write_text(textwrap.dedent(body))
    return f'{sys.executable} {path}'


def two_speakers(port: int, receiver_api: str, sender_api: str, sender_extra: str = '', hold: int = 30) -> str:
    """127.0.0.1 receives (passive, listens), 127.0.0.2 sends (connects); the api blocks are given."""
    return f"""
neighbor 127.0.0.2 {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    hold-time {hold};
    passive;
    listen {port};
    family {{ ipv4 unicast; }}
    {receiver_api}
}}
neighbor 127.0.0.1 {{
    router-id 10.0.0.2;
    local-address 127.0.0.2;
    local-as 65002;
    peer-as 65001;
    hold-time {hold};
    connect {port};
    family {{ ipv4 unicast; }}
    {sender_extra}
    {sender_api}
}}
"""


@contextlib.asynccontextmanager
async def daemon(folder: Path, config: str, **changes: object) -> AsyncIterator[tuple[Daemon, asyncio.Task]]:
    path = folder / 'test.conf'
    path.write_text(config)
    settings = settings_module.load({}, '', str(folder))
    settings = settings.replace({'api.cli': False, 'tcp.bind': (), **changes})
    running = Daemon(settings, lambda: load(str(path), context(settings)))
    task = asyncio.create_task(running.run())
    try:
        yield running, task
    finally:
        if not task.done():
            running.stop(0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), 15)
        if not task.done():
            task.cancel()


async def wait_for_file(path: Path, timeout: float = 20.0) -> str:
    """The text of a file a process writes once it is done (polled: the test is outside the daemon)."""
    async with asyncio.timeout(timeout):
        while not path.exists() or not path.read_text().endswith('\n.\n'):
            await asyncio.sleep(0.05)
    return path.read_text()
