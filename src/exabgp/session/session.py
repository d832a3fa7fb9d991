"""The sans-IO BGP session: one TCP connection, from CONNECT/ACTIVE to IDLE.

Inputs: `connection_made`, `receive_data`, `handle_timer`, `connection_lost`, `stop`, `send`,
`output_blocked`/`output_drained`; each takes `now`, a float in seconds from the
reactor's clock. Outputs: `data_to_send()` (bytes to write, in order), `next_deadline()` (when to call
`handle_timer` next, or None) and `events()` (StateChanged, Received, Sent, Negotiation, Established,
Closed).

Invariants:
- Every input but `send` and the output reports is an RFC 4271 8.1 event (`Event`):
  `connection_made` is Tcp_CR_Acked (we connected) or TcpConnectionConfirmed (they did),
  `connection_lost` TcpConnectionFails, `stop` ManualStop, each message and timer its own. Every
  transition goes through `TRANSITIONS[(state, event)]`; an event arriving in a state with no entry
  is answered with the RFC 6608 FSM error NOTIFICATION for that state (5/1, 5/2, 5/3), the type
  of the unexpected message as data.
- Every NOTIFICATION we send carries the data its RFC defines; the explanation is the `Closed`
  reason's text, for the log. `config.notification_text` sends 5.0's texts as data instead.
- `_close` is the only teardown: it queues the NOTIFICATION when there is one, moves to IDLE and
  emits `Closed` exactly once; afterwards every input is ignored and nothing more is queued.
- Timers are deadlines compared with `now`: open-wait (bgp.openwait, until the OPEN is in: RFC 4271
  8.2.2's four minutes by default, expiring with 4/0), hold
  (negotiated, reset by every message received), keepalive (hold/3, from our last KEEPALIVE) and
  send-hold (RFC 9687, while the reactor reports it cannot write: it expires with 8/0 queued and the
  reactor drops the connection at once, unread queue and all). Nothing here reads a clock.
- Received bytes go through one `Framer`, so a message split over many reads is never lost.
- RFC 7606 AFI/SAFI disable is applied here, in ESTABLISHED: the family goes into `disabled` and
  out of `negotiated.families` (so the sender stops packing it and its MP attributes are no longer
  decoded), and routes of a disabled family never appear in a `Received` UPDATE again.
- With `report_sent`, every message queued is reported as `Sent`, in order, with the value it was
  packed from when there was one; already packed messages are not decoded again.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from exabgp.bgp.attribute.attributes import LastParsed
from exabgp.bgp.attribute.base import Action
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.negotiation import negotiate, validate
from exabgp.bgp.errors import (
    CEASE,
    CONNECTION_NOT_SYNCHRONIZED,
    FSM_ERROR,
    FSM_UNEXPECTED_IN_ESTABLISHED,
    FSM_UNEXPECTED_IN_OPENCONFIRM,
    FSM_UNEXPECTED_IN_OPENSENT,
    HOLD_TIMER_EXPIRED,
    MESSAGE_HEADER_ERROR,
    OPTIONAL_ATTRIBUTE_ERROR,
    PEER_DECONFIGURED,
    SEND_HOLD_TIMER_EXPIRED,
    UPDATE_MESSAGE_ERROR,
    PeerError,
)
from exabgp.bgp.family import Family
from exabgp.bgp.message.header import MessageType, unknown_type
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message, unpack_message
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.session.config import SessionConfig
from exabgp.session.events import (
    Closed,
    Established,
    Negotiation,
    Reason,
    Received,
    Sent,
    SessionEvent,
    StateChanged,
    Why,
)
from exabgp.session.framer import Framer
from exabgp.session.state import Event, State

# 5.0's words for the Cease it sends instead of an OPEN it can not build
FOUR_OCTET_AS_WITHOUT_ASN4 = 'A four-octet local ASN requires ASN4 advertisement'
SEND_HOLD_MINIMUM = 480.0  # RFC 9687 4: eight minutes, or twice the hold time if larger

MESSAGE_EVENTS: dict[int, Event] = {
    MessageType.OPEN: Event.BGP_OPEN,
    MessageType.UPDATE: Event.UPDATE_MSG,
    MessageType.NOTIFICATION: Event.NOTIF_MSG,
    MessageType.KEEPALIVE: Event.KEEPALIVE_MSG,
    MessageType.ROUTE_REFRESH: Event.ROUTE_REFRESH_MSG,
    MessageType.OPERATIONAL: Event.OPERATIONAL_MSG,
}

FSM_SUBCODES = {
    State.OPENSENT: FSM_UNEXPECTED_IN_OPENSENT,
    State.OPENCONFIRM: FSM_UNEXPECTED_IN_OPENCONFIRM,
    State.ESTABLISHED: FSM_UNEXPECTED_IN_ESTABLISHED,
}


class Session:
    def __init__(self, config: SessionConfig, *, outgoing: bool) -> None:
        self.config = config
        self.outgoing = outgoing
        self.state = State.CONNECT if outgoing else State.ACTIVE
        self.negotiated = Negotiated()
        self.sent_open: Open | None = None
        self.received_open: Open | None = None
        self._framer = Framer()
        self._last_parsed = LastParsed()
        self._output: list[bytes] = []
        self._events: list[SessionEvent] = []
        self._open_wait: float | None = None
        self._hold: float | None = None
        self._keepalive: float | None = None
        self._send_hold: float | None = None
        self._blocked_since: float | None = None
        # families turned off by RFC 7606 AFI/SAFI disable, for the rest of the session
        self.disabled: frozenset[Family] = frozenset()

    # ------------------------------------------------------------------ outputs

    def data_to_send(self) -> bytes:
        data = b''.join(self._output)
        self._output.clear()
        return data

    def events(self) -> list[SessionEvent]:
        events = self._events
        self._events = []
        return events

    def next_deadline(self) -> float | None:
        deadlines = [d for d in (self._open_wait, self._hold, self._keepalive, self._send_deadline()) if d is not None]
        return min(deadlines) if deadlines else None

    def timers(self, now: float) -> tuple[float | None, float | None]:
        """Seconds left before the hold timer expires and before our next KEEPALIVE (None: not
        running), for the troubleshooting log."""
        hold = None if self._hold is None else max(self._hold - now, 0.0)
        keepalive = None if self._keepalive is None else max(self._keepalive - now, 0.0)
        return hold, keepalive

    @property
    def closed(self) -> bool:
        return self.state is State.IDLE

    # ------------------------------------------------------------------ inputs

    def connection_made(self, now: float) -> None:
        """TCP is up: Tcp_CR_Acked for the connection we opened, TcpConnectionConfirmed for theirs."""
        if not self.closed:
            self._dispatch(Event.TCP_CR_ACKED if self.outgoing else Event.TCP_CONNECTION_CONFIRMED, now)

    def receive_data(self, data: bytes, now: float) -> None:
        if self.closed:
            return
        try:
            for kind, header, body in self._framer.feed(data):
                self._message(kind, header, body, now)
                if self.closed:
                    return
        except PeerError as error:
            self._fail(error)

    def handle_timer(self, now: float) -> None:
        if self.closed:
            return
        send_deadline = self._send_deadline()
        if send_deadline is not None and now >= send_deadline:
            self._dispatch(Event.SEND_HOLD_TIMER_EXPIRES, now)
        elif self._open_wait is not None and now >= self._open_wait:
            self._dispatch(Event.OPEN_WAIT_EXPIRES, now)
        elif self._hold is not None and now >= self._hold:
            self._dispatch(Event.HOLD_TIMER_EXPIRES, now)
        elif self._keepalive is not None and now >= self._keepalive:
            self._dispatch(Event.KEEPALIVE_TIMER_EXPIRES, now)

    def connection_lost(self, now: float, text: str = '') -> None:
        """TcpConnectionFails: the connection is gone (reset, EOF, an error)."""
        if not self.closed:
            self._dispatch(Event.TCP_CONNECTION_FAILS, now, text)

    def stop(self, now: float, subcode: int = PEER_DECONFIGURED, text: str | None = None) -> None:
        """ManualStop: Cease with `subcode`, or silently when graceful restart was negotiated (5.0)."""
        if not self.closed:
            self._dispatch(Event.MANUAL_STOP, now, _Stop(subcode, text))

    def send(self, messages: Iterable[Message | bytes], now: float) -> None:
        """Queue messages for the peer, in order: values (packed here) or whole messages already
        packed (UPDATEs from the RIB). ESTABLISHED only; anything else is dropped."""
        if self.state is not State.ESTABLISHED:
            return
        report = self.config.report_sent
        for message in messages:
            if isinstance(message, bytes):
                self._output.append(message)
                if report:
                    self._events.append(Sent(message[18], message))
            else:
                self._queue(message, message.pack(self.negotiated))

    def output_blocked(self, now: float) -> None:
        """The reactor could not hand everything to the kernel: the send-hold timer runs from now."""
        if self._blocked_since is None:
            self._blocked_since = now

    def output_drained(self, now: float) -> None:
        self._blocked_since = None

    # ------------------------------------------------------------------ machinery

    def _send_deadline(self) -> float | None:
        if self._blocked_since is None:
            return None
        hold = self.config.send_hold
        if hold is None:
            hold = max(SEND_HOLD_MINIMUM, 2.0 * self.negotiated.hold_time)
        return self._blocked_since + hold

    def _change(self, new: State) -> None:
        if new is not self.state:
            self._events.append(StateChanged(self.state, new))
            self.state = new

    def _queue(self, message: Message, wire: bytes) -> None:
        self._output.append(wire)
        if self.config.report_sent:
            self._events.append(Sent(wire[18], wire, message))

    def _send_open(self, local_as: int) -> bool:
        """Send our OPEN; False when it can not be sent and the session was closed instead: a
        four-octet AS without the ASN4 capability (5.0 loads such a configuration, and then
        answers each connection with this Cease and no OPEN)."""
        opening = self.config.build_open(local_as)
        if local_as > 0xFFFF and not opening.find(ASN4):
            text = FOUR_OCTET_AS_WITHOUT_ASN4
            self._notify(Notification.outgoing(CEASE, 0, text), Why.NOTIFICATION_SENT, text)
            return False
        self.sent_open = opening
        self._queue(opening, opening.pack(self.negotiated))
        return True

    def _send_keepalive(self, now: float) -> None:
        self._queue(KeepAlive(), KeepAlive().pack(self.negotiated))
        hold = self.negotiated.hold_time
        self._keepalive = now + hold / 3 if hold else None

    def _graceful(self) -> bool:
        return bool(self.sent_open and self.sent_open.find(GracefulRestart))

    def _message(self, kind: int, header: bytes, body: bytes, now: float) -> None:
        event = MESSAGE_EVENTS.get(kind)
        if event is None:
            raise unknown_type(kind)
        message: Message
        if kind == MessageType.UPDATE:
            message = Update.unpack(body, self.negotiated, self._last_parsed)
            if (message.disabled or self.disabled) and self.state is State.ESTABLISHED:
                message = self._disable(message)
        else:
            message = unpack_message(kind, body, self.negotiated)
        if self._hold is not None:
            self._hold = now + self.negotiated.hold_time
        self._events.append(Received(message, header, body))
        self._dispatch(event, now, message)

    def _disable(self, update: Update) -> Update:
        """RFC 7606 AFI/SAFI disable (RFC 4760 7): a family whose MP attribute could not be used is
        off for the rest of the session. Its routes in later UPDATEs are ignored, and the
        negotiated families lose it, so nothing more of it is decoded or sent; the UPDATE that
        disabled it names it in `disabled` (the reactor removes what the peer had announced in it),
        later ones do not. A session left with no family at all is reset (3/9, RFC 4760 7)."""
        fresh = tuple(family for family in update.disabled if family not in self.disabled)
        if fresh:
            self.disabled = self.disabled | frozenset(fresh)
            families = tuple(family for family in self.negotiated.families if family not in self.disabled)
            if not families:
                reason = f'{update.reason}: no address family is left on the session'
                raise PeerError(UPDATE_MESSAGE_ERROR, OPTIONAL_ATTRIBUTE_ERROR, b'', reason)
            self.negotiated = replace(self.negotiated, families=families)
        disabled = self.disabled
        announced = tuple(route for route in update.announced if route.nlri.family not in disabled)
        withdrawn = tuple(nlri for nlri in update.withdrawn if nlri.family not in disabled)
        if fresh:
            return replace(update, announced=announced, withdrawn=withdrawn, disabled=fresh)
        if update.action is Action.DISABLE_FAMILY:
            # an MP attribute of a family already off: ignored, as its routes are from now on
            return replace(
                update, announced=announced, withdrawn=withdrawn, action=Action.NONE, code=0, reason='', disabled=()
            )
        if len(announced) == len(update.announced) and len(withdrawn) == len(update.withdrawn):
            return update
        return replace(update, announced=announced, withdrawn=withdrawn)

    def _dispatch(self, event: Event, now: float, message: object = None) -> None:
        handler = TRANSITIONS.get((self.state, event))
        if handler is None:
            self._unexpected(event, message)
            return
        handler(self, now, message)

    def _unexpected(self, event: Event, message: object) -> None:
        subcode = FSM_SUBCODES.get(self.state, 0)
        kind = getattr(message, 'TYPE', None)
        explanation = f'unexpected {event.name} in state {self.state.name}'
        if self.config.notification_text:
            first = self.state is State.OPENSENT and kind is not None
            text = f'The first packet received is not an open message ({message})' if first else None
            notification = Notification.outgoing(FSM_ERROR, subcode, text, five=True)
        else:
            # RFC 6608 4: the data is the type of the unexpected message
            notification = Notification(FSM_ERROR, subcode, b'' if kind is None else bytes((kind,)))
        self._notify(notification, Why.NOTIFICATION_SENT, explanation)

    def _fail(self, error: PeerError) -> None:
        notification = Notification.from_error(error, self.config.notification_text, self.config.six)
        self._notify(notification, Why.NOTIFICATION_SENT, error.reason)

    def _outgoing(self, code: int, subcode: int, text: str | None) -> Notification:
        return Notification.outgoing(code, subcode, text, five=self.config.notification_text)

    def _notify(self, notification: Notification, why: Why, text: str = '') -> None:
        self._queue(notification, notification.pack(self.negotiated))
        self._close(Reason(why, text, notification))

    def _close(self, reason: Reason) -> None:
        self._open_wait = self._hold = self._keepalive = None
        self._blocked_since = None
        self._change(State.IDLE)
        self._events.append(Closed(reason))

    # ------------------------------------------------------------------ transitions

    def _on_connected(self, now: float, message: object) -> None:
        """Send our OPEN, unless we mirror the peer's AS and must read theirs first."""
        self._open_wait = now + self.config.open_wait
        if self.config.local_as is not None and self._send_open(self.config.local_as):
            self._change(State.OPENSENT)

    def _on_stop(self, now: float, stop: object) -> None:
        assert isinstance(stop, _Stop)  # what stop() dispatches with ManualStop
        if self.state is State.ESTABLISHED and self._graceful():
            self._close(Reason(Why.STOPPED, 'graceful restart negotiated, closing without notification'))
        elif self.state in (State.OPENSENT, State.OPENCONFIRM, State.ESTABLISHED):
            self._notify(self._outgoing(CEASE, stop.subcode, stop.text), Why.STOPPED, stop.text or '')
        else:
            self._close(Reason(Why.STOPPED, stop.text or ''))

    def _on_connection_fails(self, now: float, text: object) -> None:
        assert isinstance(text, str)  # what connection_lost() dispatches with TcpConnectionFails
        self._close(Reason(Why.CONNECTION_LOST, text))

    def _on_open(self, now: float, received: object) -> None:
        assert isinstance(received, Open)  # BGPOpen is dispatched for a decoded OPEN only
        self.received_open = received
        if self.sent_open is None:
            # mirroring: our AS is theirs, known only now
            mirrored = self.config.local_as if self.config.local_as is not None else _peer_asn(received)
            if not self._send_open(mirrored):
                return
            self._change(State.OPENSENT)
        sent = self.sent_open
        assert sent is not None
        negotiated = negotiate(
            sent,
            received,
            aigp=self.config.aigp,
            unreach_first=self.config.six,
            link_local=self.config.local_link_local,
        )
        error = validate(
            sent,
            received,
            peer_as=self.config.peer_as,
            local_as=sent.asn if self.config.local_as is None else self.config.local_as,
            router_id=self.config.router_id,
        )
        if error is not None:
            self._fail(error)
            return
        self.negotiated = negotiated
        self._framer.max_size = negotiated.msg_size
        self._events.append(Negotiation(sent, received, negotiated))
        self._open_wait = None
        self._send_keepalive(now)
        self._hold = now + negotiated.hold_time if negotiated.hold_time else None
        self._change(State.OPENCONFIRM)

    def _on_keepalive_confirm(self, now: float, message: object) -> None:
        self._change(State.ESTABLISHED)
        self._events.append(Established(self.negotiated))

    def _on_message(self, now: float, message: object) -> None:
        """KEEPALIVE, UPDATE, ROUTE-REFRESH, OPERATIONAL in ESTABLISHED: already reported, nothing more."""

    def _on_notification(self, now: float, message: object) -> None:
        assert isinstance(message, Notification)  # NotifMsg is dispatched for a decoded NOTIFICATION only
        self._close(Reason(Why.NOTIFICATION_RECEIVED, message.describe(True), message))

    def _on_open_wait(self, now: float, message: object) -> None:
        text = 'waited for open too long, we do not like stuck in active'
        if self.config.notification_text:
            notification = Notification.outgoing(MESSAGE_HEADER_ERROR, CONNECTION_NOT_SYNCHRONIZED, text, five=True)
        else:
            # RFC 4271 8.2.2: the hold timer running while we wait for the OPEN expires with 4/0
            notification = Notification(HOLD_TIMER_EXPIRED, 0)
        self._notify(notification, Why.NOTIFICATION_SENT, text)

    def _on_hold(self, now: float, message: object) -> None:
        self._notify(Notification(HOLD_TIMER_EXPIRED, 0), Why.NOTIFICATION_SENT, 'hold timer expired')

    def _on_keepalive_timer(self, now: float, message: object) -> None:
        self._send_keepalive(now)

    def _on_send_hold(self, now: float, message: object) -> None:
        # RFC 9687 4: the NOTIFICATION is queued behind what the peer did not read, so it will
        # likely never arrive; the reactor drops the connection and its queue without waiting
        notification = Notification(SEND_HOLD_TIMER_EXPIRED, 0)
        self._queue(notification, notification.pack(self.negotiated))
        self._close(Reason(Why.SEND_HOLD_EXPIRED, 'the peer has not read from us for too long', notification))


