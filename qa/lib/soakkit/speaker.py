#!/usr/bin/env python3
"""A raw BGP speaker for the soak (qa/bin/soak): it connects, opens an IPv4 unicast session and pushes
pre-packed UPDATEs in bursts as fast as the socket drains.

    speaker.py --local 127.0.0.2 --port P --asn 65002 --peer-as 65001 --routes 1000000 --burst 100000

Route i is the /24 `prefixes.prefix(first, i)`; UPDATE j carries routes j*per_update up to
(j+1)*per_update (the last one fewer), so the counter can tell which UPDATE a route came in. The
whole table is packed before the session opens: sending is then one write per burst, and the
daemon's reading, not this process, is what the run measures.

What it prints on stdout, one JSON object a line, flushed at once (the soak reads the file):
`established`, `burst` (routes sent so far), `sent` (everything and the End-of-RIB are written),
`notification` (code, subcode, data in hex) and `closed` (why). It reads everything the daemon
sends, so its socket never fills; it sends KEEPALIVEs every third of the negotiated hold time.
SIGTERM closes the session with Cease 6/2 and exits 0; a session that ends otherwise exits 1.

Standard library only: the soak judges the daemon from outside, so nothing here imports exabgp.
"""

import argparse
import asyncio
import ipaddress
import json
import os
import signal
import socket
import struct
import sys
import time

MARKER = b'\xff' * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE = 1, 2, 3, 4
AS_TRANS = 23456


def prefix(first: int, index: int) -> bytes:
    """The /24 of route `index` in wire form (length octet, three address octets)."""
    value = first + (index << 8)
    return bytes((24, value >> 24, (value >> 16) & 255, (value >> 8) & 255))


def message(kind: int, body: bytes) -> bytes:
    return MARKER + struct.pack('!HB', 19 + len(body), kind) + body


def open_message(asn: int, hold: int, router_id: str) -> bytes:
    capabilities = (
        bytes((1, 4, 0, 1, 0, 1))  # multiprotocol IPv4 unicast
        + bytes((65, 4))
        + struct.pack('!I', asn)  # four-octet AS
        + bytes((2, 0))  # route refresh
    )
    parameters = bytes((2, len(capabilities))) + capabilities
    body = struct.pack(
        '!BHH4sB', 4, asn if asn < 65536 else AS_TRANS, hold, socket.inet_aton(router_id), len(parameters)
    )
    return message(OPEN, body + parameters)


def updates(first: int, routes: int, per_update: int, asn: int, nexthop: str) -> list[bytes]:
    """The table as UPDATE messages: ORIGIN IGP, AS_PATH [asn], NEXT_HOP, then the NLRI."""
    attributes = (
        bytes((0x40, 1, 1, 0))
        + bytes((0x40, 2, 6, 2, 1))
        + struct.pack('!I', asn)
        + bytes((0x40, 3, 4))
        + socket.inet_aton(nexthop)
    )
    head = struct.pack('!HH', 0, len(attributes)) + attributes
    packed = []
    for start in range(0, routes, per_update):
        nlri = b''.join(prefix(first, index) for index in range(start, min(start + per_update, routes)))
        packed.append(message(UPDATE, head + nlri))
    return packed


END_OF_RIB = message(UPDATE, struct.pack('!HH', 0, 0))


def say(event: str, **fields: object) -> None:
    sys.stdout.write(json.dumps({'event': event, 'time': round(time.time(), 3), **fields}) + '\n')
    sys.stdout.flush()


class Speaker:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.table = updates(int(ipaddress.IPv4Address(args.first)), args.routes, args.per_update, args.asn, args.local)
        self.hold = args.hold
        self.writer: asyncio.StreamWriter | None = None
        self.stopping = False

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Connect until the daemon accepts (it may not be listening yet)."""
        deadline = time.monotonic() + self.args.connect_timeout
        while True:
            try:
                return await asyncio.open_connection(self.args.remote, self.args.port, local_addr=(self.args.local, 0))
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)

    async def run(self) -> int:
        reader, writer = await self.connect()
        self.writer = writer
        writer.write(open_message(self.args.asn, self.args.hold, self.args.local))
        kind, body = await self.read(reader)
        if kind != OPEN:
            return self.closed(kind, body, 'no OPEN')
        self.hold = min(self.args.hold, struct.unpack('!H', body[3:5])[0])
        writer.write(message(KEEPALIVE, b''))
        kind, body = await self.read(reader)
        if kind != KEEPALIVE:
            return self.closed(kind, body, 'no KEEPALIVE after the OPEN')
        say('established', hold=self.hold)
        tasks = [asyncio.create_task(self.keepalives()), asyncio.create_task(self.push())]
        try:
            while True:
                kind, body = await self.read(reader)
                if kind == NOTIFICATION:
                    return self.closed(kind, body, 'notification received')
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            if self.stopping:
                return 0
            return self.closed(0, b'', f'connection lost: {error!r}')
        finally:
            for task in tasks:
                task.cancel()

    @staticmethod
    async def read(reader: asyncio.StreamReader) -> tuple[int, bytes]:
        header = await reader.readexactly(19)
        length, kind = struct.unpack('!HB', header[16:19])
        return kind, await reader.readexactly(length - 19)

    def closed(self, kind: int, body: bytes, why: str) -> int:
        if kind == NOTIFICATION:
            say('notification', code=body[0], subcode=body[1], data=body[2:].hex())
        say('closed', why=why)
        return 1

    async def keepalives(self) -> None:
        assert self.writer is not None
        while self.hold:
            await asyncio.sleep(self.hold / 3)
            self.writer.write(message(KEEPALIVE, b''))

    async def push(self) -> None:
        """Each burst is written whole, then drained: TCP backpressure paces it to the daemon's reading."""
        assert self.writer is not None
        per_burst = max(1, self.args.burst // self.args.per_update)
        sent = 0
        for start in range(0, len(self.table), per_burst):
            chunk = self.table[start : start + per_burst]
            self.writer.write(b''.join(chunk))
            await self.writer.drain()
            sent = min(self.args.routes, sent + len(chunk) * self.args.per_update)
            say('burst', routes=sent)
            if sent < self.args.routes:
                await asyncio.sleep(self.args.pause)
        self.writer.write(END_OF_RIB)
        await self.writer.drain()
        say('sent', routes=sent, updates=len(self.table))

    def stop(self) -> None:
        """Cease 6/2 (administrative shutdown), then exit."""
        self.stopping = True
        if self.writer is not None:
            self.writer.write(message(NOTIFICATION, bytes((6, 2))))
            self.writer.close()
        say('closed', why='stopped')
        os._exit(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--local', required=True, help='the address to connect from (also the router id)')
    parser.add_argument('--remote', default='127.0.0.1')
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--asn', type=int, required=True)
    parser.add_argument('--hold', type=int, default=30)
    parser.add_argument('--first', default='10.0.0.0', help='the first /24 announced')
    parser.add_argument('--routes', type=int, default=0)
    parser.add_argument('--per-update', type=int, default=1000)
    parser.add_argument('--burst', type=int, default=100_000, help='routes written at once')
    parser.add_argument('--pause', type=float, default=2.0, help='seconds between bursts')
    parser.add_argument('--connect-timeout', type=float, default=30.0)
    args = parser.parse_args()
    speaker = Speaker(args)

    async def session() -> int:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, speaker.stop)
        return await speaker.run()

    return asyncio.run(session())


if __name__ == '__main__':
    sys.exit(main())
