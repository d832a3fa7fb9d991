"""A BGP-LS feed for the benchmarks: what an IS-IS area looks like to a topology collector.

`feed(count)` is the UPDATE bodies of `count` link-state NLRI, one NLRI per UPDATE (each has its
own BGP-LS attribute, so routers send them so), in the mix a router exporting a level-2 IS-IS
topology sends: a tenth node NLRI, six tenths link NLRI, three tenths IPv4 prefix NLRI. Each NLRI
is distinct (its router ids, interface addresses or prefix say which); the attribute TLVs are
those RFC 9552, RFC 9085 and 5.0.15 decode:

    node    1024 flags, 1026 name, 1027 IS-IS area, 1028 TE router id, 1034 SR capabilities with
            an SRGB, 1035 SR algorithms
    link    1028/1030 TE router ids, 1088 admin group, 1089 maximum and 1090 reservable
            bandwidth, 1091 unreserved bandwidth (8 priorities), 1092 TE metric, 1095 IGP metric,
            1096 two SRLGs, 1099 an adjacency SID (label)
    prefix  1152 IGP flags, 1155 prefix metric, 1158 a prefix SID (index)

`Feeder` is the BGP speaker sending it: passive on loopback, it mirrors the daemon's OPEN (so the
families are the daemon's), then writes the whole feed once the daemon's first KEEPALIVE came.
"""

import asyncio
import struct

from harness import MARKER, message

AFI_BGPLS, SAFI_BGPLS = 16388, 71
PROTOCOL_ISIS_L2 = 2
ORIGIN_IGP = bytes((0x40, 1, 1, 0))
EMPTY_AS_PATH = bytes((0x40, 2, 0))
LOCAL_PREF = bytes((0x40, 5, 4, 0, 0, 0, 100))


def tlv(kind: int, value: bytes) -> bytes:
    return struct.pack('!HH', kind, len(value)) + value


def _system_id(router: int) -> bytes:
    return b'\x19\x21\x68' + router.to_bytes(3, 'big')


def _node(router: int) -> bytes:
    """A Node Descriptors value: AS, BGP-LS identifier and IS-IS system id."""
    return tlv(512, struct.pack('!I', 65000)) + tlv(513, struct.pack('!I', 0)) + tlv(515, _system_id(router))


def _ipv4(index: int) -> bytes:
    return (0x0A000000 + index).to_bytes(4, 'big')


def _float(value: float) -> bytes:
    return struct.pack('!f', value)


def _nlri(code: int, body: bytes) -> bytes:
    # Protocol-ID then the Identifier (the instance, 0)
    value = bytes((PROTOCOL_ISIS_L2,)) + bytes(8) + body
    return struct.pack('!HH', code, len(value)) + value


def node(index: int) -> tuple[bytes, bytes]:
    nlri = _nlri(1, tlv(256, _node(index)))
    attribute = (
        tlv(1024, b'\x00')
        + tlv(1026, f'router-{index}'.encode())
        + tlv(1027, b'\x49\x00\x01')
        + tlv(1028, _ipv4(index))
        + tlv(1034, b'\x80\x00' + (8000).to_bytes(3, 'big') + tlv(1161, (16000).to_bytes(3, 'big')))
        + tlv(1035, b'\x00\x01')
    )
    return nlri, attribute


def link(index: int, routers: int) -> tuple[bytes, bytes]:
    local, remote = index % routers, (index * 7 + 1) % routers
    nlri = _nlri(
        2,
        tlv(256, _node(local))
        + tlv(257, _node(remote))
        + tlv(259, _ipv4(0x100000 + 2 * index))
        + tlv(260, _ipv4(0x100000 + 2 * index + 1)),
    )
    attribute = (
        tlv(1028, _ipv4(local))
        + tlv(1030, _ipv4(remote))
        + tlv(1088, struct.pack('!I', 1 << (index % 32)))
        + tlv(1089, _float(1.25e9))
        + tlv(1090, _float(1.0e9))
        + tlv(1091, _float(1.0e9) * 8)
        + tlv(1092, struct.pack('!I', 10 + index % 90))
        + tlv(1095, (10 + index % 90).to_bytes(3, 'big'))
        + tlv(1096, struct.pack('!II', 100 + index % 7, 200 + index % 11))
        + tlv(1099, b'\x30\x00\x00\x00' + (24000 + index % 1000).to_bytes(3, 'big'))
    )
    return nlri, attribute


def prefix(index: int, routers: int) -> tuple[bytes, bytes]:
    address = (0x0B000000 + (index << 8)).to_bytes(4, 'big')
    nlri = _nlri(3, tlv(256, _node(index % routers)) + tlv(265, b'\x18' + address[:3]))
    attribute = (
        tlv(1152, b'\x00')
        + tlv(1155, struct.pack('!I', 10))
        + tlv(1158, b'\x40\x00\x00\x00' + struct.pack('!I', index))
    )
    return nlri, attribute


def update(nlri: bytes, attribute: bytes, nexthop: bytes = bytes((192, 0, 2, 1))) -> bytes:
    """An UPDATE body: ORIGIN, AS_PATH, LOCAL_PREF, MP_REACH_NLRI with the NLRI, BGP-LS attribute."""
    reach = struct.pack('!HBB', AFI_BGPLS, SAFI_BGPLS, len(nexthop)) + nexthop + b'\x00' + nlri
    attributes = (
        ORIGIN_IGP
        + EMPTY_AS_PATH
        + LOCAL_PREF
        + bytes((0x90, 14))
        + struct.pack('!H', len(reach))
        + reach
        + bytes((0x90, 29))
        + struct.pack('!H', len(attribute))
        + attribute
    )
    return b'\x00\x00' + struct.pack('!H', len(attributes)) + attributes


def feed(count: int) -> list[bytes]:
    """The UPDATE bodies of `count` link-state NLRI in the mix above."""
    routers = max(1, count // 10)
    bodies = []
    for index in range(count):
        kind = index % 10
        if kind == 0:
            bodies.append(update(*node(index // 10)))
        elif kind <= 6:
            bodies.append(update(*link(index, routers)))
        else:
            bodies.append(update(*prefix(index, routers)))
    return bodies


class Feeder:
    """Passive BGP speaker on loopback sending a feed of UPDATE bodies once the session is up."""

    address = '127.0.0.1'

    def __init__(self, bodies: list[bytes]) -> None:
        self.wire = b''.join(message(2, body) for body in bodies)
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []
        self.sent = asyncio.Event()

    async def start(self, host: str = '127.0.0.1') -> int:
        self.server = await asyncio.start_server(self._serve, host, 0)
        return self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        for writer in self.writers:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        try:
            while True:
                header = await reader.readexactly(19)
                assert header[:16] == MARKER
                body = await reader.readexactly(int.from_bytes(header[16:18], 'big') - 19)
                if header[18] == 1:
                    mirrored = bytearray(body)
                    mirrored[5:9] = bytes((10, 0, 0, 254))
                    writer.write(message(1, bytes(mirrored)) + message(4, b''))
                elif header[18] == 4 and not self.sent.is_set():
                    self.sent.set()
                    writer.write(self.wire)
                    await writer.drain()
                elif header[18] == 4:
                    writer.write(message(4, b''))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
