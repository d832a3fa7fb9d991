"""MPLS label stacks as NLRI carry them (RFC 3032 2.1, RFC 8277 2, RFC 4364 4.3.4).

     0                   1                   2
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                Label                  | Rsrv  |S|
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Each entry is three octets: the 20-bit label, three reserved bits sent as zero, and S, the
bottom-of-stack bit, set on the last entry only (as ExaBGP 5.0 sends a stack).

Invariants:
- A stack is a tuple of labels (ints, 0..2**20-1); `pack` writes S on its last entry. Packed
  stacks are remembered by their labels (a bounded memory): a stack's wire form depends on nothing else.
- `read` ends a stack at the first entry with S set, or at a first entry holding a withdrawal
  "compatibility" value, 0x800000 or 0x000000 (RFC 8277 2.4, RFC 3107 3: so a stack whose top
  label is 0 or 524288 without S reads as that label alone, as in 5.0). When no entry within the
  NLRI's length has S, the stack is its first entry alone if the bits left after it can be the
  prefix (1 to the address size): RFC 8277 2.2 has one label, its S ignored on receipt. Any other
  stack raises `Malformed`: read to the end of the length, an unterminated stack would eat the
  prefix and decode to a /0 (5.0.15 refuses it too). So does an NLRI too short for one entry (5.0
  decodes that as a prefix without labels, which RFC 8277 has no room for). It never reads past
  the NLRI's own length.
- 5.0.15 tries the first-entry rule before looking for S, so it reads a two-label stack whose
  first entry leaves a possible prefix length (its own `label [ 100 200 ]` on a /8) as one label
  and a wrong prefix; reading S first decodes every stack it sends (but those topped by 0 or
  524288).
"""

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed

ENTRY_SIZE = 3
ENTRY_BITS = 24
LABEL_MAX = 0xFFFFF
BOTTOM = 1
# what a withdrawal may carry instead of a label stack (RFC 3107 3 and RFC 8277 2.4)
WITHDRAWN = (0x800000, 0x000000)


def pack(labels: tuple[int, ...]) -> bytes:
    # a table's routes share a few stacks (one a VRF): each is packed once, then looked up
    known = _PACKED.get(labels)
    if known is None:
        last = len(labels) - 1
        known = b''.join(
            ((label << 4) | (BOTTOM if index == last else 0)).to_bytes(3, 'big') for index, label in enumerate(labels)
        )
        if len(_PACKED) >= _PACKED_LIMIT:
            _PACKED.clear()
        _PACKED[labels] = known
    return known


# stack -> its wire form, bounded: it starts afresh when full
_PACKED: dict[tuple[int, ...], bytes] = {}
_PACKED_LIMIT = 4096


def read(data: bytes, offset: int, bits: int, address_bits: int) -> tuple[tuple[int, ...], int]:
    """The stack at `offset` in an NLRI whose length field said `bits`, of a family whose addresses
    have `address_bits`: (labels, bits left for the rest)."""
    labels: list[int] = []
    left = bits
    while left >= ENTRY_BITS and offset + ENTRY_SIZE <= len(data):
        raw = int.from_bytes(data[offset : offset + ENTRY_SIZE], 'big')
        labels.append(raw >> 4)
        offset += ENTRY_SIZE
        left -= ENTRY_BITS
        if raw & BOTTOM or (len(labels) == 1 and raw in WITHDRAWN):
            return tuple(labels), left
    if not labels:
        raise Malformed(f'the NLRI is too short for a label ({bits} bits)', INVALID_NETWORK_FIELD)
    if 0 < bits - ENTRY_BITS <= address_bits:
        return (labels[0],), bits - ENTRY_BITS
    raise Malformed('the label stack of the NLRI has no bottom of stack', INVALID_NETWORK_FIELD)


def text(labels: tuple[int, ...]) -> str:
    """5.0's configuration and text form: `label 100` or `label [ 100 200 ]`."""
    if len(labels) == 1:
        return f'label {labels[0]}'
    return f'label [ {" ".join(map(str, labels))} ]'


def json(labels: tuple[int, ...]) -> str:
    """5.0's JSON form: each label in a list of its own."""
    return '"label": [ ' + ', '.join(f'[{label}]' for label in labels) + ' ]'


def json_six(labels: tuple[int, ...]) -> str:
    """upstream 6.0's JSON form: each label with its 24-bit stack entry (the bottom-of-stack bit on
    the last one): [[3, 49]] for label 3."""
    last = len(labels) - 1
    entries = (f'[{label}, {label << 4 | (index == last)}]' for index, label in enumerate(labels))
    return '"label": [ ' + ', '.join(entries) + ' ]'
