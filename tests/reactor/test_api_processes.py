"""API processes against a real daemon: two of its neighbors talk BGP over loopback, the processes are
real Python scripts. What is checked is the contract of reactor/commands.py and reactor/output.py."""

import asyncio
import itertools
import json
import logging
from pathlib import Path

import pytest
from daemon_helpers import daemon, free_port, script, two_speakers, wait_for_file

import exabgp.reactor.processes as processes_module

# the helper every script starts with: events in, commands out, results to a file
PRELUDE = """
import json, os, sys, time
RESULT = {result!r}
def send(*lines):
    os.write(1, ''.join(line + chr(10) for line in lines).encode())
def events():
    for line in sys.stdin:
        line = line.rstrip(chr(10))
        if line:
            yield line
def answer(stream):
    for line in stream:
        if line in ('done', 'error'):
            return line
def until_up(stream):
    for line in stream:
        if line.startswith('{{') and json.loads(line).get('neighbor', {{}}).get('state') == 'up':
            return
def finish(value):
    with open(RESULT + '.tmp', 'w') as out:
        out.write(json.dumps(value) + chr(10) + '.' + chr(10))
    os.rename(RESULT + '.tmp', RESULT)
"""

RECEIVER = """
seen, messages = set(), 0
for line in events():
    event = json.loads(line)
    update = event['neighbor'].get('message', {{}}).get('update', {{}})
    if 'announce' in update:
        messages += 1
        for hops in update['announce'].values():
            for routes in hops.values():
                seen.update(route['nlri'] for route in routes)
    if {expected!r} <= seen:
        finish({{'messages': messages, 'seen': sorted(seen)}})
        break
for line in events():
    pass
"""


def api(process: str, receive: bool = False) -> str:
    wanted = 'receive { parsed; update; }' if receive else ''
    return f'api {{ processes [ {process} ]; neighbor-changes; {wanted} }}'


def processes(folder: Path, **bodies: str) -> str:
    blocks = []
    for name, body in bodies.items():
        run = script(folder, f'{name}.py', PRELUDE.format(result=str(folder / f'{name}.result')) + body)
        blocks.append(f'process {name} {{ run {run}; encoder json; }}')
    return '\n'.join(blocks)


def result(folder: Path, name: str):
    return json.loads((folder / f'{name}.result').read_text().split('\n')[0])


async def test_a_batch_is_applied_together_and_leaves_as_one_set_of_updates(tmp_path: Path) -> None:
    announces = [f'announce route 10.0.{index}.0/24 next-hop self' for index in range(50)]
    # one write (under PIPE_BUF, so one read): 50 routes sharing attributes, the first withdrawn at
    # once, and one route of its own; then the RIB is shown
    sender = f"""
stream = events()
until_up(stream)
send(*{announces!r}, 'withdraw route 10.0.0.0/24', 'announce route 10.9.9.0/24 next-hop self med 5')
answers = [answer(stream) for _ in range(52)]
send('show adj-rib out')
shown = []
for line in stream:
    if line == 'done':
        break
    shown.append(line)
finish({{'answers': answers, 'shown': shown}})
for line in stream:
    pass
"""
    expected = {f'10.0.{index}.0/24' for index in range(1, 50)} | {'10.9.9.0/24'}
    config = processes(tmp_path, sender=sender, receiver=RECEIVER.format(expected=expected))
    config += two_speakers(free_port(), api('receiver', receive=True), api('sender'))
    async with daemon(tmp_path, config):
        await wait_for_file(tmp_path / 'receiver.result')
        await wait_for_file(tmp_path / 'sender.result')
    sent = result(tmp_path, 'sender')
    assert sent['answers'] == ['done'] * 52
    # `done` came after the change was in the RIB: the show that follows lists every route
    assert sorted(line.split()[3] for line in sent['shown']) == sorted(expected)
    received = result(tmp_path, 'receiver')
    assert set(received['seen']) == expected
    # one flush: the 49 routes sharing attributes in one UPDATE, the other route in a second one,
    # and the withdrawal of a route announced and withdrawn in the same batch cancelled out
    assert received['messages'] == 2


