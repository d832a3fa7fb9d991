"""MPLS label stacks as NLRI carry them (RFC 3032 2.1, RFC 8277 2, RFC 4364 4.3.4).

     0                   1                   2
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                Label                  | Rsrv  |S|
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Each entry is three octets: the 20-bit label, three reserved bits sent as zero, and S, the
bottom-of-stack bit, set on the last entry only (as ExaBGP 5.0 sends a stack).

Invariants:
- A stack is a tuple of labels (ints, 0..2**20-1); `pack` writes S on its last entry.
- `read` stops at the entry with S set, or at the withdrawal "compatibility" values 0x800000 and
  0x000000 (RFC 8277 2.4, RFC 3107 3), or where too little of the NLRI's length is left for another
  entry; it never reads past the NLRI's own length and raises `Malformed` only when not even one
  entry fits.
"""

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed

ENTRY_SIZE = 3
ENTRY_BITS = 24
LABEL_MAX = 0xFFFFF
BOTTOM = 1
# what a withdrawal may carry instead of a label stack (RFC 3107 3 and RFC 8277 2.4)
WITHDRAWN = (0x800000, 0x000000)


def pack(labels: tuple[int, ...]) -> bytes:
    last = len(labels) - 1
    return b''.join(
        ((label << 4) | (BOTTOM if index == last else 0)).to_bytes(3, 'big') for index, label in enumerate(labels)
    )


def read(data: bytes, offset: int, bits: int) -> tuple[tuple[int, ...], int]:
    """The stack at `offset` in an NLRI whose length field said `bits`: (labels, bits left for the rest)."""
    labels = []
    while True:
        if bits < ENTRY_BITS or offset + ENTRY_SIZE > len(data):
            raise Malformed(f'the NLRI ends inside its label stack ({bits} bits left)', INVALID_NETWORK_FIELD)
        raw = int.from_bytes(data[offset : offset + ENTRY_SIZE], 'big')
        labels.append(raw >> 4)
        offset += ENTRY_SIZE
        bits -= ENTRY_BITS
        if raw & BOTTOM or raw in WITHDRAWN or bits < ENTRY_BITS:
            return tuple(labels), bits


def text(labels: tuple[int, ...]) -> str:
    """5.0's configuration and text form: `label 100` or `label [ 100 200 ]`."""
    if len(labels) == 1:
        return f'label {labels[0]}'
    return f'label [ {" ".join(map(str, labels))} ]'


def json(labels: tuple[int, ...]) -> str:
    """5.0's JSON form: each label in a list of its own."""
    return '"label": [ ' + ', '.join(f'[{label}]' for label in labels) + ' ]'
