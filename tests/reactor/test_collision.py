"""Connection collisions (RFC 4271 6.8) against the daemon on real loopback sockets, in every order.

The test is the peer: the daemon connects to it (the daemon's outgoing connection) and it connects to
the daemon (the daemon's incoming one). Which connection gets the peer's OPEN first, and whether that
one is only in OPENCONFIRM or already ESTABLISHED when the other's OPEN arrives, are varied with both
orders of the BGP identifiers. The connection kept is the one the RFC says; the other gets Cease 6/7
and is closed; the daemon is left with that one connection only. Both connections completing in
the same loop step are both served and collide the same way.
"""

import asyncio
import contextlib

import pytest
from test_daemon import NEGOTIATED, daemon_for, free_port, neighbor, peer_open, settings
from virtual_time import virtual_time

from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.configuration.parser import load_text
from exabgp.configuration.process import Context
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer
from exabgp.session.framer import Framer

HIGH, LOW = '10.0.0.9', '10.0.0.1'


async def _listen(reader: asyncio.StreamReader) -> tuple[bool, list[tuple[int, int]]]:
    """What the daemon says on a connection until it closes it or stays quiet: whether it is still
    open, and the NOTIFICATIONs (code, subcode) it sent."""
    framer = Framer()
    notifications = []
    with contextlib.suppress(TimeoutError):
        while True:
            data = await asyncio.wait_for(reader.read(65536), 1.5)
            if not data:
                return False, notifications
            for kind, _, body in framer.feed(data):
                if kind == MessageType.NOTIFICATION:
                    notifications.append((body[0], body[1]))
    return True, notifications


@virtual_time
@pytest.mark.parametrize('stage', ['openconfirm', 'established'])
@pytest.mark.parametrize('first', ['outgoing', 'incoming'])
@pytest.mark.parametrize(('local_id', 'remote_id'), [(HIGH, LOW), (LOW, HIGH)], ids=['ours-higher', 'theirs-higher'])
async def test_the_connection_kept_is_the_one_the_rfc_says(
    stage: str, first: str, local_id: str, remote_id: str
) -> None:
    daemon_port, peer_port = free_port(), free_port()
    text = neighbor('127.0.0.1', '127.0.0.1', extra=f'connect {peer_port};', router_id=local_id)
    daemon = daemon_for(text, daemon_port, exabgp_tcp_bind='127.0.0.1')
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()

    async def on_accept(reader, writer):
        if not accepted.done():
            accepted.set_result((reader, writer))

    server = await asyncio.start_server(on_accept, '127.0.0.1', peer_port)
    task = asyncio.create_task(daemon.run())
    try:
        # named by the daemon's side: `outgoing` is the connection it opened
        connections = {'outgoing': await asyncio.wait_for(accepted, 10)}
        connections['incoming'] = await asyncio.open_connection('127.0.0.1', daemon_port)
        await asyncio.sleep(0.5)
        second = 'incoming' if first == 'outgoing' else 'outgoing'
        connections[first][1].write(peer_open(remote_id))
        if stage == 'established':
            connections[first][1].write(KeepAlive().pack(NEGOTIATED))
        await asyncio.sleep(0.5)
        (peer,) = daemon.peers.values()
        assert (peer.established is not None) is (stage == 'established')
        connections[second][1].write(peer_open(remote_id))
        await asyncio.sleep(0.5)
        for _, writer in connections.values():
            writer.write(KeepAlive().pack(NEGOTIATED))
        heard = {name: await _listen(reader) for name, (reader, _) in connections.items()}

        # the newcomer loses against an established session, whatever the identifiers
        by_identifiers = 'outgoing' if local_id == HIGH else 'incoming'
        kept = first if stage == 'established' else by_identifiers
        closed = 'incoming' if kept == 'outgoing' else 'outgoing'
        assert heard[kept] == (True, [])
        assert heard[closed] == (False, [(6, 7)])
        # the peer closes its end once told, as a speaker does; the daemon waits for that (or its grace)
        connections[closed][1].close()
        await asyncio.sleep(0.5)
        # nothing dangling on the daemon's side: the kept connection alone, established
        assert len(peer.channels) == 1
        assert peer.established is peer.channels[0]
        assert peer.established.session.outgoing is (kept == 'outgoing')
    finally:
        daemon.stop()
        await asyncio.wait_for(task, 10)
        server.close()


class SameStep(Peer):
    """A peer whose own connection, once made, completes only when the test says so: in the very
    loop step the peer's connection is handed over, so `_connection` finds both done at once."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = asyncio.Event()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        streams = await super()._connect()
        await self.gate.wait()
        return streams


@virtual_time
@pytest.mark.parametrize('first', ['outgoing', 'incoming'])
@pytest.mark.parametrize(('local_id', 'remote_id'), [(HIGH, LOW), (LOW, HIGH)], ids=['ours-higher', 'theirs-higher'])
async def test_both_connections_completing_in_one_step_are_both_served(
    first: str, local_id: str, remote_id: str
) -> None:
    peer_port = free_port()
    text = neighbor('127.0.0.1', '127.0.0.1', extra=f'connect {peer_port};', router_id=local_id)
    (configured,) = load_text(text, Context(check_programs=False)).neighbors
    peer = SameStep(configured, settings(peer_port), Observer())
    loop = asyncio.get_running_loop()
    accepted: asyncio.Future = loop.create_future()
    handed: asyncio.Future = loop.create_future()

    async def on_accept(reader, writer):
        if not accepted.done():
            accepted.set_result((reader, writer))

    server = await asyncio.start_server(on_accept, '127.0.0.1', peer_port)
    side = await asyncio.start_server(lambda r, w: handed.set_result((r, w)), '127.0.0.1', 0)
    task = asyncio.create_task(peer.run())
    try:
        # named by the peer's side: `outgoing` is the connection it opened
        connections = {'outgoing': await asyncio.wait_for(accepted, 10)}
        connections['incoming'] = await asyncio.open_connection('127.0.0.1', side.sockets[0].getsockname()[1])
        theirs = await handed
        await asyncio.sleep(0.5)
        peer.incoming(*theirs)
        peer.gate.set()
        await asyncio.sleep(0.5)
        assert len(peer.channels) == 2
        second = 'incoming' if first == 'outgoing' else 'outgoing'
        for name in (first, second):
            connections[name][1].write(peer_open(remote_id))
            await asyncio.sleep(0.5)
        for _, writer in connections.values():
            writer.write(KeepAlive().pack(NEGOTIATED))
        heard = {name: await _listen(reader) for name, (reader, _) in connections.items()}

        kept = 'outgoing' if local_id == HIGH else 'incoming'
        closed = 'incoming' if kept == 'outgoing' else 'outgoing'
        assert heard[kept] == (True, [])
        assert heard[closed] == (False, [(6, 7)])
        connections[closed][1].close()
        await asyncio.sleep(0.5)
        assert len(peer.channels) == 1
        assert peer.established is peer.channels[0]
        assert peer.established.session.outgoing is (kept == 'outgoing')
    finally:
        peer.stop()
        await asyncio.wait_for(task, 10)
        server.close()
        side.close()
