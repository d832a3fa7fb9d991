"""A peer's task over real loopback sockets."""

import asyncio
import logging
import socket
import struct
from collections.abc import Callable
from ipaddress import IPv4Address

from virtual_time import virtual_time

from exabgp import settings
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.refresh import EnhancedRouteRefresh
from exabgp.bgp.capability.refresh import RouteRefresh as Refresh
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.refresh import QUERY
from exabgp.bgp.message.refresh import RouteRefresh as RouteRefreshMessage
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.parser import load_text
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer
from exabgp.session.framer import Framer

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


@virtual_time
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


REFRESHING = """
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive true;
    capability {
        route-refresh;
    }
    family {
        ipv4 unicast;
    }
    static {
        route 192.0.2.0/24 next-hop 10.0.0.254;
        route 198.51.100.0/24 next-hop 10.0.0.254 med 10;
    }
}
"""


async def connected() -> tuple[tuple, tuple]:
    """Two ends of a live loopback connection, as asyncio streams."""
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()
    server = await asyncio.start_server(lambda r, w: accepted.set_result((r, w)), '127.0.0.1', 0)
    theirs = await asyncio.open_connection('127.0.0.1', server.sockets[0].getsockname()[1])
    ours = await accepted
    server.close()
    return ours, theirs


async def messages(reader: asyncio.StreamReader, framer: Framer, until: Callable[[list], bool]) -> list:
    """(type, body) of the messages read until `until(all read so far)`, KEEPALIVEs left out."""
    seen: list = []
    while not until(seen):
        data = await asyncio.wait_for(reader.read(65536), 5)
        assert data, 'the connection closed'
        seen += [(kind, body) for kind, _, body in framer.feed(data) if kind != MessageType.KEEPALIVE]
    return seen


async def refreshed(enhanced: bool) -> tuple[list, list]:
    """What the peer sent at the start of the session, and what it sent after our ROUTE-REFRESH."""
    (neighbor,) = load_text(REFRESHING).neighbors
    peer = Peer(neighbor, settings.load({}, ''), Observer())
    task = asyncio.create_task(peer.run())
    ours, (reader, writer) = await connected()
    peer.incoming(*ours)
    capabilities = [MultiProtocol(IPV4_UNICAST), ASN4(65002), Refresh()] + (
        [EnhancedRouteRefresh()] if enhanced else []
    )
    writer.write(Open(4, 65002, 90, IPv4Address('10.0.0.2'), tuple(capabilities)).pack(Negotiated()))
    writer.write(KeepAlive().pack(Negotiated()))
    framer = Framer()
    eor = (MessageType.UPDATE, bytes(4))
    first = await messages(reader, framer, lambda seen: eor in seen)
    writer.write(RouteRefreshMessage(IPV4_UNICAST, QUERY).pack(Negotiated()))
    last_kind = MessageType.ROUTE_REFRESH if enhanced else MessageType.UPDATE
    again = await messages(reader, framer, lambda seen: len(seen) >= 2 and seen[-1][0] == last_kind)
    peer.stop()
    writer.close()
    await asyncio.wait_for(task, 5)
    return first, again


def errors(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@virtual_time
async def test_a_route_refresh_request_gets_the_routes_again(caplog) -> None:
    first, again = await refreshed(enhanced=False)
    assert errors(caplog) == []
    updates = [message for message in first if message[0] == MessageType.UPDATE and message[1] != bytes(4)]
    assert len(updates) == 2
    assert again == updates


@virtual_time
async def test_an_enhanced_route_refresh_request_gets_them_between_begin_and_end(caplog) -> None:
    first, again = await refreshed(enhanced=True)
    assert errors(caplog) == []
    updates = [message for message in first if message[0] == MessageType.UPDATE and message[1] != bytes(4)]
    assert len(updates) == 2
    # RFC 7313: Beginning of Route Refresh (subtype 1), the routes, End of Route Refresh (subtype 2)
    assert again == [
        (MessageType.ROUTE_REFRESH, b'\x00\x01\x01\x01'),
        *updates,
        (MessageType.ROUTE_REFRESH, b'\x00\x01\x02\x01'),
    ]
