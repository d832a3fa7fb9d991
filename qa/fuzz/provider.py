#!/usr/bin/env python3
"""Fuzz the VPLS, MCAST-VPN and RTC NLRI decoders alone: `qa/fuzz/provider.py vpls|mvpn|rtc [COUNT] [SEED]`
(default 10**6 inputs).

Inputs are one to three valid NLRI of the family with a few octets set, cut or inserted, or random
octets; a fifth are decoded with ADD-PATH. Only `Malformed` may leave the decoder; what decodes must
write its JSON (which must parse) and text, and pack to octets that decode to the same NLRI (not
always the input octets: VPLS skips octets past its 17, RTC clears the flags of its route target).
Prints the figures; exit code 1 on any other exception, with the input in hex.
"""

import json
import random
import sys
import time

from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.mvpn import MVPN
from exabgp.bgp.nlri.rtc import RTC
from exabgp.bgp.nlri.vpls import VPLS

CODECS: dict[str, tuple[type[NLRI], Family, tuple[str, ...]]] = {
    'vpls': (
        VPLS,
        Family(AFI.L2VPN, SAFI.VPLS),
        ('00110001c0a8c901007b000500010008029ce1', '00110000fde800000001000100030004000021'),
    ),
    'mvpn': (
        MVPN,
        Family(AFI.IPV6, SAFI.MCAST_VPN),
        (
            '06160000FDE80001869F0000FDE8200A63C70120EFFBFFE4',
            '07160000FDE80001869F0000FDE8200A630C0220EFFBFFE4',
            '052A0000FDE80001869F80FD12000000000000000000000000000480FF0E0000000000000000000000000001',
            '0103AABBCC',
        ),
    ),
    'rtc': (RTC, Family(AFI.IPV4, SAFI.RTC), ('00', '600000fde80002fde800000064', '300000fde80102')),
}


def mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    if rng.random() < 0.15:
        return rng.randbytes(rng.randrange(0, 64))
    data = bytearray(b''.join(rng.choice(seeds) for _ in range(rng.randrange(1, 4))))
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
            data[where] = rng.choice((0, 1, 17, 32, 96, 128, 255))
    return bytes(data)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in CODECS:
        print(__doc__)
        return 2
    codec, family, texts = CODECS[sys.argv[1]]
    seeds = [bytes.fromhex(text) for text in texts]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10**6
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    decoded = refused = failed = 0
    start = time.monotonic()
    for _ in range(count):
        data = mutate(rng, seeds)
        addpath = rng.random() < 0.2
        try:
            found = codec.unpack_all(family, data, addpath)
            again = codec.unpack_all(family, b''.join(nlri.pack(addpath) for nlri in found), addpath)
            assert [nlri.index() for nlri in again] == [nlri.index() for nlri in found]
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
    print(
        f'{sys.argv[1]}: {count} inputs in {taken:.1f}s: {decoded} decoded, {refused} refused (Malformed), {failed} failed'
    )
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
