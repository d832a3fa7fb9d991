"""SR Policy NLRI (RFC 9830 2.1): AFI 1 and 2, SAFI 73 (`sr-policy`), an ExaBGP 6.0 family.

    +-----------------------------------+
    | Length (1 octet, in bits)         |   96 (IPv4) or 192 (IPv6): nothing else is valid
    +-----------------------------------+
    | Distinguisher (4 octets)          |
    +-----------------------------------+
    | Policy Color (4 octets)           |
    +-----------------------------------+
    | Endpoint (4 or 16 octets)         |   of the AFI
    +-----------------------------------+

with, under ADD-PATH, a 4-octet path identifier in front (RFC 7911). The policy itself (preference,
binding SID, segment lists ...) travels in the tunnel encapsulation attribute (bgp.attribute.tunnel).

Invariants:
- An `SRPolicy` is its family, distinguisher, color, endpoint (the packed address of the AFI) and
  path identifier (None when none). `unpack_all` refuses, as `Malformed` (Invalid Network Field),
  a length other than the AFI's and a field ending inside an NLRI; what that costs is the MP
  attribute codec's RFC 7606 decision, as for every family.
- `index()` is (family, path identifier, the three fields): a policy announced again with another
  attribute replaces the first.
- JSON and text are upstream main's: `{"distinguisher": 0, "color": 100, "endpoint": "10.0.0.1"}`
  and `sr-policy distinguisher 0 color 100 endpoint 10.0.0.1`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, Family
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.base import NLRI, with_path

# the endpoint's size by AFI; the NLRI is 8 octets more
ENDPOINT: dict[int, int] = {AFI.IPV4: 4, AFI.IPV6: 16}
_HEAD = 8


@dataclass(frozen=True, slots=True)
class SRPolicy(NLRI):
    family: Family
    distinguisher: int
    color: int
    endpoint: bytes
    path_id: int | None = None

    def __post_init__(self) -> None:
        if not (0 <= self.distinguisher < 1 << 32 and 0 <= self.color < 1 << 32):
            raise ValueError('an SR policy distinguisher and color are 32-bit numbers')
        if len(self.endpoint) != ENDPOINT.get(self.family.afi, -1):
            raise ValueError(f'an {self.family} endpoint is {ENDPOINT.get(self.family.afi)} octets')

    @classmethod
    def from_prefix(cls, family: Family, address: bytes, length: int, qualifiers: Mapping[str, Any]) -> 'SRPolicy':
        raise ValueError('an sr-policy route is written `sr-policy distinguisher N color N endpoint IP ...`')

    def _wire(self) -> bytes:
        body = self.distinguisher.to_bytes(4, 'big') + self.color.to_bytes(4, 'big') + self.endpoint
        return bytes((len(body) * 8,)) + body

    def pack(self, addpath: bool) -> bytes:
        return with_path(self.path_id, self._wire(), addpath)

    def index(self) -> tuple[Family, int | None, int, int, bytes]:
        return (self.family, self.path_id, self.distinguisher, self.color, self.endpoint)

    def order(self) -> bytes:
        return self._wire()

    def prefix(self) -> str:
        return str(self)

    def json(self) -> str:
        return (
            f'{{"distinguisher": {self.distinguisher}, "color": {self.color}, '
            f'"endpoint": "{prefix.text(self.endpoint)}"}}'
        )

    def __str__(self) -> str:
        return f'sr-policy distinguisher {self.distinguisher} color {self.color} endpoint {prefix.text(self.endpoint)}'

    def configuration(self) -> str:
        return str(self)

    @classmethod
    def unpack_all(cls, family: Family, data: bytes, addpath: bool) -> list['SRPolicy']:
        data = bytes(data)
        size = ENDPOINT[family.afi]
        bits = (_HEAD + size) * 8
        found = []
        offset = 0
        end = len(data)
        path_id = None
        while offset < end:
            if addpath:
                path_id, offset = prefix.path_at(data, offset, end)
                if offset >= end:
                    raise Malformed('the NLRI field ends before an SR policy length', INVALID_NETWORK_FIELD)
            if data[offset] != bits:
                raise Malformed(
                    f'SR policy NLRI length {data[offset]} bits, {family} needs {bits}', INVALID_NETWORK_FIELD
                )
            stop = offset + 1 + _HEAD + size
            if stop > end:
                raise Malformed('the NLRI field ends inside an SR policy NLRI', INVALID_NETWORK_FIELD)
            distinguisher = int.from_bytes(data[offset + 1 : offset + 5], 'big')
            color = int.from_bytes(data[offset + 5 : offset + 9], 'big')
            found.append(cls(family, distinguisher, color, data[offset + 9 : stop], path_id))
            offset = stop
        return found
