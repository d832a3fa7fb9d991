"""Fuzz: random and mutated OPEN, NOTIFICATION, ROUTE-REFRESH, OPERATIONAL and KEEPALIVE bodies.

Only PeerError may leave a decoder; whatever decodes must also render (JSON that parses, one text
line) and pack again.
"""

import json
import random
from ipaddress import IPv4Address

import pytest

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_messages import encode
from exabgp.api.text_messages import encode as encode_text
from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.operational import Operational
from exabgp.bgp.capability.refresh import CiscoRouteRefresh, EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.capability.unknown import UnknownCapability
from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_UNICAST, Family
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.negotiated import DEFAULT

RICH_OPEN = Open(
    4,
    65000,
    180,
    IPv4Address('10.0.0.1'),
    (
        MultiProtocol(IPV4_UNICAST),
        MultiProtocol(IPV6_UNICAST),
        RouteRefresh(),
        CiscoRouteRefresh(),
        EnhancedRouteRefresh(),
        ExtendedMessage(),
        Operational(),
        ExtendedNextHop(((IPV4_UNICAST, AFI.IPV6),)),
        GracefulRestart(8, 120, ((IPV4_UNICAST, 0x80),)),
        ASN4(65000),
        MultiSession(0, b'\x01'),
        CiscoMultiSession(),
        AddPath(((IPV4_UNICAST, 3), (IPV6_UNICAST, 1))),
        HostName('host', 'domain'),
        SoftwareVersion('ExaBGP/5.0.0'),
        UnknownCapability(200, b'\xff'),
    ),
)
EXTENDED_OPEN = Open(
    4, 65000, 180, IPv4Address('10.0.0.1'), tuple(MultiProtocol(Family(1, safi)) for safi in range(40))
)

SEEDS = {
    1: [
        '04FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578614247502F6D61696E2D633261326561386562642D3230323430373135',
        RICH_OPEN.pack(DEFAULT)[19:].hex(),
        EXTENDED_OPEN.pack(DEFAULT)[19:].hex(),
    ],
    3: ['06020474657374', '0604036162630a0d', '02020102', '0101'],
    4: [''],
    5: ['00010001', '00020102'],
    6: ['0001000800010161626364', '00030000000101010203040000000a', '0004000000010101020304000000000000000a'],
}
ITERATIONS = 3000
STAMP = Stamp(1.5, 'host', 1, 2, 3)
PEER = Peer('127.0.0.1', '127.0.0.2', 1, 2, '1.2.3.4')


def mutate(rng: random.Random, data: bytearray) -> bytes:
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(5)
        if choice == 0 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice == 1 and data:
            del data[rng.randrange(len(data)) :]
        elif choice == 2:
            position = rng.randrange(len(data) + 1)
            data[position:position] = rng.randbytes(rng.randint(1, 8))
        elif choice == 3 and data:
            data[rng.randrange(len(data))] = rng.choice((0, 1, 2, 3, 4, 0x7F, 0x80, 0xFE, 0xFF))
        elif choice == 4 and data:
            position = rng.randrange(len(data))
            data[position] ^= 1 << rng.randrange(8)
    return bytes(data)


@pytest.mark.parametrize(('kind', 'seed'), [(kind, seed) for kind, seeds in SEEDS.items() for seed in seeds])
def test_seeds_decode(kind: int, seed: str) -> None:
    unpack_message(kind, bytes.fromhex(seed), DEFAULT)


def exercise(kind: int, body: bytes) -> None:
    try:
        message = unpack_message(kind, body, DEFAULT)
    except PeerError:
        return
    rendered = encode(STAMP, PEER, 'receive', message)
    if rendered is not None:
        json.loads(rendered)
    line = encode_text(PEER, 'receive', message)
    assert line is None or '\n' not in line.rstrip('\n')
    str(message)
    message.pack(DEFAULT)


@pytest.mark.parametrize('kind', sorted(SEEDS))
def test_mutated_bodies(kind: int) -> None:
    rng = random.Random(kind)
    seeds = [bytes.fromhex(seed) for seed in SEEDS[kind]]
    for _ in range(ITERATIONS):
        exercise(kind, mutate(rng, bytearray(rng.choice(seeds))))


@pytest.mark.parametrize('kind', sorted(SEEDS))
def test_random_bodies(kind: int) -> None:
    rng = random.Random(100 + kind)
    for _ in range(ITERATIONS):
        exercise(kind, rng.randbytes(rng.randint(0, 64)))
