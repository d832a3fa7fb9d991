"""An MRT table replayed to GoBGP: `exabgp mrt replay` against 5.0.15's text API, in the same run.

    .venv/bin/python qa/bench/mrt_replay.py                  # 1M routes (issue 20's acceptance figure)
    .venv/bin/python qa/bench/mrt_replay.py --routes 10000   # a short run
    .venv/bin/python qa/bench/mrt_replay.py --no-oracle      # ours only

One TABLE_DUMP_V2 file (gzip, as RIPE RIS publishes its bviews) is written with our MRT writer
(`exabgp.bgp.mrt_write`): N distinct IPv4 prefixes (/8 to /24, mostly /24, as a full table has),
one peer (AS 65001), AS paths of 1 to 8 hops through a few transit ASes to origins of 2 and 4
octets, communities on most routes, a MED on some; prefixes of one origin share its attributes,
as they do in a real table (about one attribute set for three prefixes).

Both keep the table's next hop (192.0.2.1: gobgpd treats an UPDATE with a loopback next hop, as
`self` would be here, as a withdrawal). Each contender sends those routes over eBGP to its own fresh gobgpd (AS 65000, passive, on
127.0.0.3), and is done when `gobgp global rib summary` counts N prefixes (polled every second):
- ours: `exabgp mrt replay CONF FILE`, one process that reads the file and speaks
  BGP (through the library API);
- 5.0.15: its daemon with an API process written the way users write one: it reads the routes as
  `announce route P next-hop H as-path [ ... ] med M community [ ... ]` lines (made from the
  same table, beforehand, so the time of making them is nobody's) and prints them, flushing each
  one, never reading its stdin.

Wall is from the start of the contender's process to gobgpd holding the N routes; CPU is user +
system of the contender's processes (5.0.15: the daemon plus its API process), peak RSS the sum of
their VmHWM, all read from /proc at that moment. Without progress for `--stall` seconds the run
is stopped and reported as stalled (a text-API pipe deadlock shows that way).
"""

import argparse
import contextlib
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from ipaddress import IPv4Address

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))), 'src'))

import harness
from peers import GoBGP, PeerError, free_port, missing

from exabgp.bgp import mrt_write
from exabgp.bgp.family import AFI, SAFI, Family

PEER_AS, GOBGP_AS = 65001, 65000
OURS_ADDRESS, GOBGP_ADDRESS = '127.0.0.1', '127.0.0.3'
TRANSITS = (174, 1299, 2914, 3257, 3356, 6453, 6461, 6762, 6939, 7018, 9002, 3491)
IPV4_UNICAST = Family(AFI.IPV4, SAFI.UNICAST)
# prefix lengths of an IPv4 full table (about 60% /24), as weights for /8../24
LENGTHS = [8, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]
WEIGHTS = [1, 10, 20, 50, 90, 1300, 800, 1400, 2500, 4000, 4500, 11000, 10000, 60000]


# ------------------------------------------------------------------------------------------- table


def _attribute(flags: int, code: int, value: bytes) -> bytes:
    if len(value) > 255:
        return bytes((flags | 0x10, code)) + len(value).to_bytes(2, 'big') + value
    return bytes((flags, code, len(value))) + value


class Origin:
    """An origin AS and the attributes its prefixes carry (the table's view of it via AS 65001)."""

    def __init__(self, chance: random.Random, asn: int) -> None:
        hops = [PEER_AS, *chance.sample(TRANSITS, chance.choice((0, 1, 1, 2, 2, 3)))]
        hops += [chance.randrange(1000, 64000) for _ in range(chance.choice((0, 0, 1, 1, 2)))]
        self.path = (*hops, *([asn] * chance.choice((1, 1, 1, 1, 2, 3))))
        self.med = chance.choice((None, None, None, 0, 10, 100))
        transit = hops[1] if len(hops) > 1 else PEER_AS
        self.communities = tuple(
            sorted({(transit, chance.randrange(1, 4000)) for _ in range(chance.choice((0, 1, 2, 2, 3, 4, 6)))})
        )
        self.nexthop = '192.0.2.1'

    def attributes(self) -> bytes:
        """TABLE_DUMP_V2 attributes: 4-octet AS_PATH (RFC 6396 4.3.4)."""
        well_known, optional = 0x40, 0x80
        data = _attribute(well_known, 1, b'\x00')
        path = bytes((2, len(self.path))) + b''.join(asn.to_bytes(4, 'big') for asn in self.path)
        data += _attribute(well_known, 2, path)
        data += _attribute(well_known, 3, IPv4Address(self.nexthop).packed)
        if self.med is not None:
            data += _attribute(optional, 4, self.med.to_bytes(4, 'big'))
        if self.communities:
            packed = b''.join(asn.to_bytes(2, 'big') + value.to_bytes(2, 'big') for asn, value in self.communities)
            data += _attribute(optional | well_known, 8, packed)
        return data

    def command(self, prefix: str) -> str:
        """The same route as 5.0's text API announces it."""
        line = f'announce route {prefix} next-hop {self.nexthop} origin igp as-path [ {" ".join(map(str, self.path))} ]'
        if self.med is not None:
            line += f' med {self.med}'
        if self.communities:
            line += f' community [ {" ".join(f"{asn}:{value}" for asn, value in self.communities)} ]'
        return line


