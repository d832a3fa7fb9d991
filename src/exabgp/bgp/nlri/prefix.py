"""The IP prefix codec every family shares (RFC 4271 4.3, RFC 4760 5, RFC 7911 3).

    +---------------------------+
    |   Length (1 octet)        |   prefix length in bits
    +---------------------------+
    |   Prefix (variable)       |   the minimal number of octets holding Length bits
    +---------------------------+

with, under ADD-PATH, a 4-octet Path Identifier in front of each (length, prefix) pair.

Invariants:
- A prefix is kept in its wire form `packed`: the length octet then exactly `octets(length)` octets.
  The bits past the length inside the last octet are kept as received, so re-encoding gives the
  received bytes back (5.0 does not clear them either, and prints them).
- `read` raises `Malformed` (subcode 10, Invalid Network Field) for a length longer than the
  address or for a field that ends inside a prefix; it never raises anything else.
- `text` writes an address the way 5.0 does (it calls the C library's inet_ntop), including the
  dotted tail glibc uses for IPv4-mapped and IPv4-compatible IPv6 addresses.
"""

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed

PATH_ID_SIZE = 4


def octets(length: int) -> int:
    """How many octets hold a prefix of `length` bits."""
    return (length + 7) >> 3


def pack(address: bytes, length: int) -> bytes:
    """The wire form of the first `length` bits of `address` (a whole packed address)."""
    return bytes((length,)) + address[: octets(length)]


def address(packed: bytes, size: int) -> bytes:
    """The whole address (`size` octets) a wire-form prefix denotes, padded with zeros."""
    return packed[1:] + bytes(size + 1 - len(packed))


def path_at(data: bytes, offset: int, end: int) -> tuple[int, int]:
    """The RFC 7911 path identifier at `offset`, and where the NLRI after it starts; `Malformed` when
    the field ends inside it."""
    if offset + PATH_ID_SIZE > end:
        raise Malformed('the NLRI field ends inside a path identifier', INVALID_NETWORK_FIELD)
    return int.from_bytes(data[offset : offset + PATH_ID_SIZE], 'big'), offset + PATH_ID_SIZE


def cidr(packed: bytes, size: int) -> str:
    """`ADDRESS/LENGTH` of a wire-form prefix of a `size` octet address family."""
    return f'{text(address(packed, size))}/{packed[0]}'


def read(data: bytes, offset: int, bits: int) -> int:
    """Check the prefix starting at `offset` and return where it ends. `bits`: the address size."""
    try:
        length = data[offset]
    except IndexError:
        raise Malformed('the NLRI field ends before a prefix length', INVALID_NETWORK_FIELD) from None
    if length > bits:
        raise Malformed(f'prefix length {length} is longer than the {bits} bits of the address', INVALID_NETWORK_FIELD)
    end = offset + 1 + octets(length)
    if end > len(data):
        raise Malformed(f'the NLRI field ends inside a /{length} prefix', INVALID_NETWORK_FIELD)
    return end


def path_text(path_id: int) -> str:
    """A path identifier as 5.0 writes it: the four octets as a dotted quad."""
    return f'{path_id >> 24}.{(path_id >> 16) & 0xFF}.{(path_id >> 8) & 0xFF}.{path_id & 0xFF}'


def text(packed_address: bytes) -> str:
    """A 4 or 16 octet address as text, exactly as glibc's inet_ntop writes it."""
    if len(packed_address) == 4:
        return '.'.join(map(str, packed_address))
    words = [int.from_bytes(packed_address[index : index + 2], 'big') for index in range(0, 16, 2)]
    # the longest run of zero words (the first of equals), compressed when at least two long
    best_start, best_length, start = -1, 0, -1
    for index, word in enumerate((*words, 1)):
        if word == 0:
            if start < 0:
                start = index
        elif start >= 0:
            if index - start > best_length:
                best_start, best_length = start, index - start
            start = -1
    if best_length < 2:
        best_start, best_length = -1, 0
    if best_start == 0 and (best_length == 6 or (best_length == 5 and words[5] == 0xFFFF)):
        head = '::ffff:' if best_length == 5 else '::'
        return head + '.'.join(map(str, packed_address[12:]))
    if best_start < 0:
        return ':'.join(f'{word:x}' for word in words)
    before = ':'.join(f'{word:x}' for word in words[:best_start])
    after = ':'.join(f'{word:x}' for word in words[best_start + best_length :])
    return f'{before}::{after}'
