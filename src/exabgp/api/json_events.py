"""JSON of the session events ExaBGP 5.0 writes to API processes (types "state", "negotiated",
"fsm", "signal", the "packets" form of a message, and the "notification" of our own shutdown).

Invariants: the caller names what 5.0 names: `state` is 'up', 'connected' or 'down' (only 'down'
carries a reason); `fsm` takes 5.0's state name (IDLE, ACTIVE, CONNECT, OPENSENT, OPENCONFIRM,
ESTABLISHED); `signal` takes the signal number and its name (SIGHUP, ...) as the reactor knows them.
"""

from exabgp.api.envelope import Peer, Stamp, envelope, hexstring, negotiated_member, neighbor, string
from exabgp.bgp.message.header import NAMES, MessageType
from exabgp.bgp.negotiated import Negotiated

# 5.0's names of message types in "packets" events: the usual ones, but route refresh in full
CATEGORY_NAMES = {**NAMES, MessageType.ROUTE_REFRESH: 'route-refresh'}


def state(stamp: Stamp, peer: Peer, name: str, reason: str = '') -> str:
    members = f'"state": "{name}"'
    if name == 'down':
        members += f', "reason": {string(reason)}'
    return envelope(stamp, 'state', neighbor(peer, '', members))


def negotiated(stamp: Stamp, peer: Peer, value: Negotiated) -> str:
    return envelope(stamp, 'negotiated', neighbor(peer, '', negotiated_member(value)))


def fsm(stamp: Stamp, peer: Peer, name: str) -> str:
    return envelope(stamp, 'fsm', neighbor(peer, '', f'"state": {string(name)}'))


def signal(stamp: Stamp, peer: Peer, number: int, name: str) -> str:
    return envelope(stamp, 'signal', neighbor(peer, '', f'"code": "{number}", "name": {string(name)}'))


def packets(
    stamp: Stamp,
    peer: Peer,
    direction: str,
    category: int,
    header: bytes,
    body: bytes,
    value: Negotiated | None = None,
) -> str:
    """A message as octets only, for an API that asked for packets without parsed messages."""
    members = f'"message": {{ "category": {category}, "header": "{hexstring(header)}", "body": "{hexstring(body)}" }} '
    if value is not None:
        members += ', ' + negotiated_member(value)
    return envelope(stamp, CATEGORY_NAMES.get(category, 'unknown'), neighbor(peer, direction, members))


def shutdown(stamp: Stamp) -> str:
    """What 5.0 writes to each process when it exits: about no neighbor, so without a counter."""
    unstamped = Stamp(stamp.time, stamp.host, stamp.pid, stamp.ppid)
    return envelope(unstamped, 'notification', '"notification": "shutdown"')