def table(count: int, seed: int = 20) -> list[tuple[int, int, Origin]]:
    """`count` distinct prefixes (address as an int, length) in address order, each with its origin."""
    chance = random.Random(seed)
    origins: list[Origin] = []
    seen: set[tuple[int, int]] = set()
    routes = []
    while len(routes) < count:
        # an origin announces a few neighbouring prefixes, one attribute set for all of them
        asn = chance.randrange(1, 64000) if chance.random() < 0.7 else chance.randrange(131072, 400000)
        origin = Origin(chance, asn)
        origins.append(origin)
        length = chance.choices(LENGTHS, WEIGHTS)[0]
        first = chance.randrange(1 << 24, 224 << 24) >> (32 - length) << (32 - length)
        for index in range(chance.choice((1, 1, 2, 4, 4, 8))):
            address = first + (index << (32 - length))
            if address >= 224 << 24 or (address, length) in seen or len(routes) == count:
                continue
            seen.add((address, length))
            routes.append((address, length, origin))
    routes.sort(key=lambda route: (route[0], route[1]))
    return routes


def prefix_text(address: int, length: int) -> str:
    return f'{IPv4Address(address)}/{length}'


def write_table(path: str, routes: list[tuple[int, int, Origin]]) -> None:
    """The TABLE_DUMP_V2 file: the PEER_INDEX_TABLE, then one RIB record per prefix."""
    now = time.time()
    peer = mrt_write.IndexedPeer(IPv4Address('192.0.2.1'), IPv4Address('192.0.2.1'), PEER_AS)
    packed: dict[int, bytes] = {}
    with gzip.open(path, 'wb', compresslevel=1) as handle:
        handle.write(mrt_write.peer_index_table(now, IPv4Address('198.51.100.1'), 'rrc00', [peer]))
        chunk = []
        for sequence, (address, length, origin) in enumerate(routes):
            attributes = packed.get(id(origin))
            if attributes is None:
                attributes = packed[id(origin)] = origin.attributes()
            prefix = bytes((length,)) + address.to_bytes(4, 'big')[: (length + 7) // 8]
            entry = mrt_write.TableEntry(0, int(now) - 86400, attributes)
            chunk.append(mrt_write.rib(now, sequence, IPV4_UNICAST, prefix, (entry,)))
            if len(chunk) == 10_000:
                handle.write(b''.join(chunk))
                chunk = []
        handle.write(b''.join(chunk))


def write_commands(path: str, routes: list[tuple[int, int, Origin]]) -> None:
    with open(path, 'w') as handle:
        handle.writelines(origin.command(prefix_text(address, length)) + '\n' for address, length, origin in routes)


# ------------------------------------------------------------------------------------------- runs


USER_SCRIPT = """import sys
# the way a user feeds ExaBGP: one line per route, flushed, stdin never read
with open({commands!r}) as routes:
    for line in routes:
        sys.stdout.write(line)
        sys.stdout.flush()
import time
while True:
    time.sleep(3600)
"""


def processes(pid: int) -> list[int]:
    """`pid` and its descendants (an API process, the shell it may run in)."""
    found = [pid]
    for current in found:
        try:
            with open(f'/proc/{current}/task/{current}/children') as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def held_by(gobgp: GoBGP, otherwise: int) -> int:
    """The IPv4 prefixes in gobgpd's RIB (its JSON leaves the count out while it is 0)."""
    try:
        return json.loads(gobgp.gobgp('-j', 'global', 'rib', '-a', 'ipv4', 'summary')).get('num_destination', 0)
    except (PeerError, ValueError, subprocess.TimeoutExpired):
        return otherwise


def figures(pids: list[int]) -> tuple[float, float]:
    cpu = rss = 0.0
    for pid in pids:
        try:
            cpu += harness.cpu_seconds(pid)
            rss += harness.memory_mib(pid)
        except OSError:
            continue
    return cpu, rss


@dataclass(slots=True)
class Result:
    who: str
    wall: float
    cpu: float
    rss: float
    processes: int
    # why it did not finish, '' when gobgpd got every route
    failed: str = ''

    def line(self, count: int) -> str:
        if self.failed:
            return f'{self.who:15} {self.failed}'
        many = 'es' if self.processes > 1 else ''
        return (
            f'{self.who:15} {self.wall:8.1f} s wall {self.cpu:8.1f} s CPU {self.rss:8.1f} MiB peak '
            f'{count / self.wall:9,.0f} routes/s  ({self.processes} process{many})'
        )


def run(who: str, command: list[str], env: dict[str, str], folder: str, count: int, stall: float) -> Result:
    """Start gobgpd and the contender; wait until gobgpd holds `count` routes (or nothing moves
    for `stall` seconds); the figures."""
    name = who.replace(' ', '-').replace('=', '-')
    gobgp = GoBGP(
        os.path.join(folder, name),
        address=GOBGP_ADDRESS,
        port=free_port(GOBGP_ADDRESS),
        api_port=free_port('127.0.0.1'),
        asn=GOBGP_AS,
        neighbor=OURS_ADDRESS,
        neighbor_as=PEER_AS,
        hold_time=180,
    )
    os.makedirs(gobgp.directory, exist_ok=True)
    gobgp.start()
    env = {**env, 'exabgp_tcp_port': str(gobgp.port)}
    log = os.path.join(folder, f'{name}.log')
    started = time.time()
    contender = harness.spawn(command, env, log)
    held, progress, pids = 0, started, [contender.pid]
    try:
        while True:
            time.sleep(1.0)
            if contender.poll() is not None:
                return Result(who, 0, 0, 0, 0, f'exited with {contender.returncode}: {harness.tail(log)}')
            pids = processes(contender.pid)
            cpu, rss = figures(pids)
            now_held = held_by(gobgp, held)
            now = time.time()
            if now_held >= count:
                return Result(who, now - started, cpu, rss, len(pids))
            if now_held > held:
                held, progress = now_held, now
            elif now - progress > stall:
                return Result(
                    who,
                    now - started,
                    cpu,
                    rss,
                    len(pids),
                    f'STALLED: gobgpd held {held:,} of {count:,} routes and got nothing more for {stall:.0f} s '
                    f'({now - started:.0f} s wall, {cpu:.1f} s CPU, {rss:.1f} MiB)',
                )
    finally:
        for pid in reversed(pids[1:]):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        harness.stop(contender)
        gobgp.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--routes', type=int, default=1_000_000)
    parser.add_argument('--oracle', default='', help="5.0.15's exabgp or venv (default: harness.oracle)")
    parser.add_argument('--no-oracle', action='store_true', help='leave 5.0.15 out')
    parser.add_argument('--no-text', action='store_true', help="leave out our daemon fed by the user's script")
    parser.add_argument('--stall', type=float, default=60.0, help='seconds without progress before giving up')
    parser.add_argument('--keep', default='', help='write the files in this folder and keep them')
    args = parser.parse_args()
    if missing('gobgpd', 'gobgp'):
        print('needs gobgpd and gobgp (Debian: gobgpd)')
        return 1
    folder = args.keep or tempfile.mkdtemp(prefix='exabgp-mrt-bench-')
    os.makedirs(folder, exist_ok=True)
    harness.compile_ours()
    started = time.time()
    routes = table(args.routes)
    dump = os.path.join(folder, 'bview.mrt.gz')
    commands = os.path.join(folder, 'routes.txt')
    write_table(dump, routes)
    write_commands(commands, routes)
    origins = len({id(origin) for _, _, origin in routes})
    print(
        f'{args.routes:,} routes, {origins:,} attribute sets: {dump} ({os.path.getsize(dump) / 1e6:.1f} MB) '
        f'in {time.time() - started:.1f} s; load average {os.getloadavg()[0]:.1f}',
        flush=True,
    )

    def write(name: str, text: str) -> str:
        path = os.path.join(folder, name)
        with open(path, 'w') as handle:
            handle.write(text)
        return path

    replay = write('replay.conf', harness.neighbor(GOBGP_ADDRESS, OURS_ADDRESS, PEER_AS, GOBGP_AS))
    script = harness.script(folder, 'announce.py', USER_SCRIPT.format(commands=commands))
    api = write(
        'api.conf',
        harness.process('announce', script)
        + harness.neighbor(GOBGP_ADDRESS, OURS_ADDRESS, PEER_AS, GOBGP_AS, api='processes [ announce ];'),
    )
    contenders: list[tuple[str, list[str], dict[str, str]]] = [
        ('ours mrt replay', [*harness.OURS, 'mrt', 'replay', replay, dump], harness.environment())
    ]
    if not args.no_text:
        contenders.append(('ours text API', [*harness.OURS, api], harness.environment()))
    if not args.no_oracle:
        oracle = harness.oracle(args.oracle)
        contenders.append(('5.0.15 text API', [oracle, api], harness.environment()))
        # the usual way out of that deadlock: no `done` acknowledgements written to the script
        contenders.append(('5.0.15 ack=false', [oracle, api], harness.environment(exabgp_api_ack='false')))
    results = []
    for who, command, env in contenders:
        result = run(who, command, env, folder, args.routes, args.stall)
        results.append(result)
        print(result.line(args.routes), flush=True)
    ours = results[0]
    if not ours.failed:
        for other in results[1:]:
            if not other.failed:
                print(
                    f'{other.who} / ours mrt replay: x{other.wall / ours.wall:.1f} wall, '
                    f'x{other.cpu / ours.cpu:.1f} CPU, x{other.rss / ours.rss:.1f} peak RSS'
                )
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
