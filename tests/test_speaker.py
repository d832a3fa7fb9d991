"""The library API (exabgp.speaker): two speakers in the test's own event loop, on loopback."""

import asyncio
import signal
import socket
from ipaddress import ip_address

import pytest

from exabgp import speaker as library
from exabgp.bgp.attribute.aspath import ASPath
from exabgp.bgp.attribute.origin import Origin
from exabgp.speaker import Dropped, PeerState, Speaker, UpdateReceived, route, routes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def neighbor(
    peer: str, local: str, local_as: int, peer_as: int, port: int, passive: bool, family: str = 'ipv4 unicast;'
) -> str:
    side = f'passive; listen {port};' if passive else f'connect {port};'
    return f"""
neighbor {peer} {{
    router-id {local};
    local-address {local};
    local-as {local_as};
    peer-as {peer_as};
    hold-time 30;
    {side}
    family {{ {family} }}
}}
"""


def pair(port: int) -> tuple[str, str]:
    """A passive speaker on 127.0.0.1 and one connecting from 127.0.0.2."""
    return (
        neighbor('127.0.0.2', '127.0.0.1', 65001, 65002, port, passive=True),
        neighbor('127.0.0.1', '127.0.0.2', 65002, 65001, port, passive=False),
    )


async def updates(events: library.Events, count: int) -> list[UpdateReceived]:
    found: list[UpdateReceived] = []
    async with asyncio.timeout(15):
        async for event in events:
            if isinstance(event, UpdateReceived) and (event.announced or event.withdrawn):
                found.append(event)
                if sum(len(one.announced) + len(one.withdrawn) for one in found) >= count:
                    return found
    return found


async def test_announce_text_and_values_reach_the_other_speaker():
    port = free_port()
    receiving, sending = pair(port)
    async with Speaker(receiving) as receiver, Speaker(sending) as sender:
        events = receiver.events('127.0.0.2')
        await sender.established('127.0.0.1', timeout=15)
        await receiver.established(timeout=15)
        changed = await sender.announce(
            'route 10.0.0.0/24 next-hop 192.0.2.1 community [65000:1]',
            route('10.1.0.0/16', '192.0.2.2', Origin(0), ASPath.sequence((65002, 65100))),
        )
        assert changed == 2
        assert {str(one.nlri) for one in sender.rib_out('127.0.0.1')} == {'10.0.0.0/24', '10.1.0.0/16'}
        received = await updates(events, 2)
        announced = {str(one.nlri): one for update in received for one in update.announced}
        assert set(announced) == {'10.0.0.0/24', '10.1.0.0/16'}
        assert announced['10.0.0.0/24'].nexthop == ip_address('192.0.2.1')
        assert '65000:1' in str(announced['10.0.0.0/24'].attributes)
        assert '65002 65100' in str(announced['10.1.0.0/16'].attributes)
        assert {str(one.nlri) for one in receiver.rib_in('127.0.0.2')} == set(announced)

        await sender.withdraw('route 10.0.0.0/24 next-hop 192.0.2.1')
        withdrawn = await updates(events, 1)
        assert [str(nlri) for nlri in withdrawn[0].withdrawn] == ['10.0.0.0/24']
        assert {str(one.nlri) for one in receiver.rib_in('127.0.0.2')} == {'10.1.0.0/16'}
        events.close()
    # leaving stops the sessions: nothing is left running on the loop
    assert sender.peers == [] and receiver.peers == []


async def test_states_are_events_and_the_peer_is_told_cease():
    port = free_port()
    receiving, sending = pair(port)
    async with Speaker(receiving) as receiver, receiver.events() as events:
        async with Speaker(sending) as sender:
            await sender.established(timeout=15)
            await receiver.established(timeout=15)
        states = []
        async with asyncio.timeout(15):
            async for event in events:
                if isinstance(event, PeerState):
                    states.append(event)
                    if event.state == 'down':
                        break
    names = [event.state for event in states]
    assert 'connected' in names and 'up' in names
    assert names.index('connected') < names.index('up') < names.index('down')
    assert states[-1].reason == 'notification received (6,3)'


