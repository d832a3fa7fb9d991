"""A route: what the configuration and the API produce and what the RIB stores and packs.

Invariants: frozen and hashable. `nlri` says what is reached (its `index()` is the RIB key),
`attributes` how (the shared `Attributes` value, without NEXT_HOP nor MP_REACH/MP_UNREACH, which the
UPDATE encoder derives), `nexthop` through where: an `ipaddress` address, `SELF` (resolved to the
session's local address when the route is sent) or None (withdrawals, families without a next hop).
Many routes share one `Attributes` object and one next hop, which keeps big tables small.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from exabgp.bgp.nlri.base import NLRI


class _Self:
    """The `next-hop self` placeholder: replaced by the local address of the session."""

    __slots__ = ()

    def __repr__(self) -> str:
        return 'SELF'

    def __str__(self) -> str:
        return 'self'


SELF = _Self()

NextHop = IPv4Address | IPv6Address | _Self | None


@dataclass(frozen=True, slots=True)
class Route:
    nlri: NLRI
    # bgp.attribute.attributes.Attributes: typed loosely here to keep this module free of the table
    attributes: Any
    nexthop: NextHop = None