async def test_a_bad_command_is_answered_error_and_the_next_ones_run(tmp_path: Path) -> None:
    commands = [
        'bogus',
        'announce route 10.1.0.0/24',
        'neighbor 192.0.2.99 announce route 10.2.0.0/24 next-hop self',
        'announce flow route { match { destination 10.0.0.0/33; } then { discard; } }',
        'announce route 10.3.0.0/24 next-hop self',
    ]
    sender = f"""
stream = events()
until_up(stream)
answers = []
for command in {commands!r}:
    send(command)
    answers.append(answer(stream))
finish({{'answers': answers}})
for line in stream:
    pass
"""
    config = processes(tmp_path, sender=sender, receiver=RECEIVER.format(expected={'10.3.0.0/24'}))
    config += two_speakers(free_port(), api('receiver', receive=True), api('sender'))
    async with daemon(tmp_path, config) as (running, task):
        await wait_for_file(tmp_path / 'receiver.result')
        await wait_for_file(tmp_path / 'sender.result')
        assert not task.done()
        assert all(peer.established is not None for peer in running.peers.values())
    assert result(tmp_path, 'sender')['answers'] == ['error', 'error', 'error', 'error', 'done']


async def test_acknowledgements_can_be_turned_off_and_on(tmp_path: Path) -> None:
    sender = """
stream = events()
until_up(stream)
send('disable-ack', 'announce route 10.4.0.0/24 next-hop self', 'version', 'enable-ack')
lines = []
for line in stream:
    lines.append(line)
    if len(lines) == 3:
        break
send('silence-ack', 'announce route 10.5.0.0/24 next-hop self', 'enable-ack')
lines.append(answer(stream))
finish({'lines': lines})
for line in stream:
    pass
"""
    config = processes(tmp_path, sender=sender)
    config += two_speakers(free_port(), '', api('sender'))
    async with daemon(tmp_path, config):
        await wait_for_file(tmp_path / 'sender.result')
    lines = result(tmp_path, 'sender')['lines']
    assert lines[0] == 'done'  # disable-ack answers itself
    assert lines[1].startswith('exabgp ')  # the version is printed, with no done after it
    assert lines[2:] == ['done', 'done']  # enable-ack, then enable-ack again after silence-ack


async def test_shutdown_tells_every_process_and_stops_the_daemon(tmp_path: Path) -> None:
    sender = """
stream = events()
until_up(stream)
send('shutdown')
lines = list(stream)
finish({'lines': lines})
"""
    config = processes(tmp_path, sender=sender)
    config += two_speakers(free_port(), '', 'api { processes [ sender ]; neighbor-changes; fsm; }')
    async with daemon(tmp_path, config) as (_running, task):
        assert await asyncio.wait_for(task, 20) == 0
    lines = result(tmp_path, 'sender')['lines']
    assert lines[:2] == ['shutdown in progress', 'done']
    down = json.loads(lines[2])
    assert down['neighbor']['state'] == 'down'
    assert down['neighbor']['reason'] == 'stop, message [shutting down]'
    # 5.0's order: the session down, its IDLE and the peer's, then the shutdown (the session itself
    # closes after the processes have left)
    assert [json.loads(line)['neighbor']['state'] for line in lines[3:5]] == ['IDLE', 'IDLE']
    assert json.loads(lines[5])['notification'] == 'shutdown'
    assert len(lines) == 6


