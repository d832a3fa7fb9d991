"""NEXT_HOP (type code 3, RFC 4271 5.1.3): the IPv4 next hop of the routes in the NLRI field.

    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                       IPv4 address (4 octets)                 |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Invariants: `address` is an IPv4Address; a value that is not four octets is malformed (RFC 7606 7.3:
treat-as-withdraw). It is not kept in `Attributes`: a route carries its next hop beside them, and the
UPDATE encoder packs it with `extra`. It prints as the address; 5.0 shows it with the NLRI, never in
the JSON `attribute` object.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated


@dataclass(frozen=True, slots=True)
class NextHop(Attribute):
    CODE: ClassVar[int] = Code.NEXT_HOP
    FLAGS: ClassVar[int] = Flag.TRANSITIVE
    NAME: ClassVar[str] = 'next-hop'

    address: IPv4Address

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'NextHop':
        if len(value) != 4:
            raise Malformed(f'NEXT_HOP must be 4 octets, not {len(value)}', ATTRIBUTE_LENGTH_ERROR)
        return trusted(cls, IPv4Address(value))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.address.packed

    def pack(self, negotiated: Negotiated) -> bytes:
        return b'\x40\x03\x04' + self.address.packed

    def json(self) -> str:
        return f'"{self.address}"'

    def __str__(self) -> str:
        return str(self.address)
