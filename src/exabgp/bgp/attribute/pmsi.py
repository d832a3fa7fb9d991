"""PMSI_TUNNEL (type code 22, RFC 6514 section 5): the provider tunnel of a multicast VPN / EVPN route.

    +---------------------------------+
    |  Flags (1 octet)                |
    +---------------------------------+
    |  Tunnel Type (1 octet)          |
    +---------------------------------+
    |  MPLS Label (3 octets)          |
    +---------------------------------+
    |  Tunnel Identifier (variable)   |
    +---------------------------------+

Invariants: optional transitive. Fewer than five octets is malformed; RFC 6514 names no action, and
a tunnel the route cannot be forwarded on is no route at all, so it is treat-as-withdraw.
`label` is the whole 3-octet field as received (the label is its top twenty bits) and packs back
unchanged. The text is 5.0's `pmsi:<tunnel type>:<flags>:<label>:<tunnel>`: the label shown with the
raw field in brackets for an ingress replication tunnel, the tunnel as an address for that type,
as hex otherwise.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated

NO_TUNNEL = 0
INGRESS_REPLICATION = 6

_NAMES = {
    0: 'notunnel',
    1: 'rsvp-tep2mplsp',
    2: 'mldpp2mplsp',
    3: 'pim-ssmtree',
    4: 'pim-smtree',
    5: 'bidir-pimtree',
    6: 'ingressreplication',
    7: 'mldpmp2mplsp',
}


@dataclass(frozen=True, slots=True)
class PMSI(Attribute):
    CODE: ClassVar[int] = Code.PMSI_TUNNEL
    FLAGS: ClassVar[int] = Flag.OPTIONAL | Flag.TRANSITIVE
    NAME: ClassVar[str] = 'pmsi'

    flags: int
    tunnel_type: int
    label: int
    tunnel: bytes = b''

    def __post_init__(self) -> None:
        if not (0 <= self.flags <= 0xFF and 0 <= self.tunnel_type <= 0xFF and 0 <= self.label < 1 << 24):
            raise ValueError('invalid PMSI tunnel fields')

    @classmethod
    def ingress_replication(cls, address: IPv4Address, label: int, flags: int = 0) -> 'PMSI':
        return cls(flags, INGRESS_REPLICATION, label << 4, address.packed)

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'PMSI':
        if len(value) < 5:
            raise Malformed(f'PMSI_TUNNEL of {len(value)} octets', ATTRIBUTE_LENGTH_ERROR)
        return trusted(cls, value[0], value[1], int.from_bytes(value[2:5], 'big'), value[5:])

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return bytes((self.flags, self.tunnel_type)) + self.label.to_bytes(3, 'big') + self.tunnel

    def json(self) -> str:
        return f'"{self}"'

    def __str__(self) -> str:
        label = self.label >> 4
        if self.tunnel_type == INGRESS_REPLICATION and len(self.tunnel) == 4:
            shown = f'{label}({self.label})' if self.label else '0'
            tunnel = str(IPv4Address(self.tunnel))
        else:
            shown = str(label)
            tunnel = '0x' + self.tunnel.hex().upper() if self.tunnel else ''
        return f'pmsi:{_NAMES.get(self.tunnel_type, "unknown")}:{self.flags}:{shown}:{tunnel}'
