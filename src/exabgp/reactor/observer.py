"""What the reactor tells the API layer about peers: the seam between sessions and API processes.

The reactor calls these methods synchronously, in event order, and never waits on them: an
implementation must only queue work (the API process writer tasks drain the queues). `Observer` is
the interface with no behaviour; `reactor.processes.Processes` implements it for API processes.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated

if TYPE_CHECKING:
    from exabgp.reactor.peer import Peer


class Observer:
    def wants_sent(self, peer: 'Peer') -> bool:
        """Whether some process asked for the messages we send to this peer."""
        return False

    def connected(self, peer: 'Peer') -> None:
        """TCP is up (5.0's `connected` state)."""

    def up(self, peer: 'Peer') -> None:
        """The session reached ESTABLISHED."""

    def down(self, peer: 'Peer', reason: str) -> None:
        """A session that had sent or received an OPEN ended; `reason` in 5.0's words."""

    def fsm(self, peer: 'Peer', state: str) -> None:
        """The FSM moved to `state` (lower case: idle, connect, active, opensent, ...)."""

    def negotiated(self, peer: 'Peer', sent: Open, received: Open, negotiated: Negotiated) -> None:
        """Both OPENs are in and valid."""

    def received(self, peer: 'Peer', message: object, header: bytes, body: bytes) -> None:
        """A message from the peer."""

    def sent(self, peer: 'Peer', message: object, header: bytes, body: bytes) -> None:
        """A message to the peer (only when `wants_sent`)."""

    def signal(self, peers: Iterable['Peer'], number: int) -> None:
        """The daemon received signal `number`; `peers` are every peer it has."""
