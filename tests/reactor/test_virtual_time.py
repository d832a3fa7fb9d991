"""The virtual clock the reactor tests run on: timers cost nothing, loopback I/O is still real."""

import asyncio
import time

from virtual_time import VirtualTimeLoop, virtual_time


@virtual_time
async def test_an_hour_of_sleep_takes_no_real_time() -> None:
    loop = asyncio.get_running_loop()
    assert isinstance(loop, VirtualTimeLoop)
    started, real = loop.time(), time.monotonic()
    await asyncio.sleep(3600)
    assert loop.time() - started >= 3600
    assert time.monotonic() - real < 1


@virtual_time
async def test_timers_fire_in_order_at_their_virtual_times() -> None:
    loop = asyncio.get_running_loop()
    fired: list[tuple[str, float]] = []
    for name, delay in (('late', 90.0), ('early', 30.0), ('middle', 60.0)):
        loop.call_later(delay, lambda name=name: fired.append((name, loop.time())))
    await asyncio.sleep(100)
    assert [name for name, _ in fired] == ['early', 'middle', 'late']
    assert [round(at) for _, at in fired] == [30, 60, 90]


@virtual_time
async def test_loopback_data_is_read_before_a_pending_timer_jumps_the_clock() -> None:
    loop = asyncio.get_running_loop()
    received: asyncio.Future = loop.create_future()

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.set_result(await reader.read(100))
        writer.close()

    server = await asyncio.start_server(echo, '127.0.0.1', 0)
    _, writer = await asyncio.open_connection('127.0.0.1', server.sockets[0].getsockname()[1])
    timeout = loop.call_later(1000, lambda: None)  # a far timer the clock would jump to
    started = loop.time()
    writer.write(b'hello')
    assert await received == b'hello'
    assert loop.time() - started < 1000
    timeout.cancel()
    writer.close()
    server.close()
