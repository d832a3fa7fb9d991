"""A peer's task over real loopback sockets."""

import asyncio
import socket
import struct

from exabgp import settings
from exabgp.configuration.parser import load_text
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer

CONFIG = """
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive true;
}
"""


async def reset_connection() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Streams over a connection the other end reset before asyncio took it: its transport knows
    no peer address (BIRD restarting did this to an outgoing connection in the interop tests)."""
    with socket.socket() as server:
        server.bind(('127.0.0.1', 0))
        server.listen()
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
        accepted.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        accepted.close()  # with a zero linger: a reset
    await asyncio.sleep(0.05)
    client.setblocking(False)
    reader, writer = await asyncio.open_connection(sock=client)
    assert writer.get_extra_info('peername') is None
    return reader, writer


async def test_a_connection_reset_before_use_is_dropped_and_the_peer_carries_on() -> None:
    (neighbor,) = load_text(CONFIG).neighbors
    peer = Peer(neighbor, settings.load({}, ''), Observer())
    task = asyncio.create_task(peer.run())
    peer.incoming(*await reset_connection())
    await asyncio.sleep(0.1)
    assert not task.done()
    assert peer.channels == []
    peer.stop()
    await asyncio.wait_for(task, 5)
    assert task.exception() is None
