"""Our daemon against GoBGP (gobgpd) on loopback: iBGP, 1000 IPv4 and 100 IPv6 routes each way with
their attributes, withdrawals each way, its table sent again, keepalives under a 9 s hold time, a
reconnection after gobgpd is restarted, and gobgpd connecting to our listener.

gobgpd listens on 127.0.0.3 (an unprivileged port, its gRPC API on 127.0.0.1) and, passive, waits
for our daemon, in-process, to connect from 127.0.0.1 (or, active, connects to our listener there).
Its routes are injected as MRT (qa/bench/peers.py). Skipped when gobgpd or gobgp is not installed
(qa/bin/test_everything installs them where it can).
"""

import asyncio

import pytest
from peers import GoBGP, Route, free_port, prefixes

from exabgp.bgp.message.header import MessageType
from interop import OUR_AS, OURS, InProcess, call, differences, held, installed, mixed, neighbor, until

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

GOBGP = '127.0.0.3'
COUNT4, COUNT6 = 1000, 100
HOLD = 9

# iBGP: both in our AS. Next hops are not loopback addresses, which gobgpd refuses.
OUR_ROUTES = mixed(prefixes('100.64.0.0/24', COUNT4), '192.0.2.1', OUR_AS) + mixed(
    prefixes('2001:db8:1000::/48', COUNT6), '2001:db8::1', OUR_AS
)
GOBGP_ROUTES = mixed(prefixes('172.16.0.0/24', COUNT4), '192.0.2.3', OUR_AS) + mixed(
    prefixes('2001:db8:3000::/48', COUNT6), '2001:db8::3', OUR_AS
)


def ibgp(route: Route) -> Route:
    """A route as the other side holds it after iBGP: unchanged, with LOCAL_PREF 100 unless it has one."""
    local_pref = 100 if route.local_pref is None else route.local_pref
    return Route(route.prefix, route.nexthop, route.as_path, route.origin, route.med, local_pref, route.communities)


def make_gobgp(directory: str, our_port: int = 179, passive: bool = True) -> GoBGP:
    return GoBGP(
        directory,
        address=GOBGP,
        port=free_port(GOBGP),
        api_port=free_port('127.0.0.1'),
        asn=OUR_AS,
        neighbor=OURS,
        neighbor_as=OUR_AS,
        neighbor_port=our_port,
        hold_time=HOLD,
        passive=passive,
        routes=GOBGP_ROUTES,
    )


@pytest.fixture
async def gobgp(tmp_path):
    peer = make_gobgp(str(tmp_path))
    await call(peer.start)
    try:
        yield peer
    finally:
        await call(peer.stop)


async def gobgp_holds_ours(gobgp: GoBGP) -> bool:
    return len(await call(gobgp.received, 'ipv4')) == COUNT4 and len(await call(gobgp.received, 'ipv6')) == COUNT6


async def converged(ours: InProcess, gobgp: GoBGP, timeout: float = 30) -> float:
    taken = await until(
        lambda: ours.established() and len(ours.peer.rib_in) == COUNT4 + COUNT6, timeout, 'our Adj-RIB-In to fill'
    )
    return taken + await until(lambda: gobgp_holds_ours(gobgp), timeout, 'gobgpd to hold our routes', interval=0.25)


async def test_1000_routes_each_way_with_their_attributes(gobgp: GoBGP) -> None:
    async with InProcess(neighbor(GOBGP, OUR_AS, gobgp.port, OUR_ROUTES, HOLD)) as ours:
        await converged(ours, gobgp)
        at_gobgp = set(await call(gobgp.received, 'ipv4')) | set(await call(gobgp.received, 'ipv6'))
        wanted = set(map(ibgp, OUR_ROUTES))
        assert not differences(at_gobgp, wanted), differences(at_gobgp, wanted)
        ours_now = held(ours.peer)
        wanted = set(map(ibgp, GOBGP_ROUTES))
        assert not differences(ours_now, wanted), differences(ours_now, wanted)
        assert ours.counter.downs == []


