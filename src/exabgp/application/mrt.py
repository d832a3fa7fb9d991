"""`exabgp mrt print FILE...` and `exabgp mrt replay CONF FILE... [--paced] [--next-hop self]`:
MRT files (RFC 6396: TABLE_DUMP_V2, BGP4MP, BGP4MP_ET; plain, gzip or bzip2, told by their first
octets) printed as 5.0's JSON, or replayed to the neighbors of a configuration.

- `print`: one JSON line per route of a RIB record and per BGP message of a BGP4MP record, the
  line `exabgp decode` prints (API format, direction "in"), with the record's time and, as the
  neighbor, the RIB entry's peer (from the PEER_INDEX_TABLE) or the BGP4MP record's addresses and
  ASNs. State changes and records of other types are counted on stderr, not printed.
- `replay`: the routes of the RIB records, then the UPDATEs of the BGP4MP records (announced and
  withdrawn), go to every neighbor of the configuration configured for their family, through the
  library API (`exabgp.speaker`): at full speed, or `--paced` by the records' time stamps (the
  first record is sent at once). `--next-hop self` replaces the recorded next hops. It waits for
  every session, sends, waits until the neighbors' Adj-RIB-Out are sent, then prints what it did
  and keeps the sessions up until interrupted (`--exit` leaves once sent).
- A record that can not be read stops the command with its reason (exit 1); a message that can
  not be decoded is reported on stderr and skipped.
"""

import argparse
import asyncio
import bz2
import gzip
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from exabgp.api import json_messages
from exabgp.api.envelope import Peer, Stamp
from exabgp.bgp import mrt
from exabgp.bgp.attribute.attributes import EMPTY, LastParsed, parse_attributes
from exabgp.bgp.errors import Malformed, PeerError
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.header import HEADER_SIZE
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import EXTENDED_SIZE, Negotiated
from exabgp.bgp.nlri import table
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import SELF, NextHop, Route
from exabgp.settings import Settings
from exabgp.speaker import Speaker


def setargs(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest='action', required=True)
    printing = commands.add_parser('print', help='print MRT records as 5.0 JSON')
    printing.add_argument('files', nargs='+', help='MRT files (plain, gzip or bzip2)')
    replay = commands.add_parser('replay', help='send the routes of MRT files to configured neighbors')
    replay.add_argument('configuration', help='the configuration holding the neighbors')
    replay.add_argument('files', nargs='+', help='MRT files (plain, gzip or bzip2)')
    replay.add_argument('--paced', action='store_true', help="follow the records' time stamps")
    replay.add_argument('--next-hop', choices=('keep', 'self'), default='keep')
    replay.add_argument('--exit', action='store_true', help='leave once everything is sent')
    replay.add_argument('--timeout', type=float, default=120.0, help='seconds to wait for the sessions')


def opened(path: str) -> BinaryIO:
    """The file, decompressed when its first octets say gzip or bzip2."""
    with open(path, 'rb') as probe:
        magic = probe.read(3)
    if magic[:2] == b'\x1f\x8b':
        return gzip.open(path, 'rb')  # type: ignore[return-value]
    if magic == b'BZh':
        return bz2.open(path, 'rb')  # type: ignore[return-value]
    return open(path, 'rb')


def _negotiated(asn4: bool, addpath: bool) -> Negotiated:
    families = table.ALL
    paths = frozenset(families) if addpath else frozenset()
    return Negotiated(asn4=asn4, families=families, addpath_send=paths, addpath_receive=paths, msg_size=EXTENDED_SIZE)


# (4-octet ASNs, ADD-PATH) -> the session every record of that kind is decoded with
SESSIONS = {(asn4, addpath): _negotiated(asn4, addpath) for asn4 in (False, True) for addpath in (False, True)}
# distinct attribute fields remembered by `decoded` (a full table has a few hundred thousand)
PARSED_LIMIT = 500_000


def session(record: mrt.RibEntry | mrt.Message) -> Negotiated:
    """What the recorded session is decoded with: the record's ASN size and ADD-PATH, every family."""
    asn4 = True if isinstance(record, mrt.RibEntry) else record.asn4
    return SESSIONS[(asn4, record.addpath)]


class Parsed(LastParsed):
    """The attribute fields of a file, parsed once each: the prefixes of a table share a few
    hundred thousand fields, which decoding each RIB entry would parse again (most of the cost).
    Keyed by the field's bytes and the session (one of `SESSIONS`); forgotten past `PARSED_LIMIT`."""

    __slots__ = ('seen',)

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[tuple[bytes, int], object] = {}

    def parse(self, data: bytes, negotiated: Negotiated):
        key = (data, id(negotiated))
        parsed = self.seen.get(key)
        if parsed is None:
            if len(self.seen) >= PARSED_LIMIT:
                self.seen.clear()
            parsed = self.seen[key] = parse_attributes(data, negotiated)
        return parsed


def decoded(record: mrt.RibEntry | mrt.Message, parsed: Parsed | None = None) -> object:
    """The record's message value (an UPDATE for a RIB entry); PeerError when it does not decode.
    `parsed` remembers attribute fields across records."""
    if isinstance(record, mrt.RibEntry):
        return Update.unpack(record.body, session(record), parsed)
    kind = record.message[18]
    if kind == Update.TYPE:
        return Update.unpack(record.message[HEADER_SIZE:], session(record), parsed)
    return unpack_message(kind, record.message[HEADER_SIZE:], session(record))


def items(paths: list[str]) -> Iterator[tuple[mrt.Record, mrt.PeerIndex | None]]:
    """Every record of the files, with the PEER_INDEX_TABLE in force."""
    index: mrt.PeerIndex | None = None
    for path in paths:
        with opened(path) as stream:
            for record in mrt.records(stream.read):
                if isinstance(record, mrt.PeerIndex):
                    index = record
                yield record, index


