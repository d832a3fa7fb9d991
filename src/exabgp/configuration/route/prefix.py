"""IP prefixes as routes are written: `ADDRESS[/LENGTH]`, no host bit set, and `split /N`.

Invariants: a prefix is returned as (packed address, length) with the address's bits past the
length all zero (5.0 refuses the others); `split` cuts a prefix into the 2**(N-length) prefixes of
length N, in address order, and leaves a prefix of length N or longer alone (as 5.0 does).
"""

from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.family import AFI, SAFI, Family

SIZE = {AFI.IPV4: 4, AFI.IPV6: 16}


def parse(word: str) -> tuple[int, bytes, int]:
    """(afi, packed address, length); ValueError with 5.0's explanation for anything else."""
    text, slash, length_text = word.partition('/')
    try:
        address = IPv6Address(text) if ':' in text else IPv4Address(text)
    except ValueError:
        raise ValueError(f"'{word}' is not a valid prefix (format: <ip>/<length>, e.g. 192.0.2.0/24)") from None
    bits = 128 if ':' in text else 32
    if not slash:
        length = bits
    elif length_text.isdigit() and length_text.isascii() and int(length_text) <= bits:
        length = int(length_text)
    else:
        raise ValueError(f"'{word}' is not a valid prefix: the length must be 0 to {bits}")
    if int(address) & ((1 << (bits - length)) - 1):
        raise ValueError(f'invalid network {text} for netmask {length}')
    return (AFI.IPV4 if bits == 32 else AFI.IPV6), address.packed, length


def safi_of(afi: int, packed: bytes) -> int:
    """5.0 files an IPv4 prefix in 224.0.0.0/4 under multicast, everything else under unicast."""
    if afi == AFI.IPV4 and 224 <= packed[0] <= 239:
        return SAFI.MULTICAST
    return SAFI.UNICAST


def family_of(afi: int, packed: bytes) -> Family:
    return Family(AFI(afi), SAFI(safi_of(afi, packed)))


def split(packed: bytes, length: int, cut: int) -> list[tuple[bytes, int]]:
    """The prefixes of length `cut` covering the prefix; the prefix itself when it is not shorter."""
    if length >= cut:
        return [(packed, length)]
    size = len(packed)
    bits = size * 8
    start = int.from_bytes(packed, 'big')
    step = 1 << (bits - cut)
    return [((start + index * step).to_bytes(size, 'big'), cut) for index in range(1 << (cut - length))]
