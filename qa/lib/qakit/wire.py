"""The messages the test peer writes itself, and the little OPEN parsing it needs.

The peer answers the daemon's OPEN with the same OPEN (same capabilities, so every family and
option the daemon offers is accepted), with the BGP identifier's last octet plus one (the two
identifiers must differ) and, when the case gives one, its own ASN in the My Autonomous System
field and in the four-octet ASN capability (RFC 4271 4.2, RFC 6793).

Invariants: every builder returns a whole message (marker, length, type, body); `capabilities`
never raises on a malformed OPEN, it returns what it could read.
"""

MARKER = b'\xff' * 16
HEADER = 19

OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5
UNKNOWN_TYPE = 255
AS_TRANS = 23456
CAPABILITIES_PARAMETER = 2
ASN4_CAPABILITY = 65
ADDPATH_CAPABILITY = 69
UNKNOWN_CAPABILITY = 66
CEASE = 6


def frame(kind: int, body: bytes = b'') -> bytes:
    return MARKER + (HEADER + len(body)).to_bytes(2, 'big') + bytes([kind]) + body


def keepalive() -> bytes:
    return frame(KEEPALIVE)


def notification(code: int, subcode: int, data: bytes = b'') -> bytes:
    return frame(NOTIFICATION, bytes([code, subcode]) + data)


def cease(text: str) -> bytes:
    """The NOTIFICATION the `notification:` action sends: Cease, subcode 0, the text as data."""
    return notification(CEASE, 0, text.encode('utf-8'))


def unknown_message() -> bytes:
    """A message of a type no BGP speaker knows (send-unknown-message)."""
    return frame(UNKNOWN_TYPE)


def default_route() -> bytes:
    """An iBGP UPDATE for 0.0.0.0/0 via 127.0.0.1 (send-default-route)."""
    attributes = (
        b'\x40\x01\x01\x00'  # ORIGIN IGP
        + b'\x40\x02\x00'  # AS_PATH empty
        + b'\x40\x03\x04\x7f\x00\x00\x01'  # NEXT_HOP 127.0.0.1
        + b'\x40\x05\x04\x00\x00\x00\x64'  # LOCAL_PREF 100
    )
    return frame(UPDATE, b'\x00\x00' + len(attributes).to_bytes(2, 'big') + attributes + b'\x00')


def extended(body: bytes) -> bool:
    """The OPEN uses RFC 9072 extended optional parameters (2-octet lengths)."""
    return len(body) >= 11 and body[9] == 0xFF and body[10] == 0xFF


def parameters(body: bytes) -> list[tuple[int, bytes]]:
    """The optional parameters of an OPEN body as (type, value); stops at the first malformed one."""
    found: list[tuple[int, bytes]] = []
    if len(body) < 10:
        return found
    wide = extended(body)
    data = body[13 : 13 + int.from_bytes(body[11:13], 'big')] if wide else body[10 : 10 + body[9]]
    head = 3 if wide else 2
    while len(data) >= head:
        kind = data[0]
        size = int.from_bytes(data[1:3], 'big') if wide else data[1]
        if len(data) < head + size:
            break
        found.append((kind, data[head : head + size]))
        data = data[head + size :]
    return found


def capabilities(body: bytes) -> list[tuple[int, bytes]]:
    """Every capability of an OPEN body as (code, value), in order."""
    found: list[tuple[int, bytes]] = []
    for kind, value in parameters(body):
        if kind != CAPABILITIES_PARAMETER:
            continue
        while len(value) >= 2:
            code, size = value[0], value[1]
            if len(value) < 2 + size:
                break
            found.append((code, value[2 : 2 + size]))
            value = value[2 + size :]
    return found


def _encode_parameters(params: list[tuple[int, bytes]], wide: bool) -> bytes:
    """The optional parameters with their length octet(s) (RFC 9072 form when `wide` or needed)."""
    short = b''.join(bytes([kind, len(value)]) + value for kind, value in params)
    if not wide and len(short) < 255 and all(len(value) < 256 for _, value in params):
        return bytes([len(short)]) + short
    encoded = b''.join(bytes([kind]) + len(value).to_bytes(2, 'big') + value for kind, value in params)
    return b'\xff\xff' + len(encoded).to_bytes(2, 'big') + encoded


