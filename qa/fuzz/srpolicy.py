#!/usr/bin/env python3
"""Fuzz the SR policy decoders alone: `qa/fuzz/srpolicy.py [COUNT] [SEED]` (default 10**6 inputs).

Two decoders, in turn: the SR Policy NLRI (RFC 9830 2.1, both AFIs, a fifth with ADD-PATH) and the
tunnel encapsulation attribute carrying an SR Policy (RFC 9012, RFC 9830/9831), through the
attribute parser as a peer's UPDATE reaches it (so a value that carries no SR Policy takes the raw
path). Inputs are valid values (every sub-TLV, every segment type) with a few octets set, cut or
inserted, pieces of another spliced in, or random octets. Only `Malformed` may leave the NLRI
decoder, and the attribute parser must answer with an RFC 7606 action, never an exception; what
decodes must pack back to the input and write its JSON (which must parse) and text. Prints the
figures; exit code 1 on any other exception, with the input in hex.
"""

import json
import random
import sys
import time

from exabgp.bgp.attribute.attributes import parse_attributes
from exabgp.bgp.attribute.base import Code
from exabgp.bgp.attribute.tunnel import TunnelEncap
from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.srpolicy import SRPolicy
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.route import srpolicy
from exabgp.configuration.tokenizer import tokenize

FAMILIES = (Family(AFI.IPV4, SAFI.SR_POLICY), Family(AFI.IPV6, SAFI.SR_POLICY))
SESSION = Negotiated(local_as=65000, peer_as=65000, asn4=True, families=FAMILIES)
NLRI_SEEDS = [
    bytes.fromhex(text)
    for text in (
        '6000000001000000c80a000002',
        'c0000000000000006420010db8000000000000000000000001',
    )
]
# the configuration builds the attribute seeds: every sub-TLV and segment type at least once
POLICIES = (
    'preference 100 binding-sid mpls 24000 segment-list weight 1 segment type-a mpls 16001',
    'preference 10 priority 5 enlp no-push binding-sid null srv6-binding-sid fc00::1 policy-name "east" '
    'candidate-path-name "primary" segment-list weight 3 segment type-c ipv4 10.0.0.9 algorithm 128 sid 16009 '
    'segment type-a mpls 16001 verification',
    'segment-list weight 1 segment type-b srv6 fc00::1 endpoint-behavior 65 32 0 16 0 segment type-d ipv6 fc00::1 '
    'algorithm 0 sid 17001 segment type-e local-if-id 1 ipv4 10.0.0.1 sid 16003 segment type-f local 10.0.0.1 '
    'remote 10.0.0.2',
    'segment-list weight 2 segment type-g local-if-id 1 local-ipv6 fe80::1 remote-if-id 2 remote-ipv6 fe80::2 '
    'sid 16005 segment type-h local fc00::1 remote fc00::2 segment type-i ipv6 fc00::1 algorithm 0 sid fc00::100 '
    'endpoint-behavior 65 32 0 16 0',
    'segment-list weight 2 segment type-j local-if-id 3 local-ipv6 fe80::3 remote-if-id 4 remote-ipv6 fe80::4 '
    'algorithm 1 sid fc00::30 endpoint-behavior 71 40 24 16 0 segment type-k local fe80::5 remote fe80::6 '
    'algorithm 0 sid fc00::31',
)


def _value(words: str) -> bytes:
    text = 'sr-policy distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 192.0.2.1 ' + words
    (route,), _, _ = srpolicy.statement(Cursor(tokenize(text)), AFI.IPV4)
    (attribute,) = route.attributes
    assert isinstance(attribute, TunnelEncap)
    return attribute.value


ATTRIBUTE_SEEDS = [_value(words) for words in POLICIES]
# a VXLAN tunnel (type 8) to splice in: the raw path
ATTRIBUTE_SEEDS.append(bytes.fromhex('0008000c04080102030405060708500218'))


def mutate(rng: random.Random, seeds: list[bytes], limit: int) -> bytes:
    if rng.random() < 0.1:
        return rng.randbytes(rng.randrange(0, limit))
    data = bytearray(b''.join(rng.choice(seeds) for _ in range(rng.randrange(1, 3))))
    for _ in range(rng.randrange(1, 4)):
        where = rng.randrange(len(data) + 1)
        action = rng.randrange(5)
        if action == 0 and where < len(data):
            data[where] = rng.randrange(256)
        elif action == 1:
            del data[where:]
        elif action == 2:
            data[where:where] = rng.randbytes(rng.randrange(1, 5))
        elif action == 3:
            piece = rng.choice(seeds)
            start = rng.randrange(len(piece))
            data[where:where] = piece[start : start + rng.randrange(1, 24)]
        elif where < len(data):
            data[where] = rng.choice((0, 1, 2, 6, 15, 96, 127, 128, 192, 255))
    return bytes(data)


def nlri(data: bytes, family: Family, addpath: bool) -> bool:
    try:
        found = SRPolicy.unpack_all(family, data, addpath)
    except Malformed:
        return False
    assert b''.join(route.pack(addpath) for route in found) == data
    for route in found:
        json.loads(route.json())
        str(route)
    return True


def attribute(value: bytes) -> bool:
    field = bytes((0xD0, Code.TUNNEL_ENCAP)) + len(value).to_bytes(2, 'big') + value
    parsed = parse_attributes(field, SESSION)
    for found in parsed.attributes:
        if isinstance(found, TunnelEncap):
            assert found.value == value
            json.loads(found.json())
            str(found)
            found.text()
            return True
    return False


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10**6
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    decoded = refused = failed = 0
    start = time.monotonic()
    for index in range(count):
        if index % 2:
            data = mutate(rng, NLRI_SEEDS, 48)
            family = rng.choice(FAMILIES)
            addpath = rng.random() < 0.2
            what = f'NLRI {family} addpath={addpath}'
        else:
            data = mutate(rng, ATTRIBUTE_SEEDS, 300)[:0xFFFF]
            what = 'attribute'
        try:
            if nlri(data, family, addpath) if index % 2 else attribute(data):
                decoded += 1
            else:
                refused += 1
        except Exception as error:  # any other exception is the bug this looks for
            failed += 1
            print(f'FAILED {what} {data.hex()}: {error!r}')
    taken = time.monotonic() - start
    print(
        f'{count} inputs in {taken:.1f}s: {decoded} decoded (NLRI or SR policy), '
        f'{refused} refused or kept raw, {failed} failed'
    )
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
