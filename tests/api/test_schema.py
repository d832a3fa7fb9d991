"""The versioned JSON schema of the API's messages (src/exabgp/api/schema/api-5.0.0.json) holds
every JSON line we write and every line 5.0.15 wrote in the cases we keep:

- the unit tests' lines: the JSON encoders run on the golden UPDATE vectors (test_json_update.py),
  the message cases (test_json_messages.py) and each session event;
- the functional suite's decoding cases (qa/decoding, and the reference's when it is there): the
  JSON `exabgp decode` must print, as 5.0.15 printed it;
- a real session between two neighbors of one daemon over loopback, with JSON API processes taking
  every event and every message in both directions (parsed, packets, consolidated), a signal and
  the shutdown.

Each run prints the lines checked and the message types covered; a line the schema refuses fails
with the reason.
"""

import asyncio
import json
import signal
import sys
from pathlib import Path

import jsonschema
import pytest

from exabgp.api import json_events, json_update
from exabgp.api.envelope import Peer, Stamp
from exabgp.api.schema import SCHEMA_PATH, load_schema
from exabgp.bgp.negotiated import Negotiated
from exabgp.version import JSON_VERSION

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / 'reactor'))

from daemon_helpers import daemon, free_port, script, two_speakers  # noqa: E402
from test_json_messages import CASES  # noqa: E402
from update_vectors import VECTORS  # noqa: E402

STAMP = Stamp(1.5, 'host', 10, 20, 1)
PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.2')

RECORD = """
import sys
with open({path!r}, 'a') as out:
    for line in sys.stdin:
        out.write(line)
        out.flush()
"""

SENDER = """
import sys, time
time.sleep(0.5)
for line in (
    'announce route 10.1.0.0/24 next-hop self community 65000:1',
    'announce route 2001:db8::/32 next-hop ::1',
    'withdraw route 10.1.0.0/24 next-hop self',
    'announce eor ipv4 unicast',
    'announce route-refresh ipv4 unicast',
    'announce operational adm afi ipv4 safi unicast advisory "hello"',
):
    print(line, flush=True)
    time.sleep(0.1)
for line in sys.stdin:
    pass
"""

KINDS = 'open; update; notification; keepalive; refresh; operational;'


@pytest.fixture(scope='module')
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def check(validator: jsonschema.Draft202012Validator, lines: list[str], where: str) -> set[str]:
    kinds = set()
    for line in lines:
        value = json.loads(line)
        error = jsonschema.exceptions.best_match(validator.iter_errors(value))
        assert error is None, f'{where}: {error.message} at {list(error.absolute_path)}\n{line}'
        kinds.add(value['type'] if value['type'] != 'notification' or 'neighbor' in value else value['notification'])
    print(f'{where}: {len(lines)} lines valid, types {sorted(kinds)}')
    return kinds


def test_the_schema_is_shipped_and_versioned() -> None:
    schema = load_schema()
    assert SCHEMA_PATH.name == 'api-5.0.0.json'
    assert schema['properties']['exabgp'] == {'const': '5.0.0'}


def test_the_unit_tests_lines(validator) -> None:
    lines = [json_update.update(STAMP, PEER, 'receive', vector.value) for vector in VECTORS.values()]
    lines += [json_update.update(STAMP, PEER, 'receive', vector.value, compact=True) for vector in VECTORS.values()]
    lines += [case.values[-1] for case in CASES]
    negotiated = Negotiated(asn4=True)
    lines += [
        json_events.state(STAMP, PEER, 'up'),
        json_events.state(STAMP, PEER, 'down', 'closing connection'),
        json_events.fsm(STAMP, PEER, 'OPENCONFIRM'),
        json_events.signal(STAMP, PEER, 10, 'SIGUSR1'),
        json_events.negotiated(STAMP, PEER, negotiated),
        json_events.packets(STAMP, PEER, 'receive', 2, b'\xff' * 16 + b'\x00\x17\x02', bytes(4), negotiated),
        json_events.packets(STAMP, PEER, 'send', 5, b'\xff' * 16 + b'\x00\x17\x05', bytes.fromhex('00010001')),
        json_events.shutdown(STAMP),
    ]
    assert len(check(validator, lines, 'unit')) >= 8


def decoding_cases() -> list[Path]:
    folders = [ROOT / 'qa' / 'decoding']
    for reference in (ROOT.parent / 'shared' / 'reference', Path('/work/shared/reference')):
        folders += [reference / 'exabgp-5.0' / 'qa' / 'decoding', reference / 'exabgp-main' / 'qa' / 'decoding']
    return sorted(path for folder in folders if folder.is_dir() for path in folder.iterdir() if path.is_file())


def test_the_decoding_cases_lines(validator) -> None:
    lines = []
    for path in decoding_cases():
        lines += [line for line in path.read_text().splitlines() if line.startswith('{')]
    # upstream main's cases write its 6.0 format: another version, another schema
    ours = [line for line in lines if json.loads(line)['exabgp'] == JSON_VERSION]
    assert ours
    print(f'decoding cases: {len(lines) - len(ours)} lines of another format version left out')
    check(validator, ours, 'decoding cases')


async def test_a_real_session_lines(validator, tmp_path: Path) -> None:
    processes, apis = [], []
    for form in ('parsed', 'packets', 'consolidate'):
        record = script(tmp_path, f'{form}.py', RECORD.format(path=str(tmp_path / f'{form}.jsonl')))
        processes.append(f'process {form} {{ run {record}; encoder json; }}')
        apis.append(
            f'api {{ processes [ {form} ]; neighbor-changes; negotiated; fsm; signal; '
            f'receive {{ {form}; {KINDS} }} send {{ {form}; {KINDS} }} }}'
        )
    processes.append(f'process sender {{ run {script(tmp_path, "sender.py", SENDER)}; encoder json; }}')
    config = '\n'.join(processes) + two_speakers(free_port(), '\n'.join(apis), 'api { processes [ sender ]; }')
    config = config.replace(
        'family { ipv4 unicast; }',
        'family { ipv4 unicast; ipv6 unicast; } capability { operational; route-refresh; }',
    )
    async with daemon(tmp_path, config) as (running, task):
        async with asyncio.timeout(20):
            while '"type": "operational"' not in _read(tmp_path / 'parsed.jsonl'):
                await asyncio.sleep(0.05)
        running.signalled('reload', signal.SIGUSR1)
        await asyncio.sleep(0.3)
        running.stop(0)
        assert await asyncio.wait_for(task, 20) == 0
    lines = [
        line for form in ('parsed', 'packets', 'consolidate') for line in _read(tmp_path / f'{form}.jsonl').splitlines()
    ]
    kinds = check(validator, lines, 'real session')
    assert kinds >= {
        'state',
        'fsm',
        'negotiated',
        'signal',
        'open',
        'update',
        'keepalive',
        'refresh',
        'operational',
        'shutdown',
    }


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ''


@pytest.mark.parametrize(
    ('change', 'why'),
    [
        (lambda value: value.pop('pid'), "'pid' is a required property"),
        (lambda value: value.update(type='weird'), "'weird' is not one of"),
        (lambda value: value['neighbor'].update(state='sleeping'), "'sleeping' is not one of"),
        (lambda value: value['neighbor'].pop('asn'), "'asn' is a required property"),
    ],
)
def test_a_line_out_of_the_format_is_refused(validator, change, why: str) -> None:
    value = json.loads(json_events.fsm(STAMP, PEER, 'IDLE'))
    assert validator.is_valid(value)
    change(value)
    error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    assert error is not None and why in error.message
