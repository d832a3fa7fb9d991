"""Mobile User Plane NLRI (draft-mpmz-bess-mup-safi): AFI 1 and 2, SAFI 85 (`mup`).

    +-----------------------------------+
    | Architecture Type (1 octet)       |   1: 3GPP 5G
    +-----------------------------------+
    | Route Type (2 octets)             |   1 ISD, 2 DSD, 3 Type 1 ST, 4 Type 2 ST
    +-----------------------------------+
    | Length (1 octet)                  |   of the route type specific data
    +-----------------------------------+
    | Route Type specific (variable)    |
    +-----------------------------------+

Route type specific data, each after an 8-octet route distinguisher (bgp.nlri.rd):
    1 Interwork Segment Discovery:    prefix length (1) | prefix (the minimal octets)
    2 Direct Segment Discovery:       address (4 or 16)
    3 Type 1 Session Transformed:     prefix length (1) | prefix (minimal) | TEID (4) | QFI (1) |
                                      endpoint length (1, 32 or 128) | endpoint |
                                      optionally: source length (1, 32 or 128) | source
    4 Type 2 Session Transformed:     endpoint length (1: the address bits + 0 to 32 TEID bits) |
                                      endpoint address | TEID (the minimal octets, right-aligned)

Invariants:
- A `MUP` is its family, architecture type, route type and route type specific `data` as on the
  wire (its path identifier is always None: 5.0 never offers ADD-PATH for MUP, nor do we). Every
  field is read from `data`, which `unpack_all` validated: a prefix longer than the address, a
  length that does not match the fields, an endpoint or source length other than the allowed ones
  is `Malformed` (Invalid Network Field). An unknown architecture or route type is kept as is.
- `index()` is (family, route type and data), except for a Type 1 Session Transformed route, which
  5.0 files by its route distinguisher and prefix only: announced again with another TEID, QFI or
  endpoint, it replaces the first.
- JSON and text are 5.0's: `{ "name": "InterworkSegmentDiscoveryRoute", "arch": 1, "code": 1,
  "prefix_ip_len": 24, "prefix_ip": "10.0.1.0", "rd": "100:100", "raw": "0100010C..." }` and
  `mup:isd::100:100:10.0.1.0/24` (5.0's doubled colon, and its Type 1 text giving the endpoint the
  prefix's length, included). Where 5.0.15's JSON does not parse (a Type 1 route: no comma after
  the endpoint, `"b''"` for no source) we write the comma and an empty source; an unknown route
  type shows its own architecture type and data (5.0.15 swaps the AFI in and loses the data).
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, Family
from exabgp.bgp.nlri import prefix, rd
from exabgp.bgp.nlri.base import NLRI

ARCH_3GPP_5G = 1
ISD = 1
DSD = 2
T1ST = 3
T2ST = 4
TEID_BITS = 32
SIZE: dict[int, int] = {AFI.IPV4: 4, AFI.IPV6: 16}
# (name in JSON, short name in text) of the route types of the 3GPP 5G architecture
NAMES = {
    ISD: ('InterworkSegmentDiscoveryRoute', 'isd'),
    DSD: ('DirectSegmentDiscoveryRoute', 'dsd'),
    T1ST: ('Type1SessionTransformedRoute', 't1st'),
    T2ST: ('Type2SessionTransformedRoute', 't2st'),
}


def _bad(reason: str) -> Malformed:
    return Malformed(f'MUP NLRI: {reason}', INVALID_NETWORK_FIELD)


def _padded(octets: bytes, size: int) -> bytes:
    return octets + bytes(size - len(octets))


@dataclass(frozen=True, slots=True)
class MUP(NLRI):
    family: Family
    arch: int
    code: int
    data: bytes
    path_id: int | None = None

    # ---------------------------------------------------------------- building

    @classmethod
    def isd(cls, family: Family, distinguisher: bytes, address: bytes, length: int) -> 'MUP':
        if not 0 <= length <= SIZE[family.afi] * 8:
            raise ValueError(f'invalid {family} prefix length {length}')
        return cls._made(family, ISD, distinguisher + prefix.pack(address, length))

    @classmethod
    def dsd(cls, family: Family, distinguisher: bytes, address: bytes) -> 'MUP':
        return cls._made(family, DSD, distinguisher + address)

    @classmethod
    def t1st(
        cls,
        family: Family,
        distinguisher: bytes,
        address: bytes,
        length: int,
        teid: int,
        qfi: int,
        endpoint: bytes,
        source: bytes = b'',
    ) -> 'MUP':
        if not 0 <= length <= SIZE[family.afi] * 8:
            raise ValueError(f'invalid {family} prefix length {length}')
        if not 0 <= teid < 1 << 32 or not 0 <= qfi <= 0xFF:
            raise ValueError(f'invalid TEID {teid} or QFI {qfi}')
        data = distinguisher + prefix.pack(address, length) + teid.to_bytes(4, 'big') + bytes((qfi,))
        data += bytes((len(endpoint) * 8,)) + endpoint
        if source:
            data += bytes((len(source) * 8,)) + source
        return cls._made(family, T1ST, data)

    @classmethod
    def t2st(cls, family: Family, distinguisher: bytes, endpoint: bytes, teid: int, teid_bits: int) -> 'MUP':
        if not 0 <= teid_bits <= TEID_BITS or teid >= 1 << teid_bits:
            raise ValueError(f'a TEID of {teid_bits} bits can not hold {teid}')
        octets = prefix.octets(teid_bits)
        tail = teid.to_bytes(octets, 'big') if octets else b''
        return cls._made(family, T2ST, distinguisher + bytes((len(endpoint) * 8 + teid_bits,)) + endpoint + tail)

    @classmethod
    def _made(cls, family: Family, code: int, data: bytes) -> 'MUP':
        if len(data) > 0xFF:
            raise ValueError(f'a MUP route of {len(data)} octets does not fit its length field')
        return cls(family, ARCH_3GPP_5G, code, bytes(data))

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'MUP':
        raise ValueError('a MUP route is written with its route type (mup-isd, mup-dsd, mup-t1st, mup-t2st)')

    # ---------------------------------------------------------------- the wire

    def pack(self, addpath: bool) -> bytes:
        body = bytes((self.arch,)) + self.code.to_bytes(2, 'big') + bytes((len(self.data),)) + self.data
        if addpath:
            return (self.path_id or 0).to_bytes(4, 'big') + body
        return body

    def index(self) -> Hashable:
        if self._known() and self.code == T1ST:
            return (self.family, self.code, self.data[: 9 + prefix.octets(self.data[8])])
        return (self.family, self.arch, self.code, self.data)

    def order(self) -> bytes:
        return self.pack(False)

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['MUP']:
        data = bytes(data)
        found = []
        offset = 0
        end = len(data)
        while offset < end:
            path_id = None
            if addpath:
                if offset + prefix.PATH_ID_SIZE > end:
                    raise _bad('the field ends inside a path identifier')
                path_id = int.from_bytes(data[offset : offset + 4], 'big')
                offset += 4
            if end - offset < 4:
                raise _bad(f'{end - offset} octets left, too few for a route header')
            arch = data[offset]
            code = int.from_bytes(data[offset + 1 : offset + 3], 'big')
            stop = offset + 4 + data[offset + 3]
            if stop > end:
                raise _bad(f'a route of {data[offset + 3]} octets overruns the field')
            body = data[offset + 4 : stop]
            if arch == ARCH_3GPP_5G and code in NAMES:
                _check(family, code, body)
            found.append(cls(family, arch, code, body, path_id))
            offset = stop
        return found

    # ---------------------------------------------------------------- fields

    def _known(self) -> bool:
        return self.arch == ARCH_3GPP_5G and self.code in NAMES

    def fields(self) -> dict[str, Any]:
        """The fields of a known route type, by 5.0's JSON names (addresses as text)."""
        data = self.data
        size = SIZE[self.family.afi]
        fields: dict[str, Any] = {}
        if self.code in (ISD, T1ST):
            length = data[8]
            end = 9 + prefix.octets(length)
            fields['prefix_ip_len'] = length
            fields['prefix_ip'] = prefix.text(_padded(data[9:end], size))
            if self.code == T1ST:
                fields['teid'] = int.from_bytes(data[end : end + 4], 'big')
                fields['qfi'] = data[end + 4]
                bits = data[end + 5]
                fields['endpoint_ip_len'] = bits
                start = end + 6
                fields['endpoint_ip'] = prefix.text(data[start : start + bits // 8])
                start += bits // 8
                fields['source_ip_len'] = data[start] if start < len(data) else 0
                fields['source_ip'] = prefix.text(data[start + 1 :]) if start < len(data) else ''
        elif self.code == DSD:
            fields['ip'] = prefix.text(data[8:])
        else:
            fields['endpoint_len'] = data[8]
            fields['endpoint_ip'] = prefix.text(data[9 : 9 + size])
            fields['teid'] = int.from_bytes(data[9 + size :], 'big')
        return fields

    def _raw(self) -> str:
        return self.pack(False).hex().upper()

    def json(self) -> str:
        if not self._known():
            return f'{{ "arch": {self.arch}, "code": {self.code}, "raw": "{self._raw()}" }}'
        fields = self.fields()
        name = NAMES[self.code][0]
        head = f'"name": "{name}", "arch": {self.arch}, "code": {self.code}'
        distinguisher = rd.json(self.data[:8])
        if self.code == ISD:
            items = f'"prefix_ip_len": {fields["prefix_ip_len"]}, "prefix_ip": "{fields["prefix_ip"]}", {distinguisher}'
        elif self.code == DSD:
            items = f'"ip": "{fields["ip"]}", {distinguisher}'
        elif self.code == T1ST:
            items = (
                f'"prefix_ip_len": {fields["prefix_ip_len"]}, "prefix_ip": "{fields["prefix_ip"]}", '
                f'"teid": "{fields["teid"]}", "qfi": "{fields["qfi"]}", {distinguisher}, '
                f'"endpoint_ip_len": {fields["endpoint_ip_len"]}, "endpoint_ip": "{fields["endpoint_ip"]}", '
                f'"source_ip_len": {fields["source_ip_len"]}, "source_ip": "{fields["source_ip"]}"'
            )
        else:
            # 5.0 writes two spaces before the architecture type of this one route type
            head = f'"name": "{name}",  "arch": {self.arch}, "code": {self.code}'
            items = (
                f'"endpoint_len": {fields["endpoint_len"]}, "endpoint_ip": "{fields["endpoint_ip"]}", '
                f'{distinguisher}, "teid": "{fields["teid"]}"'
            )
        return f'{{ {head}, {items}, "raw": "{self._raw()}" }}'

    def prefix(self) -> str:
        return str(self)

    def __str__(self) -> str:
        if not self._known():
            return f'mup:unknown:0x{self.data.hex()}'
        fields = self.fields()
        head = f'mup:{NAMES[self.code][1]}::{rd.text(self.data[:8])}'
        if self.code == ISD:
            return f'{head}:{fields["prefix_ip"]}/{fields["prefix_ip_len"]}'
        if self.code == DSD:
            return f'{head}:{fields["ip"]}'
        if self.code == T1ST:
            length = fields['prefix_ip_len']
            text = f'{head}:{fields["prefix_ip"]}/{length}:{fields["teid"]}:{fields["qfi"]}:{fields["endpoint_ip"]}/{length}'
            if fields['source_ip_len']:
                text += f':{fields["source_ip"]}/{fields["source_ip_len"]}'
            return text
        return f'{head}:{fields["endpoint_len"]}:{fields["endpoint_ip"]}:{fields["teid"]}:'


def _check(family: Family, code: int, data: bytes) -> None:
    """Refuse route type specific data whose fields do not add up (5.0's checks)."""
    size = SIZE[family.afi]
    if len(data) < rd.SIZE + 1:
        raise _bad(f'{NAMES[code][1]} route of {len(data)} octets, too short for its fields')
    if code == DSD:
        if len(data) - rd.SIZE not in (4, 16):
            raise _bad(f'dsd address of {len(data) - rd.SIZE} octets')
        return
    length = data[8]
    if code in (ISD, T1ST):
        if length > size * 8:
            raise _bad(f'{NAMES[code][1]} prefix of {length} bits for {family}')
        end = 9 + prefix.octets(length)
        if code == ISD:
            if len(data) != end:
                raise _bad(f'isd of {len(data)} octets for a /{length} prefix')
            return
        if len(data) < end + 6:
            raise _bad(f't1st of {len(data)} octets, too short for its TEID, QFI and endpoint')
        bits = data[end + 5]
        start = end + 6 + bits // 8
        if bits not in (32, 128) or len(data) < start:
            raise _bad(f't1st endpoint of {bits} bits in {len(data)} octets')
        if len(data) > start:
            source = data[start]
            if source not in (32, 128) or len(data) != start + 1 + source // 8:
                raise _bad(f't1st source of {source} bits in {len(data)} octets')
        return
    teid_bits = length - size * 8
    if not 0 <= teid_bits <= TEID_BITS:
        raise _bad(f't2st endpoint of {length} bits for {family}')
    if len(data) != 9 + size + prefix.octets(teid_bits):
        raise _bad(f't2st of {len(data)} octets for an endpoint of {length} bits')
