"""EVPN NLRI (RFC 7432 7, RFC 9136 3): AFI 25 (L2VPN), SAFI 70 (`l2vpn evpn`). Decoded, never
announced: ExaBGP 5.0 has no configuration or API command for EVPN routes.

    +-----------------------------------+
    | Path Identifier (4 octets)        |   only when ADD-PATH applies (RFC 7911)
    +-----------------------------------+
    | Route Type (1 octet)              |
    +-----------------------------------+
    | Length (1 octet)                  |   of what follows
    +-----------------------------------+
    | Route Type specific (variable)    |
    +-----------------------------------+

Route types (RD 8 octets, ESI 10, Ethernet Tag 4, label 3; lengths of addresses in bits):

    1 Ethernet Auto-Discovery (7.1)   RD, ESI, Ethernet Tag, MPLS label
    2 MAC/IP Advertisement (7.2)      RD, ESI, Ethernet Tag, MAC length (48), MAC (6),
                                      IP length (0, 32 or 128), IP, label 1, [label 2]
    3 Inclusive Multicast (7.3)       RD, Ethernet Tag, IP length (32 or 128), originating IP
    4 Ethernet Segment (7.4)          RD, ESI, IP length (32 or 128), originating IP
    5 IP Prefix (RFC 9136 3.1)        RD, ESI, Ethernet Tag, prefix length (1), prefix (4 or 16),
                                      gateway IP (4 or 16), label

Invariants:
- An `EVPN` is its family, route type `code`, the route type specific octets `body` as received
  and its path identifier; it packs back to exactly the received octets. Any other route type is
  kept whole and shown as 5.0 shows it (`"parsed": false`).
- A known route type is checked on receipt with 5.0's rules (the lengths above; a type 1 label
  stack of whole entries; a type 5 of 34 or 58 octets); one that fails makes the whole NLRI field
  `Malformed` (the MP attribute decoder then applies RFC 7606). 5.0 resets the session instead.
- `json()` is 5.0's object, with 5.0's quirks kept: only the first label of types 1, 2 and 5 is
  shown, as `[label]`, or `[label, raw]` with the whole 24-bit entry when it is not zero; an ESI of
  zeros is `-`, another is lower-case hex octets joined by colons; the MAC is upper-case hex.
  `__str__` is 5.0's `evpn:TYPE::...` form (a MAC always followed by `/48`, as 5.0 prints it).
- `index()` is the family, path identifier and the whole NLRI (5.0's RIB key for EVPN).
"""

from collections.abc import Callable
from dataclasses import dataclass

from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import Family
from exabgp.bgp.nlri import prefix, rd
from exabgp.bgp.nlri.base import NLRI, with_path

RD_END = 8
ESI_SIZE = 10
MAC_BITS = 48
LABEL_SIZE = 3
ZERO_ESI = bytes(ESI_SIZE)


def _esi(raw: bytes) -> str:
    return '-' if raw == ZERO_ESI else ':'.join(f'{octet:02x}' for octet in raw)


def _tag(raw: bytes) -> int:
    return int.from_bytes(raw, 'big')


def _mac(raw: bytes) -> str:
    return ':'.join(f'{octet:02X}' for octet in raw)


def _label_json(raw: bytes) -> list[str]:
    if len(raw) < LABEL_SIZE:
        return []
    entry = int.from_bytes(raw[:LABEL_SIZE], 'big')
    shown = f'[{entry >> 4}, {entry}]' if entry else f'[{entry >> 4}]'
    return [f'"label": [ {shown} ]']


def _label_text(raw: bytes) -> str:
    if len(raw) < LABEL_SIZE:
        return ''
    entry = int.from_bytes(raw[:LABEL_SIZE], 'big')
    return f' label {entry >> 4} ({entry})' if entry else f' label {entry >> 4}'


def _ip(raw: bytes) -> str:
    return prefix.text(raw)


@dataclass(frozen=True, slots=True)
class _RouteType:
    name: str
    short: str
    check: Callable[[bytes], None]
    members: Callable[[bytes], list[str]]
    text: Callable[[bytes], str]


def _short(body: bytes, minimum: int, name: str) -> None:
    if len(body) < minimum:
        raise Malformed(
            f'{name} EVPN NLRI is too short: need at least {minimum} octets, got {len(body)}', INVALID_NETWORK_FIELD
        )


# ---------------------------------------------------------------- 1: Ethernet Auto-Discovery


