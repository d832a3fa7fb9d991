#!/usr/bin/env python3
"""The soak's API process: reads the daemon's JSON events, stalls in the middle, then counts on.

    counter.py --status FILE --peer 127.0.0.2 --first 10.0.0.0 --routes 1000000 --per-update 1000 --stall 300

It counts the routes `--peer` announces (each route by its index, so a duplicate is seen), the
state changes of every peer, and the gap lines the daemon writes when this process falls behind
(the events dropped, per peer). Once it holds, or was told by gap lines of, half the routes, it stops
reading stdin for --stall seconds: the daemon must keep every session up meanwhile and lose nothing but what a gap line
accounts for. Then it reads on.

Every second (and when it sees the End-of-RIB) it replaces --status with a JSON object: the routes
received, duplicates, routes outside the expected range, UPDATEs wholly received, partially
received (always a fault: the daemon never splits an UPDATE), the gap lines and the events they
dropped for the peer, End-of-RIB seen, the stall's start and end, the states seen per peer.

It appends its pid to FILE.pids when it starts (the soak checks it started once).
Standard library only; it exits when stdin closes.
"""

import argparse
import ipaddress
import json
import os
import sys
import time


class Count:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.first = int(ipaddress.IPv4Address(args.first))
        self.seen = bytearray(args.routes)
        self.received = 0
        self.duplicates = 0
        self.foreign = 0
        self.withdrawn = 0
        self.eor = False
        self.gaps = 0
        self.dropped = 0
        self.dropped_total = 0
        self.states: dict[str, list[str]] = {}
        self.stall_started = 0.0
        self.stall_ended = 0.0
        self.written = 0.0

    def index(self, nlri: str) -> int:
        network = ipaddress.IPv4Network(nlri)
        index = (int(network.network_address) - self.first) >> 8
        if network.prefixlen != 24 or not 0 <= index < self.args.routes:
            return -1
        return index

    def line(self, text: str) -> None:
        event = json.loads(text)
        kind = event.get('type')
        if kind == 'notification' and event.get('notification') == 'dropped':
            self.gaps += 1
            self.dropped_total += event['dropped']
            self.dropped += event.get('peers', {}).get(self.args.peer, 0)
            return
        neighbor = event.get('neighbor', {})
        peer = neighbor.get('address', {}).get('peer', '')
        if kind == 'state':
            self.states.setdefault(peer, []).append(neighbor.get('state', '?'))
            return
        if kind != 'update' or peer != self.args.peer:
            return
        message = neighbor.get('message', {})
        if 'eor' in message:
            self.eor = True
            return
        update = message.get('update', {})
        for family in update.get('announce', {}).values():
            for routes in family.values():
                for route in routes:
                    self.announced(route['nlri'])
        for family in update.get('withdraw', {}).values():
            self.withdrawn += len(family)

    def announced(self, nlri: str) -> None:
        index = self.index(nlri)
        if index < 0:
            self.foreign += 1
        elif self.seen[index]:
            self.duplicates += 1
        else:
            self.seen[index] = 1
            self.received += 1

    def updates(self) -> tuple[int, int]:
        """UPDATEs wholly received, and those only partly received."""
        whole = partial = 0
        size = self.args.per_update
        for start in range(0, self.args.routes, size):
            got = self.seen[start : start + size].count(1)
            if got == min(size, self.args.routes - start):
                whole += 1
            elif got:
                partial += 1
        return whole, partial

    def report(self) -> None:
        whole, partial = self.updates()
        status = {
            'pid': os.getpid(),
            'received': self.received,
            'duplicates': self.duplicates,
            'foreign': self.foreign,
            'withdrawn': self.withdrawn,
            'updates_whole': whole,
            'updates_partial': partial,
            'eor': self.eor,
            'gaps': self.gaps,
            'dropped': self.dropped,
            'dropped_total': self.dropped_total,
            'stall_started': self.stall_started,
            'stall_ended': self.stall_ended,
            'states': self.states,
        }
        with open(self.args.status + '.tmp', 'w') as handle:
            json.dump(status, handle)
        os.replace(self.args.status + '.tmp', self.args.status)
        self.written = time.monotonic()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--status', required=True)
    parser.add_argument('--peer', required=True)
    parser.add_argument('--first', default='10.0.0.0')
    parser.add_argument('--routes', type=int, required=True)
    parser.add_argument('--per-update', type=int, default=1000)
    parser.add_argument('--stall', type=float, default=300.0)
    args = parser.parse_args()
    count = Count(args)
    with open(args.status + '.pids', 'a') as handle:
        handle.write(f'{os.getpid()}\n')
    count.report()
    stall_done = args.stall <= 0
    for text in sys.stdin:
        if text.strip():
            count.line(text)
        if not stall_done and count.received + count.dropped * args.per_update >= args.routes // 2:
            stall_done = True
            count.stall_started = time.time()
            count.report()
            time.sleep(args.stall)
            count.stall_ended = time.time()
            count.report()
        elif count.eor or time.monotonic() - count.written > 1.0:
            count.report()
    count.report()
    return 0


if __name__ == '__main__':
    sys.exit(main())
