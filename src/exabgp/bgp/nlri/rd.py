"""Route distinguishers as NLRI carry them (RFC 4364 4.2), and as ExaBGP 5.0 writes them.

    +-------------------------------+-------------------------------------------------+
    | Type (2 octets)               | Value (6 octets)                                |
    +-------------------------------+-------------------------------------------------+
    type 0: administrator a 2-octet ASN, assigned number 4 octets      ->  ASN:N
    type 1: administrator an IPv4 address, assigned number 2 octets    ->  A.B.C.D:N
    type 2: administrator a 4-octet ASN, assigned number 2 octets      ->  ASN:N

Invariants:
- A route distinguisher is kept as its 8 raw octets; nothing here checks its type, so any value
  received is kept and sent back unchanged.
- `text` is 5.0's form: the three types above, and `0x` then the 8 octets in upper-case hex for
  another type. `json` is the JSON member 5.0 writes: `"rd": "TEXT"`.
"""

SIZE = 8


def text(raw: bytes) -> str:
    kind = int.from_bytes(raw[0:2], 'big')
    if kind == 0:
        return f'{int.from_bytes(raw[2:4], "big")}:{int.from_bytes(raw[4:8], "big")}'
    if kind == 1:
        return f'{raw[2]}.{raw[3]}.{raw[4]}.{raw[5]}:{int.from_bytes(raw[6:8], "big")}'
    if kind == 2:
        return f'{int.from_bytes(raw[2:6], "big")}:{int.from_bytes(raw[6:8], "big")}'
    return '0x' + raw.hex().upper()


def json(raw: bytes) -> str:
    return f'"rd": "{text(raw)}"'