def _ad_check(body: bytes) -> None:
    _short(body, 22, 'Ethernet Auto-Discovery')
    if (len(body) - 22) % LABEL_SIZE:
        raise Malformed('Ethernet A-D EVPN NLRI has a truncated label stack', INVALID_NETWORK_FIELD)


def _ad_members(body: bytes) -> list[str]:
    return [
        rd.json(body[:8]),
        f'"esi": "{_esi(body[8:18])}"',
        f'"ethernet-tag": {_tag(body[18:22])}',
        *_label_json(body[22:25]),
    ]


def _ad_text(body: bytes) -> str:
    return f'{rd.text(body[:8])}:{_esi(body[8:18])}:{_tag(body[18:22])}:{_label_text(body[22:25])}'


# ---------------------------------------------------------------- 2: MAC/IP Advertisement

# IP length in bits -> the route lengths allowed with one or two labels
_MAC_LENGTHS = {0: (33, 36), 32: (37, 40), 128: (49, 52)}


def _mac_check(body: bytes) -> None:
    _short(body, 30, 'MAC/IP advertisement')
    if body[22] != MAC_BITS:
        raise Malformed(
            f'MAC Address length is given as {body[22]} bits in MAC/IP advertisement, RFC 7432 9.2.1 allows only 48',
            ATTRIBUTE_LENGTH_ERROR,
        )
    allowed = _MAC_LENGTHS.get(body[29])
    if allowed is None:
        raise Malformed(
            f'IP field length is given as {body[29]} bits in MAC/IP advertisement, expecting 0, 32 or 128',
            ATTRIBUTE_LENGTH_ERROR,
        )
    if len(body) not in allowed:
        raise Malformed(
            f'MAC/IP advertisement of {len(body)} octets, expecting {" or ".join(map(str, allowed))}'
            f' for an IP field of {body[29]} bits',
            ATTRIBUTE_LENGTH_ERROR,
        )


def _mac_fields(body: bytes) -> tuple[bytes, bytes]:
    """The IP address (empty when none) and the label octets of a MAC/IP advertisement."""
    end = 30 + body[29] // 8
    return body[30:end], body[end : end + LABEL_SIZE]


def _mac_members(body: bytes) -> list[str]:
    ip, label = _mac_fields(body)
    members = [
        rd.json(body[:8]),
        f'"esi": "{_esi(body[8:18])}"',
        f'"ethernet-tag": {_tag(body[18:22])}',
        f'"mac": "{_mac(body[23:29])}"',
        *_label_json(label),
    ]
    if ip:
        members.append(f'"ip": "{_ip(ip)}"')
    return members


def _mac_text(body: bytes) -> str:
    ip, label = _mac_fields(body)
    return (
        f'{rd.text(body[:8])}:{_esi(body[8:18])}:{_tag(body[18:22])}:{_mac(body[23:29])}/{body[22]}'
        f':{_ip(ip) if ip else ""}:{_label_text(label)}'
    )


# ---------------------------------------------------------------- 3: Inclusive Multicast Ethernet Tag


def _address_check(body: bytes, at: int, name: str) -> None:
    """The IP length octet at `at`, then the address, ends the route (types 3 and 4)."""
    _short(body, at + 1, name)
    bits = body[at]
    if bits not in (32, 128):
        raise Malformed(f'IP length is {bits} in {name}, expecting 32 (IPv4) or 128 (IPv6)', INVALID_NETWORK_FIELD)
    if len(body) != at + 1 + bits // 8:
        raise Malformed(
            f'{name} EVPN NLRI is {len(body)} octets, expecting {at + 1 + bits // 8} for an IP of {bits} bits',
            INVALID_NETWORK_FIELD,
        )


def _multicast_check(body: bytes) -> None:
    _address_check(body, 12, 'Inclusive Multicast')


def _multicast_members(body: bytes) -> list[str]:
    return [rd.json(body[:8]), f'"ethernet-tag": {_tag(body[8:12])}', f'"ip": "{_ip(body[13:])}"']


def _multicast_text(body: bytes) -> str:
    return f'{rd.text(body[:8])}:{_tag(body[8:12])}:{_ip(body[13:])}'


# ---------------------------------------------------------------- 4: Ethernet Segment


def _segment_check(body: bytes) -> None:
    _address_check(body, 18, 'Ethernet Segment')


def _segment_members(body: bytes) -> list[str]:
    return [rd.json(body[:8]), f'"esi": "{_esi(body[8:18])}"', f'"ip": "{_ip(body[19:])}"']


