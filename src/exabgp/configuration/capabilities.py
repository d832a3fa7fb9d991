"""The capabilities a configured neighbor offers in its OPEN, in the order and shape 5.0 sends them.

Order (5.0's Capabilities.new): MULTIPROTOCOL (one per family), ASN4, extended next hop, ADD-PATH,
graceful restart, route refresh and enhanced route refresh, operational, extended message, host name,
software version, multisession (5.0 sends its flags octet and the MULTIPROTOCOL Session Id as two
one-octet TLVs, then an empty Cisco TLV).

Invariants:
- Only families we can decode and encode are offered (bgp.nlri.table: `built`): a configured family
  whose codec is not built yet is left out of every capability, so no peer sends us what we could
  not read (the reactor warns about it once per neighbor).
- Only the RFC 8950 pairs 5.0 can send are offered (IPv4 unicast, multicast, labeled and VPN over
  IPv6 next hops), and ADD-PATH only for the families 5.0 can pack a path identifier for (IPv4 and
  IPv6 unicast, labeled, VPN), whatever else the configuration lists.
- Graceful restart lists every family with the forwarding state bit; the restart state bit is set
  after a restart (`restarted`).
- The host name capability is sent only when a host-name is configured.
- upstream 6.0's link-local next hop capability (77) comes last, only when configured.
"""

from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.base import Capability
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import FORWARDING_STATE, RESTART_STATE, GracefulRestart
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.operational import Operational
from exabgp.bgp.capability.refresh import EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.capability.unknown import UnknownCapability
from exabgp.bgp.nlri import table
from exabgp.configuration.model import Neighbor

ADDPATH_FAMILIES = tuple(row.family for row in table.ROWS if row.addpath)
NEXTHOP_PAIRS = tuple((row.family, row.extended_nexthop) for row in table.ROWS if row.extended_nexthop is not None)
MULTIPROTOCOL = 1
# upstream 6.0's link-local next hop capability (draft-ietf-idr-linklocal-capability), empty; sent as
# a capability 5.0 does not know, so a received one shows in JSON as 5.0 shows it
LINK_LOCAL_NEXTHOP = 77
# upstream 6.0's PATHS-LIMIT (draft-ietf-idr-add-paths-guidance): AFI, SAFI and a 2-octet limit per
# family, right after ADD-PATH; sent as 5.0 shows it, unknown
PATHS_LIMIT = 76


def capabilities(
    neighbor: Neighbor, version: str, *, restarted: bool = False, local_as: int | None = None
) -> tuple[Capability, ...]:
    """The OPEN's capabilities; `local_as` replaces an `auto` local AS, `version` is our release."""
    capability = neighbor.capability
    families = table.built(neighbor.families)
    offered: list[Capability] = [MultiProtocol(family) for family in families]
    asn = neighbor.local_as if local_as is None else local_as
    if capability.asn4:
        if asn is None:
            raise ValueError('an auto local-as must be resolved before the OPEN is built')
        offered.append(ASN4(asn))
    if capability.nexthop:
        pairs = tuple(pair for pair in NEXTHOP_PAIRS if pair in neighbor.nexthops and pair[0] in families)
        offered.append(ExtendedNextHop(pairs))
    if capability.add_path:
        paths = tuple(family for family in ADDPATH_FAMILIES if family in neighbor.addpath and family in families)
        offered.append(AddPath(tuple((family, capability.add_path) for family in paths)))
        limits = [(family, limit) for family, limit in neighbor.paths_limit if family in paths]
        if limits:
            value = b''.join(
                family.afi.to_bytes(2, 'big') + bytes((family.safi,)) + limit.to_bytes(2, 'big')
                for family, limit in limits
            )
            offered.append(UnknownCapability(PATHS_LIMIT, value))
    if capability.graceful_restart:
        offered.append(
            GracefulRestart(
                RESTART_STATE if restarted else 0,
                capability.graceful_restart,
                tuple((family, FORWARDING_STATE) for family in families),
            )
        )
    if capability.route_refresh:
        offered.extend((RouteRefresh(), EnhancedRouteRefresh()))
    if capability.operational:
        offered.append(Operational())
    if capability.extended_message:
        offered.append(ExtendedMessage())
    if neighbor.host_name:
        offered.append(HostName(neighbor.host_name, neighbor.domain_name or ''))
    if capability.software_version:
        offered.append(SoftwareVersion.exabgp(version))
    if capability.multi_session:
        offered.extend((MultiSession(0), MultiSession(MULTIPROTOCOL), CiscoMultiSession(0)))
    if capability.link_local_nexthop:
        offered.append(UnknownCapability(LINK_LOCAL_NEXTHOP))
    return tuple(offered)
