"""IP prefixes as routes are written: `ADDRESS[/LENGTH]`, no host bit set, and `split /N`.

Invariants: a prefix is returned as (packed address, length) with the address's bits past the
length all zero (5.0 refuses the others); `split` cuts a prefix into the 2**(N-length) prefixes of
length N, in address order, and leaves a prefix of length N or longer alone (as 5.0 does).

An IPv4 prefix written the usual way (four octets, a length, no leading zero) is read from tables of
the texts of octets and lengths, without a regular expression or int(): a big configuration reads a
prefix per route. Any other word takes the general path, which gives the same answer or the error.
"""

import re
from ipaddress import IPv6Address

from exabgp.bgp.family import AFI

SIZE = {AFI.IPV4: 4, AFI.IPV6: 16}


_OCTET = r'(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
# four decimal octets without leading zeros: what inet_pton accepts (inet_aton would take more)
_IPV4 = re.compile(rf'{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}')


def ipv4(text: str) -> bytes | None:
    """The four octets of a dotted-quad IPv4 address, None when `text` is not one."""
    if _IPV4.fullmatch(text) is None:
        return None
    return bytes(map(int, text.split('.')))


# the text of each octet and IPv4 prefix length, written without leading zeros, and its value
_OCTETS = {str(value): value for value in range(256)}
_LENGTHS = {str(value): value for value in range(33)}
# the host bits of an IPv4 prefix of each length
_HOST_BITS = tuple((1 << (32 - length)) - 1 for length in range(33))


def parse(word: str) -> tuple[int, bytes, int]:
    """(afi, packed address, length); ValueError with 5.0's explanation for anything else."""
    text, slash, length_text = word.partition('/')
    parts = text.split('.')
    if len(parts) == 4:
        octets = _OCTETS
        try:
            packed = bytes((octets[parts[0]], octets[parts[1]], octets[parts[2]], octets[parts[3]]))
            length = _LENGTHS[length_text] if slash else 32
        except KeyError:
            return _parse(word, text, slash, length_text)
        if not int.from_bytes(packed, 'big') & _HOST_BITS[length]:
            return AFI.IPV4, packed, length
    return _parse(word, text, slash, length_text)


def _parse(word: str, text: str, slash: str, length_text: str) -> tuple[int, bytes, int]:
    """The general path: IPv6, lengths written with leading zeros, and every error."""
    if ':' in text:
        try:
            packed: bytes | None = IPv6Address(text).packed
        except ValueError:
            packed = None
        afi = AFI.IPV6
        bits = 128
    else:
        packed = ipv4(text)
        afi = AFI.IPV4
        bits = 32
    if packed is None:
        raise ValueError(f"'{word}' is not a valid prefix (format: <ip>/<length>, e.g. 192.0.2.0/24)")
    if not slash:
        length = bits
    elif length_text.isdigit() and length_text.isascii() and int(length_text) <= bits:
        length = int(length_text)
    else:
        raise ValueError(f"'{word}' is not a valid prefix: the length must be 0 to {bits}")
    if length < bits and int.from_bytes(packed, 'big') & ((1 << (bits - length)) - 1):
        raise ValueError(f'invalid network {text} for netmask {length}')
    return afi, packed, length


def split(packed: bytes, length: int, cut: int) -> list[tuple[bytes, int]]:
    """The prefixes of length `cut` covering the prefix; the prefix itself when it is not shorter."""
    if length >= cut:
        return [(packed, length)]
    size = len(packed)
    bits = size * 8
    start = int.from_bytes(packed, 'big')
    step = 1 << (bits - cut)
    return [((start + index * step).to_bytes(size, 'big'), cut) for index in range(1 << (cut - length))]
