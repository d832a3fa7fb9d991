"""API scripts written the way users write them: several commands in one write, then select() on
stdin and sys.stdin.readline() for each answer, with sleeps, with acks off.

Such a script is stuck when the last lines of its answers reach it in one read: readline keeps the
extra lines in Python's buffer, where select() does not see them. The daemon writes the last answer
line of each batch by itself, once the script has read what came before (reactor/output.py), so
every script here gets every answer. Each script records, per round, how many of its answers it got
within a second; a round that misses one fails the test.
"""

import json
from pathlib import Path

from daemon_helpers import daemon, free_port, script, wait_for_file

POLLER = """
import json, os, select, sys, time

RESULT = {result!r}

def send(*lines):
    os.write(1, ''.join(line + chr(10) for line in lines).encode())

def polled(until, timeout=1.0):
    # the user's loop: wait for stdin to be readable, then read one line, until `until` says stop
    lines = []
    while True:
        ready, _, _ = select.select([sys.stdin], [], [], timeout)
        if not ready:
            return lines, False
        line = sys.stdin.readline().rstrip(chr(10))
        lines.append(line)
        if until(lines):
            return lines, True

def dones(count):
    return lambda lines: sum(line in ('done', 'error') for line in lines) == count

rounds = []
{body}
with open(RESULT + '.tmp', 'w') as out:
    out.write(json.dumps(rounds) + chr(10) + '.' + chr(10))
os.rename(RESULT + '.tmp', RESULT)
for line in sys.stdin:
    pass
"""


def config(folder: Path, body: str, ack: bool = True) -> str:
    run = script(folder, 'poller.py', POLLER.format(result=str(folder / 'poller.result'), body=body))
    return f"""
process poller {{ run {run}; encoder json; }}
neighbor 127.0.0.9 {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive;
    listen {free_port()};
    family {{ ipv4 unicast; ipv6 unicast; }}
    api {{ processes [ poller ]; }}
}}
"""


async def rounds(folder: Path, body: str, **changes: object) -> list:
    async with daemon(folder, config(folder, body), **changes):
        await wait_for_file(folder / 'poller.result', 60)
    return json.loads((folder / 'poller.result').read_text().split('\n')[0])


async def test_several_commands_in_one_write_then_one_readline_per_select(tmp_path: Path) -> None:
    body = """
for size in (2, 3, 5, 10, 30, 3, 2):
    for attempt in range(3):
        send(*(f'announce route 10.{size}.{attempt}.{index}/32 next-hop 192.0.2.1' for index in range(size)))
        lines, complete = polled(dones(size))
        rounds.append([size, len(lines), complete])
"""
    got = await rounds(tmp_path, body)
    assert len(got) == 21
    assert all(complete and count == size for size, count, complete in got), got


async def test_show_polled_line_by_line_until_done(tmp_path: Path) -> None:
    body = """
send(*(f'announce route 10.1.0.{index}/32 next-hop 192.0.2.1' for index in range(20)))
polled(dones(20))
for attempt in range(5):
    send('show adj-rib out', 'version')
    lines, complete = polled(dones(2))
    rounds.append([len(lines), complete, lines[-3:]])
"""
    got = await rounds(tmp_path, body)
    for count, complete, last in got:
        assert complete, got
        # 20 routes and done, then the version and done
        assert count == 23
        assert last[0] == 'done' and last[1].startswith('exabgp ') and last[2] == 'done'


async def test_sleeping_between_writing_and_polling(tmp_path: Path) -> None:
    body = """
for attempt in range(3):
    send('announce route 10.2.0.1/32 next-hop 192.0.2.1', 'withdraw route 10.2.0.1/32', 'version')
    time.sleep(0.3)
    send('announce route 10.2.0.2/32 next-hop 192.0.2.1')
    time.sleep(0.3)
    lines, complete = polled(dones(4))
    rounds.append([len(lines), complete])
"""
    got = await rounds(tmp_path, body)
    assert got == [[5, True]] * 3


async def test_acks_off_the_last_line_of_a_show_is_seen(tmp_path: Path) -> None:
    body = """
send('disable-ack')
polled(dones(1))
send(*(f'announce route 10.3.0.{index}/32 next-hop 192.0.2.1' for index in range(4)))
for attempt in range(3):
    send('show adj-rib out')
    lines, complete = polled(lambda lines: len(lines) == 4)
    rounds.append([lines[-1].split()[3], complete])
"""
    got = await rounds(tmp_path, body)
    assert got == [['10.3.0.3/32', True]] * 3
