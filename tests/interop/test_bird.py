"""Our daemon against BIRD 2 on loopback: eBGP, 1000 IPv4 and 100 IPv6 routes each way with their
attributes, withdrawals each way, route refresh each way, keepalives under a 9 s hold time, a
reconnection after BIRD is killed and started again, our hold timer dropping a frozen BIRD, and BIRD
connecting to our listener.

BIRD listens on 127.0.0.2 (`strict bind`, an unprivileged port) and, passive, waits for our daemon,
in-process, to connect from 127.0.0.1 (or, active, connects to our listener there). Skipped when bird2 is not installed (qa/bin/test_everything installs it
where it can).
"""

import asyncio

import pytest
from peers import Bird, Route, free_port, prefixes

from exabgp.bgp.message.header import MessageType
from interop import OUR_AS, OURS, InProcess, call, differences, held, installed, mixed, neighbor, until

pytestmark = installed(Bird, 'BIRD', 'bird2')

BIRD = '127.0.0.2'
BIRD_AS = 65003
BIRD_NEXTHOP6 = '2001:db8:ffff::2'
COUNT4, COUNT6 = 1000, 100
HOLD = 9

# what we announce, and what BIRD announces: disjoint prefixes, a mix of attributes
OUR_ROUTES = mixed(prefixes('100.64.0.0/24', COUNT4), '192.0.2.1', OUR_AS) + mixed(
    prefixes('2001:db8:1000::/48', COUNT6), '2001:db8::1', OUR_AS
)
BIRD_ROUTES = mixed(prefixes('10.0.0.0/24', COUNT4), '', BIRD_AS) + mixed(
    prefixes('2001:db8:2000::/48', COUNT6), '', BIRD_AS
)


def at_bird(route: Route) -> Route:
    """Our route as BIRD holds it after eBGP: a configured AS_PATH as given (5.0 sends it so), our AS
    otherwise; BIRD's own default LOCAL_PREF of 100."""
    path = route.as_path or (OUR_AS,)
    return Route(route.prefix, route.nexthop, path, route.origin, route.med, 100, route.communities)


def from_bird(route: Route) -> Route:
    """BIRD's route as we receive it: its AS first, its address as next hop, no LOCAL_PREF (eBGP)."""
    nexthop = BIRD_NEXTHOP6 if route.version == 6 else BIRD
    return Route(route.prefix, nexthop, (BIRD_AS, *route.as_path), route.origin, route.med, None, route.communities)


def make_bird(directory: str, our_port: int = 179, passive: bool = True) -> Bird:
    return Bird(
        directory,
        address=BIRD,
        port=free_port(BIRD),
        asn=BIRD_AS,
        neighbor=OURS,
        neighbor_as=OUR_AS,
        neighbor_port=our_port,
        hold_time=HOLD,
        passive=passive,
        routes=BIRD_ROUTES,
        nexthop6=BIRD_NEXTHOP6,
        protocol='exabgp',
    )


async def bird_holds(bird: Bird, count4: int = COUNT4, count6: int = COUNT6) -> bool:
    """Whether BIRD holds that many routes from us, IPv4 and IPv6."""
    four = await call(bird.count, 'master4', 'exabgp')
    return four == count4 and await call(bird.count, 'master6', 'exabgp') == count6


async def converged(ours: InProcess, bird: Bird, timeout: float = 30) -> float:
    taken = await until(
        lambda: ours.established() and len(ours.peer.rib_in) == COUNT4 + COUNT6, timeout, 'our Adj-RIB-In to fill'
    )
    return taken + await until(lambda: bird_holds(bird), timeout, 'BIRD to hold our routes')


@pytest.fixture
async def bird(tmp_path):
    peer = make_bird(str(tmp_path))
    await call(peer.start)
    try:
        yield peer
    finally:
        await call(peer.stop)


async def test_1000_routes_each_way_with_their_attributes(bird: Bird) -> None:
    async with InProcess(neighbor(BIRD, BIRD_AS, bird.port, OUR_ROUTES, HOLD)) as ours:
        await converged(ours, bird)
        at_bird_now = set(await call(bird.routes_in, 'master4', 'exabgp')) | set(
            await call(bird.routes_in, 'master6', 'exabgp')
        )
        assert not differences(at_bird_now, map(at_bird, OUR_ROUTES)), differences(
            at_bird_now, map(at_bird, OUR_ROUTES)
        )
        ours_now = held(ours.peer)
        assert not differences(ours_now, map(from_bird, BIRD_ROUTES)), differences(
            ours_now, map(from_bird, BIRD_ROUTES)
        )
        assert ours.counter.downs == []


async def test_the_session_stays_up_across_keepalives(bird: Bird) -> None:
    async with InProcess(neighbor(BIRD, BIRD_AS, bird.port, OUR_ROUTES[:10], HOLD)) as ours:
        await until(ours.established, 15, 'the session to come up')
        channel = ours.peer.established
        received, sent = ours.counter.keepalives()
        await asyncio.sleep(HOLD + 1.5)
        assert ours.peer.established is channel
        assert await call(bird.established)
        more_received, more_sent = ours.counter.keepalives()
        # hold 9 s: a KEEPALIVE every 3 s each way
        assert more_received - received >= 3
        assert more_sent - sent >= 3
        assert ours.counter.ups == 1
        assert ours.counter.downs == []