async def test_a_process_that_keeps_dying_is_respawned_five_times_then_the_daemon_stops(
    tmp_path: Path, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(processes_module, 'RESPAWN_FIRST', 0.2)
    caplog.set_level(logging.INFO, logger='exabgp.processes')
    starts = tmp_path / 'starts'
    run = script(tmp_path, 'dies.py', f'import time\nopen({str(starts)!r}, "a").write(f"{{time.monotonic()}}\\n")\n')
    config = f'process dies {{ run {run}; encoder text; }}\n' + two_speakers(free_port(), '', api('dies'))
    async with daemon(tmp_path, config) as (_running, task):
        assert await asyncio.wait_for(task, 30) == 1
    # started six times, each restart later than the one before by a delay that doubles
    times = [float(line) for line in starts.read_text().split()]
    gaps = [after - before for before, after in itertools.pairwise(times)]
    assert len(times) == 6
    assert all(gap >= 0.2 * 2**index for index, gap in enumerate(gaps)), gaps
    delays = [f'restarting it in {0.2 * 2**index:g} seconds' for index in range(5)]
    assert all(delay in caplog.text for delay in delays)


@pytest.mark.parametrize(
    ('block', 'changes'),
    [('respawn false;', {}), ('', {'api.respawn': False})],
    ids=['respawn false', 'api.respawn=false'],
)
async def test_a_process_without_respawn_ends_alone(tmp_path: Path, block: str, changes: dict) -> None:
    run = script(tmp_path, 'once.py', 'print("bye")\n')
    config = f'process once {{ run {run}; encoder text; {block} }}\n' + two_speakers(free_port(), '', api('once'))
    async with daemon(tmp_path, config, **changes) as (running, task):
        await asyncio.sleep(1.5)
        assert not task.done()
        assert running.processes.running == {}


async def test_api_terminate_stops_the_daemon_when_a_process_ends(tmp_path: Path) -> None:
    run = script(tmp_path, 'once.py', 'print("bye")\n')
    config = f'process once {{ run {run}; encoder text; }}\n' + two_speakers(free_port(), '', api('once'))
    async with daemon(tmp_path, config, **{'api.terminate': True}) as (_running, task):
        assert await asyncio.wait_for(task, 20) == 1


async def test_text_encoder_lines(tmp_path: Path) -> None:
    receiver = """
import sys
lines = []
for line in sys.stdin:
    lines.append(line.rstrip(chr(10)))
    if line.startswith('neighbor 127.0.0.2 receive update end'):
        break
finish({'lines': lines})
for line in sys.stdin:
    pass
"""
    run = script(tmp_path, 'receiver.py', PRELUDE.format(result=str(tmp_path / 'receiver.result')) + receiver)
    config = f'process receiver {{ run {run}; encoder text; }}\n'
    config += two_speakers(
        free_port(), api('receiver', receive=True), '', 'static { route 10.7.0.0/16 next-hop self med 7; }'
    )
    async with daemon(tmp_path, config):
        await wait_for_file(tmp_path / 'receiver.result')
    lines = [line for line in result(tmp_path, 'receiver')['lines'] if line]
    assert lines == [
        'neighbor 127.0.0.2 connected',
        'neighbor 127.0.0.2 up',
        'neighbor 127.0.0.2 receive update start',
        'neighbor 127.0.0.2 receive update announced 10.7.0.0/16 next-hop 127.0.0.2 origin igp as-path ( 65002 ) med 7',
        'neighbor 127.0.0.2 receive update end',
    ]


def answering(commands: list[str]) -> str:
    """A sender process that writes each command, waits for its answer (`done`/`error`), and reports
    for each command the answer and the lines before it (not the JSON events)."""
    return f"""
stream = events()
until_up(stream)
found = {{}}
for command in {commands!r}:
    send(command)
    lines = []
    for line in stream:
        if line in ('done', 'error'):
            break
        if not line.startswith('{{ "exabgp"'):
            lines.append(line)
    found[command] = [line, lines]
finish(found)
for line in stream:
    pass
"""


async def test_every_command_answers(tmp_path: Path) -> None:
    commands = [
        'announce route 10.8.0.0/16 next-hop self med 8',
        'show adj-rib out',
        'show adj-rib out extensive',
        'show adj-rib out json',
        'show adj-rib in',
        'show neighbor summary',
        'show neighbor extensive',
        'show neighbor configuration',
        'show neighbor json',
        'show neighbor',
        'announce eor ipv4 unicast',
        'announce route-refresh ipv4 unicast',
        'announce operational asm afi ipv4 safi unicast advisory "hi"',
        'flush adj-rib out',
        'announce watchdog dog',
        'withdraw watchdog dog',
        'clear adj-rib in',
        '# a comment',
        'help',
        'version',
        # 5.0 answers done and tears nothing down: the next command still finds the session
        'teardown 2',
        'neighbor 127.0.0.1 teardown 2',
        'clear adj-rib out',
    ]
    config = processes(tmp_path, sender=answering(commands))
    capabilities = 'capability { route-refresh; operational; }'
    # the watchdog's route starts withdrawn: the RIB shown below holds only the announced route
    watched = 'static { route 10.9.0.0/16 next-hop self watchdog dog withdraw; }'
    config += two_speakers(free_port(), capabilities, api('sender'), f'{capabilities} {watched}')
    async with daemon(tmp_path, config) as (_running, task):
        await wait_for_file(tmp_path / 'sender.result')
        assert not task.done()
    found = result(tmp_path, 'sender')
    assert {command: answer for command, (answer, _) in found.items()} == dict.fromkeys(commands, 'done')
    shown = {command: lines for command, (_, lines) in found.items()}
    # the next hop as sent, as 5.0 shows it: `self` resolved to the session's local address
    assert shown['show adj-rib out'] == ['127.0.0.1 ipv4 unicast 10.8.0.0/16 next-hop 127.0.0.2']
    name = (
        'neighbor 127.0.0.1 local-ip 127.0.0.2 local-as 65002 peer-as 65001 router-id 10.0.0.2 family-allowed in-open'
    )
    assert shown['show adj-rib out extensive'] == [f'{name} ipv4 unicast 10.8.0.0/16 next-hop 127.0.0.2 med 8']
    assert json.loads(shown['show adj-rib out json'][0]) == {
        '127.0.0.1': {'routes': [{'prefix': '10.8.0.0/16', 'family': 'ipv4 unicast'}]}
    }
    # the other speaker is in the same daemon: its Adj-RIB-In has the route once it arrived
    assert shown['show adj-rib in'] in ([], ['127.0.0.2 ipv4 unicast 10.8.0.0/16 next-hop 127.0.0.2'])
    summary = shown['show neighbor summary']
    assert summary[0].startswith('Peer') and {line.split()[3] for line in summary[1:]} == {'established'}
    assert shown['show neighbor extensive'][0].startswith('Neighbor ')
    assert shown['show neighbor configuration'][0].startswith('neighbor 127.0.0.2 {')
    assert {peer['fsm'] for peer in json.loads(shown['show neighbor json'][0])} == {'ESTABLISHED'}
    assert shown['show neighbor'][0] == 'please specify summary, extensive or configuration'
    assert 'available API commands are listed here:' in shown['help']
    assert shown['version'][0].startswith('exabgp ')


async def test_show_adj_rib_out_json_v2_gives_the_next_hop_as_sent(tmp_path: Path) -> None:
    sender = """
stream = events()
until_up(stream)
send('announce route 10.8.0.0/16 next-hop self med 8', 'announce route 10.9.0.0/16 next-hop 192.0.2.9')
answers = [answer(stream), answer(stream)]
send('show adj-rib out json')
shown = []
for line in stream:
    if line == 'done':
        break
    if '"route"' in line:
        shown.append(json.loads(line)['route']['nlri'])
finish(shown)
for line in stream:
    pass
"""
    config = processes(tmp_path, sender=sender)
    config += two_speakers(free_port(), '', api('sender'))
    async with daemon(tmp_path, config, **{'api.show-routes-format': 'v2'}):
        await wait_for_file(tmp_path / 'sender.result')
    shown = {nlri['prefix']: nlri['nexthop'] for nlri in result(tmp_path, 'sender')}
    assert shown == {'10.8.0.0/16': '127.0.0.2', '10.9.0.0/16': '192.0.2.9'}


async def test_a_line_too_long_is_refused_and_the_next_one_runs(tmp_path: Path) -> None:
    sender = """
stream = events()
until_up(stream)
os.write(1, b'x' * (2 * 1024 * 1024) + b' tail' + chr(10).encode())
send('version')
found = [answer(stream)]
for line in stream:
    found.append(line)
    if line == 'done':
        break
finish(found)
for line in stream:
    pass
"""
    config = processes(tmp_path, sender=sender)
    config += two_speakers(free_port(), '', api('sender'))
    async with daemon(tmp_path, config):
        await wait_for_file(tmp_path / 'sender.result')
    found = result(tmp_path, 'sender')
    assert found[0] == 'error'
    assert found[1].startswith('exabgp ') and found[2] == 'done'


async def test_a_line_that_is_not_utf8_is_answered_error_with_the_reason(tmp_path: Path, caplog) -> None:
    # one write, so one batch: the line between two good ones is refused alone, in its place
    sender = """
stream = events()
until_up(stream)
os.write(1, b'version' + chr(10).encode() + b'announce route 10.7.0.0/24 next-hop self \\xc3(' + chr(10).encode() + b'version' + chr(10).encode())
found = []
for line in stream:
    found.append(line)
    if len(found) == 5:
        break
finish(found)
for line in stream:
    pass
"""
    config = processes(tmp_path, sender=sender)
    config += two_speakers(free_port(), '', api('sender'))
    async with daemon(tmp_path, config) as (running, _task):
        await wait_for_file(tmp_path / 'sender.result')
        sent = [peer for peer in running.peers.values() if peer.neighbor.api.processes]
        assert all(len(peer.rib_out) == 0 for peer in sent)
    found = result(tmp_path, 'sender')
    assert found[0].startswith('exabgp ') and found[1] == 'done'
    assert found[2] == 'error'
    assert found[3].startswith('exabgp ') and found[4] == 'done'
    assert 'not valid UTF-8: octet 0xC3 at character 42' in caplog.text


def ipv4_session_with_ipv6_configured(port: int, sender_api: str) -> str:
    """The sender (127.0.0.2) configures IPv6 unicast too; the receiver only IPv4: the IPv4 session
    negotiates IPv4 unicast alone."""
    config = two_speakers(port, '', sender_api)
    marker = f'connect {port};'
    head, tail = config.split(marker)
    return head + marker + tail.replace('family { ipv4 unicast; }', 'family { ipv4 unicast; ipv6 unicast; }', 1)


async def test_commands_that_could_have_no_effect_are_answered_error(tmp_path: Path, caplog) -> None:
    commands = [
        # 5.0.15 answers error too: an IPv6 next hop can not be taken from an IPv4 session
        'announce route 2001:db8:1::/48 next-hop self',
        # configured, not negotiated: kept for a later session, done, and a warning
        'announce route 2001:db8:2::/48 next-hop 2001:db8::1',
        'announce ipv4 multicast 10.32.0.0/24 next-hop 127.0.0.1',
        'announce eor ipv6 unicast',
        'announce route-refresh ipv4 unicast',
        'announce operational asm afi ipv4 safi unicast advisory "hi"',
        'announce watchdog nothing',
        'withdraw watchdog nothing',
        'neighbor 192.0.2.9 teardown 2',
        'show adj-rib out',
    ]
    config = processes(tmp_path, sender=answering(commands))
    config += ipv4_session_with_ipv6_configured(free_port(), api('sender'))
    async with daemon(tmp_path, config) as (_running, task):
        await wait_for_file(tmp_path / 'sender.result')
        assert not task.done()
    found = result(tmp_path, 'sender')
    answers = {command: answer for command, (answer, _) in found.items()}
    assert answers == {
        **dict.fromkeys(commands, 'error'),
        'announce route 2001:db8:2::/48 next-hop 2001:db8::1': 'done',
        'show adj-rib out': 'done',
        # 5.0.15 answers done when no established neighbor matches
        'neighbor 192.0.2.9 teardown 2': 'done',
    }
    assert found['show adj-rib out'][1] == ['127.0.0.1 ipv6 unicast 2001:db8:2::/48 next-hop 2001:db8::1']
    logged = [record.getMessage() for record in caplog.records]
    assert any('does not have the same family as the BGP tcp session (ipv4' in line for line in logged)
    assert any('kept for neighbor 127.0.0.1' in line and 'did not negotiate ipv6 unicast' in line for line in logged)
    assert any('no route is under the watchdog' in line for line in logged)


async def test_next_hop_self_is_resolved_before_the_route_is_compared_with_the_one_sent(tmp_path: Path) -> None:
    # the sender's session is from 127.0.0.2: `self` is that address, so the second and third
    # announcements are the route already sent, and 5.0 sends nothing for them
    sender = """
stream = events()
until_up(stream)
for hop in ('127.0.0.2', 'self', '127.0.0.2', 'self'):
    send('announce route 10.7.0.0/24 next-hop ' + hop)
    answer(stream)
    time.sleep(0.2)
send('announce route 10.8.0.0/24 next-hop self')
for line in stream:
    pass
"""
    config = processes(tmp_path, sender=sender, receiver=RECEIVER.format(expected={'10.7.0.0/24', '10.8.0.0/24'}))
    config += two_speakers(free_port(), api('receiver', receive=True), api('sender'))
    async with daemon(tmp_path, config):
        await wait_for_file(tmp_path / 'receiver.result')
    assert result(tmp_path, 'receiver')['messages'] == 2


async def test_api_version_6_reads_target_first_commands_and_shows_in_json(tmp_path: Path) -> None:
    commands = [
        'peer * announce route 10.8.0.0/16 next-hop self med 8',
        'peer 127.0.0.1 announce route 10.9.0.0/16 next-hop self',
        'peer 127.0.0.9 announce route 10.10.0.0/16 next-hop self',
        'rib show out',
        'peer show',
        'peer list',
        'system version',
        'system api version',
        'daemon status',
        'session ping 8f2c 1700000000.5',
        'session reset',
        'announce route 10.11.0.0/16 next-hop self',
        'peer * withdraw route 10.9.0.0/16',
        'session bye 8f2c',
    ]
    config = processes(tmp_path, sender=answering(commands))
    config += two_speakers(free_port(), '', api('sender'))
    async with daemon(tmp_path, config, **{'api.version': 6}) as (_running, task):
        await wait_for_file(tmp_path / 'sender.result')
        assert not task.done()
    found = result(tmp_path, 'sender')
    answers = {command: answer for command, (answer, _) in found.items()}
    # the acknowledgements stay `done` and `error` (upstream main's too); a selector matching no
    # peer and a 5.0 command are errors
    refused = {'peer 127.0.0.9 announce route 10.10.0.0/16 next-hop self', 'announce route 10.11.0.0/16 next-hop self'}
    assert answers == {command: 'error' if command in refused else 'done' for command in commands}
    shown = {command: [json.loads(line) for line in lines] for command, (_, lines) in found.items()}
    shown_routes = [route for line in shown['rib show out'] for route in line['127.0.0.1']['routes']]
    # the withdrawal came after the show: both routes are in it, the one of no peer is not
    assert sorted(route['prefix'] for route in shown_routes) == ['10.8.0.0/16', '10.9.0.0/16']
    assert {peer['fsm'] for peer in shown['peer show'][0]} == {'ESTABLISHED'}
    assert sorted(peer['peer-address'] for peer in shown['peer list'][0]) == ['127.0.0.1', '127.0.0.2']
    assert shown['system version'][0]['application'] == 'exabgp'
    assert shown['system api version'] == [{'api_version': 6, 'description': 'json-only'}]
    status = shown['daemon status'][0]
    assert set(status['peers'].values()) == {'ESTABLISHED'} and status['pid'] > 0
    assert shown['session ping 8f2c 1700000000.5'] == [{'pong': status['uuid'], 'active': True}]
    assert shown['session reset'] == [{'status': 'asynchronous queue cleared'}]


async def test_api_version_6_gives_a_text_process_json(tmp_path: Path) -> None:
    receiver = """
for line in events():
    event = json.loads(line)
    if 'announce' in event['neighbor'].get('message', {}).get('update', {}):
        finish(event['neighbor']['message']['update']['announce'])
        break
for line in events():
    pass
"""
    run = script(tmp_path, 'receiver.py', PRELUDE.format(result=str(tmp_path / 'receiver.result')) + receiver)
    config = f'process receiver {{ run {run}; encoder text; }}\n'
    config += two_speakers(
        free_port(), api('receiver', receive=True), '', 'static { route 10.7.0.0/16 next-hop self med 7; }'
    )
    async with daemon(tmp_path, config, **{'api.version': 6}):
        await wait_for_file(tmp_path / 'receiver.result')
    assert result(tmp_path, 'receiver') == {'ipv4 unicast': {'127.0.0.2': [{'nlri': '10.7.0.0/16'}]}}
