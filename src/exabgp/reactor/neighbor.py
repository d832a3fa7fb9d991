"""From a configured neighbor to what its sessions need: the session config, our OPEN, next-hop self.

Invariants: pure functions of the neighbor, the settings and the connection's local address; the
router id is the configured one, else the local address when it is IPv4 (5.0's inference, done
here for `local-address auto` where the address is only known once connected).
"""

from ipaddress import IPv4Address, IPv6Address, ip_address

from exabgp.bgp.family import AFI, Family
from exabgp.bgp.message.open import Open
from exabgp.bgp.route import NextHop
from exabgp.configuration.capabilities import capabilities
from exabgp.configuration.model import Neighbor
from exabgp.rib.outgoing import Resolver
from exabgp.session.config import SessionConfig
from exabgp.settings import Settings

VERSION = 4


def router_id(neighbor: Neighbor, local: IPv4Address | IPv6Address | None) -> IPv4Address:
    if neighbor.router_id is not None:
        return neighbor.router_id
    if isinstance(local, IPv4Address):
        return local
    raise ValueError(f'neighbor {neighbor.peer()}: no router-id, and no IPv4 local address to take it from')


def session_config(
    neighbor: Neighbor,
    settings: Settings,
    local: IPv4Address | IPv6Address | None,
    *,
    restarted: bool = False,
    report_sent: bool = False,
) -> SessionConfig:
    identifier = router_id(neighbor, local)

    def build_open(asn: int) -> Open:
        offered = capabilities(neighbor, settings.version, restarted=restarted, local_as=asn)
        return Open(VERSION, asn, neighbor.hold_time, identifier, offered)

    return SessionConfig(
        peer=neighbor.peer(),
        build_open=build_open,
        router_id=identifier,
        local_as=neighbor.local_as,
        peer_as=neighbor.peer_as,
        open_wait=float(settings.bgp.openwait),
        send_hold=float(settings.bgp.sendhold) or None,
        aigp=neighbor.capability.aigp,
        report_sent=report_sent,
        notification_text=settings.notification.text or settings.six,
        six=settings.six,
        local_link_local=neighbor.local_link_local,
    )


def self_unusable(family: Family, local: IPv4Address | IPv6Address) -> str | None:
    """Why `next-hop self` can not be resolved for a route of `family` on a session whose local
    address is `local`, or None when it can: IPv4 routes take the local address or, on an IPv6
    session, the router id (5.0); IPv6 routes need an IPv6 session (5.0 refuses the others too)."""
    if family.afi == AFI.IPV4 or (family.afi == AFI.IPV6 and isinstance(local, IPv6Address)):
        return None
    session = 'ipv4' if isinstance(local, IPv4Address) else 'ipv6'
    return (
        f'use of "next-hop self": the route ({family}) does not have the same family as the BGP tcp '
        f'session ({session}, local address {local})'
    )


def self_resolver(local: IPv4Address | IPv6Address, identifier: IPv4Address | None) -> Resolver:
    """`next-hop self`: our address on this session for its own AFI; for IPv4 routes on an IPv6
    session, 5.0 uses the router id; None where `self_unusable` says why."""

    def resolve(nexthop: NextHop, family: Family) -> IPv4Address | IPv6Address | None:
        if nexthop is None or isinstance(nexthop, IPv4Address | IPv6Address):
            return nexthop
        if self_unusable(family, local) is not None:
            return None
        if family.afi == AFI.IPV4 and not isinstance(local, IPv4Address):
            return identifier
        return local

    return resolve


def address(text: str) -> IPv4Address | IPv6Address:
    """A socket's address string (maybe an IPv4-mapped IPv6 or with a scope) as an address."""
    value = ip_address(text.split('%', 1)[0])
    if isinstance(value, IPv6Address) and value.ipv4_mapped is not None:
        return value.ipv4_mapped
    return value