async def test_routes_the_peer_can_not_take_are_refused():
    port = free_port()
    receiving, _ = pair(port)
    async with Speaker(receiving) as speaker:
        with pytest.raises(ValueError, match='ipv6 unicast is not configured'):
            await speaker.announce('route 2001:db8::/32 next-hop 2001:db8::1')
        with pytest.raises(ValueError, match='invalid keyword'):
            await speaker.announce('route 10.0.0.0/24 next-hop 192.0.2.1 colour blue')
        with pytest.raises(KeyError, match=r'no neighbor 192\.0\.2\.9'):
            speaker.rib_out('192.0.2.9')
        # kept while the session is down, sent once it is up
        await speaker.announce('route 10.0.0.0/24 next-hop 192.0.2.1')
        assert [str(one.nlri) for one in speaker.rib_out('127.0.0.2')] == ['10.0.0.0/24']


def test_process_blocks_are_refused_and_routes_parse_outside_a_loop():
    with pytest.raises(ValueError, match='runs no API process'):
        Speaker('process watcher { run /bin/cat; encoder json; }')
    parsed = routes('ipv6 unicast 2001:db8::/32 next-hop 2001:db8::1 med 10')
    assert [str(one.nlri) for one in parsed] == ['2001:db8::/32']
    with pytest.raises(ValueError, match='not a route'):
        routes('eor ipv4 unicast')


async def test_neighbors_added_and_removed_at_run_time():
    port = free_port()
    receiving, sending = pair(port)
    async with Speaker() as receiver, Speaker(sending) as sender:
        assert receiver.peers == []
        assert await receiver.add_neighbor(receiving) == ['127.0.0.2']
        await receiver.established('127.0.0.2', timeout=15)
        await sender.established(timeout=15)
        with pytest.raises(ValueError, match='already configured'):
            await receiver.add_neighbor(receiving)
        async with sender.events('127.0.0.1') as events:
            await receiver.remove_neighbor('127.0.0.2')
            assert receiver.peers == []
            async with asyncio.timeout(15):
                async for event in events:
                    if isinstance(event, PeerState) and event.state == 'down':
                        assert event.reason == 'notification received (6,3)'
                        break


async def test_a_consumer_that_does_not_read_gets_one_dropped_event_where_the_hole_is():
    port = free_port()
    receiving, sending = pair(port)
    async with Speaker(receiving) as receiver, Speaker(sending) as sender:
        slow = receiver.events('127.0.0.2', queue=4)
        watcher = receiver.events('127.0.0.2')
        await sender.established(timeout=15)
        await receiver.established(timeout=15)
        for index in range(20):
            await sender.announce(f'route 10.0.{index}.0/24 next-hop 192.0.2.1')
            await updates(watcher, 1)
        assert slow.pending() == 4 and slow.dropped > 0
        seen = [await slow.get(1) for _ in range(5)]
        # read down to half: the gap is queued after the events kept, where the hole is
        assert not any(isinstance(event, Dropped) for event in seen[:4])
        assert isinstance(seen[-1], Dropped)
        assert seen[-1].count == slow.dropped and seen[-1].peers == {'127.0.0.2': slow.dropped}
        await sender.announce('route 10.9.0.0/24 next-hop 192.0.2.1')
        last = await updates(slow, 1)
        assert str(last[-1].announced[0].nlri) == '10.9.0.0/24'
        slow.close()
        watcher.close()


async def test_no_signal_handler_no_thread_and_the_callers_loop():
    import threading

    before = threading.active_count()
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1)}
    port = free_port()
    receiving, sending = pair(port)
    async with Speaker(receiving) as receiver, Speaker(sending) as sender:
        await sender.established(timeout=15)
        await receiver.established(timeout=15)
        assert threading.active_count() == before
        assert {number: signal.getsignal(number) for number in handlers} == handlers
        tasks = {task.get_coro().__qualname__ for task in asyncio.all_tasks()}
        assert any('Speaker._run_peer' in name for name in tasks)


def test_runs_on_uvloop():
    uvloop = pytest.importorskip('uvloop')

    async def session() -> str:
        port = free_port()
        receiving, sending = pair(port)
        async with Speaker(receiving) as receiver, Speaker(sending) as sender:
            await sender.established(timeout=15)
            await receiver.established(timeout=15)
            return type(asyncio.get_running_loop()).__module__

    assert uvloop.run(session()).startswith('uvloop')


def test_public_surface_is_listed():
    for name in library.__all__:
        assert hasattr(library, name), name
    assert 'Peer' not in library.__all__