def reply_open(daemon_open: bytes, asn: int | None, unknown_capability: bool) -> bytes:
    """The peer's OPEN, built from the daemon's whole OPEN message."""
    body = daemon_open[HEADER:]
    if len(body) < 10:
        return daemon_open
    params = parameters(body)
    if asn is not None:
        rewritten = []
        for kind, value in params:
            if kind == CAPABILITIES_PARAMETER:
                value = _with_asn4(value, asn)
            rewritten.append((kind, value))
        params = rewritten
    if unknown_capability:
        content = b'loremipsum'
        params.append((CAPABILITIES_PARAMETER, bytes([UNKNOWN_CAPABILITY, len(content)]) + content))
    my_as = body[1:3] if asn is None else (asn if asn <= 0xFFFF else AS_TRANS).to_bytes(2, 'big')
    identifier = body[5:8] + bytes([(body[8] + 1) & 0xFF])
    encoded = _encode_parameters(params, extended(body))
    return frame(OPEN, body[0:1] + my_as + body[3:5] + identifier + encoded)


def _with_asn4(value: bytes, asn: int) -> bytes:
    out = b''
    while len(value) >= 2:
        code, size = value[0], value[1]
        chunk = value[: 2 + size]
        if code == ASN4_CAPABILITY and size == 4:
            chunk = bytes([code, 4]) + asn.to_bytes(4, 'big')
        out += chunk
        value = value[2 + size :]
    return out + value


def hold_time(open_message: bytes) -> int:
    body = open_message[HEADER:]
    return int.from_bytes(body[3:5], 'big') if len(body) >= 5 else 0


def addpath(open_message: bytes) -> dict[tuple[int, int], int]:
    """ADD-PATH (RFC 7911) per (afi, safi): 1 receive, 2 send, 3 both."""
    found: dict[tuple[int, int], int] = {}
    for code, value in capabilities(open_message[HEADER:]):
        if code != ADDPATH_CAPABILITY:
            continue
        for offset in range(0, len(value) - 3, 4):
            found[(int.from_bytes(value[offset : offset + 2], 'big'), value[offset + 2])] = value[offset + 3]
    return found


def asn4(open_message: bytes) -> bool:
    return any(code == ASN4_CAPABILITY for code, _ in capabilities(open_message[HEADER:]))


def family(update: bytes) -> tuple[int, int]:
    """The family an UPDATE carries: from MP_REACH/MP_UNREACH when present, else IPv4 unicast."""
    body = update[HEADER:]
    if len(body) < 4:
        return (1, 1)
    withdrawn = int.from_bytes(body[0:2], 'big')
    start = 2 + withdrawn + 2
    attributes = body[start : start + int.from_bytes(body[2 + withdrawn : start], 'big')]
    while len(attributes) >= 3:
        flags, code = attributes[0], attributes[1]
        if flags & 0x10:
            size, offset = int.from_bytes(attributes[2:4], 'big'), 4
        else:
            size, offset = attributes[2], 3
        if code in (14, 15) and size >= 3:
            value = attributes[offset : offset + size]
            return (int.from_bytes(value[0:2], 'big'), value[2])
        attributes = attributes[offset + size :]
    return (1, 1)


def is_end_of_rib(update: bytes) -> bool:
    """An UPDATE with no withdrawn route, no NLRI and at most an empty MP_UNREACH (RFC 4724)."""
    body = update[HEADER:]
    if len(body) < 4 or body[:2] != b'\x00\x00':
        return False
    size = int.from_bytes(body[2:4], 'big')
    attributes = body[4:]
    if size != len(attributes):
        return False
    if not attributes:
        return True
    if len(attributes) < 3:
        return False
    extended = attributes[0] & 0x10
    length = int.from_bytes(attributes[2:4], 'big') if extended else attributes[2]
    offset = 4 if extended else 3
    return attributes[1] == 15 and length == 3 and offset + length == len(attributes)
