"""Sessions over real TCP sockets on loopback, driven by the channel."""

import asyncio
from ipaddress import IPv4Address

from virtual_time import virtual_time

from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated
from exabgp.reactor.channel import Channel
from exabgp.session.config import SessionConfig
from exabgp.session.events import Closed, Established, Received, Why
from exabgp.session.framer import Framer
from exabgp.session.session import Session
from exabgp.session.state import State


def config(local_as: int, peer_as: int, router_id: str, hold: int = 90) -> SessionConfig:
    def build(asn: int) -> Open:
        return Open(4, asn, hold, IPv4Address(router_id), (MultiProtocol(IPV4_UNICAST), ASN4(asn)))

    return SessionConfig('peer', build, IPv4Address(router_id), local_as, peer_as)


class Recorder:
    def __init__(self) -> None:
        self.events: list[object] = []
        self.established = asyncio.Event()

    def __call__(self, events: list[object]) -> None:
        self.events.extend(events)
        if any(isinstance(event, Established) for event in events):
            self.established.set()


async def tcp_pair():
    """Both ends of one loopback TCP connection: (reader, writer) that connected, then those accepted."""
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()

    async def on_accept(reader, writer):
        accepted.set_result((reader, writer))

    server = await asyncio.start_server(on_accept, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    connected = await asyncio.open_connection('127.0.0.1', port)
    accepted_pair = await accepted
    server.close()
    return (*connected, *accepted_pair)


async def connected_pair(hold: int = 90):
    reader_a, writer_a, reader_b, writer_b = await tcp_pair()
    a_events, b_events = Recorder(), Recorder()
    a = Channel(Session(config(65000, 65001, '10.0.0.1', hold), outgoing=True), reader_a, writer_a, a_events)
    b = Channel(Session(config(65001, 65000, '10.0.0.2', hold), outgoing=False), reader_b, writer_b, b_events)
    return a, b, a_events, b_events


@virtual_time
async def test_sessions_establish_over_tcp() -> None:
    a, b, a_events, b_events = await connected_pair()
    tasks = [asyncio.create_task(a.run()), asyncio.create_task(b.run())]
    await asyncio.wait_for(asyncio.gather(a_events.established.wait(), b_events.established.wait()), 5)
    assert a.session.state is State.ESTABLISHED
    a.stop(2, 'bye')
    closed_a, closed_b = await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert closed_a.reason.why is Why.STOPPED
    assert closed_b.reason.why is Why.NOTIFICATION_RECEIVED
    assert (closed_b.reason.notification.code, closed_b.reason.notification.subcode) == (6, 2)


@virtual_time
async def test_a_message_written_one_byte_at_a_time_with_gaps_is_received_intact() -> None:
    raw_reader, raw_writer, reader, writer = await tcp_pair()
    events = Recorder()
    channel = Channel(Session(config(65001, 65000, '10.0.0.2'), outgoing=False), reader, writer, events)
    task = asyncio.create_task(channel.run())

    peer_open = Open(4, 65000, 90, IPv4Address('10.0.0.1'), (MultiProtocol(IPV4_UNICAST), ASN4(65000))).pack(
        Negotiated()
    )
    for octet in peer_open + frame(MessageType.KEEPALIVE, b''):
        raw_writer.write(bytes([octet]))
        await raw_writer.drain()
        await asyncio.sleep(0.1 if octet == peer_open[17] else 0.002)
    await asyncio.wait_for(events.established.wait(), 10)
    received = [event.message for event in events.events if isinstance(event, Received)]
    assert [type(message).__name__ for message in received] == ['Open', 'KeepAlive']
    assert received[0].asn == 65000

    # what the channel sent us: its OPEN then a KEEPALIVE, whole
    data = await asyncio.wait_for(raw_reader.read(4096), 5)
    assert [kind for kind, _, _ in Framer().feed(data)][:2] == [MessageType.OPEN, MessageType.KEEPALIVE]
    raw_writer.close()
    closed = await asyncio.wait_for(task, 5)
    assert closed.reason.why is Why.CONNECTION_LOST


@virtual_time
async def test_hold_timer_expiry_over_tcp_sends_4_0() -> None:
    raw_reader, raw_writer, reader, writer = await tcp_pair()
    events = Recorder()
    channel = Channel(Session(config(65001, 65000, '10.0.0.2', hold=3), outgoing=False), reader, writer, events)
    task = asyncio.create_task(channel.run())
    peer_open = Open(4, 65000, 3, IPv4Address('10.0.0.1'), (MultiProtocol(IPV4_UNICAST), ASN4(65000)))
    raw_writer.write(peer_open.pack(Negotiated()) + KeepAlive().pack(Negotiated()))
    await asyncio.wait_for(events.established.wait(), 5)
    started = asyncio.get_running_loop().time()
    closed = await asyncio.wait_for(task, 10)
    elapsed = asyncio.get_running_loop().time() - started
    assert 2.5 < elapsed < 4.5
    assert closed.reason.notification is not None
    assert (closed.reason.notification.code, closed.reason.notification.subcode) == (4, 0)
    data = b''
    while True:
        chunk = await asyncio.wait_for(raw_reader.read(4096), 5)
        if not chunk:
            break
        data += chunk
    kinds = [kind for kind, _, _ in Framer().feed(data)]
    assert kinds[-1] == MessageType.NOTIFICATION
    assert kinds.count(MessageType.KEEPALIVE) >= 2  # one after the OPEN, one at hold/3
    assert any(isinstance(event, Closed) for event in events.events)


@virtual_time
async def test_an_update_written_one_byte_at_a_time_with_100ms_gaps_is_received_intact() -> None:
    _raw_reader, raw_writer, reader, writer = await tcp_pair()
    events = Recorder()
    channel = Channel(Session(config(65001, 65000, '10.0.0.2', hold=9), outgoing=False), reader, writer, events)
    task = asyncio.create_task(channel.run())
    peer_open = Open(4, 65000, 9, IPv4Address('10.0.0.1'), (MultiProtocol(IPV4_UNICAST), ASN4(65000)))
    raw_writer.write(peer_open.pack(Negotiated()) + KeepAlive().pack(Negotiated()))
    await asyncio.wait_for(events.established.wait(), 5)
    # ORIGIN igp, empty AS_PATH, NEXT_HOP 10.0.0.1, LOCAL_PREF 100, NLRI 10.0.0.0/8
    body = bytes.fromhex('0000' + '0015' + '40010100' + '400200' + '4003040a000001' + '40050400000064' + '080a')
    update = frame(MessageType.UPDATE, body)
    for octet in update:
        raw_writer.write(bytes([octet]))
        await raw_writer.drain()
        await asyncio.sleep(0.1)
        # the session keeps our keepalives going while the message trickles in
        assert channel.session.state is State.ESTABLISHED
    for _ in range(50):
        if any(type(event.message).__name__ == 'Update' for event in events.events if isinstance(event, Received)):
            break
        await asyncio.sleep(0.05)
    [received] = [e.message for e in events.events if isinstance(e, Received) and type(e.message).__name__ == 'Update']
    assert [str(route.nlri) for route in received.announced] == ['10.0.0.0/8']
    assert str(received.announced[0].nexthop) == '10.0.0.1'
    raw_writer.close()
    await asyncio.wait_for(task, 5)


async def stopped_while_the_peer_sends():
    """A channel stopped just after the peer's bytes reached our socket (gobgpd's KEEPALIVE did, in
    the interop tests): returns how the channel closed, what the peer received, and the loop's errors."""
    loop = asyncio.get_running_loop()
    errors: list[dict] = []
    loop.set_exception_handler(lambda _, context: errors.append(context))
    raw_reader, raw_writer, reader, writer = await tcp_pair()
    channel = Channel(Session(config(65001, 65000, '10.0.0.2'), outgoing=False), reader, writer, Recorder())
    task = asyncio.create_task(channel.run())
    data = await asyncio.wait_for(raw_reader.read(4096), 5)
    raw_writer.write(KeepAlive().pack(Negotiated()) * 3)
    channel.stop(2, 'bye')
    try:
        while chunk := await asyncio.wait_for(raw_reader.read(4096), 5):
            data += chunk
    except ConnectionResetError:
        data += b'RESET'
    raw_writer.close()
    closed = await asyncio.wait_for(task, 5)
    return closed, data, errors


@virtual_time
async def test_data_arriving_after_stop_does_not_break_the_reader() -> None:
    closed, _, errors = await stopped_while_the_peer_sends()
    assert closed.reason.why is Why.STOPPED
    assert errors == []


@virtual_time
async def test_the_notification_survives_unread_input_at_close() -> None:
    # closing a socket with unread input makes Linux send a reset, and the peer's kernel drops
    # what it had not yet handed to the application: our Cease with it
    _, data, _ = await stopped_while_the_peer_sends()
    assert not data.endswith(b'RESET')
    kinds = [kind for kind, _, _ in Framer().feed(data)]
    assert kinds[-1] == MessageType.NOTIFICATION


@virtual_time
async def test_a_peer_resetting_the_connection_while_we_close_it_is_no_failure() -> None:
    raw_reader, raw_writer, reader, writer = await tcp_pair()
    channel = Channel(Session(config(65001, 65000, '10.0.0.2'), outgoing=False), reader, writer, Recorder())
    task = asyncio.create_task(channel.run())
    await asyncio.wait_for(raw_reader.read(19), 5)
    channel.stop(2, 'bye')
    raw_writer.close()  # with our OPEN and NOTIFICATION unread: the kernel resets the connection
    closed = await asyncio.wait_for(task, 5)
    assert closed.reason.why is Why.STOPPED
