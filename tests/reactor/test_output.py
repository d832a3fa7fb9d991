"""The bounded output of one reader: order, the gap policy, answers never dropped, room().

The reader is a gate the test opens and closes: a real asyncio Event in front of a list, standing
for a process that reads or does not.
"""

import asyncio
import json

import pytest

from exabgp.reactor.output import WRITE_CHUNK, Output


class Reader:
    def __init__(self) -> None:
        self.data = b''
        self.reading = asyncio.Event()
        self.reading.set()

    def write(self, data: bytes) -> None:
        self.data += data

    async def drain(self) -> None:
        await self.reading.wait()

    def lines(self) -> list[str]:
        return self.data.decode().splitlines()


def marker(total: int, peers: dict[str, int]) -> str:
    return json.dumps({'dropped': total, 'peers': peers})


async def settle() -> None:
    for _ in range(50):
        await asyncio.sleep(0)


async def test_lines_are_written_in_order() -> None:
    reader = Reader()
    output = Output('p', WRITE_CHUNK, marker)
    task = asyncio.create_task(output.run(reader.write, reader.drain))
    for index in range(1000):
        output.event(f'event {index}', 'peer')
        if index % 100 == 0:
            output.answer(f'answer {index}')
    await output.flushed(5)
    expected = []
    for index in range(1000):
        expected.append(f'event {index}')
        if index % 100 == 0:
            expected.append(f'answer {index}')
    assert reader.lines() == expected
    output.close()
    await task


async def test_a_reader_that_stops_loses_events_behind_one_gap_line_and_answers_never() -> None:
    reader = Reader()
    limit = WRITE_CHUNK
    output = Output('p', limit, marker)
    task = asyncio.create_task(output.run(reader.write, reader.drain))
    reader.reading.clear()  # the process stops reading
    line = 'x' * 99
    sent = 0
    while not output.lagging:
        output.event(f'{sent:05} {line}', 'peer-a')
        sent += 1
        await asyncio.sleep(0)
    # while lagging every event is dropped, even when there would be room, and answers still go in
    for index in range(200):
        output.event(f'late {index}', 'peer-b' if index % 2 else 'peer-a')
    output.answer('done')
    assert output.size <= limit + WRITE_CHUNK + 10
    assert output.dropped == 201
    reader.reading.set()  # it reads again
    await output.flushed(5)
    output.event('after the gap', 'peer-a')
    await output.flushed(5)
    lines = reader.lines()
    gap = next(index for index, text in enumerate(lines) if text.startswith('{'))
    # an unbroken prefix, the answer queued during the gap, the gap line, then the stream again
    assert [int(text[:5]) for text in lines[: gap - 1]] == list(range(sent - 1))
    assert lines[gap - 1] == 'done'
    assert json.loads(lines[gap]) == {'dropped': 201, 'peers': {'peer-a': 101, 'peer-b': 100}}
    assert lines[gap + 1 :] == ['after the gap']
    assert not output.lagging
    output.close()
    await task


async def test_room_waits_for_the_reader_when_answers_fill_the_queue() -> None:
    reader = Reader()
    output = Output('p', WRITE_CHUNK, marker)
    reader.reading.clear()
    task = asyncio.create_task(output.run(reader.write, reader.drain))
    while not output.full:
        output.answer('y' * 1000)
    waiting = asyncio.create_task(output.room())
    await settle()
    assert not waiting.done()
    reader.reading.set()
    await asyncio.wait_for(waiting, 5)
    output.close()
    await task


async def test_a_reader_gone_ends_the_writer_and_nothing_more_is_queued() -> None:
    async def broken() -> None:
        raise BrokenPipeError

    output = Output('p', WRITE_CHUNK, marker)
    task = asyncio.create_task(output.run(lambda data: None, broken))
    output.event('one', 'peer')
    await asyncio.wait_for(task, 5)
    assert output.closed
    output.event('two', 'peer')
    output.answer('done')
    assert output.size == 0


@pytest.mark.parametrize('limit', [1, WRITE_CHUNK * 4])
async def test_the_bound_is_at_least_one_chunk(limit: int) -> None:
    assert Output('p', limit, marker).limit == max(limit, WRITE_CHUNK)


async def test_a_sealed_answer_is_written_alone_once_the_reader_has_read_the_rest() -> None:
    writes: list[bytes] = []
    unread = [0]

    def write(data: bytes) -> None:
        writes.append(data)
        unread[0] += len(data)

    async def drain() -> None:
        pass

    output = Output('p', WRITE_CHUNK, marker)
    task = asyncio.create_task(output.run(write, drain, lambda: unread[0]))
    output.answer('done')
    output.answer('done')
    output.answer('done')
    output.seal()
    output.event('event', 'peer')
    await settle()
    # the first two go together; the last answer waits, and so does what was queued after it
    assert writes == [b'done\ndone\n']
    await asyncio.sleep(0.02)
    assert writes == [b'done\ndone\n']
    unread[0] = 0  # the reader read them
    await asyncio.sleep(0.02)
    assert writes == [b'done\ndone\n', b'done\n', b'event\n']
    output.close()
    await task


async def test_an_answer_already_written_is_not_held_and_readers_without_unread_never_are() -> None:
    reader = Reader()
    output = Output('p', WRITE_CHUNK, marker)
    task = asyncio.create_task(output.run(reader.write, reader.drain))
    output.answer('line')
    await settle()
    output.seal()  # its line is gone already: nothing is held
    output.answer('done')
    output.seal()
    output.answer('done')
    await output.flushed(1)
    assert reader.lines() == ['line', 'done', 'done']
    output.close()
    await task
