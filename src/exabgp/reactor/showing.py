"""What `show` reads of a peer: its snapshot for `show neighbor`, and its routes as they are sent.

Invariants: read only; nothing here changes a peer. The snapshot is taken at one moment (`now`);
`as_sent` shows `next-hop self` as the address the peer is sent, as 5.0 shows it.
"""

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from exabgp.api import show
from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.operational import Operational as OperationalCapability
from exabgp.bgp.capability.refresh import RouteRefresh as RefreshCapability
from exabgp.bgp.message.open import Open
from exabgp.bgp.route import SELF, Route
from exabgp.configuration.model import ADDPATH_DISABLED
from exabgp.reactor.neighbor import self_resolver

if TYPE_CHECKING:
    from exabgp.reactor.peer import Peer


def _has(message: Open | None, *kinds: type) -> bool | None:
    if message is None:
        return None
    return any(message.find(kind) for kind in kinds)


def view(peer: 'Peer', now: float, dropped: int = 0) -> show.PeerView:
    """A snapshot of a peer for `show neighbor`; `dropped` counts the API events it lost."""
    neighbor = peer.neighbor
    session = peer.session()
    received = session.received_open if session is not None else None
    sent = session.sent_open if session is not None else None
    negotiated = session.negotiated if received is not None and session is not None else None
    capability = neighbor.capability
    capabilities = (
        ('asn4', capability.asn4, None if negotiated is None else negotiated.asn4),
        ('route-refresh', capability.route_refresh, _has(received, RefreshCapability)),
        ('multi-session', capability.multi_session, _has(received, MultiSession, CiscoMultiSession)),
        ('operational', capability.operational, _has(received, OperationalCapability)),
        ('add-path', capability.add_path != ADDPATH_DISABLED, _has(received, AddPath)),
        ('extended-message', capability.extended_message, _has(received, ExtendedMessage)),
        ('graceful-restart', bool(capability.graceful_restart), _has(received, GracefulRestart)),
    )
    families = []
    for family in neighbor.families:
        if negotiated is not None:
            common = family in negotiated.families
            families.append(
                show.FamilyView(str(family), common, negotiated.send_path(family), negotiated.receive_path(family))
            )
        else:
            unknown = None if family in neighbor.addpath else False
            families.append(show.FamilyView(str(family), None, unknown, unknown))
    stats = peer.stats
    local_as = neighbor.local_as if neighbor.local_as is not None else (sent.asn if sent else 'auto')
    return show.PeerView(
        peer_address=neighbor.peer(),
        local_address=str(peer.local_address()),
        local_as=local_as,
        peer_as=neighbor.peer_as,
        local_id=str(peer.router_id()),
        peer_id=None if received is None else str(received.router_id),
        local_hold=neighbor.hold_time,
        peer_hold=None if received is None else received.hold_time,
        state=peer.state().name,
        up=int(now - stats.complete) if stats.complete else 0,
        down=int(stats.reset - stats.created),
        capabilities=capabilities,
        families=tuple(families),
        messages=tuple((kind, stats.sent[kind], stats.received[kind]) for kind in show.MESSAGES),
        dropped=dropped,
    )


def as_sent(peer: 'Peer') -> Callable[[list[Route]], list[Route]]:
    """What replaces `next-hop self` in routes by the address the peer is sent (5.0 shows that
    address): the session's local address, else the configured one. While neither is known, or
    when the route's family has no address on this session, the route keeps `self`."""
    local = peer.local_address()
    if local is None:
        return list
    resolve = self_resolver(local, peer.router_id())

    def resolved(routes: list[Route]) -> list[Route]:
        shown = []
        for route in routes:
            if route.nexthop is SELF:
                nexthop = resolve(SELF, route.nlri.family)
                if nexthop is not None:
                    route = dataclasses.replace(route, nexthop=nexthop)
            shown.append(route)
        return shown

    return resolved


def by_family(route: Route) -> tuple[int, int]:
    family = route.nlri.family
    return (family.afi, family.safi)
