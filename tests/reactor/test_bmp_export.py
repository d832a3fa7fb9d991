"""BMP export on real sockets: a daemon with two neighbors talking over loopback, mirrored to a BMP
station served by the test (exabgp.bmp.message parses what it receives)."""

import asyncio
import contextlib
import dataclasses
from ipaddress import IPv4Address

from daemon_helpers import daemon, free_port, two_speakers

from exabgp.bgp.capability.negotiation import negotiate
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bmp import message as bmp
from exabgp.configuration.model import BMPStation
from exabgp.configuration.parser import load_text
from exabgp.reactor.bmp import Exporter, Station, down_reason
from exabgp.reactor.observer import PeerView

ROUTES = 50


class Collector:
    """Accepts connections, parses every message; `closing` makes it hang up after that many."""

    def __init__(self, read: bool = True) -> None:
        self.read = read
        self.connections: list[list[bmp.Message]] = []
        self.changed = asyncio.Event()
        self.closing = 0
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> 'Collector':
        self.server = await asyncio.start_server(self.serve, '127.0.0.1', 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self.server is not None
        self.server.close()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        messages: list[bmp.Message] = []
        self.connections.append(messages)
        self.changed.set()
        buffer = b''
        try:
            if not self.read:
                await reader.read(6)  # the first octets, then nothing: the daemon's writes pile up
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.sleep(60)
                return
            while data := await reader.read(65536):
                found, buffer = bmp.split(buffer + data)
                messages.extend(bmp.parse(message) for message in found)
                self.changed.set()
                if self.closing and len(messages) >= self.closing:
                    self.closing = 0
                    return
        finally:
            writer.close()

    async def until(self, condition, timeout: float = 20.0) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                self.changed.clear()
                await self.changed.wait()


def kinds(messages: list[bmp.Message]) -> list[int]:
    return [message.kind for message in messages]


def prefixes(messages: list[bmp.Message], flags: int = 0) -> int:
    """The prefixes announced in the Route Monitoring messages with these per-peer flags (0: the
    Adj-RIB-In), decoded with each peer's OPENs (no ADD-PATH: the same both ways)."""
    sessions: dict[IPv4Address, Negotiated] = {}
    count = 0
    for message in messages:
        if message.kind == bmp.Kind.PEER_UP:
            sent = Open.unpack(message.bgp[19:], Negotiated())
            received = Open.unpack(message.bgp2[19:], Negotiated())
            sessions[message.peer.address] = negotiate(sent, received)
        elif message.kind == bmp.Kind.ROUTE_MONITORING and message.peer.flags == flags:
            count += len(Update.unpack(message.bgp[19:], sessions[message.peer.address]).announced)
    return count


def config(station: int, port: int, extra: str = '') -> str:
    routes = ' '.join(f'route 10.1.{index}.0/24 next-hop 127.0.0.2 med {index};' for index in range(ROUTES))
    return f'bmp test {{ host 127.0.0.1; port {station}; statistics-timeout 1; {extra} }}\n' + two_speakers(
        port, '', '', sender_extra=f'static {{ {routes} }}'
    )


async def test_sessions_mirrored_from_up_to_termination(tmp_path):
    async with Collector() as station, daemon(tmp_path, config(station.port, free_port())) as (running, task):
        await station.until(lambda: station.connections and prefixes(station.connections[0]) == ROUTES)
        messages = station.connections[0]
        assert messages[0].kind == bmp.Kind.INITIATION
        information = dict(messages[0].information)
        assert information[bmp.Information.SYS_DESCR].startswith(b'ExaBGP ')
        assert bmp.Information.SYS_NAME in information
        ups = [message for message in messages if message.kind == bmp.Kind.PEER_UP]
        assert sorted(str(up.peer.address) for up in ups) == ['127.0.0.1', '127.0.0.2']
        by_peer = {str(up.peer.address): up for up in ups}
        # one TCP connection seen from both ends: the ports cross
        one, two = by_peer['127.0.0.1'], by_peer['127.0.0.2']
        assert one.ports == tuple(reversed(two.ports)) and 0 not in one.ports
        assert (one.peer.asn, one.peer.bgp_id) == (65001, IPv4Address('10.0.0.1'))
        assert one.local_address == IPv4Address('127.0.0.2')
        assert one.peer.flags == 0  # IPv4, pre-policy, 4-octet AS_PATH
        assert Open.unpack(one.bgp[19:], Negotiated()).router_id == IPv4Address('10.0.0.2')
        assert Open.unpack(one.bgp2[19:], Negotiated()).router_id == IPv4Address('10.0.0.1')
        # the statistics: the receiving side's Adj-RIB-In holds every route
        await station.until(
            lambda: any(
                message.kind == bmp.Kind.STATISTICS_REPORT
                and str(message.peer.address) == '127.0.0.2'
                and dict(message.statistics).get(bmp.Stat.ADJ_RIB_IN) == bmp.gauge(ROUTES)
                and dict(message.statistics).get(bmp.Stat.ADJ_RIB_IN_FAMILY) == bmp.family_gauge(1, 1, ROUTES)
                for message in station.connections[0]
            )
        )
        running.stop(0)
        await station.until(lambda: station.connections[0][-1].kind == bmp.Kind.TERMINATION)
        downs = [message for message in messages if message.kind == bmp.Kind.PEER_DOWN]
        assert len(downs) == 2
        # stopped by us: a Cease (6/3, peer de-configured) sent
        assert {(down.reason, down.data) for down in downs} == {(1, frame(MessageType.NOTIFICATION, b'\x06\x03'))}
        await asyncio.wait_for(task, 15)


async def test_a_station_that_reconnects_gets_the_state_again(tmp_path):
    async with Collector() as station, daemon(tmp_path, config(station.port, free_port())) as _:
        await station.until(lambda: station.connections and prefixes(station.connections[0]) == ROUTES)
        station.closing = 1
        # the daemon notices at its next write (a statistics report, every second), reconnects
        await station.until(lambda: len(station.connections) >= 2, timeout=30)
        station.closing = 0
        await station.until(lambda: prefixes(station.connections[-1]) == ROUTES)
        replay = kinds(station.connections[-1])
        assert replay[:2] == [bmp.Kind.INITIATION, bmp.Kind.PEER_UP]
        assert replay.count(bmp.Kind.PEER_UP) == 2


async def test_a_station_that_does_not_read_is_dropped_and_reconnected():
    async with Collector(read=False) as station, asyncio.TaskGroup() as group:
        exporter = Exporter(limit=100_000, retry=0.05)
        exporter.start(group, [BMPStation('slow', IPv4Address('127.0.0.1'), station.port)])
        await station.until(lambda: station.connections)
        stalled = exporter.stations['slow']
        await asyncio.sleep(0.1)
        # at most the kernel's socket buffers, the transport's and the limit: then it is dropped
        for _ in range(400):
            stalled.push(b'\x00' * 50_000)
            assert stalled.queued <= 100_000
            if stalled.drops:
                break
            await asyncio.sleep(0)
        assert stalled.drops == 1
        await station.until(lambda: len(station.connections) >= 2)
        await exporter.stop(grace=1)


def test_down_reasons():
    notification = frame(MessageType.NOTIFICATION, b'\x04\x00')
    assert down_reason('notification received (4,0)', b'', notification) == (3, notification)
    assert down_reason('notification sent (4,0)', notification, b'') == (1, notification)
    assert down_reason('closing connection', b'', b'') == (4, b'')
    assert down_reason('stop, message [removed]', b'', b'') == (5, b'')
    cease = frame(MessageType.NOTIFICATION, b'\x06\x06')
    assert down_reason('stop, message [configuration changed]', b'', b'') == (1, cease)


async def test_no_station_no_connection(tmp_path):
    # a daemon without a bmp block does not make the exporter one of its observers
    async with daemon(tmp_path, two_speakers(free_port(), '', '')) as (running, _):
        await asyncio.sleep(0.2)
        assert running.observer is running.processes
        assert not running.bmp.stations


async def test_reload_replaces_a_station(tmp_path):
    port = free_port()
    async with Collector() as first, Collector() as second, daemon(tmp_path, config(first.port, port)) as (running, _):
        await first.until(lambda: first.connections and prefixes(first.connections[0]) == ROUTES)
        (tmp_path / 'test.conf').write_text(config(second.port, port))
        assert running.reload()
        # the removed station is told it is removed for good (reason 4), the new one gets the state
        await first.until(lambda: first.connections[0][-1].kind == bmp.Kind.TERMINATION)
        assert dict(first.connections[0][-1].information)[bmp.TerminationType.REASON] == b'\x00\x04'
        await second.until(lambda: second.connections and prefixes(second.connections[0]) == ROUTES)
        assert kinds(second.connections[0]).count(bmp.Kind.PEER_UP) == 2
        assert list(running.bmp.stations) == ['test']


async def test_adj_rib_out_mirrored_and_replayed(tmp_path):
    out = bmp.Flag.ADJ_RIB_OUT | bmp.Flag.POST_POLICY

    def monitored(messages: list[bmp.Message], flags: int, peer: str) -> list[bytes]:
        return [
            message.bgp
            for message in messages
            if message.kind == bmp.Kind.ROUTE_MONITORING
            and message.peer.flags == flags
            and str(message.peer.address) == peer
        ]

    async with Collector() as station, daemon(tmp_path, config(station.port, free_port(), 'adj-rib-out;')) as _:
        await station.until(
            lambda: (
                station.connections
                and prefixes(station.connections[0], out) == prefixes(station.connections[0]) == ROUTES
            )
        )
        # what one neighbor sent is what the other received: the same octets both ways
        sent = monitored(station.connections[0], out, '127.0.0.1')
        received = monitored(station.connections[0], 0, '127.0.0.2')
        common = min(len(sent), len(received))
        assert common and sent[:common] == received[:common]
        await station.until(
            lambda: any(
                message.kind == bmp.Kind.STATISTICS_REPORT
                and str(message.peer.address) == '127.0.0.1'
                and dict(message.statistics).get(bmp.Stat.ADJ_RIB_OUT_POST) == bmp.gauge(ROUTES)
                for message in station.connections[0]
            )
        )
        station.closing = 1
        await station.until(lambda: len(station.connections) >= 2, timeout=30)
        await station.until(lambda: prefixes(station.connections[-1], out) == ROUTES)
        assert prefixes(station.connections[-1]) == ROUTES


async def test_peer_down_reasons_of_a_removed_neighbor(tmp_path):
    port = free_port()
    async with Collector() as station, daemon(tmp_path, config(station.port, port)) as (running, _):
        await station.until(lambda: station.connections and prefixes(station.connections[0]) == ROUTES)
        # keep the listening neighbor only: the other one is removed (5), and its Cease reaches
        # the one kept, which was closed by its peer with a NOTIFICATION (3, with the NOTIFICATION)
        text = config(station.port, port)
        (tmp_path / 'test.conf').write_text(text[: text.index('neighbor 127.0.0.1 {')])
        assert running.reload()
        messages = station.connections[0]
        await station.until(lambda: len([m for m in messages if m.kind == bmp.Kind.PEER_DOWN]) == 2)
        downs = {str(m.peer.address): (m.reason, m.data) for m in messages if m.kind == bmp.Kind.PEER_DOWN}
        assert downs == {'127.0.0.1': (5, b''), '127.0.0.2': (3, frame(MessageType.NOTIFICATION, b'\x06\x03'))}


def test_peer_up_carries_the_open_received_as_it_came():
    # a peer grouping its capabilities in one optional parameter (BIRD does): packing the value
    # again would give one parameter per capability, other octets
    body = bytes.fromhex('04 FDEA 00B4 0A000002 0E 02 0C 01040001 0001 4104 0000FDEA')
    received = Open.unpack(body, Negotiated())
    assert received.pack(Negotiated())[19:] != body
    sent = Open(4, 65001, 180, IPv4Address('10.0.0.1'), received.capabilities)
    negotiated = negotiate(sent, received)
    exporter = Exporter()
    station = exporter.stations['test'] = Station(BMPStation('test', IPv4Address('127.0.0.1')), exporter)
    station.live = True
    view = PeerView(
        1,
        load_text(two_speakers(179, '', '')).neighbors[0],
        IPv4Address('127.0.0.1'),
        None,
        None,
        negotiated,
        (179, 40000),
    )
    exporter.received(view, received, frame(MessageType.OPEN, body)[:19], body)
    exporter.negotiated(view, sent, received, negotiated)
    exporter.up(dataclasses.replace(view, established=negotiated))
    up = bmp.parse(station.queue[-1])
    assert up.bgp2 == frame(MessageType.OPEN, body)
    assert up.bgp == sent.pack(negotiated)
    assert (up.peer.asn, up.peer.bgp_id, up.ports) == (65002, IPv4Address('10.0.0.2'), (179, 40000))
