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
- `totals` counts since the peer was made and is never reset (the metrics' counters): messages by
  direction and kind, the prefixes received UPDATEs announced and withdrew by family, NOTIFICATIONs
  by direction, code and subcode, sessions that reached and left ESTABLISHED, and when the FSM of
  one of the peer's sessions last moved.
- At shutdown 5.0 tells the API each session is down, and the peer IDLE, before its processes hear
  of the shutdown (`stopping`); the sessions close later, and that is not reported again.
"""

import logging
import time
from collections.abc import Sequence

from exabgp import logger
from exabgp.api import show
from exabgp.bgp.family import Family
from exabgp.bgp.message.header import NAMES
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.update import Update
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


class Totals:
    """Counts since the peer was made, never reset (Prometheus counters only go up)."""

    __slots__ = ('changed', 'downs', 'messages', 'notifications', 'prefixes', 'ups')

    def __init__(self) -> None:
        # (direction 'received' or 'sent', kind name) -> messages
        self.messages: dict[tuple[str, str], int] = {}
        # (family, withdrawn) -> NLRI in received UPDATEs
        self.prefixes: dict[tuple[Family, bool], int] = {}
        # (direction, code, subcode) -> NOTIFICATIONs
        self.notifications: dict[tuple[str, int, int], int] = {}
        self.ups = 0
        self.downs = 0
        # wall clock of the last FSM move of any of the peer's sessions
        self.changed = time.time()

    def message(self, direction: str, kind: int, message: object) -> None:
        key = (direction, NAMES.get(kind, 'unknown'))
        self.messages[key] = self.messages.get(key, 0) + 1
        if isinstance(message, Notification):
            code = (direction, message.code, message.subcode)
            self.notifications[code] = self.notifications.get(code, 0) + 1
        elif isinstance(message, Update) and message.eor is None:
            prefixes = self.prefixes
            for route in message.announced:
                key_announced = (route.nlri.family, False)
                prefixes[key_announced] = prefixes.get(key_announced, 0) + 1
            for nlri in message.withdrawn:
                key_withdrawn = (nlri.family, True)
                prefixes[key_withdrawn] = prefixes.get(key_withdrawn, 0) + 1


class Reporter:
    __slots__ = ('_opened', '_reported', 'ended', 'observer', 'peer', 'report_sent', 'stats', 'totals')

    def __init__(self, observer: Observer, peer: str) -> None:
        self.observer = observer
        self.peer = peer
        self.stats = Stats()
        self.totals = Totals()
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
            self.totals.message('received', message.TYPE, message)
            kind = COUNTED.get(message.TYPE)
            if kind is not None:
                self.stats.received[kind] += 1
                self._counted('receive', kind, self.stats.received[kind])
            observer.received(view, message, event.header, event.body)
        elif isinstance(event, Sent):
            self.totals.message('sent', event.kind, event.message)
            kind = COUNTED.get(event.kind)
            if kind is not None:
                self.stats.sent[kind] += 1
                self._counted('send', kind, self.stats.sent[kind])
            if self.report_sent:
                observer.sent(view, event)
        elif isinstance(event, StateChanged):
            totals = self.totals
            totals.changed = time.time()
            if event.new is State.ESTABLISHED:
                totals.ups += 1
            elif event.old is State.ESTABLISHED:
                totals.downs += 1
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
