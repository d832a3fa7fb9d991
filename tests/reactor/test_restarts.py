"""Graceful restart as the receiving speaker (RFC 4724 4.2), a scripted peer over loopback on a
virtual clock: what the Adj-RIB-In keeps, what the API hears as withdrawals, how long stale routes
wait for End-of-RIB once the peer is back (bgp.staletime), and how `show adj-rib in` marks them."""

import asyncio
import json
from ipaddress import IPv4Address

from virtual_time import virtual_time

from exabgp import settings
from exabgp.api import show
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.graceful import FORWARDING_STATE, GracefulRestart
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.parser import load_text
from exabgp.reactor.observer import Observer, PeerView
from exabgp.reactor.peer import Peer

CONFIG = """
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive true;
    family { ipv4 unicast; }
    capability { graceful-restart 120; }
}
"""

ATTRIBUTES = bytes.fromhex('4001010040020602010000FDEA4003047F000002')
EOR = bytes(4)


def update(*prefixes: bytes) -> bytes:
    body = bytes(2) + len(ATTRIBUTES).to_bytes(2, 'big') + ATTRIBUTES + b''.join(prefixes)
    return b'\xff' * 16 + (19 + len(body)).to_bytes(2, 'big') + b'\x02' + body


def eor() -> bytes:
    return b'\xff' * 16 + (19 + 4).to_bytes(2, 'big') + b'\x02' + EOR


TEN = bytes((8, 10))
TEN_ONE = bytes((16, 10, 1))


class Withdrawals(Observer):
    """The prefixes the API is told are withdrawn, in order."""

    def __init__(self) -> None:
        self.withdrawn: list[str] = []
        self.up_count = 0

    def up(self, peer: PeerView) -> None:
        self.up_count += 1

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        if isinstance(message, Update):
            self.withdrawn += [str(nlri) for nlri in message.withdrawn]


def opening(graceful: bool) -> bytes:
    capabilities: list = [MultiProtocol(IPV4_UNICAST), ASN4(65002)]
    if graceful:
        capabilities.append(GracefulRestart(0, 90, ((IPV4_UNICAST, FORWARDING_STATE),)))
    return Open(4, 65002, 90, IPv4Address('10.0.0.2'), tuple(capabilities)).pack(Negotiated())


async def session(peer: Peer, observer: Withdrawals, graceful: bool, *updates: bytes) -> asyncio.StreamWriter:
    """Connect to `peer` as the scripted neighbor, reach ESTABLISHED and send `updates`."""
    loop = asyncio.get_running_loop()
    accepted: asyncio.Future = loop.create_future()
    server = await asyncio.start_server(lambda r, w: accepted.set_result((r, w)), '127.0.0.1', 0)
    _reader, writer = await asyncio.open_connection('127.0.0.1', server.sockets[0].getsockname()[1])
    peer.incoming(*await accepted)
    server.close()
    ups = observer.up_count
    writer.write(opening(graceful) + KeepAlive().pack(Negotiated()))
    while observer.up_count == ups:
        await asyncio.sleep(0.01)
    for wire in updates:
        writer.write(wire)
    await asyncio.sleep(0.1)
    return writer


async def dropped(peer: Peer, writer: asyncio.StreamWriter) -> None:
    writer.close()
    while peer.established is not None:
        await asyncio.sleep(0.01)


def prefixes(peer: Peer) -> list[str]:
    return sorted(str(route.nlri) for route in peer.rib_in.routes())


async def started(environ: dict | None = None) -> tuple[Peer, Withdrawals, asyncio.Task]:
    (neighbor,) = load_text(CONFIG).neighbors
    observer = Withdrawals()
    peer = Peer(neighbor, settings.load(environ or {}, ''), observer)
    return peer, observer, asyncio.create_task(peer.run())


async def stopped(peer: Peer, task: asyncio.Task) -> None:
    peer.stop()
    await asyncio.wait_for(task, 5)


@virtual_time
async def test_routes_kept_stale_then_those_not_sent_again_are_withdrawn_at_end_of_rib() -> None:
    peer, observer, task = await started()
    writer = await session(peer, observer, True, update(TEN, TEN_ONE))
    await dropped(peer, writer)
    assert prefixes(peer) == ['10.0.0.0/8', '10.1.0.0/16']
    assert all(peer.rib_in.is_stale(route) for route in peer.rib_in.routes())
    assert observer.withdrawn == []
    writer = await session(peer, observer, True, update(TEN_ONE))
    assert [peer.rib_in.is_stale(route) for route in peer.rib_in.routes()] == [True, False]
    assert observer.withdrawn == []
    writer.write(eor())
    await asyncio.sleep(0.1)
    assert observer.withdrawn == ['10.0.0.0/8']
    assert prefixes(peer) == ['10.1.0.0/16']
    writer.close()
    await stopped(peer, task)


@virtual_time
async def test_stale_routes_are_withdrawn_when_the_restart_time_runs_out() -> None:
    peer, observer, task = await started()
    writer = await session(peer, observer, True, update(TEN, TEN_ONE))
    await dropped(peer, writer)
    await asyncio.sleep(89)
    assert observer.withdrawn == []
    await asyncio.sleep(2)
    assert sorted(observer.withdrawn) == ['10.0.0.0/8', '10.1.0.0/16']
    assert prefixes(peer) == []
    await stopped(peer, task)