def _segment_text(body: bytes) -> str:
    return f'{rd.text(body[:8])}:{_esi(body[8:18])}:{_ip(body[19:])}'


# ---------------------------------------------------------------- 5: IP Prefix


def _prefix_check(body: bytes) -> None:
    if len(body) not in (34, 58):
        raise Malformed(
            f'IP Prefix EVPN NLRI of {len(body)} octets, expecting 34 (IPv4) or 58 (IPv6)', ATTRIBUTE_LENGTH_ERROR
        )


def _prefix_fields(body: bytes) -> tuple[bytes, bytes, bytes]:
    """The prefix, gateway and label octets of an IP Prefix route."""
    size = 4 if len(body) == 34 else 16
    return body[23 : 23 + size], body[23 + size : 23 + 2 * size], body[23 + 2 * size :]


def _prefix_members(body: bytes) -> list[str]:
    ip, gateway, label = _prefix_fields(body)
    return [
        rd.json(body[:8]),
        f'"esi": "{_esi(body[8:18])}"',
        f'"ethernet-tag": {_tag(body[18:22])}',
        *_label_json(label),
        f'"ip": "{_ip(ip)}"',
        f'"iplen": {body[22]}',
        f'"gateway": "{_ip(gateway)}"',
    ]


def _prefix_text(body: bytes) -> str:
    ip, gateway, label = _prefix_fields(body)
    return (
        f'{rd.text(body[:8])}:{_esi(body[8:18])}:{_tag(body[18:22])}:{_ip(ip)}/{body[22]}'
        f':{_ip(gateway)}:{_label_text(label)}'
    )


ROUTE_TYPES: dict[int, _RouteType] = {
    1: _RouteType('Ethernet Auto-Discovery', 'ethernetad', _ad_check, _ad_members, _ad_text),
    2: _RouteType('MAC/IP advertisement', 'macadv', _mac_check, _mac_members, _mac_text),
    3: _RouteType(
        'Inclusive Multicast Ethernet Tag', 'multicast', _multicast_check, _multicast_members, _multicast_text
    ),
    4: _RouteType('Ethernet Segment', 'segment', _segment_check, _segment_members, _segment_text),
    5: _RouteType('IP Prefix Advertisement', 'prfxadv', _prefix_check, _prefix_members, _prefix_text),
}


@dataclass(frozen=True, slots=True)
class EVPN(NLRI):
    family: Family
    code: int
    body: bytes
    path_id: int | None = None

    def _wire(self) -> bytes:
        return bytes((self.code, len(self.body))) + self.body

    def pack(self, addpath: bool) -> bytes:
        return with_path(self.path_id, self._wire(), addpath)

    def index(self) -> tuple[Family, int | None, bytes]:
        return (self.family, self.path_id, self._wire())

    def order(self) -> bytes:
        return self._wire()

    def prefix(self) -> str:
        return str(self)

    def json(self) -> str:
        raw = self._wire().hex().upper()
        kind = ROUTE_TYPES.get(self.code)
        if kind is None:
            return f'{{ "code": {self.code}, "parsed": false, "raw": "{raw}" }}'
        members = [f'"code": {self.code}', '"parsed": true', f'"raw": "{raw}"', f'"name": "{kind.name}"']
        members.extend(kind.members(self.body))
        return '{ ' + ', '.join(members) + ' }'

    def __str__(self) -> str:
        kind = ROUTE_TYPES.get(self.code)
        if kind is None:
            return f'evpn:unknown:0x{self.body.hex()}'
        # 5.0 writes its `evpn:TYPE:` prefix and then a colon again
        return f'evpn:{kind.short}::{kind.text(self.body)}'

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['EVPN']:
        data = bytes(data)
        found = []
        offset = 0
        path_id = None
        end = len(data)
        while offset < end:
            if addpath:
                path_id, offset = prefix.path_at(data, offset, end)
            if offset + 2 > end:
                raise Malformed('the NLRI field ends inside an EVPN route type and length', INVALID_NETWORK_FIELD)
            code = data[offset]
            stop = offset + 2 + data[offset + 1]
            if stop > end:
                raise Malformed(
                    f'EVPN NLRI truncated: need {stop - offset} octets, got {end - offset}', INVALID_NETWORK_FIELD
                )
            body = data[offset + 2 : stop]
            kind = ROUTE_TYPES.get(code)
            if kind is not None:
                kind.check(body)
            found.append(cls(family, code, body, path_id))
            offset = stop
        return found
