"""Fuzz the message decoders: only PeerError may leave them, and what decodes must encode.

    qa/fuzz/run [--count N] [--seed S] [--quiet]

Each input is a message type and a body, decoded by `unpack_message` (UPDATE: `Update.unpack`)
under one of a few sessions (VARIANTS: 4-octet AS or not, ADD-PATH, extended message and next hop,
families with and without a codec). Inputs are, in turn: a seed (seeds.py) mutated a few times
(bytes set, flipped, inserted, cut, length fields pushed to their limits, pieces of other seeds
spliced in), a well-framed UPDATE of random attributes and NLRI, and random octets. A whole
message also goes through the header check first, as the session's framer does. A decoded message
is written as the API would (JSON, which must parse, and text) and printed (`str`).

A failure is any exception other than PeerError, from decoding or from the encoders: it is printed
with the session variant, the type and the body in hex, and the exit code is 1. The figures printed
are the inputs, the time, the rate, and how many decoded, were refused (PeerError) or failed.
"""

import argparse
import json
import random
import sys
import time
import traceback
from dataclasses import dataclass, field

from seeds import Seed, every

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_messages import encode as encode_json
from exabgp.api.text_messages import encode as encode_text
from exabgp.application.decode import ALL_FAMILIES
from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message.header import HEADER_SIZE, check, frame
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.negotiated import EXTENDED_SIZE, Negotiated

IP = (IPV4_UNICAST, IPV4_MULTICAST, IPV6_UNICAST, IPV6_MULTICAST)
LABELED = (Family(AFI.IPV4, SAFI.NLRI_MPLS), Family(AFI.IPV6, SAFI.NLRI_MPLS))
VARIANTS = (
    Negotiated(local_as=65000, peer_as=65001, asn4=True, families=IP),
    Negotiated(local_as=65000, peer_as=65000, asn4=False),
    Negotiated(
        local_as=65000,
        peer_as=65000,
        asn4=True,
        families=IP + LABELED,
        addpath_send=frozenset(IP + LABELED),
        addpath_receive=frozenset(IP + LABELED),
    ),
    Negotiated(
        local_as=65000,
        peer_as=65000,
        asn4=True,
        families=ALL_FAMILIES,
        nexthop=((IPV4_UNICAST, AFI.IPV6), (IPV6_UNICAST, AFI.IPV4)),
        addpath_receive=frozenset((IPV4_UNICAST, IPV6_UNICAST)),
        msg_size=EXTENDED_SIZE,
        aigp=True,
    ),
)
STAMP = Stamp(1.5, 'host', 1, 2, 3)
PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.2')
# attribute codes worth aiming at: every one we decode, and a few we do not
CODES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 22, 23, 25, 26, 29, 32, 40, 99, 255)
BOUNDARIES = (0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 64, 127, 128, 129, 255)


@dataclass
class Tally:
    inputs: int = 0
    decoded: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)


def mutate(rng: random.Random, data: bytearray, others: list[Seed]) -> bytes:
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(8)
        size = len(data)
        if choice == 0 and size:
            data[rng.randrange(size)] = rng.randrange(256)
        elif choice == 1 and size:
            del data[rng.randrange(size) :]
        elif choice == 2:
            position = rng.randrange(size + 1)
            data[position:position] = rng.randbytes(rng.randint(1, 8))
        elif choice == 3 and size:
            data[rng.randrange(size)] = rng.choice((*BOUNDARIES, 0xFE, 0xFF, 0x7F, 0x80, 0x90, 0x40, 0xC0))
        elif choice == 4 and size:
            data[rng.randrange(size)] ^= 1 << rng.randrange(8)
        elif choice == 5 and size > 1:
            # a 2-octet length field at its limits, or one off the real size
            position = rng.randrange(size - 1)
            value = rng.choice((0, 1, 0xFF, 0x100, 0xFFFF, size - position - 2, size - position - 1, size))
            data[position : position + 2] = (value & 0xFFFF).to_bytes(2, 'big')
        elif choice == 6:
            _, other = rng.choice(others)
            if other:
                start = rng.randrange(len(other))
                position = rng.randrange(size + 1)
                data[position:position] = other[start : start + rng.randint(1, 32)]
        elif choice == 7 and size:
            start = rng.randrange(size)
            data[start:start] = data[start : start + rng.randint(1, 16)]
    return bytes(data)