@virtual_time
async def test_a_peer_back_without_graceful_restart_loses_its_stale_routes_at_once() -> None:
    peer, observer, task = await started()
    writer = await session(peer, observer, True, update(TEN, TEN_ONE))
    await dropped(peer, writer)
    writer = await session(peer, observer, False)
    assert sorted(observer.withdrawn) == ['10.0.0.0/8', '10.1.0.0/16']
    assert prefixes(peer) == []
    writer.close()
    await stopped(peer, task)


@virtual_time
async def test_dropping_again_before_end_of_rib_removes_the_stale_routes() -> None:
    peer, observer, task = await started()
    writer = await session(peer, observer, True, update(TEN, TEN_ONE))
    await dropped(peer, writer)
    writer = await session(peer, observer, True, update(TEN_ONE))
    await dropped(peer, writer)
    assert observer.withdrawn == ['10.0.0.0/8']
    # what it sent again is kept for its next restart
    assert prefixes(peer) == ['10.1.0.0/16']
    await stopped(peer, task)


@virtual_time
async def test_a_notification_ends_graceful_restart() -> None:
    peer, observer, task = await started({'exabgp.process.withdraw-on-down': 'true'})
    writer = await session(peer, observer, True, update(TEN))
    writer.write(Notification(6, 4).pack(Negotiated()))
    await dropped(peer, writer)
    assert observer.withdrawn == ['10.0.0.0/8']
    assert prefixes(peer) == []
    await stopped(peer, task)


@virtual_time
async def test_without_graceful_restart_the_api_hears_of_the_routes_gone_only_when_asked() -> None:
    for environ, expected in (({}, []), ({'exabgp.process.withdraw-on-down': 'true'}, ['10.0.0.0/8'])):
        peer, observer, task = await started(environ)
        writer = await session(peer, observer, False, update(TEN))
        assert prefixes(peer) == ['10.0.0.0/8']
        await dropped(peer, writer)
        assert observer.withdrawn == expected
        assert prefixes(peer) == []
        await stopped(peer, task)


@virtual_time
async def test_the_wait_for_end_of_rib_after_the_peer_comes_back_is_capped_by_bgp_staletime() -> None:
    # RFC 4724 4.2: the receiving speaker MAY bound how long it keeps stale routes once the peer is
    # back; bgp.staletime (360 s by default, 60 here: less than the 90 s hold time of this peer)
    peer, observer, task = await started({'exabgp.bgp.staletime': '60'})
    writer = await session(peer, observer, True, update(TEN, TEN_ONE))
    await dropped(peer, writer)
    writer = await session(peer, observer, True, update(TEN_ONE))
    await asyncio.sleep(58)
    assert observer.withdrawn == []
    assert [peer.rib_in.is_stale(route) for route in peer.rib_in.routes()] == [True, False]
    await asyncio.sleep(4)
    assert observer.withdrawn == ['10.0.0.0/8']
    assert prefixes(peer) == ['10.1.0.0/16']
    assert peer.established is not None
    writer.close()
    await stopped(peer, task)


@virtual_time
async def test_end_of_rib_in_time_stops_the_stale_timer_and_zero_means_no_limit() -> None:
    peer, observer, task = await started({'exabgp.bgp.staletime': '0'})
    writer = await session(peer, observer, True, update(TEN, TEN_ONE))
    await dropped(peer, writer)
    writer = await session(peer, observer, True, update(TEN_ONE))
    writer.write(KeepAlive().pack(Negotiated()))
    await asyncio.sleep(80)
    assert observer.withdrawn == []
    writer.write(eor())
    await asyncio.sleep(0.1)
    assert observer.withdrawn == ['10.0.0.0/8']
    writer.close()
    await stopped(peer, task)


@virtual_time
async def test_stale_routes_are_marked_in_show_adj_rib_in() -> None:
    peer, observer, task = await started()
    writer = await session(peer, observer, True, update(TEN, TEN_ONE))
    await dropped(peer, writer)
    writer = await session(peer, observer, True, update(TEN_ONE))
    routes = list(peer.rib_in.routes())
    assert peer.rib_in.has_stale()
    assert list(show.rib_text('127.0.0.1', routes, False, peer.rib_in.is_stale)) == [
        '127.0.0.1 ipv4 unicast 10.0.0.0/8 next-hop 127.0.0.2 stale',
        '127.0.0.1 ipv4 unicast 10.1.0.0/16 next-hop 127.0.0.2',
    ]
    [last] = list(show.rib_json_v1('127.0.0.1', routes, None, peer.rib_in.is_stale))[-1:]
    assert json.loads(last)['127.0.0.1']['routes'] == [
        {'prefix': '10.0.0.0/8', 'family': 'ipv4 unicast', 'stale': True},
        {'prefix': '10.1.0.0/16', 'family': 'ipv4 unicast'},
    ]
    first, second = (
        json.loads(line)['route'] for line in show.rib_json_v2('127.0.0.1', routes, None, peer.rib_in.is_stale)
    )
    assert first['stale'] is True and 'stale' not in second
    writer.write(eor())
    await asyncio.sleep(0.1)
    assert not peer.rib_in.has_stale()
    writer.close()
    await stopped(peer, task)