@dataclass(frozen=True, slots=True)
class _Stop:
    """What ManualStop carries: the Cease subcode and its text."""

    subcode: int
    text: str | None


def _peer_asn(received: Open) -> int:
    found = received.find(ASN4)
    return found[-1].asn if found else received.asn


Handler = Callable[[Session, float, object], None]

TRANSITIONS: dict[tuple[State, Event], Handler] = {}


def _table() -> None:
    live = (State.OPENSENT, State.OPENCONFIRM, State.ESTABLISHED)
    waiting = (State.CONNECT, State.ACTIVE, State.OPENSENT)
    TRANSITIONS[(State.CONNECT, Event.TCP_CR_ACKED)] = Session._on_connected
    TRANSITIONS[(State.ACTIVE, Event.TCP_CONNECTION_CONFIRMED)] = Session._on_connected
    for state in (State.CONNECT, State.ACTIVE, *live):
        TRANSITIONS[(state, Event.MANUAL_STOP)] = Session._on_stop
        TRANSITIONS[(state, Event.TCP_CONNECTION_FAILS)] = Session._on_connection_fails
    for state in waiting:
        TRANSITIONS[(state, Event.OPEN_WAIT_EXPIRES)] = Session._on_open_wait
        TRANSITIONS[(state, Event.BGP_OPEN)] = Session._on_open
    for state in (*live, State.CONNECT, State.ACTIVE):
        TRANSITIONS[(state, Event.NOTIF_MSG)] = Session._on_notification
        TRANSITIONS[(state, Event.SEND_HOLD_TIMER_EXPIRES)] = Session._on_send_hold
    for state in (State.OPENCONFIRM, State.ESTABLISHED):
        TRANSITIONS[(state, Event.HOLD_TIMER_EXPIRES)] = Session._on_hold
        TRANSITIONS[(state, Event.KEEPALIVE_TIMER_EXPIRES)] = Session._on_keepalive_timer
    TRANSITIONS[(State.OPENCONFIRM, Event.KEEPALIVE_MSG)] = Session._on_keepalive_confirm
    for event in (Event.KEEPALIVE_MSG, Event.UPDATE_MSG, Event.ROUTE_REFRESH_MSG, Event.OPERATIONAL_MSG):
        TRANSITIONS[(State.ESTABLISHED, event)] = Session._on_message


_table()
