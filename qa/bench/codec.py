"""How fast the codec is, next to ExaBGP 5.0.15 on the same bytes in the same run.

    PYTHONPATH=src python qa/bench/codec.py [--repeat N] [--oracle DIR] [--quick]

Measures (best of N passes each; figures only, nothing asserted):
- decode + JSON: (a) one 1000-prefix UPDATE, decoded and written as the API's JSON line, 100 times;
  (b) 100k one-prefix UPDATEs, each with its own prefix and the same attributes, as a table load
  looks on the wire. Ours (Update.unpack, then json_update.update with a fresh Stamp) and 5.0.15's
  (Update.unpack_message, then its JSON encoder's update), with messages/s, prefixes/s and the
  ratio. 5.0 keeps the last attribute set a session parsed and reuses it when the next UPDATE
  carries the same bytes, which both (a) and (b) always do; we parse every time. So 5.0 is timed
  twice: as shipped, and "parsing each", with that reuse defeated.
- ours only: decode alone, encode (packing) of the same routes, memory of a decoded route.

The 5.0.15 side runs in a subprocess with the python of a venv holding `exabgp==5.0.15`
(qa/bench/codec_oracle.py does its work): `--oracle DIR`, else found or made as the suite does
(harness.oracle: $ORACLE_EXABGP, $ORACLE_VENV, a known venv, or a scratch venv made with pip).
`--no-oracle` measures ours only.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from ipaddress import IPv4Address

import harness

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_update import update as json_update
from exabgp.bgp.attribute.attributes import Attributes, LastParsed
from exabgp.bgp.attribute.community import Communities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.inet import INET

SESSION = Negotiated(local_as=65000, peer_as=65000, asn4=True)
ATTRIBUTES = Attributes((ORIGINS[IGP], MED(10), LocalPreference(100), Communities((65000 << 16 | 1,))))
NEXTHOP = IPv4Address('192.0.2.1')
PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65000, '10.0.0.2')
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'codec_oracle.py')


def prefixes(count: int) -> list[INET]:
    return [INET.make(IPV4_UNICAST, IPv4Address((10 << 24) + (index << 8)), 24) for index in range(count)]


def show(label: str, count: int, seconds: float, unit: str) -> float:
    per_second = count / seconds
    print(f'{label:<46} {per_second:>12,.0f} {unit}/s  ({seconds * 1000:,.1f} ms for {count:,})')
    return per_second


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def decode_and_write(bodies: list[bytes]) -> None:
    """Our side of the work 5.0's worker times: decode (with the session's attribute memory, as a
    session decodes), then the API's JSON line."""
    host, pid, ppid = socket.gethostname(), os.getpid(), os.getppid()
    last = LastParsed()
    for counter, body in enumerate(bodies, 1):
        json_update(Stamp(time.time(), host, pid, ppid, counter), PEER, 'receive', Update.unpack(body, SESSION, last))


def decode_all(bodies: list[bytes], last: LastParsed) -> None:
    for body in bodies:
        Update.unpack(body, SESSION, last)


def pinned(line: str) -> str:
    """A JSON line without what differs between two processes (clock, host, pids, counter)."""
    line = re.sub(r'"time": [0-9.e+-]+', '"time": 0', line)
    line = re.sub(r'"host" : "[^"]*"', '"host" : ""', line)
    line = re.sub(r'"(pid|ppid)" : \d+', r'"\1" : 0', line)
    return re.sub(r'"counter": \d+', '"counter": 0', line)


def oracle_python(given: str | None) -> str:
    """The python of the 5.0.15 venv: harness.oracle finds it, or makes it."""
    return os.path.join(os.path.dirname(harness.oracle(given or '')), 'python')


def oracle_run(python: str, bodies: list[bytes], repeat: int, fresh: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix='.bodies') as handle:
        handle.write(b''.join(len(body).to_bytes(4, 'big') + body for body in bodies))
        handle.flush()
        # the oracle's own package, not ours: no PYTHONPATH
        environ = {key: value for key, value in os.environ.items() if key != 'PYTHONPATH'}
        result = subprocess.run(
            [python, WORKER, handle.name, str(repeat), *(['fresh'] if fresh else [])],
            capture_output=True,
            text=True,
            env=environ,
            check=False,
        )
    if result.returncode:
        raise SystemExit(f'the 5.0.15 worker failed:\n{result.stderr}')
    return json.loads(result.stdout)