async def test_the_session_stays_up_across_keepalives(gobgp: GoBGP) -> None:
    async with InProcess(neighbor(GOBGP, OUR_AS, gobgp.port, OUR_ROUTES[:10], HOLD)) as ours:
        await until(ours.established, 15, 'the session to come up')
        channel = ours.peer.established
        received, sent = ours.counter.keepalives()
        await asyncio.sleep(HOLD + 1.5)
        assert ours.peer.established is channel
        assert await call(gobgp.established)
        more_received, more_sent = ours.counter.keepalives()
        # hold 9 s: a KEEPALIVE every 3 s each way
        assert more_received - received >= 3
        assert more_sent - sent >= 3
        assert ours.counter.ups == 1
        assert ours.counter.downs == []


async def test_reconnects_after_gobgpd_is_restarted(gobgp: GoBGP) -> None:
    async with InProcess(neighbor(GOBGP, OUR_AS, gobgp.port, OUR_ROUTES, HOLD)) as ours:
        await converged(ours, gobgp)
        attempts = ours.peer.attempts
        await call(gobgp.stop)
        await until(lambda: not ours.established(), 10, 'our daemon to see the session end')
        assert len(ours.peer.rib_in) == 0
        await call(gobgp.start)
        taken = await converged(ours, gobgp)
        assert ours.counter.ups == 2
        # down once for the restart, and (as 5.0 reports it) for any attempt closed after its OPEN
        assert len(ours.counter.downs) >= 1
        # the first attempt, at once, found gobgpd still down: the one that worked came after a back-off
        assert ours.peer.attempts - attempts >= 2
        assert taken < 30


async def test_withdrawals_each_way(gobgp: GoBGP) -> None:
    async with InProcess(neighbor(GOBGP, OUR_AS, gobgp.port, OUR_ROUTES, HOLD)) as ours:
        await converged(ours, gobgp)
        # gobgpd withdraws its IPv4 routes (in the UPDATE's withdrawn field), then its IPv6 ones (MP_UNREACH)
        await call(gobgp.gobgp, 'global', 'rib', '-a', 'ipv4', 'del', 'all')
        await until(lambda: len(ours.peer.rib_in) == COUNT6, 10, 'our Adj-RIB-In to lose the IPv4 routes')
        await call(gobgp.gobgp, 'global', 'rib', '-a', 'ipv6', 'del', 'all')
        await until(lambda: len(ours.peer.rib_in) == 0, 10, 'our Adj-RIB-In to lose the IPv6 routes')
        # we withdraw every other route of ours: a reload with the other half
        kept = OUR_ROUTES[::2]
        ours.reload(neighbor(GOBGP, OUR_AS, gobgp.port, kept, HOLD))

        async def half() -> bool:
            four = len(await call(gobgp.received, 'ipv4'))
            return four == COUNT4 // 2 and len(await call(gobgp.received, 'ipv6')) == COUNT6 // 2

        await until(half, 10, 'gobgpd to see half our routes withdrawn', 0.25)
        at_gobgp = set(await call(gobgp.received, 'ipv4')) | set(await call(gobgp.received, 'ipv6'))
        wanted = set(map(ibgp, kept))
        assert not differences(at_gobgp, wanted), differences(at_gobgp, wanted)
        assert ours.counter.ups == 1


async def test_gobgpd_connects_to_our_listener(tmp_path) -> None:
    port = free_port(OURS)
    gobgp = make_gobgp(str(tmp_path), our_port=port, passive=False)
    await call(gobgp.start)
    try:
        config = neighbor(GOBGP, OUR_AS, gobgp.port, OUR_ROUTES, HOLD, listen=port, passive=True)
        async with InProcess(config) as ours:
            await converged(ours, gobgp)
            assert ours.peer.established.session.outgoing is False
            assert ours.peer.attempts == 0
    finally:
        await call(gobgp.stop)


async def test_its_routes_sent_again_leave_our_adj_rib_in_as_it_was(gobgp: GoBGP) -> None:
    # gobgpd's `softresetin` works from its own Adj-RIB-In and sends no ROUTE-REFRESH; `softresetout`
    # sends its table again
    async with InProcess(neighbor(GOBGP, OUR_AS, gobgp.port, OUR_ROUTES, HOLD)) as ours:
        await converged(ours, gobgp)
        received = ours.counter.inbound.get(MessageType.UPDATE, 0)
        await call(gobgp.gobgp, 'neighbor', OURS, 'softresetout')
        await until(lambda: ours.counter.inbound[MessageType.UPDATE] >= 2 * received, 10, 'its routes again')
        assert not differences(held(ours.peer), map(ibgp, GOBGP_ROUTES))
        assert ours.counter.ups == 1
