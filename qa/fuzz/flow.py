#!/usr/bin/env python3
"""Fuzz the FlowSpec NLRI decoder alone: `qa/fuzz/flow.py [COUNT] [SEED]` (default 10**6 inputs).

Inputs are one to three valid rules of a family (the NLRI of qa/encoding/qa-flow.ci: every
component type, both operator kinds, every value width, IPv6 offsets, route distinguishers; plus
a rule in the two-octet length form) with a few octets set, cut or inserted, length and operator
octets pushed to their limits, or random octets, decoded as ipv4/ipv6 flow or flow-vpn; a tenth
are decoded with ADD-PATH. Only `Malformed` may leave the decoder. What decodes must write its JSON
(which must parse) and text, and pack to octets that decode to the same rules (reading drops
reserved bits and the first pair's AND bit, RFC 8955 4.2.1.1, so packing is not always the input
again). Prints the figures; exit code 1 on any other exception, with the family and input in hex.
"""

import json
import random
import sys
import time

from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.flow import Flow

FAMILIES = {(afi, safi): Family(afi, safi) for afi in (AFI.IPV4, AFI.IPV6) for safi in (SAFI.FLOW_IP, SAFI.FLOW_VPN)}
# (afi, safi, rule): the NLRI 5.0.15 sends for the rules of etc/exabgp/qa-flow.conf
SEEDS = [
    (afi, safi, bytes.fromhex(text))
    for afi, safi, text in (
        (AFI.IPV4, SAFI.FLOW_IP, '060120c0000201'),
        (AFI.IPV6, SAFI.FLOW_IP, '1901800020010db8000000000000000000000001038111058135'),
        (AFI.IPV4, SAFI.FLOW_VPN, '130000fde90000000a0118c00002038106058116'),
        (AFI.IPV4, SAFI.FLOW_IP, '0f0118c000020381110681350a920200'),
        (AFI.IPV4, SAFI.FLOW_IP, '160118c63364020003811106017b817b0a1301d4d501f4'),
        (AFI.IPV4, SAFI.FLOW_IP, '1a0120cb00710a0381060501501101bb131f40d51f90090002c210'),
        (AFI.IPV4, SAFI.FLOW_IP, '110118cb0071030106811104120400d4ffff'),
        (AFI.IPV4, SAFI.FLOW_IP, '0801100a2c0a9505dc'),
        (AFI.IPV6, SAFI.FLOW_IP, '0c01300020010db800010c8002'),
        (AFI.IPV4, SAFI.FLOW_IP, '0702100a14038606'),
        (AFI.IPV4, SAFI.FLOW_IP, '110119c00002800381010701088103088100'),
        (AFI.IPV4, SAFI.FLOW_IP, '12011ac00002400b010a812e0c0002000c8201'),
        (AFI.IPV4, SAFI.FLOW_IP, '0d011bc000022009010303048020'),
        (AFI.IPV4, SAFI.FLOW_IP, '0a0220c63364170591ffff'),
        (AFI.IPV4, SAFI.FLOW_IP, '060220caffee01'),
        (AFI.IPV6, SAFI.FLOW_IP, '1d0100000250200000000000010b812e0d1107dd23000186a0e500030d40'),
        (AFI.IPV6, SAFI.FLOW_VPN, '16000101020304001401300020010db800020301068111'),
        # the two-octet length form (0xF000 | length), a flow label on 4 octets
        (AFI.IPV6, SAFI.FLOW_IP, 'f01101400020010db8000000000da1000fffff'),
    )
]
EDGES = (0x00, 0x01, 0x0F, 0x10, 0x30, 0x40, 0x7F, 0x80, 0x81, 0xC0, 0xF0, 0xFF)


def mutate(rng: random.Random) -> tuple[int, int, bytes]:
    afi, safi, _ = rng.choice(SEEDS)
    if rng.random() < 0.1:
        return afi, safi, rng.randbytes(rng.randrange(0, 48))
    same = [rule for a, s, rule in SEEDS if (a, s) == (afi, safi)]
    data = bytearray(b''.join(rng.choice(same) for _ in range(rng.randrange(1, 4))))
    for _ in range(rng.randrange(1, 4)):
        where = rng.randrange(len(data) + 1)
        action = rng.randrange(4)
        if action == 0 and where < len(data):
            data[where] = rng.randrange(256)
        elif action == 1:
            del data[where:]
        elif action == 2:
            data[where:where] = rng.randbytes(rng.randrange(1, 5))
        elif where < len(data):
            data[where] = rng.choice(EDGES)
    return afi, safi, bytes(data)


def run(count: int, seed: int) -> tuple[int, int, list[str]]:
    """Decode `count` inputs: how many decoded, how many were refused, and the failures."""
    rng = random.Random(seed)
    decoded = refused = 0
    failures = []
    for _ in range(count):
        afi, safi, data = mutate(rng)
        family = FAMILIES[(afi, safi)]
        addpath = rng.random() < 0.1
        try:
            found = Flow.unpack_all(family, data, addpath)
            for nlri in found:
                json.loads(nlri.json())
                str(nlri)
            packed = b''.join(nlri.pack(addpath) for nlri in found)
            assert Flow.unpack_all(family, packed, addpath) == found, 'packed rules decode differently'
            decoded += 1
        except Malformed:
            refused += 1
        except Exception as error:  # any other exception is the bug this looks for
            failures.append(f'FAILED {family} addpath={addpath} {data.hex()}: {error!r}')
    return decoded, refused, failures


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10**6
    start = time.monotonic()
    decoded, refused, failures = run(count, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    taken = time.monotonic() - start
    for failure in failures:
        print(failure)
    print(f'{count} inputs in {taken:.1f}s: {decoded} decoded, {refused} refused (Malformed), {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