def compare(bodies: list[bytes], prefix_count: int, repeat: int, oracle: str | None) -> None:
    seconds = best(lambda: decode_and_write(bodies), repeat)
    ours = show('ours   decode+JSON', len(bodies), seconds, 'UPDATEs')
    show('', prefix_count, seconds, 'prefixes')
    if oracle is None:
        return
    ours_line = json_update(Stamp(0, '', 0, 0, 1), PEER, 'receive', Update.unpack(bodies[0], SESSION))
    for fresh, name in ((False, 'as shipped'), (True, 'parsing each')):
        found = oracle_run(oracle, bodies, repeat, fresh)
        if found['prefixes'] != prefix_count:
            print(f'warning: 5.0.15 decoded {found["prefixes"]} prefixes, we {prefix_count}')
        if pinned(found['first']) != pinned(ours_line):
            print('warning: 5.0.15 writes another JSON line for the first UPDATE')
        theirs = show(f'5.0.15 decode+JSON ({name})', found['messages'], found['seconds'], 'UPDATEs')
        show('', found['prefixes'], found['seconds'], 'prefixes')
        print(f'{"ratio (ours / 5.0.15 " + name + ")":<46} {ours / theirs:>12.2f} x')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=3, help='passes of each measure; the best is shown')
    parser.add_argument('--oracle', help='the venv (or exabgp) of 5.0.15, else as harness.oracle finds it')
    parser.add_argument('--no-oracle', action='store_true', help='ours only')
    parser.add_argument('--quick', action='store_true', help='10k one-prefix UPDATEs instead of 100k')
    args = parser.parse_args()
    oracle = None if args.no_oracle else oracle_python(args.oracle)
    count = 10_000 if args.quick else 100_000

    big = update_pack.announce(IPV4_UNICAST, prefixes(1000), ATTRIBUTES, NEXTHOP, SESSION)
    assert len(big) == 1, 'the 1000 prefixes should fit one message'
    loops = 100
    print(f'(a) one 1000-prefix UPDATE ({len(big[0])} octets), {loops} times')
    compare([big[0][19:]] * loops, 1000 * loops, args.repeat, oracle)

    routes = prefixes(count)
    bodies = [update_pack.announce(IPV4_UNICAST, (nlri,), ATTRIBUTES, NEXTHOP, SESSION)[0][19:] for nlri in routes]
    print(f'\n(b) {count:,} one-prefix UPDATEs ({len(bodies[0]) + 19} octets each)')
    compare(bodies, count, args.repeat, oracle)

    print('\nours only')
    body = big[0][19:]
    seconds = best(lambda: [Update.unpack(body, SESSION) for _ in range(loops)], args.repeat)
    show('decode one 1000-prefix UPDATE', loops * 1000, seconds, 'prefixes')
    seconds = best(lambda: [Update.unpack(body, SESSION) for body in bodies], args.repeat)
    show(f'decode {count // 1000}k one-prefix UPDATEs', len(bodies), seconds, 'UPDATEs')
    seconds = best(lambda: decode_all(bodies, LastParsed()), args.repeat)
    show('  the same, with the session attribute memory', len(bodies), seconds, 'UPDATEs')
    seconds = best(
        lambda: [update_pack.announce(IPV4_UNICAST, (nlri,), ATTRIBUTES, NEXTHOP, SESSION) for nlri in routes],
        args.repeat,
    )
    show(f'encode {count // 1000}k one-prefix UPDATEs', len(routes), seconds, 'UPDATEs')
    seconds = best(lambda: update_pack.announce(IPV4_UNICAST, routes, ATTRIBUTES, NEXTHOP, SESSION), args.repeat)
    show(f'encode {count // 1000}k prefixes, packed to 4096 octets', len(routes), seconds, 'prefixes')

    route = Update.unpack(bodies[0], SESSION).announced[0]
    per_route = sys.getsizeof(route) + sys.getsizeof(route.nlri) + sys.getsizeof(route.nlri.packed)
    print(f'{"memory per decoded route (Route+NLRI+prefix)":<46} {per_route:>12} octets')
    return 0


if __name__ == '__main__':
    sys.exit(main())
