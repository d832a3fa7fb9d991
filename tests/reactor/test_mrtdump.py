"""The MRT dump: a real session on loopback written to a BGP4MP_ET file, read back by our reader and
by `exabgp mrt print`; the file's rotation, gzip members and write failures with a given clock."""

import asyncio
import gzip
import io
import json
import subprocess
import sys
from ipaddress import IPv4Address
from pathlib import Path

from daemon_helpers import daemon, free_port, two_speakers

from exabgp.application.mrt import decoded
from exabgp.bgp import mrt
from exabgp.bgp.message.update import Update
from exabgp.configuration.model import Neighbor
from exabgp.reactor import mrtdump
from exabgp.reactor.mrtdump import MrtDump
from exabgp.reactor.observer import PeerView

ROOT = Path(__file__).resolve().parents[2]
ROUTES = {'10.1.0.0/24', '10.1.1.0/24', '10.2.0.0/16'}
STATIC = """static {
        route 10.1.0.0/24 next-hop 192.0.2.9 med 20 community [ 65002:7 ];
        route 10.1.1.0/24 next-hop 192.0.2.9 med 20 community [ 65002:7 ];
        route 10.2.0.0/16 next-hop 192.0.2.9 as-path [ 65010 65020 ];
    }"""


def read_all(path: Path) -> list[mrt.Record]:
    return list(mrt.records(io.BytesIO(gzip.decompress(path.read_bytes())).read))


def announced(records: list[mrt.Record]) -> dict[str, Update]:
    """What 127.0.0.2 announced to 127.0.0.1, by prefix, from the dump's UPDATEs."""
    found = {}
    for record in records:
        if isinstance(record, mrt.Message) and str(record.peer_address) == '127.0.0.2' and record.message[18] == 2:
            update = decoded(record)
            for route in update.announced:
                found[str(route.nlri)] = route
    return found


async def test_a_session_on_loopback_is_dumped_and_read_back(tmp_path):
    port = free_port()
    pattern = str(tmp_path / 'updates.%Y%m%d.mrt.gz')
    config = two_speakers(port, '', '', sender_extra=STATIC)
    async with daemon(tmp_path, config, **{'mrt.dump': pattern, 'mrt.rotate': 0}) as (running, task):
        async with asyncio.timeout(20):
            # the dump is written at least every second, as whole gzip members: readable meanwhile
            while not (
                (files := list(tmp_path.glob('updates.*.mrt.gz'))) and set(announced(read_all(files[0]))) >= ROUTES
            ):
                await asyncio.sleep(0.2)
        running.stop(0)
        await asyncio.wait_for(task, 15)
    (path,) = files
    records = read_all(path)
    routes = announced(records)
    assert set(routes) == ROUTES
    route = routes['10.1.0.0/24']
    assert str(route.nexthop) == '192.0.2.9'
    assert route.attributes.get(4).pack(None).endswith((20).to_bytes(4, 'big'))  # type: ignore[union-attr]
    messages = [record for record in records if isinstance(record, mrt.Message)]
    first = next(record for record in messages if str(record.peer_address) == '127.0.0.2')
    # the peer's OPEN first, with what each side is, as the session negotiated it
    assert first.message[18] == 1 and first.asn4
    assert (first.peer_as, first.local_as, str(first.local_address)) == (65002, 65001, '127.0.0.1')
    changes = [
        (str(record.peer_address), record.old, record.new) for record in records if isinstance(record, mrt.StateChange)
    ]
    for peer in ('127.0.0.1', '127.0.0.2'):
        moves = [(old, new) for address, old, new in changes if address == peer]
        # established (6), and back to idle (1) at the shutdown: the last records reach the file at close
        assert (5, 6) in moves and moves[-1][1] == 1, moves
    printed = subprocess.run(
        [sys.executable, '-m', 'exabgp', 'mrt', 'print', str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    lines = [json.loads(line) for line in printed.stdout.splitlines()]
    seen = set()
    for line in lines:
        update = line['neighbor'].get('message', {}).get('update', {})
        for nexthops in update.get('announce', {}).values():
            for nexthop, nlris in nexthops.items():
                assert nexthop == '192.0.2.9'
                seen.update(nlri['nlri'] for nlri in nlris)
    assert seen == ROUTES


NEIGHBOR = Neighbor(IPv4Address('127.0.0.2'), 32, IPv4Address('127.0.0.1'), None, 65001, 65002)
VIEW = PeerView(1, NEIGHBOR, IPv4Address('127.0.0.1'), None, None, None)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_files_rotate_on_the_period_and_append_gzip_members(tmp_path):
    clock = Clock(1_700_000_000.0)  # 2023-11-14 22:13:20 UTC
    dump = MrtDump(str(tmp_path / 'bgp.%H%M%S.gz'), rotate=600, clock=clock)
    dump.fsm(VIEW, 'connect')
    dump.flush()
    dump.fsm(VIEW, 'opensent')
    clock.now += 400  # 22:20:00: the next period, named from its start
    dump.fsm(VIEW, 'openconfirm')
    dump.fsm(VIEW, 'openconfirm')  # no move, no record
    dump.close()
    first, second = tmp_path / 'bgp.221000.gz', tmp_path / 'bgp.222000.gz'
    assert sorted(tmp_path.iterdir()) == [first, second]
    # two flushes, two gzip members, one readable file
    assert [(record.old, record.new) for record in read_all(first)] == [(1, 2), (2, 4)]
    assert [(record.old, record.new) for record in read_all(second)] == [(4, 5)]
    assert dump.records == 3


def test_records_are_written_by_size_not_one_by_one(tmp_path):
    path = tmp_path / 'plain.mrt'
    dump = MrtDump(str(path), clock=Clock(1_700_000_000.5))
    body = bytes(4000)
    header = b'\xff' * 16 + (19 + len(body)).to_bytes(2, 'big') + b'\x02'
    # MRT header and microseconds, BGP4MP_ET head of an IPv4 peer with 4-octet ASNs, the message
    size = 12 + 4 + 20 + len(header) + len(body)
    count = -(-mrtdump.FLUSH_SIZE // size)
    for _ in range(count - 1):
        dump.received(VIEW, None, header, body)  # type: ignore[arg-type]
    assert not path.exists()
    dump.received(VIEW, None, header, body)  # type: ignore[arg-type]
    assert path.stat().st_size == count * size
    dump.close()
    records = list(mrt.records(io.BytesIO(path.read_bytes()).read))
    assert len(records) == count and records[0].timestamp == 1_700_000_000.5


def test_a_file_that_can_not_be_written_drops_and_recovers(tmp_path, caplog):
    folder = tmp_path / 'missing'
    dump = MrtDump(str(folder / 'dump.mrt'), clock=Clock(1_700_000_000.0))
    dump.fsm(VIEW, 'connect')
    dump.flush()
    dump.fsm(VIEW, 'active')
    dump.flush()
    assert sum('can not write' in record.getMessage() for record in caplog.records) == 1
    folder.mkdir()
    dump.fsm(VIEW, 'connect')
    dump.close()
    (record,) = list(mrt.records(io.BytesIO((folder / 'dump.mrt').read_bytes()).read))
    assert (record.old, record.new) == (3, 2)
