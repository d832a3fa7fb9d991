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
- The builders make the raw octets of a community from its fields, for the configuration.
"""

import math
import struct
from collections.abc import Callable
from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.errors import OPTIONAL_ATTRIBUTE_ERROR, Malformed

SIZE = 8
IPV6_SIZE = 20

# RFC 4360 type high octet bits
NON_TRANSITIVE = 0x40


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
    return struct.unpack('!f', raw[4:8])[0]


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
    return raw[0] & 0x0F, raw[1]


def checked(raw: bytes) -> bytes:
    if len(raw) != SIZE:
        return raw
    check = _CHECKS.get((raw[0] & 0x0F, raw[1]))
    return raw if check is None else check(raw)


def text(raw: bytes) -> str:
    render = (NAMED if len(raw) == SIZE else NAMED_IPV6).get((raw[0] & 0x0F, raw[1]))
    return _hex(raw) if render is None else render(raw)


def name(raw: bytes) -> str:
    render = (NAMED if len(raw) == SIZE else NAMED_IPV6).get((raw[0] & 0x0F, raw[1]))
    return '' if render is None else render(raw)


def _header(kind: int, subtype: int, transitive: bool) -> bytes:
    return bytes((kind if transitive else kind | NON_TRANSITIVE, subtype))


def route_target(
    administrator: int | IPv4Address, number: int, transitive: bool = True, four_octet: bool = False
) -> bytes:
    """target: 2-octet AS and 4-octet number, IPv4 address and 2-octet number, or 4-octet AS and 2-octet number."""
    if isinstance(administrator, IPv4Address):
        return _header(0x01, 0x02, transitive) + administrator.packed + number.to_bytes(2, 'big')
    if four_octet or administrator > 0xFFFF:
        return _header(0x02, 0x02, transitive) + administrator.to_bytes(4, 'big') + number.to_bytes(2, 'big')
    return _header(0x00, 0x02, transitive) + administrator.to_bytes(2, 'big') + number.to_bytes(4, 'big')


def route_origin(administrator: int | IPv4Address, number: int | IPv4Address, transitive: bool = True) -> bytes:
    """origin: (2-octet AS, IPv4 address), (IPv4 address, 2-octet number) or (4-octet AS, 2-octet number)."""
    if isinstance(number, IPv4Address):
        return _header(0x00, 0x03, transitive) + int(administrator).to_bytes(2, 'big') + number.packed
    if isinstance(administrator, IPv4Address):
        return _header(0x01, 0x03, transitive) + administrator.packed + number.to_bytes(2, 'big')
    return _header(0x02, 0x03, transitive) + administrator.to_bytes(4, 'big') + number.to_bytes(2, 'big')


def rt_record(administrator: int | IPv4Address, number: int, four_octet: bool = False) -> bytes:
    target = route_target(administrator, number, True, four_octet)
    return bytes((target[0], 0x13)) + target[2:]


def redirect(asn: int, target: int) -> bytes:
    """FlowSpec redirect to a 2-octet AS route target (RFC 8955 7.4), or 4-octet AS (RFC 7674)."""
    if asn <= 0xFFFF:
        return b'\x80\x08' + asn.to_bytes(2, 'big') + target.to_bytes(4, 'big')
    return b'\x82\x08' + asn.to_bytes(4, 'big') + target.to_bytes(2, 'big')


def redirect_ipv6(address: IPv6Address, number: int) -> bytes:
    """FlowSpec redirect to an IPv6 route target, as 5.0's configuration encodes it (type 0x00, sub-type 0x02).

    5.0 does not name that sub-type when decoding: it prints as hex.
    """
    return b'\x00\x02' + address.packed + number.to_bytes(2, 'big')


def traffic_rate(asn: int, rate: float, packets: bool = False) -> bytes:
    if not math.isfinite(rate) or rate < 0:
        raise ValueError(f'invalid traffic rate {rate}')
    return (b'\x80\x0c' if packets else b'\x80\x06') + asn.to_bytes(2, 'big') + struct.pack('!f', rate)


def traffic_action(sample: bool, terminal: bool) -> bytes:
    return b'\x80\x07\x00\x00\x00\x00\x00' + bytes(((2 if sample else 0) | (1 if terminal else 0),))


def traffic_mark(dscp: int) -> bytes:
    return b'\x80\x09\x00\x00\x00\x00\x00' + bytes((dscp,))


def redirect_to_nexthop(copy: bool = False) -> bytes:
    """draft-simpson-idr-flowspec-redirect: the next hop is the UPDATE's."""
    return b'\x08\x00\x00\x00\x00\x00\x00' + bytes((1 if copy else 0,))


def redirect_to_nexthop_ietf(address: IPv4Address | IPv6Address, copy: bool = False) -> bytes:
    """draft-ietf-idr-flowspec-redirect: 8 octets for IPv4, 20 (IPv6 address specific) for IPv6."""
    flag = (1 if copy else 0).to_bytes(2, 'big')
    if isinstance(address, IPv6Address):
        return b'\x00\x0c' + address.packed + flag
    return b'\x01\x0c' + address.packed + flag


def l2info(encapsulation: int, control: int, mtu: int, reserved: int = 0) -> bytes:
    return b'\x80\x0a' + bytes((encapsulation, control)) + mtu.to_bytes(2, 'big') + reserved.to_bytes(2, 'big')


def encapsulation(tunnel: int) -> bytes:
    return b'\x03\x0c\x00\x00\x00\x00' + tunnel.to_bytes(2, 'big')


def consistent_hash_sort_order(order: int, reserved: int = 0) -> bytes:
    return b'\x03\x14' + order.to_bytes(4, 'big') + reserved.to_bytes(2, 'big')


def interface_set(asn: int, group: int, direction: int, transitive: bool = True) -> bytes:
    return _header(0x07, 0x02, transitive) + asn.to_bytes(4, 'big') + ((direction << 14) + group).to_bytes(2, 'big')


def mac_mobility(sequence: int, sticky: bool = False) -> bytes:
    return bytes((0x06, 0x00, 1 if sticky else 0, 0)) + sequence.to_bytes(4, 'big')


def mup(segment2: int, segment4: int, transitive: bool = True) -> bytes:
    return _header(0x0C, 0x00, transitive) + segment2.to_bytes(2, 'big') + segment4.to_bytes(4, 'big')


def link_bandwidth(asn: int, speed: float) -> bytes:
    """draft-ietf-idr-link-bandwidth; 5.0 encodes it but does not name it when decoding."""
    return b'\x40\x04' + asn.to_bytes(2, 'big') + struct.pack('!f', speed)
