"""The extended community sub-types ExaBGP 5.0 names (RFC 4360, 5701, 7153, 8955, 7432, 5512, drafts).

An extended community is 8 octets (RFC 4360), or 20 for the IPv6 address specific ones (RFC 5701):

    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |  Type high    |  Type low     |          Value (6 or 18)      ~
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Invariants:
- A community is kept as its raw octets. 5.0 recognises a sub-type by the low four bits of the type
  and the sub-type octet, so the IANA and transitive bits never change how it prints; the tables
  here are keyed the same way, and hold only the sub-types 5.0 decodes.
- `text(raw)` is 5.0's text for it: the named form for a known sub-type, `0x` and the octets in
  upper-case hex otherwise. `name(raw)` is the JSON "string": the named form, or "" for a sub-type
  5.0 does not know. Two known sub-types (4-octet AS redirect, IPv6 redirect) print as hex in both.
- `checked(raw)` returns the octets to keep, raising Malformed where 5.0 refuses the community
  (a traffic rate that is not a finite number) and rebuilding the one 5.0 rebuilds (MAC mobility).
- Nothing here encodes: the configuration's `extended-community` parser (configuration.route.attributes)
  is the one encoder, and every value reaches the codec as its raw octets.
"""

import math
import struct
from collections.abc import Callable

from exabgp.bgp.errors import OPTIONAL_ATTRIBUTE_ERROR, Malformed

SIZE = 8
IPV6_SIZE = 20


def _ipv4(raw: bytes) -> str:
    return f'{raw[0]}.{raw[1]}.{raw[2]}.{raw[3]}'


def ipv6_text(raw: bytes) -> str:
    """The address as the C library's inet_ntop writes it (5.0 prints with it): embedded IPv4 shown."""
    words = [int.from_bytes(raw[index : index + 2], 'big') for index in range(0, 16, 2)]
    best_start, best_length, start = -1, 0, -1
    for index, word in enumerate([*words, 1]):
        if word == 0 and start < 0:
            start = index
        elif word != 0 and start >= 0:
            if index - start > best_length:
                best_start, best_length = start, index - start
            start = -1
    if best_start == 0 and (best_length == 6 or (best_length == 5 and words[5] == 0xFFFF)):
        return ('::ffff:' if best_length == 5 else '::') + _ipv4(raw[12:16])
    if best_length < 2:
        return ':'.join(f'{word:x}' for word in words)
    head = ':'.join(f'{word:x}' for word in words[:best_start])
    tail = ':'.join(f'{word:x}' for word in words[best_start + best_length :])
    return f'{head}::{tail}'


def _hex(raw: bytes) -> str:
    return '0x' + raw.hex().upper()


def _rate(raw: bytes) -> float:
    rate: float = struct.unpack('!f', raw[4:8])[0]
    return rate


def _two_octet_as(label: str) -> Callable[[bytes], str]:
    return lambda raw: f'{label}:{int.from_bytes(raw[2:4], "big")}:{int.from_bytes(raw[4:8], "big")}'


def _ipv4_address(label: str) -> Callable[[bytes], str]:
    return lambda raw: f'{label}:{_ipv4(raw[2:6])}:{int.from_bytes(raw[6:8], "big")}'


def _four_octet_as(label: str) -> Callable[[bytes], str]:
    return lambda raw: f'{label}:{int.from_bytes(raw[2:6], "big")}:{int.from_bytes(raw[6:8], "big")}'


_TUNNELS = {
    0x00: 'Default',
    0x01: 'L2TPv3',
    0x02: 'GRE',
    0x07: 'IP-in-IP',
    0x08: 'VXLAN',
    0x09: 'NVGRE',
    0x0A: 'MPLS',
    0x0C: 'VXLAN-GPE',
    0x0D: 'MPLS-in-UDP',
}


def _encapsulation(raw: bytes) -> str:
    tunnel = int.from_bytes(raw[6:8], 'big')
    # 5.0 repeats the prefix for a tunnel type it has no name for
    return f'encap:{_TUNNELS.get(tunnel, f"encap:UNKNOWN-{tunnel}")}'


def _action(raw: bytes) -> str:
    words = []
    if raw[7] & 0x02:
        words.append('sample')
    if raw[7] & 0x01:
        words.append('terminal')
    return f'action {"-".join(words)}'


def _nexthop_ietf(raw: bytes) -> str:
    if int.from_bytes(raw[6:8], 'big') & 1:
        return f'copy-to-nexthop-ietf {_ipv4(raw[2:6])} (with copy)'
    return f'redirect-to-nexthop-ietf {_ipv4(raw[2:6])}'


def _nexthop_ietf_ipv6(raw: bytes) -> str:
    if int.from_bytes(raw[18:20], 'big') & 1:
        return f'copy-to-nexthop-ietf {ipv6_text(raw[2:18])} (with copy)'
    return f'redirect-to-nexthop-ietf {ipv6_text(raw[2:18])}'


