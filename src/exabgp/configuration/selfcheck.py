"""`exabgp validate -n -r`: encode what was configured, decode it back, and report any difference.

- Neighbors (`-n`): the OPEN the neighbor sends is packed and unpacked; its capabilities must come
  back equal, and a session with a peer offering the same capabilities must negotiate and validate.
- Routes (`-r`): the routes are packed into UPDATEs for that session (as the RIB will send them),
  the UPDATEs unpacked, and each route must come back with its prefix, path identifier, next hop
  and attributes (plus the defaults 5.0 adds on the wire: ORIGIN, AS_PATH and, on an internal
  session, LOCAL_PREF).

Each function returns a list of problems, empty when all is well.
"""

from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.attribute.base import Code, Flag
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.bgp.capability.negotiation import negotiate, validate
from exabgp.bgp.errors import PeerError
from exabgp.bgp.message.header import HEADER_SIZE
from exabgp.bgp.message.open import VERSION, Open
from exabgp.bgp.message.update import Update
from exabgp.bgp.message.update_pack import messages
from exabgp.bgp.negotiated import DEFAULT, Negotiated
from exabgp.bgp.route import SELF, Route
from exabgp.configuration.capabilities import capabilities
from exabgp.configuration.model import Neighbor

# the defaults the attribute encoder adds when a route has none
_OPTIONAL_TRANSITIVE = Flag.OPTIONAL | Flag.TRANSITIVE
_DEFAULTED = (Code.ORIGIN, Code.AS_PATH, Code.LOCAL_PREF)


def _opens(neighbor: Neighbor, version: str) -> tuple[Open, Open]:
    local_as = neighbor.local_as if neighbor.local_as is not None else (neighbor.peer_as or 1)
    peer_as = neighbor.peer_as if neighbor.peer_as is not None else local_as
    offered = capabilities(neighbor, version, local_as=local_as)
    router_id = neighbor.router_id or IPv4Address('127.0.0.1')
    # the peer: the same capabilities, another router-id (as 5.0's check does)
    other = IPv4Address('.'.join(str((int(part) + 1) % 250) for part in str(router_id).split('.')))
    peer_offered = capabilities(neighbor, version, local_as=peer_as)
    return (
        Open(VERSION, local_as, neighbor.hold_time, router_id, offered),
        Open(VERSION, peer_as, neighbor.hold_time, other, peer_offered),
    )


def session(neighbor: Neighbor, version: str) -> Negotiated:
    """What a session with a peer offering what we offer negotiates."""
    sent, received = _opens(neighbor, version)
    return negotiate(sent, received, aigp=neighbor.capability.aigp)


def neighbor(neighbor: Neighbor, version: str) -> list[str]:
    problems = []
    sent, received = _opens(neighbor, version)
    try:
        packed = sent.pack(DEFAULT)
        decoded = Open.unpack(packed[HEADER_SIZE:], DEFAULT)
    except (PeerError, ValueError) as exc:
        return [f'neighbor {neighbor.peer()}: its OPEN does not encode: {exc}']
    if decoded.capabilities != sent.capabilities:
        problems.append(
            f'neighbor {neighbor.peer()}: the OPEN capabilities decode differently: '
            f'{sent.capabilities} != {decoded.capabilities}'
        )
    # an AS above 65535 travels as AS_TRANS in the header (and in full in ASN4)
    if (decoded.hold_time, decoded.router_id) != (sent.hold_time, sent.router_id):
        problems.append(f'neighbor {neighbor.peer()}: the OPEN header decodes differently')
    error = validate(sent, received, peer_as=received.asn, local_as=sent.asn, router_id=sent.router_id)
    if error is not None:
        problems.append(f'neighbor {neighbor.peer()}: a session with these capabilities fails: {error.reason}')
    return problems


def resolved(route: Route, neighbor: Neighbor) -> Route:
    """`next-hop self` as the session would send it: the local address, or 5.0's stand-ins."""
    if route.nexthop is not SELF:
        return route
    local = neighbor.local_address
    address: IPv4Address | IPv6Address
    if route.nlri.family.afi == 1:
        address = local if isinstance(local, IPv4Address) else (neighbor.router_id or IPv4Address('127.0.0.1'))
    else:
        address = local if isinstance(local, IPv6Address) else IPv6Address('::1')
    return Route(route.nlri, route.attributes, address)


def _checkable(route: Route) -> bool:
    """5.0's check does not try routes carrying a raw attribute a decoder may not keep: one that is
    not optional and transitive is refused or dropped by the receiving side, as the RFCs want."""
    return all(
        not isinstance(attribute, Unknown) or attribute.flags & _OPTIONAL_TRANSITIVE == _OPTIONAL_TRANSITIVE
        for attribute in route.attributes
    )


def _same(sent: object, received: object) -> bool:
    """Equal, but for the Partial bit a receiver sets on an optional transitive attribute it does not
    know (RFC 4271 5)."""
    if isinstance(sent, Unknown) and isinstance(received, Unknown):
        return (sent.code, sent.value, sent.flags | Flag.PARTIAL) == (
            received.code,
            received.value,
            received.flags | Flag.PARTIAL,
        )
    return sent == received


def _key(route: Route, negotiated: Negotiated) -> tuple[object, ...]:
    """A route's NLRI as the wire carries it (with ADD-PATH, no path identifier travels as 0)."""
    nlri = route.nlri
    return (nlri.family, nlri.pack(negotiated.send_path(nlri.family)))


def routes(neighbor: Neighbor, version: str) -> list[str]:
    negotiated = session(neighbor, version)
    # as in a RIB, a later route for the same prefix replaces an earlier one
    latest = {route.nlri.index(): resolved(route, neighbor) for route in neighbor.routes}
    sendable = [route for route in latest.values() if route.nexthop is not None and _checkable(route)]
    try:
        wire = messages(sendable, [], negotiated)
    except ValueError as exc:
        return [f'neighbor {neighbor.peer()}: the routes do not encode: {exc}']
    decoded: dict[object, Route] = {}
    problems = []
    for message in wire:
        try:
            update = Update.unpack(message[HEADER_SIZE:], negotiated)
        except PeerError as exc:
            return [f'neighbor {neighbor.peer()}: an UPDATE does not decode: {exc.reason}']
        if update.reason:
            problems.append(f'neighbor {neighbor.peer()}: an UPDATE decodes with an error: {update.reason}')
        for route in update.announced:
            decoded[_key(route, negotiated)] = route
    # what the encoder adds or leaves out on its own (5.0's defaults; no LOCAL_PREF on an external session)
    ignored = set(_DEFAULTED) if negotiated.ibgp else {Code.ORIGIN, Code.AS_PATH}
    for route in sendable:
        if route.nlri.family not in negotiated.families:
            continue
        back = decoded.get(_key(route, negotiated))
        name = f'neighbor {neighbor.peer()}: route {route.nlri}'
        if back is None:
            problems.append(f'{name} is missing once decoded')
            continue
        if back.nexthop != route.nexthop:
            problems.append(f'{name} next-hop {route.nexthop} decodes as {back.nexthop}')
        for attribute in route.attributes:
            if not negotiated.ibgp and attribute.CODE == Code.LOCAL_PREF:
                continue
            if not _same(attribute, back.attributes.get(attribute.CODE)):
                problems.append(f'{name} {attribute.text()} decodes as {back.attributes.get(attribute.CODE)}')
        extra = set(back.attributes.codes()) - set(route.attributes.codes()) - ignored
        if extra:
            problems.append(f'{name} gained attributes {sorted(extra)}')
    return problems