def _prefixes(rng: random.Random, bits: int, addpath: bool) -> bytes:
    """A few prefixes that frame correctly, mostly; now and then some random octets instead."""
    if rng.random() < 0.1:
        return rng.randbytes(rng.randrange(20))
    found = b''
    for _ in range(rng.randrange(4)):
        length = rng.randint(0, bits)
        found += rng.randbytes(4) if addpath else b''
        found += bytes((length,)) + rng.randbytes((length + 7) // 8)
    return found


def _attribute(rng: random.Random, addpath: bool) -> bytes:
    code = rng.choice(CODES)
    flags = rng.choice((0x40, 0x80, 0xC0, 0xE0, 0x50, 0x90, 0xD0, rng.randrange(256)))
    if code in (14, 15) and rng.random() < 0.7:
        family = rng.choice(ALL_FAMILIES + IP * 4)
        value = family.afi.to_bytes(2, 'big') + bytes((family.safi,))
        if code == 14:
            hop = rng.choice((4, 16, 32, 12, 24, 0, rng.randrange(40)))
            value += bytes((hop,)) + rng.randbytes(hop) + b'\x00'
        value += _prefixes(rng, 32 if family.afi == AFI.IPV4 else 128, addpath)
    else:
        value = rng.randbytes(rng.choice((0, 1, 2, 3, 4, 6, 8, 12, 16, rng.randrange(40))))
    if flags & 0x10 or len(value) > 255:
        return bytes((flags | 0x10, code)) + len(value).to_bytes(2, 'big') + value
    return bytes((flags, code, len(value))) + value


def random_update(rng: random.Random, addpath: bool) -> bytes:
    """An UPDATE whose three fields frame correctly, with random attributes and prefixes."""
    withdrawn = _prefixes(rng, 32, addpath)
    attributes = b''.join(_attribute(rng, addpath) for _ in range(rng.randrange(8)))
    nlri = _prefixes(rng, 32, addpath)
    return len(withdrawn).to_bytes(2, 'big') + withdrawn + len(attributes).to_bytes(2, 'big') + attributes + nlri


def exercise(kind: int, body: bytes, negotiated: Negotiated, framed: bool, tally: Tally, variant: int) -> None:
    tally.inputs += 1
    try:
        if framed:
            message = frame(kind, body)
            check(message[:HEADER_SIZE], negotiated.msg_size)
        decoded = unpack_message(kind, body, negotiated)
    except PeerError:
        tally.refused += 1
        return
    except Exception:
        tally.failures.append(_failure('decoding', kind, body, variant))
        return
    try:
        written = encode_json(STAMP, PEER, 'receive', decoded)
        if written is not None:
            json.loads(written)
        encode_text(PEER, 'receive', decoded)
        str(decoded)
    except Exception:
        tally.failures.append(_failure('encoding', kind, body, variant))
        return
    tally.decoded += 1


def _failure(stage: str, kind: int, body: bytes, variant: int) -> str:
    error = traceback.format_exc(limit=-3).strip().splitlines()
    return f'{stage} failed: type {kind}, session variant {variant}, body {body.hex()}\n    ' + '\n    '.join(error)


def run(count: int, seed: int) -> Tally:
    rng = random.Random(seed)
    corpus = every()
    tally = Tally()
    for index in range(count):
        variant = index % len(VARIANTS)
        negotiated = VARIANTS[variant]
        choice = rng.random()
        if choice < 0.70:
            kind, body = rng.choice(corpus)
            body = mutate(rng, bytearray(body), corpus)
        elif choice < 0.92:
            kind, body = 2, random_update(rng, negotiated.receive_path(IPV4_UNICAST))
        else:
            kind, body = rng.choice((1, 2, 2, 3, 4, 5, 6, 7, 0)), rng.randbytes(rng.randrange(64))
        framed = len(body) + HEADER_SIZE <= negotiated.msg_size and rng.random() < 0.2
        exercise(kind, body, negotiated, framed, tally, variant)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=1_000_000, help='inputs to try (default 1,000,000)')
    parser.add_argument('--seed', type=int, default=0, help='random seed: the same seed tries the same inputs')
    parser.add_argument('--quiet', action='store_true', help='print the figures only')
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tally = run(args.count, args.seed)
    seconds = time.perf_counter() - start
    if not args.quiet:
        for failure in tally.failures[:50]:
            print(failure)
    print(
        f'{tally.inputs:,} inputs (seed {args.seed}) in {seconds:,.1f} s: {tally.inputs / seconds:,.0f} inputs/s; '
        f'{tally.decoded:,} decoded, {tally.refused:,} refused with PeerError, {len(tally.failures)} failed'
    )
    return 1 if tally.failures else 0


if __name__ == '__main__':
    sys.exit(main())
