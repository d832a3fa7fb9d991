"""The daemon in-process against scripted BGP peers on real loopback sockets.

Each scripted peer speaks just enough BGP (our own codec builds its messages): it answers the
daemon's OPEN, keeps the session up and records what it receives.
"""

import asyncio
import contextlib
import socket
import sys
from ipaddress import IPv4Address

from virtual_time import virtual_time

from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.parser import load_text
from exabgp.configuration.process import Context
from exabgp.reactor.daemon import Daemon
from exabgp.session.framer import Framer
from exabgp.settings import load

NEGOTIATED = Negotiated(asn4=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def settings(port: int, **extra: str):
    environ = {'exabgp_tcp_port': str(port), 'exabgp_tcp_bind': '', **extra}
    return load(environ, '')


def neighbor(peer: str, local: str, routes: str = '', extra: str = '', router_id: str = '10.0.0.1') -> str:
    return f"""
neighbor {peer} {{
    router-id {router_id};
    local-address {local};
    local-as 65000;
    peer-as 65001;
    hold-time 30;
    {extra}
    family {{ ipv4 unicast; }}
    static {{
        {routes}
    }}
}}
"""


def daemon_for(text: str, port: int, **extra: str) -> Daemon:
    config = load_text(text, Context(check_programs=False))
    return Daemon(settings(port, **extra), lambda: config)


def peer_open(router_id: str = '10.9.9.9', hold: int = 30) -> bytes:
    capabilities = (MultiProtocol(IPV4_UNICAST), ASN4(65001))
    return Open(4, 65001, hold, IPv4Address(router_id), capabilities).pack(NEGOTIATED)


class ScriptedPeer:
    """Accepts the daemon's connections on (host, port) and answers like a BGP speaker."""

    def __init__(self, host: str, port: int, router_id: str = '10.9.9.9') -> None:
        self.host = host
        self.port = port
        self.router_id = router_id
        self.connections = 0
        self.updates: list[Update] = []
        self.notifications: list[tuple[int, int, bytes]] = []
        self.established = asyncio.Event()
        self.first_update = asyncio.Event()
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.cut_in_middle = False

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, self.host, self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        for writer in self.writers:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        framer = Framer()
        writer.write(peer_open(self.router_id) + KeepAlive().pack(NEGOTIATED))
        if self.cut_in_middle and self.connections == 1:
            # half a KEEPALIVE, then the connection goes away
            writer.write(b'\xff' * 10)
            await writer.drain()
            await asyncio.sleep(0.2)
            writer.transport.abort()
            return
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                for kind, _, body in framer.feed(data):
                    if kind == MessageType.KEEPALIVE:
                        self.established.set()
                    elif kind == MessageType.UPDATE:
                        self.updates.append(Update.unpack(body, NEGOTIATED))
                        self.first_update.set()
                    elif kind == MessageType.NOTIFICATION:
                        self.notifications.append((body[0], body[1], bytes(body[2:])))

    def prefixes(self) -> set[str]:
        return {str(route.nlri) for update in self.updates for route in update.announced}


@virtual_time
async def test_static_routes_reach_the_peer_then_end_of_rib() -> None:
    port = free_port()
    peer = ScriptedPeer('127.0.0.1', port)
    await peer.start()
    routes = ' '.join(f'route 10.{i}.0.0/16 next-hop 10.0.0.1;' for i in range(50))
    daemon = daemon_for(neighbor('127.0.0.1', '127.0.0.1', routes), port)
    task = asyncio.create_task(daemon.run())
    try:
        await asyncio.wait_for(peer.established.wait(), 10)
        for _ in range(100):
            if any(update.eor for update in peer.updates):
                break
            await asyncio.sleep(0.05)
        assert peer.prefixes() == {f'10.{i}.0.0/16' for i in range(50)}
        assert peer.updates[-1].eor == IPV4_UNICAST
    finally:
        daemon.stop()
        assert await asyncio.wait_for(task, 10) == 0
        await peer.stop()


@virtual_time
async def test_a_reset_in_the_middle_of_a_message_is_followed_by_a_reconnect_after_backoff() -> None:
    port = free_port()
    peer = ScriptedPeer('127.0.0.1', port)
    peer.cut_in_middle = True
    await peer.start()
    daemon = daemon_for(neighbor('127.0.0.1', '127.0.0.1', 'route 10.0.0.0/8 next-hop 10.0.0.1;'), port)
    task = asyncio.create_task(daemon.run())
    loop = asyncio.get_running_loop()
    try:
        started = loop.time()
        await asyncio.wait_for(peer.first_update.wait(), 15)
        # 5.0's back-off: the first reconnection waits 0 s, then 1 s
        assert peer.connections == 2
        assert loop.time() - started < 10
        assert peer.prefixes() == {'10.0.0.0/8'}
    finally:
        daemon.stop()
        await asyncio.wait_for(task, 10)
        await peer.stop()


@virtual_time
async def test_a_flapping_peer_does_not_disturb_another() -> None:
    port = free_port()
    steady = ScriptedPeer('127.0.0.2', port)
    flapping = ScriptedPeer('127.0.0.3', port)
    await steady.start()
    await flapping.start()
    text = neighbor('127.0.0.2', '127.0.0.1', 'route 10.2.0.0/16 next-hop 10.0.0.1;') + neighbor(
        '127.0.0.3', '127.0.0.1', 'route 10.3.0.0/16 next-hop 10.0.0.1;'
    )
    daemon = daemon_for(text, port)
    task = asyncio.create_task(daemon.run())
    try:
        await asyncio.wait_for(steady.first_update.wait(), 10)
        await asyncio.wait_for(flapping.first_update.wait(), 10)
        steady_connections = steady.connections
        for _ in range(3):
            for writer in flapping.writers:
                writer.transport.abort()
            flapping.writers.clear()
            flapping.first_update.clear()
            await asyncio.wait_for(flapping.first_update.wait(), 15)
        assert flapping.connections >= 4
        assert steady.connections == steady_connections
        assert not steady.writers[-1].is_closing()
        assert steady.prefixes() == {'10.2.0.0/16'}
    finally:
        daemon.stop()
        await asyncio.wait_for(task, 10)
        await steady.stop()
        await flapping.stop()


@virtual_time
async def test_restart_reads_the_configuration_again_and_establishes_every_session_afresh(tmp_path) -> None:
    port = free_port()
    peer = ScriptedPeer('127.0.0.1', port)
    await peer.start()
    path = tmp_path / 'exabgp.conf'
    path.write_text(neighbor('127.0.0.1', '127.0.0.1', 'route 10.1.0.0/16 next-hop 10.0.0.1;'))
    daemon = Daemon(settings(port), lambda: load_text(path.read_text(), Context(check_programs=False)))
    task = asyncio.create_task(daemon.run())
    try:
        await asyncio.wait_for(peer.first_update.wait(), 10)
        assert peer.prefixes() == {'10.1.0.0/16'}
        path.write_text(neighbor('127.0.0.1', '127.0.0.1', 'route 10.2.0.0/16 next-hop 10.0.0.1;'))
        peer.updates.clear()
        peer.first_update.clear()
        daemon.command('restart')
        await asyncio.wait_for(peer.first_update.wait(), 10)
        # Cease, Peer De-configured (no data, RFC 4486; 5.0 sends the subcode name); a new session with the new configuration's routes only
        assert peer.notifications == [(6, 3, b'')]
        assert peer.connections == 2
        assert peer.prefixes() == {'10.2.0.0/16'}
    finally:
        daemon.stop()
        assert await asyncio.wait_for(task, 10) == 0
        await peer.stop()


async def _collide(local_id: str, remote_id: str) -> tuple[bool, list[int]]:
    """The daemon connects to us while we connect to it; return whether our incoming (the daemon's
    outgoing) connection survived, and the NOTIFICATION subcodes we got."""
    daemon_port = free_port()
    peer_port = free_port()
    text = neighbor('127.0.0.1', '127.0.0.1', extra=f'connect {peer_port};', router_id=local_id)
    # the daemon listens on 127.0.0.1:daemon_port for our connection
    daemon = daemon_for(text, daemon_port, exabgp_tcp_bind='127.0.0.1')
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()

    async def on_accept(reader, writer):
        if not accepted.done():
            accepted.set_result((reader, writer))

    server = await asyncio.start_server(on_accept, '127.0.0.1', peer_port)
    task = asyncio.create_task(daemon.run())
    notifications: list[int] = []
    try:
        in_reader, in_writer = await asyncio.wait_for(accepted, 10)
        out_reader, out_writer = await asyncio.open_connection('127.0.0.1', daemon_port)
        # both connections: OPENs first, then the KEEPALIVEs, so both reach OPENCONFIRM
        for writer in (in_writer, out_writer):
            writer.write(peer_open(remote_id))
        await asyncio.sleep(0.5)
        for writer in (in_writer, out_writer):
            writer.write(KeepAlive().pack(NEGOTIATED))
        survivors = {}
        for name, reader in (('incoming', in_reader), ('outgoing', out_reader)):
            framer = Framer()
            closed = False
            with contextlib.suppress(TimeoutError):
                while True:
                    data = await asyncio.wait_for(reader.read(65536), 1.5)
                    if not data:
                        closed = True
                        break
                    for kind, _, body in framer.feed(data):
                        if kind == MessageType.NOTIFICATION:
                            notifications.append(body[1])
            survivors[name] = not closed
        return survivors['incoming'] and not survivors['outgoing'], notifications
    finally:
        daemon.stop()
        await asyncio.wait_for(task, 10)
        server.close()


@virtual_time
async def test_collision_keeps_the_connection_of_the_higher_identifier_ours() -> None:
    kept_ours, notifications = await _collide(local_id='10.0.0.9', remote_id='10.0.0.1')
    assert kept_ours is True
    assert 7 in notifications  # Cease / Connection Collision Resolution on the other


@virtual_time
async def test_collision_keeps_the_connection_of_the_higher_identifier_theirs() -> None:
    kept_ours, notifications = await _collide(local_id='10.0.0.1', remote_id='10.0.0.9')
    assert kept_ours is False
    assert 7 in notifications


@virtual_time
async def test_a_peer_task_that_fails_is_started_again(monkeypatch) -> None:
    from exabgp.reactor.peer import Peer

    port = free_port()
    peer = ScriptedPeer('127.0.0.1', port)
    await peer.start()
    failures = []
    original = Peer._connection

    async def failing_once(self):
        if not failures:
            failures.append(self)
            raise RuntimeError('a bug in the peer task')
        return await original(self)

    monkeypatch.setattr(Peer, '_connection', failing_once)
    daemon = daemon_for(neighbor('127.0.0.1', '127.0.0.1', 'route 10.0.0.0/8 next-hop 10.0.0.1;'), port)
    task = asyncio.create_task(daemon.run())
    try:
        await asyncio.wait_for(peer.first_update.wait(), 15)
        assert len(failures) == 1
        assert peer.prefixes() == {'10.0.0.0/8'}
    finally:
        daemon.stop()
        await asyncio.wait_for(task, 10)
        await peer.stop()


async def test_a_peer_connecting_while_the_daemon_starts_is_served_not_refused(tmp_path) -> None:
    # the peer connects once the listener is bound, while the API processes are still starting
    port = free_port()
    reader_script = tmp_path / 'reader.py'
    reader_script.write_text('import sys\nfor line in sys.stdin:\n    pass\n')
    text = f'process reader {{ run {sys.executable} {reader_script}; encoder json; }}\n' + neighbor(
        '127.0.0.1', '127.0.0.1', 'route 10.0.0.0/8 next-hop 10.0.0.1;', extra='passive;'
    )
    early: list[socket.socket] = []

    def connect_early() -> None:
        sock = socket.create_connection(('127.0.0.1', port))
        sock.sendall(peer_open() + KeepAlive().pack(NEGOTIATED))
        early.append(sock)

    config = load_text(text, Context(check_programs=False))
    daemon = Daemon(settings(port, exabgp_tcp_bind='127.0.0.1'), lambda: config, unprivileged=connect_early)
    task = asyncio.create_task(daemon.run())
    try:
        async with asyncio.timeout(10):
            while not early:
                await asyncio.sleep(0.01)
        sock = early[0]
        sock.setblocking(False)
        reader, writer = await asyncio.open_connection(sock=sock)
        framer = Framer()
        kinds: list[int] = []
        notifications: list[bytes] = []
        async with asyncio.timeout(10):
            while MessageType.UPDATE not in kinds:
                data = await reader.read(65536)
                assert data, f'the daemon closed the connection: {notifications}'
                for kind, _, body in framer.feed(data):
                    kinds.append(kind)
                    if kind == MessageType.NOTIFICATION:
                        notifications.append(body)
        assert notifications == []
        assert kinds[:2] == [MessageType.OPEN, MessageType.KEEPALIVE]
        writer.close()
    finally:
        daemon.stop()
        await asyncio.wait_for(task, 10)
