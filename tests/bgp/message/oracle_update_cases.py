"""Deterministic route sets shared by the packing tests and the script that asked ExaBGP 5.0.15 for
the bytes it sends for them (the expected digests in test_update_oracle.py). No exabgp import here:
the same file is read by 5.0's interpreter to write its configuration."""


def numbers(seed: int):
    """A small linear congruential generator: the same sequence on every Python."""
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        yield state >> 33


def ipv4_prefixes(count: int, seed: int) -> list[tuple[str, int]]:
    """`count` distinct IPv4 networks of mixed lengths, in a scrambled order."""
    found: dict[tuple[str, int], None] = {}
    draw = numbers(seed)
    while len(found) < count:
        length = (8, 16, 24, 25, 32)[next(draw) % 5]
        address = ((next(draw) % 222 + 1) << 24) | (next(draw) % (1 << 24))
        address &= ((1 << 32) - 1) ^ ((1 << (32 - length)) - 1)
        text = '.'.join(str((address >> shift) & 0xFF) for shift in (24, 16, 8, 0))
        found[(text, length)] = None
    return list(found)


def ipv6_prefixes(count: int, seed: int) -> list[tuple[str, int]]:
    found: dict[tuple[str, int], None] = {}
    draw = numbers(seed)
    while len(found) < count:
        length = (32, 48, 64, 127, 128)[next(draw) % 5]
        address = (0x2001 << 112) | (next(draw) << 64) | next(draw)
        address &= ((1 << 128) - 1) ^ ((1 << (128 - length)) - 1)
        words = [(address >> shift) & 0xFFFF for shift in range(112, -16, -16)]
        found[(':'.join(f'{word:x}' for word in words), length)] = None
    return list(found)