async def test_reconnects_after_bird_is_killed_and_restarted(bird: Bird) -> None:
    async with InProcess(neighbor(BIRD, BIRD_AS, bird.port, OUR_ROUTES, HOLD)) as ours:
        await converged(ours, bird)
        attempts = ours.peer.attempts
        await call(bird.kill)
        await until(lambda: not ours.established(), 10, 'our daemon to see the session end')
        assert len(ours.peer.rib_in) == 0
        await call(bird.start)
        taken = await converged(ours, bird)
        assert ours.counter.ups == 2
        # down once for the restart, and (as 5.0 reports it) for any attempt closed after its OPEN
        assert len(ours.counter.downs) >= 1
        # the first attempt, at once, found BIRD still down: the one that worked came after a back-off
        assert ours.peer.attempts - attempts >= 2
        assert taken < 30


async def test_withdrawals_each_way(bird: Bird) -> None:
    async with InProcess(neighbor(BIRD, BIRD_AS, bird.port, OUR_ROUTES, HOLD)) as ours:
        await converged(ours, bird)
        # BIRD withdraws its IPv4 routes (in the UPDATE's withdrawn field), then its IPv6 ones (MP_UNREACH)
        await call(bird.birdc, 'disable static4')
        await until(lambda: len(ours.peer.rib_in) == COUNT6, 10, 'our Adj-RIB-In to lose the IPv4 routes')
        await call(bird.birdc, 'disable static6')
        await until(lambda: len(ours.peer.rib_in) == 0, 10, 'our Adj-RIB-In to lose the IPv6 routes')
        # we withdraw every other route of ours: a reload with the other half
        kept = OUR_ROUTES[::2]
        ours.reload(neighbor(BIRD, BIRD_AS, bird.port, kept, HOLD))
        await until(
            lambda: bird_holds(bird, COUNT4 // 2, COUNT6 // 2), 10, 'BIRD to see half our routes withdrawn', 0.25
        )
        at_bird_now = set(await call(bird.routes_in, 'master4', 'exabgp')) | set(
            await call(bird.routes_in, 'master6', 'exabgp')
        )
        assert not differences(at_bird_now, map(at_bird, kept)), differences(at_bird_now, map(at_bird, kept))
        assert ours.counter.ups == 1


async def test_bird_connects_to_our_listener(tmp_path) -> None:
    port = free_port(OURS)
    bird = make_bird(str(tmp_path), our_port=port, passive=False)
    await call(bird.start)
    try:
        config = neighbor(BIRD, BIRD_AS, bird.port, OUR_ROUTES, HOLD, listen=port, passive=True)
        async with InProcess(config) as ours:
            await converged(ours, bird)
            assert ours.peer.established.session.outgoing is False
            assert ours.peer.attempts == 0
    finally:
        await call(bird.stop)


async def test_route_refresh_each_way(bird: Bird) -> None:
    config = neighbor(BIRD, BIRD_AS, bird.port, OUR_ROUTES, HOLD, extra='\n    capability { route-refresh; }')
    async with InProcess(config) as ours:
        await converged(ours, bird)
        assert await call(bird.updates_received) == {'ipv4': COUNT4, 'ipv6': COUNT6}
        # BIRD asks for our routes again (a ROUTE-REFRESH per family): we send them all once more
        await call(bird.birdc, f'reload in {bird.protocol}')

        async def twice() -> bool:
            return await call(bird.updates_received) == {'ipv4': 2 * COUNT4, 'ipv6': 2 * COUNT6}

        await until(twice, 10, 'BIRD to receive our routes a second time', 0.25)
        # BIRD sends its routes again (between BoRR and EoRR, enhanced route refresh being negotiated)
        updates = ours.counter.inbound.get(MessageType.UPDATE, 0)
        await call(bird.birdc, f'reload out {bird.protocol}')
        await until(lambda: ours.counter.inbound.get(MessageType.ROUTE_REFRESH, 0) >= 6, 10, 'BoRR and EoRR')
        assert ours.counter.inbound[MessageType.UPDATE] > updates
        assert not differences(held(ours.peer), map(from_bird, BIRD_ROUTES))
        assert await call(bird.updates_received) == {'ipv4': 2 * COUNT4, 'ipv6': 2 * COUNT6}
        assert ours.counter.ups == 1


async def test_a_frozen_bird_is_dropped_at_the_hold_time_and_found_again(bird: Bird) -> None:
    async with InProcess(neighbor(BIRD, BIRD_AS, bird.port, OUR_ROUTES[:10], HOLD)) as ours:
        await until(ours.established, 15, 'the session to come up')
        bird.child.pause()
        try:
            silent = await until(lambda: not ours.established(), HOLD + 5, 'our hold timer to expire')
        finally:
            bird.child.resume()
        assert silent <= HOLD + 0.5
        assert [down.split(')')[0] for down in ours.counter.downs] == ['notification sent (4,0']
        await until(ours.established, 15, 'the session to come back')
        assert ours.counter.ups == 2
