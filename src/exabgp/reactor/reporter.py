"""What one peer's sessions tell the outside: the observer's calls and `show neighbor`'s counts.

A `Peer` hands each batch of its sessions' events here, with the view the observer is to get; the
peer itself only acts on what concerns its connections (collision, established, the RIBs).

Invariants:
- The observer hears of every event in the order the session emitted it, synchronously.
- `stats` counts the messages of the current session by kind, as 5.0's `show neighbor` reports them,
  from the session's own `Received` and `Sent` events; they restart when the session that counted
  them ends.
- 5.0 reports a session "down" only once it had sent or received an OPEN, and the fsm state of a
  session going to IDLE only after that "down".
- At shutdown 5.0 tells the API each session is down, and the peer IDLE, before its processes hear
  of the shutdown (`stopping`); the sessions close later, and that is not reported again.
"""

import logging
import time
from collections.abc import Sequence

from exabgp import logger
from exabgp.api import show
from exabgp.bgp.message.header import NAMES
from exabgp.reactor.observer import Observer, PeerView
from exabgp.session.events import Closed, Negotiation, Received, Sent, StateChanged
from exabgp.session.state import State

statistics_log = logger.get('statistics')

OPENED = (State.OPENSENT, State.OPENCONFIRM, State.ESTABLISHED)

# the message kinds `show neighbor` counts, by type code
COUNTED = {kind: name for kind, name in NAMES.items() if name in show.MESSAGES}


class Stats:
    """What `show neighbor` reports: messages of the current session, and when things happened."""

    __slots__ = ('complete', 'created', 'received', 'reset', 'sent')

    def __init__(self) -> None:
        self.created = self.reset = time.time()
        self.complete = 0.0
        self.sent = dict.fromkeys(COUNTED.values(), 0)
        self.received = dict.fromkeys(COUNTED.values(), 0)

    def closed(self) -> None:
        self.reset = time.time()
        self.complete = 0.0
        for counts in (self.sent, self.received):
            for kind in counts:
                counts[kind] = 0


class Reporter:
    __slots__ = ('_opened', '_reported', 'ended', 'observer', 'peer', 'report_sent', 'stats')

    def __init__(self, observer: Observer, peer: str) -> None:
        self.observer = observer
        self.peer = peer
        self.stats = Stats()
        # whether some process asked for what we send (read when a connection starts)
        self.report_sent = False
        # the connections (any hashable key) that sent or received an OPEN
        self._opened: set[object] = set()
        # the connections whose end the API was told before they closed (`stopping`)
        self._reported: set[object] = set()
        # the peer's own last IDLE was reported
        self.ended = False

    def event(self, view: PeerView, connection: object, event: object) -> None:
        observer = self.observer
        if isinstance(event, Received):
            message = event.message
            kind = COUNTED.get(message.TYPE)
            if kind is not None:
                self.stats.received[kind] += 1
                self._counted('receive', kind, self.stats.received[kind])
            observer.received(view, message, event.header, event.body)
        elif isinstance(event, Sent):
            kind = COUNTED.get(event.kind)
            if kind is not None:
                self.stats.sent[kind] += 1
                self._counted('send', kind, self.stats.sent[kind])
            if self.report_sent:
                observer.sent(view, event)
        elif isinstance(event, StateChanged):
            if event.new is State.IDLE:
                if event.old in OPENED:
                    self._opened.add(connection)
            elif event.new in OPENED:
                observer.fsm(view, str(event.new).lower())
        elif isinstance(event, Negotiation):
            observer.negotiated(view, event.sent, event.received, event.negotiated)

    def _counted(self, direction: str, kind: str, count: int) -> None:
        # 5.0's statistics topic; a level check, never a formatting, when it is off
        if statistics_log.isEnabledFor(logging.DEBUG):
            statistics_log.debug(f'peer {self.peer} statistics for {direction}-{kind} counter {count}')

    def closed(self, view: PeerView, connection: object, event: Closed, reason: str, current: bool) -> None:
        """A connection's session ended; `reason` in 5.0's words, `current`: it was the session the
        counts were of."""
        opened = connection in self._opened
        self._opened.discard(connection)
        if connection in self._reported:
            self._reported.discard(connection)
        else:
            if opened:
                self.observer.down(view, reason)
            self.observer.fsm(view, 'idle')
        if current:
            self.stats.closed()

    def stopping(self, view: PeerView, connections: Sequence[tuple[object, bool]], reason: str) -> None:
        """The peer is told to stop: report now each connection down (`opened`: it had an OPEN) and
        IDLE, then the peer IDLE, as 5.0 does before its processes hear of the shutdown."""
        if self.ended:
            return
        for connection, opened in connections:
            self._reported.add(connection)
            if opened:
                self.observer.down(view, f'stop, message [{reason}]')
            self.observer.fsm(view, 'idle')
        self.ended = True
        self.observer.fsm(view, 'idle')