def _peer(record: mrt.RibEntry | mrt.Message, index: mrt.PeerIndex | None) -> Peer:
    if isinstance(record, mrt.Message):
        return Peer(str(record.local_address), str(record.peer_address), record.local_as, record.peer_as, '')
    if index is None or record.peer_index >= len(index.peers):
        return Peer('', '', 0, 0, '')
    entry = index.peers[record.peer_index]
    return Peer(str(index.collector), str(entry.address), 0, entry.asn, str(index.collector))


def print_files(paths: list[str], compact: bool) -> int:
    host, pid, ppid = socket.gethostname(), os.getpid(), os.getppid()
    skipped: dict[str, int] = {}
    counters: dict[str, int] = {}
    for record, index in items(paths):
        if not isinstance(record, mrt.RibEntry | mrt.Message):
            kind = type(record).__name__
            skipped[kind] = skipped.get(kind, 0) + 1
            continue
        peer = _peer(record, index)
        try:
            message = decoded(record)
        except PeerError as error:
            sys.stderr.write(f'exabgp mrt: a message from {peer.peer_address} does not decode: {error.reason}\n')
            continue
        counters[peer.peer_address] = counter = counters.get(peer.peer_address, 0) + 1
        stamp = Stamp(record.timestamp, host, pid, ppid, counter)
        line = json_messages.encode(stamp, peer, 'in', message, compact=compact)  # type: ignore[arg-type]
        if line is not None:
            sys.stdout.write(f'{line}\n')
    for kind, count in skipped.items():
        if kind != 'PeerIndex':
            sys.stderr.write(f'exabgp mrt: {count} {kind} records not printed\n')
    return 0


def changes(paths: list[str], next_hop: str) -> Iterator[tuple[float, list[Route], list[Route]]]:
    """(time stamp, routes to announce, routes to withdraw) per record that carries routes."""
    parsed = Parsed()
    # IPv4 unicast RIB entries by attribute field: (attributes, next hop) of the first entry that
    # decoded with routes; the next entries with the same field only need their prefix read
    known: dict[bytes, tuple[object, NextHop]] = {}
    for record, _ in items(paths):
        if not isinstance(record, mrt.RibEntry | mrt.Message):
            continue
        ipv4 = isinstance(record, mrt.RibEntry) and record.family == IPV4_UNICAST
        if ipv4:
            announced = _known_ipv4(record, known, next_hop)  # type: ignore[arg-type]
            if announced is not None:
                yield record.timestamp, announced, []
                continue
        try:
            # an IPv4 entry's field is remembered in `known` (with less memory than its parse)
            message = decoded(record, None if ipv4 else parsed)
        except PeerError as error:
            sys.stderr.write(f'exabgp mrt: a message does not decode, skipped: {error.reason}\n')
            continue
        if not isinstance(message, Update):
            continue
        announced = list(message.announced)
        if ipv4 and announced:
            known[record.attributes] = (announced[0].attributes, announced[0].nexthop)  # type: ignore[union-attr]
        if next_hop == 'self':
            announced = [Route(route.nlri, route.attributes, SELF) for route in announced]
        withdrawn = [Route(nlri, EMPTY) for nlri in message.withdrawn]
        if announced or withdrawn:
            yield record.timestamp, announced, withdrawn


def _known_ipv4(record: mrt.RibEntry, known: dict[bytes, tuple[object, NextHop]], next_hop: str) -> list[Route] | None:
    """The routes of an IPv4 unicast RIB entry whose attribute field decoded before (None if not)."""
    seen = known.get(record.attributes)
    if seen is None:
        return None
    try:
        nlris = INET.unpack_all(IPV4_UNICAST, record.nlri, record.addpath)
    except Malformed:
        return None  # decoded whole, to be reported
    attributes, nexthop = seen
    return [Route(nlri, attributes, SELF if next_hop == 'self' else nexthop) for nlri in nlris]


async def replay(args: argparse.Namespace, settings: Settings) -> int:
    started = time.monotonic()
    async with Speaker(Path(args.configuration), settings=settings) as speaker:
        await speaker.established(timeout=args.timeout)
        sent = withdrawn = 0
        first: float | None = None
        origin = time.monotonic()
        batch: list[Route] = []
        for stamp, announce, withdraw in changes(args.files, args.next_hop):
            if args.paced:
                first = stamp if first is None else first
                delay = (stamp - first) - (time.monotonic() - origin)
                if delay > 0:
                    if batch:
                        sent += await _announce(speaker, batch)
                        batch = []
                    await asyncio.sleep(delay)
            if withdraw:
                if batch:
                    sent += await _announce(speaker, batch)
                    batch = []
                withdrawn += await speaker.withdraw(*withdraw)
            batch.extend(announce)
            if len(batch) >= 10_000:
                sent += await _announce(speaker, batch)
                batch = []
                # the sessions' tasks run between two chunks
                await asyncio.sleep(0)
        if batch:
            sent += await _announce(speaker, batch)
        await speaker.sent(timeout=None)
        took = time.monotonic() - started
        sys.stdout.write(f'replayed {sent} announcements and {withdrawn} withdrawals in {took:.1f} s\n')
        sys.stdout.flush()
        if not args.exit:
            await asyncio.Event().wait()
    return 0


async def _announce(speaker: Speaker, routes: list[Route]) -> int:
    return await speaker.announce(*routes)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.action == 'print':
            return print_files(args.files, settings.api.compact)
        return asyncio.run(replay(args, settings))
    except mrt.Truncated as error:
        sys.stderr.write(f'exabgp mrt: {error}\n')
        return 1
    except OSError as error:
        sys.stderr.write(f'exabgp mrt: {error}\n')
        return 1