_DIRECTIONS = {1: 'input', 2: 'output', 3: 'input-output'}


def _interface_set(raw: bytes) -> str:
    field = int.from_bytes(raw[6:8], 'big')
    direction = field >> 14
    # 5.0 keeps thirteen bits of the fourteen-bit group id
    return f'interface-set:{_DIRECTIONS.get(direction, direction)}:{int.from_bytes(raw[2:6], "big")}:{field & 0x1FFF}'


def _mac_mobility(raw: bytes) -> str:
    text = f'mac-mobility:{int.from_bytes(raw[4:8], "big")}'
    return text + ':sticky' if raw[2] == 1 else text


# (type & 0x0F, sub-type) -> 5.0's text of an 8-octet community
NAMED: dict[tuple[int, int], Callable[[bytes], str]] = {
    (0x00, 0x02): _two_octet_as('target'),
    (0x01, 0x02): _ipv4_address('target'),
    (0x02, 0x02): _four_octet_as('target'),
    (0x00, 0x03): lambda raw: f'origin:{int.from_bytes(raw[2:4], "big")}:{_ipv4(raw[4:8])}',
    # 5.0 swaps the fields of the IPv4 address specific route origin when printing it
    (0x01, 0x03): lambda raw: f'origin:{int.from_bytes(raw[6:8], "big")}:{_ipv4(raw[2:6])}',
    (0x02, 0x03): lambda raw: f'origin:{int.from_bytes(raw[2:6], "big")}:{int.from_bytes(raw[6:8], "big")}',
    (0x00, 0x13): _two_octet_as('rtrecord'),
    (0x01, 0x13): _ipv4_address('rtrecord'),
    (0x02, 0x13): _four_octet_as('rtrecord'),
    (0x00, 0x06): lambda raw: f'rate-limit:{int(max(_rate(raw), 0.0))}',
    (0x00, 0x0C): lambda raw: f'rate-limit:{int(max(_rate(raw), 0.0))}:packets',
    (0x00, 0x07): _action,
    (0x00, 0x08): lambda raw: f'redirect:{int.from_bytes(raw[2:4], "big")}:{int.from_bytes(raw[4:8], "big")}',
    (0x02, 0x08): _hex,
    (0x00, 0x09): lambda raw: f'mark {raw[7] & 0x3F}',
    (0x01, 0x0C): _nexthop_ietf,
    (0x08, 0x00): lambda raw: 'copy-to-nexthop' if raw[7] & 1 else 'redirect-to-nexthop',
    (0x00, 0x0A): lambda raw: (
        f'l2info:{raw[2]}:{raw[3]}:{int.from_bytes(raw[4:6], "big")}:{int.from_bytes(raw[6:8], "big")}'
    ),
    (0x03, 0x0C): _encapsulation,
    (0x03, 0x14): lambda raw: f'consistentHashSortOrder:{int.from_bytes(raw[2:6], "big")}',
    (0x07, 0x02): _interface_set,
    (0x06, 0x00): _mac_mobility,
    (0x0C, 0x00): lambda raw: f'mup:{int.from_bytes(raw[2:4], "big")}:{int.from_bytes(raw[4:8], "big")}',
}

# (type & 0x0F, sub-type) -> 5.0's text of a 20-octet IPv6 address specific community
NAMED_IPV6: dict[tuple[int, int], Callable[[bytes], str]] = {
    (0x00, 0x0C): _nexthop_ietf_ipv6,
    (0x00, 0x0B): _hex,
}


def _finite_rate(raw: bytes) -> bytes:
    if not math.isfinite(_rate(raw)):
        raise Malformed(f'traffic rate {_rate(raw)} is not a number', OPTIONAL_ATTRIBUTE_ERROR)
    return raw


def _canonical_mac_mobility(raw: bytes) -> bytes:
    # 5.0 rebuilds it from the sticky flag and the sequence, as a transitive community
    return bytes((0x06, 0x00, 1 if raw[2] == 1 else 0, 0)) + raw[4:8]


_CHECKS: dict[tuple[int, int], Callable[[bytes], bytes]] = {
    (0x00, 0x06): _finite_rate,
    (0x00, 0x0C): _finite_rate,
    (0x06, 0x00): _canonical_mac_mobility,
}


def kind(raw: bytes) -> tuple[int, int]:
    """The key of the tables above: the low four bits of the type, and the sub-type."""
    return raw[0] & 0x0F, raw[1]


def checked(raw: bytes) -> bytes:
    if len(raw) != SIZE:
        return raw
    check = _CHECKS.get(kind(raw))
    return raw if check is None else check(raw)


def text(raw: bytes) -> str:
    render = (NAMED if len(raw) == SIZE else NAMED_IPV6).get(kind(raw))
    return _hex(raw) if render is None else render(raw)


def name(raw: bytes) -> str:
    render = (NAMED if len(raw) == SIZE else NAMED_IPV6).get(kind(raw))
    return '' if render is None else render(raw)
