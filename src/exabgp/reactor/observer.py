"""What the reactor tells the API layer about peers: the seam between sessions and API processes.

The reactor calls these methods synchronously, in event order, and never waits on them: an
implementation must only queue work (the API process writer tasks drain the queues). `Observer` is
the interface with no behaviour; `reactor.processes.Processes` implements it for API processes.

Observers get values, never the peer: a `PeerView` is what the API needs to know of a peer at the
moment of an event (its neighbor, the addresses of its current connection, what was negotiated).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.model import Neighbor
from exabgp.session.events import Sent


@dataclass(frozen=True, slots=True)
class PeerView:
    # the same for every event of one peer (the API numbers each peer's events)
    key: int
    neighbor: Neighbor
    # of the established connection, else the first one, else the configuration's
    local_address: IPv4Address | IPv6Address | None
    router_id: IPv4Address | None
    # what the established session negotiated (None while none is)
    established: Negotiated | None
    # what the session the event comes from negotiated (None before the peer's OPEN is in)
    current: Negotiated | None
    # (local, remote) TCP ports of the connection `local_address` is of, (0, 0) without one
    ports: tuple[int, int] = (0, 0)


class Observer:
    def wants_sent(self, neighbor: Neighbor) -> bool:
        """Whether some process asked for the messages we send to this neighbor."""
        return False

    def connected(self, peer: PeerView) -> None:
        """TCP is up (5.0's `connected` state)."""

    def up(self, peer: PeerView) -> None:
        """The session reached ESTABLISHED."""

    def down(self, peer: PeerView, reason: str) -> None:
        """A session that had sent or received an OPEN ended; `reason` in 5.0's words."""

    def fsm(self, peer: PeerView, state: str) -> None:
        """The FSM moved to `state` (lower case: idle, connect, active, opensent, ...)."""

    def negotiated(self, peer: PeerView, sent: Open, received: Open, negotiated: Negotiated) -> None:
        """Both OPENs are in and valid."""

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        """A message from the peer."""

    def sent(self, peer: PeerView, sent: Sent) -> None:
        """A message to the peer (only when `wants_sent`); `sent.message` is None for a message
        that left already packed (an UPDATE from the RIB)."""

    def signal(self, peers: Iterable[PeerView], number: int) -> None:
        """The daemon received signal `number`; `peers` are every peer it has."""

    def close(self) -> None:
        """The daemon is ending, after its last event: write out what is buffered."""


class Observers(Observer):
    """Several observers heard in turn, in the order given: the API processes first, then the
    exporters (BMP, MRT dump) a configuration adds. Each gets every event; none waits on another."""

    def __init__(self, observers: Iterable[Observer]) -> None:
        self.observers = tuple(observers)

    def wants_sent(self, neighbor: Neighbor) -> bool:
        return any(observer.wants_sent(neighbor) for observer in self.observers)

    def connected(self, peer: PeerView) -> None:
        for observer in self.observers:
            observer.connected(peer)

    def up(self, peer: PeerView) -> None:
        for observer in self.observers:
            observer.up(peer)

    def down(self, peer: PeerView, reason: str) -> None:
        for observer in self.observers:
            observer.down(peer, reason)

    def fsm(self, peer: PeerView, state: str) -> None:
        for observer in self.observers:
            observer.fsm(peer, state)

    def negotiated(self, peer: PeerView, sent: Open, received: Open, negotiated: Negotiated) -> None:
        for observer in self.observers:
            observer.negotiated(peer, sent, received, negotiated)

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        for observer in self.observers:
            observer.received(peer, message, header, body)

    def sent(self, peer: PeerView, sent: Sent) -> None:
        for observer in self.observers:
            observer.sent(peer, sent)

    def signal(self, peers: Iterable[PeerView], number: int) -> None:
        views = tuple(peers)
        for observer in self.observers:
            observer.signal(views, number)

    def close(self) -> None:
        for observer in self.observers:
            observer.close()


def combined(observers: Sequence[Observer]) -> Observer:
    """One observer for all of `observers`: the only one itself, so the usual daemon (API processes
    alone) pays nothing per event for the fan-out."""
    return observers[0] if len(observers) == 1 else Observers(observers)
