"""A BGP peer that stops reading, over real loopback sockets on the virtual clock (RFC 9687).

The peer completes the OPEN exchange with a small receive buffer, then reads nothing while it keeps
sending KEEPALIVEs (so only the send-hold timer can end the session). Checked: what waits for it in
the daemon is bounded (the rest stays in the Adj-RIB-Out, not packed), and once the send-hold time
has passed the connection is reset at once, its queue dropped, and the neighbor carries on.
"""

import asyncio
import logging
import socket
from ipaddress import IPv4Address

from virtual_time import virtual_time

from exabgp import settings
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.parser import load_text
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer
from exabgp.reactor.sender import BATCH

ROUTES = 20_000
HOLD = 90
KEEPALIVE = KeepAlive().pack(Negotiated())


def configuration() -> str:
    routes = ' '.join(f'route 10.{index >> 8}.{index & 255}.0/24 next-hop 10.0.0.254;' for index in range(ROUTES))
    return f"""
neighbor 127.0.0.1 {{
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;
    passive true; hold-time {HOLD}; group-updates false;
    family {{ ipv4 unicast; }}
    static {{ {routes} }}
}}
"""


async def stalled_connection() -> tuple[tuple, tuple]:
    """Two ends of a loopback connection: ours (asyncio streams) and the peer's, with kernel
    buffers as small as the kernel allows."""
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()
    server = await asyncio.start_server(lambda r, w: accepted.set_result((r, w)), '127.0.0.1', 0)
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    # a KEEPALIVE must leave at once: the kernel's Nagle and delayed-ACK waits are on the real clock
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client.setblocking(False)
    await asyncio.get_running_loop().sock_connect(client, server.sockets[0].getsockname())
    theirs = await asyncio.open_connection(sock=client, limit=4096)
    ours = await accepted
    # small kernel buffers on our side too, so the table does not fit in them: what is left must wait
    ours[1].transport.get_extra_info('socket').setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    server.close()
    return ours, theirs


async def stall(send_hold: int) -> None:
    (neighbor,) = load_text(configuration()).neighbors
    env = {'exabgp_bgp_sendhold': str(send_hold)} if send_hold else {}
    peer = Peer(neighbor, settings.load(env, ''), Observer())
    task = asyncio.create_task(peer.run())
    ours, (reader, writer) = await stalled_connection()
    peer.incoming(*ours)
    open_message = Open(4, 65002, HOLD, IPv4Address('10.0.0.2'), (MultiProtocol(IPV4_UNICAST), ASN4(65002)))
    writer.write(open_message.pack(Negotiated()) + KEEPALIVE)
    loop = asyncio.get_running_loop()
    started = loop.time()
    expected = send_hold or 480  # RFC 9687: eight minutes, or twice the hold time if longer
    # the peer reads nothing from now on; it keeps sending KEEPALIVEs, so our hold timer never fires
    transport = ours[1].transport
    queued = []
    while loop.time() - started + HOLD / 3 < expected - 1:
        await asyncio.sleep(HOLD / 3)
        writer.write(KEEPALIVE)
        queued.append(transport.get_write_buffer_size())
        assert peer.channels, f'the session ended after {loop.time() - started:.0f} s, before the send-hold time'
    # a batch at most waits in the transport, while the sender still has the rest of the table to send
    assert 0 < max(queued) <= 2 * BATCH
    assert not peer.sender.idle.is_set()
    await asyncio.sleep(2 * HOLD / 3)  # past the send-hold time, within the hold time of the last KEEPALIVE
    assert peer.channels == []
    assert transport.is_closing()
    assert transport.get_write_buffer_size() == 0
    # the connection was reset, not left to flush to a peer that reads nothing
    try:
        while await asyncio.wait_for(reader.read(65536), 5):
            pass
        reset = False
    except ConnectionResetError:
        reset = True
    assert reset
    assert not task.done()
    peer.stop()
    writer.close()
    await asyncio.wait_for(task, 5)


@virtual_time
async def test_a_peer_that_stops_reading_is_reset_after_the_rfc_9687_time(caplog) -> None:
    caplog.set_level(logging.INFO)
    await stall(0)
    closed = [record.getMessage() for record in caplog.records if 'session closed' in record.getMessage()]
    assert len(closed) == 1
    assert 'send hold timer expired' in closed[0]


@virtual_time
async def test_bgp_sendhold_sets_the_time() -> None:
    await stall(100)
