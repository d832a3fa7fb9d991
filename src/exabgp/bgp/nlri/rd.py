"""Route distinguishers as NLRI carry them (RFC 4364 4.2).

    +-------------------+--------------------------------------------+
    | Type (2 octets)   | Value (6 octets)                           |
    +-------------------+--------------------------------------------+
    type 0: administrator 2-octet AS   (2) | assigned number (4)
    type 1: administrator IPv4 address (4) | assigned number (2)
    type 2: administrator 4-octet AS   (4) | assigned number (2)

Invariants:
- A route distinguisher is kept as its 8 wire octets (`bytes`); every type is accepted on
  receipt, the ones RFC 4364 does not define included (5.0 keeps them and prints them in hex).
- `text` is 5.0's form, the same in JSON, the text API and the configuration: `65000:1` (types 0
  and 2), `1.2.3.4:1` (type 1), and `0x` followed by the 8 octets in upper-case hex for any other.
- The configuration's parser of the same forms is configuration.route.qualifiers.
"""

SIZE = 8
BITS = SIZE * 8
ZERO = bytes(SIZE)


def text(rd: bytes) -> str:
    kind = int.from_bytes(rd[:2], 'big')
    if kind == 0:
        return f'{int.from_bytes(rd[2:4], "big")}:{int.from_bytes(rd[4:8], "big")}'
    if kind == 1:
        return f'{rd[2]}.{rd[3]}.{rd[4]}.{rd[5]}:{int.from_bytes(rd[6:8], "big")}'
    if kind == 2:
        return f'{int.from_bytes(rd[2:6], "big")}:{int.from_bytes(rd[6:8], "big")}'
    return '0x' + rd.hex().upper()


def json(rd: bytes) -> str:
    return f'"rd": "{text(rd)}"'
