"""Connection collision resolution (RFC 4271 section 6.8), as pure decisions over session states.

Invariants:
- A connection arriving while a session of the same peer is ESTABLISHED is refused (Cease 6/7), and
  so is any connection once the peer is stopping.
- When the peer's OPEN arrives on one connection while another is in OPENCONFIRM, the connection
  initiated by the speaker with the higher BGP Identifier is kept; the other is closed with Cease /
  Connection Collision Resolution (6/7). BGP Identifiers compare as unsigned 32-bit integers.
- Against an ESTABLISHED session the newcomer always loses; against a session in any other state
  (CONNECT, ACTIVE, OPENSENT) there is no collision yet: both go on.
- Two connections opened the same way (the peer connected twice) are no RFC collision, as the
  identifiers can not tell them apart: the older one closes, the peer having moved to the newer.
"""

from enum import Enum
from ipaddress import IPv4Address

from exabgp.session.state import State


class Close(Enum):
    """Which of two connections to close."""

    ARRIVING = 'arriving'  # the one whose OPEN just arrived
    OTHER = 'other'


def keep_outgoing(local_id: IPv4Address, remote_id: IPv4Address) -> bool:
    """True when the connection we initiated wins, False when the peer's does."""
    return int(local_id) > int(remote_id)


def refuse_connection(established: bool, stopping: bool) -> bool:
    """Whether a new connection must be refused: the peer has an established session (until that
    session's connection is fully closed), or it is stopping."""
    return established or stopping


def resolve(
    arriving_outgoing: bool,
    other_state: State,
    other_outgoing: bool,
    local_id: IPv4Address,
    remote_id: IPv4Address,
) -> Close | None:
    """The peer's OPEN arrived on one connection (`arriving_outgoing`: we opened it) while another
    connection of the same peer is in `other_state`: which to close, or None when they do not collide."""
    if other_state is State.ESTABLISHED:
        return Close.ARRIVING
    if other_state is not State.OPENCONFIRM:
        return None
    if arriving_outgoing == other_outgoing:
        return Close.OTHER
    winner_outgoing = keep_outgoing(local_id, remote_id)
    return Close.OTHER if other_outgoing != winner_outgoing else Close.ARRIVING
