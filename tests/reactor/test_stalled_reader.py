"""A process that stops reading never stalls a session (scaled down from qa/bin/stalled-reader).

The sending neighbor announces 10,000 routes, each in its own UPDATE; the receiving neighbor's API
process reads nothing for longer than the hold time, with a small output bound. Checked: the
session stays up, the queue never holds more than its bound, and once the process reads again it
gets an unbroken prefix of the UPDATEs, one gap line counting what it missed, and every UPDATE is
either received or counted in the gap.
"""

import asyncio
import json
from pathlib import Path

from daemon_helpers import daemon, free_port, script, two_speakers, wait_for_file

ROUTES = 10_000
STALL = 4.0  # seconds, more than the hold time
HOLD = 3
LIMIT = 256 * 1024

READER = """
import json, os, select, sys, time
time.sleep({stall})
data = b''
while True:
    ready, _, _ = select.select([0], [], [], 1.5)
    if not ready:
        break
    chunk = os.read(0, 1 << 20)
    if not chunk:
        break
    data += chunk
lines = [line for line in data.decode().split(chr(10)) if line]
result = {{'updates': [], 'gap': None, 'after': 0}}
for line in lines:
    event = json.loads(line)
    if event['type'] == 'notification' and event['notification'] == 'dropped':
        result['gap'] = event
    elif result['gap'] is None:
        update = event['neighbor']['message'].get('update', {{}})
        nlri = [r['nlri'] for hops in update.get('announce', {{}}).values() for rs in hops.values() for r in rs]
        result['updates'].append(nlri[0] if nlri else 'eor')
    else:
        result['after'] += 1
with open({path!r} + '.tmp', 'w') as out:
    out.write(json.dumps(result) + chr(10) + '.' + chr(10))
os.rename({path!r} + '.tmp', {path!r})
for line in sys.stdin:
    pass
"""


def prefix(index: int) -> str:
    return f'10.{index >> 8}.{index & 255}.0/24'


async def test_a_stalled_reader_loses_events_behind_a_gap_line_and_no_session_drops(tmp_path: Path) -> None:
    path = tmp_path / 'reader.result'
    run = script(tmp_path, 'reader.py', READER.format(stall=STALL, path=str(path)))
    routes = ' '.join(f'route {prefix(index)} next-hop self;' for index in range(ROUTES))
    config = f'process reader {{ run {run}; encoder json; }}\n'
    config += two_speakers(
        free_port(),
        'api { processes [ reader ]; receive { parsed; update; } }',
        '',
        f'group-updates false; static {{ {routes} }}',
        hold=HOLD,
    )
    async with daemon(tmp_path, config, **{'process.queue': LIMIT}) as (running, task):
        async with asyncio.timeout(30):
            while len(running.peers) < 2 or any(peer.established is None for peer in running.peers.values()):
                await asyncio.sleep(0.05)
        sessions = {name: peer.established for name, peer in running.peers.items()}
        output = running.processes.running['reader'].output
        await wait_for_file(path, 60)
        # the same sessions as before the stall: none went down and came back
        assert {name: peer.established for name, peer in running.peers.items()} == sessions
        assert not task.done()
        assert output.peak <= LIMIT + 2048
        counted = dict(running.processes.dropped)
    found = json.loads(path.read_text().split('\n')[0])
    received = found['updates']
    gap = found['gap']
    assert gap is not None
    # an unbroken prefix of the stream, in order
    assert received == [prefix(index) for index in range(len(received))]
    # nothing lost silently: every UPDATE (and the End-of-RIB) is received or counted in the gap
    assert len(received) + gap['dropped'] + found['after'] == ROUTES + 1
    assert gap['peers'] == {'127.0.0.2': gap['dropped']}
    # and the daemon counted them, for `show neighbor extensive`
    assert counted == {'127.0.0.2': gap['dropped']}
