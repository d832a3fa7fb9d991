"""Route distinguishers and MPLS labels as routes write them (RFC 4364 4.2, RFC 3032, RFC 8277).

    rd ASN:N | IPV4:N          label N | [ N N ... ]

The values are read and checked now, so a mistake is reported at its word even though the families
using them (labeled unicast, VPN, flow VPN) are not encoded yet.

Invariants (5.0's rules): a route distinguisher is type 1 when its administrator is an IPv4 address
(assigned number up to 65535), type 0 when the administrator fits 16 bits and the number 32, type 2
when the administrator fits 32 bits and the number 16. The packed form is the 8 octets on the wire.
A label is 20 bits.
"""

from exabgp.configuration.cursor import Cursor

LABEL_MAX = 0xFFFFF


def _decimal(word: str) -> bool:
    return word.isdigit() and word.isascii()


def route_distinguisher_value(word: str) -> bytes:
    administrator, colon, number = word.partition(':')
    if not colon or not administrator:
        raise ValueError(f"'{word}' is not a valid route-distinguisher (ASN:nn or IP:nn, e.g. 65000:100)")
    if not _decimal(number):
        raise ValueError(f"'{word}' is not a valid route-distinguisher, the assigned number must be a number")
    assigned = int(number)
    if '.' in administrator:
        octets = administrator.split('.')
        if len(octets) != 4 or not all(_decimal(octet) and int(octet) < 256 for octet in octets):
            raise ValueError(f"'{word}' is not a valid route-distinguisher, '{administrator}' is not an IPv4 address")
        if assigned > 0xFFFF:
            raise ValueError(f"'{word}' is not a valid route-distinguisher, the assigned number must be 0-65535")
        return b'\x00\x01' + bytes(int(octet) for octet in octets) + assigned.to_bytes(2, 'big')
    if not _decimal(administrator):
        raise ValueError(f"'{word}' is not a valid route-distinguisher, the administrator must be an ASN or IPv4")
    asn = int(administrator)
    if asn <= 0xFFFF and assigned <= 0xFFFFFFFF:
        return b'\x00\x00' + asn.to_bytes(2, 'big') + assigned.to_bytes(4, 'big')
    if asn <= 0xFFFFFFFF and assigned <= 0xFFFF:
        return b'\x00\x02' + asn.to_bytes(4, 'big') + assigned.to_bytes(2, 'big')
    raise ValueError(f"'{word}' is not a valid route-distinguisher, the numbers are too large")


def route_distinguisher(cursor: Cursor) -> bytes:
    word = cursor.expect('route-distinguisher')
    try:
        return route_distinguisher_value(word)
    except ValueError as exc:
        raise cursor.fail(str(exc)) from None


def labels(cursor: Cursor) -> tuple[int, ...]:
    start = cursor.index
    words = cursor.bracketed('label')
    if not words:
        raise cursor.fail('a label stack needs at least one label')
    found = []
    for offset, word in enumerate(words):
        if not _decimal(word) or int(word) > LABEL_MAX:
            index = start + offset + (1 if cursor.words[start] == '[' else 0)
            raise cursor.fail_at(index, f"'{word}' is not a valid label (0 to {LABEL_MAX})")
        found.append(int(word))
    return tuple(found)
