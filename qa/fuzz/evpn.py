#!/usr/bin/env python3
"""Fuzz the EVPN NLRI decoder alone: `qa/fuzz/evpn.py [COUNT] [SEED]` (default 10**6 inputs).

Inputs are one to three valid routes (one of each type, IPv4 and IPv6, and an unknown type) with a
few octets set, cut or inserted, or random octets; a fifth are decoded with ADD-PATH. Only `Malformed` may leave the decoder; what decodes must pack
back to the input and write its JSON (which must parse) and text. Prints the figures; exit code 1
on any other exception, with the input in hex.
"""

import json
import random
import sys
import time

from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.evpn import EVPN

FAMILY = Family(AFI.L2VPN, SAFI.EVPN)
# one valid route of each type, and an unknown type (RFC 7432 7.1-7.4, RFC 9136 3.1)
SEEDS = [
    bytes.fromhex(text)
    for text in (
        '01190001c000020100010011223344556677889900000000000641',
        '02250000fde800000064000000000000000000000000000a300a1b2c3d4e5f200a010203013881',
        '02340000fde800000064000000000000000000000000000a300a1b2c3d4e608020010db8000000000000000000000005001389001771',
        '031d0000fde800000064000000008020010db8000000000000000000000010',
        '04170001c000020200000011223344556677889920c0000202',
        '05220000fde8000000640000000000000000000000000000100a0a0000000000000271a1',
        '053a0000fde8000000c800000000000000000000000000003020010db800aa000000000000000000000000000000000000000000000000000000271b',
        '09090001c0000201000100',
    )
]


def mutate(rng: random.Random) -> bytes:
    if rng.random() < 0.15:
        return rng.randbytes(rng.randrange(0, 64))
    data = bytearray(b''.join(rng.choice(SEEDS) for _ in range(rng.randrange(1, 4))))
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
            data[where] = rng.choice((0, 1, 32, 48, 128, 255))
    return bytes(data)


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10**6
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    decoded = refused = failed = 0
    start = time.monotonic()
    for _ in range(count):
        data = mutate(rng)
        addpath = rng.random() < 0.2
        try:
            found = EVPN.unpack_all(FAMILY, data, addpath)
            assert b''.join(nlri.pack(addpath) for nlri in found) == data
            for nlri in found:
                json.loads(nlri.json())
                str(nlri)
            decoded += 1
        except Malformed:
            refused += 1
        except Exception as error:  # any other exception is the bug this looks for
            failed += 1
            print(f'FAILED addpath={addpath} {data.hex()}: {error!r}')
    taken = time.monotonic() - start
    print(f'{count} inputs in {taken:.1f}s: {decoded} decoded, {refused} refused (Malformed), {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
