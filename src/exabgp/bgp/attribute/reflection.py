"""ORIGINATOR_ID (type code 9) and CLUSTER_LIST (type code 10): route reflection (RFC 4456).

    ORIGINATOR_ID: one 4-octet router id.     CLUSTER_LIST: a sequence of 4-octet cluster ids.

Invariants: both optional non-transitive. ORIGINATOR_ID not four octets, or a CLUSTER_LIST whose
length is not a non-zero multiple of four, is malformed (RFC 7606 7.9, 7.10: treat-as-withdraw).
Ids are IPv4Address values. 5.0 prints a cluster list in brackets whatever its size and the
originator id as an address; JSON gives a string and a list of strings.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag, trusted
from exabgp.bgp.errors import ATTRIBUTE_LENGTH_ERROR, Malformed
from exabgp.bgp.negotiated import Negotiated


@dataclass(frozen=True, slots=True)
class OriginatorID(Attribute):
    CODE: ClassVar[int] = Code.ORIGINATOR_ID
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'originator-id'

    address: IPv4Address

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'OriginatorID':
        if len(value) != 4:
            raise Malformed(f'ORIGINATOR_ID must be 4 octets, not {len(value)}', ATTRIBUTE_LENGTH_ERROR)
        return trusted(cls, IPv4Address(value))

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return self.address.packed

    def json(self) -> str:
        return f'"{self.address}"'

    def __str__(self) -> str:
        return str(self.address)


@dataclass(frozen=True, slots=True)
class ClusterList(Attribute):
    CODE: ClassVar[int] = Code.CLUSTER_LIST
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'cluster-list'

    clusters: tuple[IPv4Address, ...]

    @classmethod
    def unpack(cls, value: bytes, negotiated: Negotiated) -> 'ClusterList':
        if not value or len(value) % 4:
            raise Malformed(f'CLUSTER_LIST of {len(value)} octets', ATTRIBUTE_LENGTH_ERROR)
        clusters = tuple(IPv4Address(value[index : index + 4]) for index in range(0, len(value), 4))
        return trusted(cls, clusters)

    def pack_value(self, negotiated: Negotiated) -> bytes:
        return b''.join(cluster.packed for cluster in self.clusters)

    def pack(self, negotiated: Negotiated) -> bytes:
        # an optional attribute with no value is not sent, as 5.0 does
        return Attribute.pack(self, negotiated) if self.clusters else b''

    def json(self) -> str:
        quoted = ', '.join(f'"{cluster}"' for cluster in self.clusters)
        return f'[ {quoted} ]'

    def __str__(self) -> str:
        return f'[ {" ".join(str(cluster) for cluster in self.clusters)} ]'
