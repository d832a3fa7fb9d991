"""What a session negotiated: everything that changes how messages are encoded or decoded.

Invariants: frozen; built once per session from both OPENs (bgp.capability.negotiation) or, for
tests and `exabgp decode`, directly. Codecs read encoding choices from here and nowhere else.
The defaults describe a plain RFC 4271 session: 2-octet ASNs, 4096-octet messages, IPv4 unicast,
no ADD-PATH.
"""

from dataclasses import dataclass, field
from enum import IntEnum
from ipaddress import IPv6Address

from exabgp.bgp.family import IPV4_UNICAST, Family

STANDARD_SIZE = 4096
EXTENDED_SIZE = 65535


class Refresh(IntEnum):
    ABSENT = 0
    NORMAL = 1
    ENHANCED = 2


@dataclass(frozen=True, slots=True)
class Negotiated:
    local_as: int = 0
    peer_as: int = 0
    hold_time: int = 180
    asn4: bool = False
    families: tuple[Family, ...] = (IPV4_UNICAST,)
    # RFC 8950 extended next hop: (nlri family, next-hop afi) pairs both sides announced
    nexthop: tuple[tuple[Family, int], ...] = ()
    addpath_send: frozenset[Family] = field(default_factory=frozenset)
    addpath_receive: frozenset[Family] = field(default_factory=frozenset)
    msg_size: int = STANDARD_SIZE
    refresh: Refresh = Refresh.ABSENT
    multisession: bool = False
    operational: bool = False
    aigp: bool = False
    # upstream 6.0 (exabgp.api.version 4 or 6) puts MP_UNREACH_NLRI before the path attributes a
    # withdrawal carries; 5.0 puts it last
    unreach_first: bool = False
    # upstream 6.0's link-local next hop capability (77), negotiated: our link-local address, sent
    # after a global IPv6 next hop (32 octets); None when not negotiated or not configured
    link_local: IPv6Address | None = None

    def send_path(self, family: Family) -> bool:
        """ADD-PATH: our NLRI for this family carry a path identifier."""
        return family in self.addpath_send

    def receive_path(self, family: Family) -> bool:
        """ADD-PATH: the peer's NLRI for this family carry a path identifier."""
        return family in self.addpath_receive

    @property
    def ibgp(self) -> bool:
        return self.local_as == self.peer_as


DEFAULT = Negotiated()
