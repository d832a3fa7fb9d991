"""The sans-IO session, driven as the reactor drives it: two sessions wired back to back, a fake clock."""

from ipaddress import IPv4Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import AFI, IPV4_UNICAST, Family
from exabgp.bgp.message.header import MARKER, MessageType, frame
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated
from exabgp.session import session as session_module
from exabgp.session.config import SessionConfig
from exabgp.session.events import Closed, Established, Negotiation, Received, StateChanged, Why
from exabgp.session.framer import Framer
from exabgp.session.session import TRANSITIONS, Session
from exabgp.session.state import Event, State

KEEPALIVE = frame(MessageType.KEEPALIVE, b'')


def opener(hold: int, router_id: str, graceful: bool = False):
    def build(asn: int) -> Open:
        capabilities = [MultiProtocol(IPV4_UNICAST), ASN4(asn)]
        if graceful:
            capabilities.append(GracefulRestart(0, 120, ()))
        return Open(4, asn, hold, IPv4Address(router_id), tuple(capabilities))

    return build


def config(
    local_as: int | None = 65000,
    peer_as: int | None = 65001,
    router_id: str = '10.0.0.1',
    hold: int = 90,
    graceful: bool = False,
    build_open: object = None,
    **extra: object,
) -> SessionConfig:
    return SessionConfig(
        peer='127.0.0.2',
        build_open=build_open or opener(hold, router_id, graceful),  # type: ignore[arg-type]
        router_id=IPv4Address(router_id),
        local_as=local_as,
        peer_as=peer_as,
        **extra,  # type: ignore[arg-type]
    )


def pair(**b_config: object) -> tuple[Session, Session]:
    a = Session(config(), outgoing=True)
    settings_b = {'local_as': 65001, 'peer_as': 65000, 'router_id': '10.0.0.2', **b_config}
    b = Session(config(**settings_b), outgoing=False)  # type: ignore[arg-type]
    return a, b


def pump(a: Session, b: Session, now: float, chunk: int | None = None) -> None:
    """Move bytes both ways until both are quiet; `chunk` splits every write into pieces."""
    for _ in range(20):
        moved = False
        for source, target in ((a, b), (b, a)):
            data = source.data_to_send()
            if not data:
                continue
            moved = True
            step = chunk or len(data)
            for index in range(0, len(data), step):
                target.receive_data(data[index : index + step], now)
        if not moved:
            return


def establish(a: Session, b: Session, now: float = 0.0, chunk: int | None = None) -> None:
    a.connection_made(now)
    b.connection_made(now)
    pump(a, b, now, chunk)


def notifications(wire: bytes) -> list[tuple[int, int, bytes]]:
    found = []
    for kind, _, body in Framer(65535).feed(wire):
        if kind == MessageType.NOTIFICATION:
            found.append((body[0], body[1], body[2:]))
    return found


def kinds(events: list[object]) -> list[type]:
    return [type(event) for event in events]


def test_two_sessions_establish() -> None:
    a, b = pair()
    establish(a, b)
    assert a.state is State.ESTABLISHED
    assert b.state is State.ESTABLISHED
    events = a.events()
    changes = [(e.old, e.new) for e in events if isinstance(e, StateChanged)]
    assert changes == [
        (State.CONNECT, State.OPENSENT),
        (State.OPENSENT, State.OPENCONFIRM),
        (State.OPENCONFIRM, State.ESTABLISHED),
    ]
    established = [e for e in events if isinstance(e, Established)]
    assert len(established) == 1
    negotiated = established[0].negotiated
    assert (negotiated.local_as, negotiated.peer_as, negotiated.asn4) == (65000, 65001, True)
    assert negotiated.families == (IPV4_UNICAST,)
    assert kinds(events).index(Negotiation) < kinds(events).index(Established)


def test_a_message_one_byte_at_a_time_is_received_intact() -> None:
    a, b = pair()
    establish(a, b, chunk=1)
    assert a.state is State.ESTABLISHED
    assert b.state is State.ESTABLISHED
    b.events()
    keepalive = KEEPALIVE
    for octet in keepalive:
        b.receive_data(bytes([octet]), 1.0)
    received = [e for e in b.events() if isinstance(e, Received)]
    assert [type(e.message) for e in received] == [KeepAlive]
    assert b.state is State.ESTABLISHED


def test_framer_keeps_partial_messages_across_feeds() -> None:
    framer = Framer()
    wire = KEEPALIVE * 3
    out = []
    for octet in wire[:-1]:
        out.extend(framer.feed(bytes([octet])))
    assert len(out) == 2
    assert framer.pending == 18
    out.extend(framer.feed(wire[-1:]))
    assert [kind for kind, _, _ in out] == [MessageType.KEEPALIVE] * 3
    assert framer.pending == 0


def test_hold_timer_expiry_sends_4_0() -> None:
    a, b = pair()
    establish(a, b)
    a.events()
    deadline = a.next_deadline()
    assert deadline == pytest.approx(30.0)  # keepalive first: hold 90 / 3
    a.handle_timer(30.0)
    assert a.data_to_send() == KEEPALIVE
    a.handle_timer(89.9)
    assert not a.closed
    a.handle_timer(90.0)
    assert a.closed
    assert notifications(a.data_to_send()) == [(4, 0, b'')]
    closed = [e for e in a.events() if isinstance(e, Closed)]
    assert len(closed) == 1
    assert closed[0].reason.why is Why.NOTIFICATION_SENT


def test_received_messages_push_the_hold_timer_back() -> None:
    a, b = pair()
    establish(a, b)
    a.receive_data(KEEPALIVE, 80.0)
    a.handle_timer(90.0)
    assert not a.closed
    a.handle_timer(170.0)
    assert a.closed


@pytest.mark.parametrize(
    ('text', 'expected'),
    [
        # RFC 4271 8.2.2: the hold timer expires in OpenSent: 4/0, no data
        (False, (4, 0, b'')),
        (True, (1, 1, b'waited for open too long, we do not like stuck in active')),
    ],
)
def test_open_wait_expiry(text: bool, expected: tuple[int, int, bytes]) -> None:
    a = Session(config(notification_text=text), outgoing=True)
    a.connection_made(0.0)
    a.data_to_send()
    assert a.state is State.OPENSENT
    # RFC 4271 8.2.2: the hold timer's large value in OpenSent, four minutes by default
    assert a.next_deadline() == 240.0
    a.handle_timer(239.0)
    assert not a.closed
    a.handle_timer(240.0)
    assert notifications(a.data_to_send()) == [expected]
    assert a.closed
    [closed] = [event for event in a.events() if isinstance(event, Closed)]
    assert 'waited for open too long' in closed.reason.text


def test_keepalive_before_open_is_an_fsm_error_5_1() -> None:
    # RFC 6608 4: the data is the type of the unexpected message
    a = Session(config(), outgoing=True)
    a.connection_made(0.0)
    a.data_to_send()
    a.receive_data(KEEPALIVE, 1.0)
    assert notifications(a.data_to_send()) == [(5, 1, bytes([MessageType.KEEPALIVE]))]
    assert a.closed


def test_keepalive_before_open_in_5_0s_words() -> None:
    a = Session(config(notification_text=True), outgoing=True)
    a.connection_made(0.0)
    a.data_to_send()
    a.receive_data(KEEPALIVE, 1.0)
    [(code, subcode, data)] = notifications(a.data_to_send())
    assert (code, subcode) == (5, 1)
    assert data.startswith(b'The first packet received is not an open message')


def test_update_in_openconfirm_is_an_fsm_error_5_2() -> None:
    a, b = pair()
    a.connection_made(0.0)
    b.connection_made(0.0)
    b.receive_data(a.data_to_send(), 0.0)
    assert b.state is State.OPENCONFIRM
    b.data_to_send()
    b.receive_data(frame(MessageType.UPDATE, b'\x00\x00\x00\x00'), 0.0)
    assert notifications(b.data_to_send()) == [(5, 2, bytes([MessageType.UPDATE]))]


def test_open_in_established_is_an_fsm_error_5_3() -> None:
    a, b = pair()
    establish(a, b)
    a.receive_data(opener(90, '10.0.0.2')(65001).pack(Negotiated()), 1.0)
    assert notifications(a.data_to_send()) == [(5, 3, bytes([MessageType.OPEN]))]


def test_bad_marker_is_1_1() -> None:
    a, b = pair()
    establish(a, b)
    a.receive_data(b'\x00' * 16 + b'\x00\x13\x04', 1.0)
    assert notifications(a.data_to_send()) == [(1, 1, b'')]
    assert a.closed


def test_bad_length_is_1_2_with_the_length() -> None:
    a, b = pair()
    establish(a, b)
    a.receive_data(MARKER + b'\x00\x12\x04', 1.0)
    assert notifications(a.data_to_send()) == [(1, 2, b'\x00\x12')]


def test_unknown_message_type_is_1_3_with_the_type() -> None:
    # RFC 4271 6.1: the data is the erroneous type field
    a, b = pair()
    establish(a, b)
    a.receive_data(frame(255, b''), 1.0)
    assert notifications(a.data_to_send()) == [(1, 3, b'\xff')]


def test_unknown_message_type_is_1_3_as_5_0_words_it() -> None:
    a = Session(config(notification_text=True), outgoing=True)
    b = Session(config(local_as=65001, peer_as=65000, router_id='10.0.0.2'), outgoing=False)
    establish(a, b)
    a.receive_data(frame(255, b''), 1.0)
    assert notifications(a.data_to_send()) == [(1, 3, b'can not decode message of type "255"')]


def test_unknown_message_type_is_1_0_as_6_0_words_it() -> None:
    a = Session(config(notification_text=True, six=True), outgoing=True)
    b = Session(config(local_as=65001, peer_as=65000, router_id='10.0.0.2'), outgoing=False)
    establish(a, b)
    a.receive_data(frame(255, b''), 1.0)
    assert notifications(a.data_to_send()) == [(1, 0, b'can not decode update message of type "255"')]


def test_6_0_mode_orders_mp_unreach_first() -> None:
    a = Session(config(six=True), outgoing=True)
    b = Session(config(local_as=65001, peer_as=65000, router_id='10.0.0.2'), outgoing=False)
    establish(a, b)
    assert a.negotiated.unreach_first and not b.negotiated.unreach_first


@pytest.mark.parametrize(
    ('text', 'data'), [(False, b''), (True, b'ASN in OPEN (65001) did not match ASN expected (64999)')]
)
def test_wrong_peer_as_is_2_2(text: bool, data: bytes) -> None:
    # RFC 4271 6.2 gives Bad Peer AS no data: the explanation is logged
    a = Session(config(peer_as=64999, notification_text=text), outgoing=True)
    b = Session(config(local_as=65001, peer_as=None, router_id='10.0.0.2'), outgoing=False)
    a.connection_made(0.0)
    b.connection_made(0.0)
    a.data_to_send()
    a.receive_data(b.data_to_send(), 0.0)
    assert a.closed
    assert notifications(a.data_to_send()) == [(2, 2, data)]
    [closed] = [event for event in a.events() if isinstance(event, Closed)]
    assert closed.reason.text == 'ASN in OPEN (65001) did not match ASN expected (64999)'


@pytest.mark.parametrize(('text', 'data'), [(False, b''), (True, b'Peer De-configured')])
def test_stop_sends_cease_and_closes_once(text: bool, data: bytes) -> None:
    a = Session(config(notification_text=text), outgoing=True)
    b = Session(config(local_as=65001, peer_as=65000, router_id='10.0.0.2'), outgoing=False)
    establish(a, b)
    a.events()
    a.stop(5.0)
    assert notifications(a.data_to_send()) == [(6, 3, data)]
    a.stop(6.0)
    a.connection_lost(7.0)
    assert a.data_to_send() == b''
    assert kinds(a.events()).count(Closed) == 1


def test_stop_with_graceful_restart_closes_silently() -> None:
    a = Session(config(graceful=True), outgoing=True)
    b = Session(config(local_as=65001, peer_as=65000, router_id='10.0.0.2', graceful=True), outgoing=False)
    establish(a, b)
    a.stop(5.0)
    assert a.data_to_send() == b''
    assert a.closed


def test_notification_received_closes() -> None:
    a, b = pair()
    establish(a, b)
    a.events()
    a.receive_data(Notification(6, 2, b'\x03bye').pack(Negotiated()), 3.0)
    closed = [e for e in a.events() if isinstance(e, Closed)]
    assert closed[0].reason.why is Why.NOTIFICATION_RECEIVED
    assert closed[0].reason.notification == Notification(6, 2, b'\x03bye')
    assert a.data_to_send() == b''


def test_mirrored_local_as_reads_the_open_first() -> None:
    a = Session(config(local_as=None, peer_as=None), outgoing=True)
    b = Session(config(local_as=65001, peer_as=None, router_id='10.0.0.2'), outgoing=False)
    a.connection_made(0.0)
    assert a.data_to_send() == b''
    assert a.state is State.CONNECT
    b.connection_made(0.0)
    a.receive_data(b.data_to_send(), 0.0)
    assert a.sent_open is not None
    assert a.sent_open.asn == 65001
    pump(a, b, 0.0)
    assert a.state is State.ESTABLISHED
    assert b.state is State.ESTABLISHED


def test_send_hold_timer_closes_a_session_that_cannot_write() -> None:
    a, b = pair()
    establish(a, b)
    a.output_blocked(10.0)
    a.output_blocked(20.0)
    assert a.next_deadline() == 30.0  # the keepalive still comes first
    a.handle_timer(30.0)
    a.receive_data(KEEPALIVE, 100.0)
    a.receive_data(KEEPALIVE, 400.0)
    a.handle_timer(489.0)
    assert not a.closed
    a.handle_timer(490.0)
    assert a.closed
    # RFC 9687 4: Send Hold Timer Expired, 8/0
    assert notifications(a.data_to_send()) == [(8, 0, b'')]
    [closed] = [e for e in a.events() if isinstance(e, Closed)]
    assert closed.reason.why is Why.SEND_HOLD_EXPIRED
    assert closed.reason.notification is not None
    assert (closed.reason.notification.code, closed.reason.notification.subcode) == (8, 0)


def test_send_hold_is_twice_the_hold_time_when_that_is_longer_than_eight_minutes() -> None:
    a = Session(config(hold=600), outgoing=True)
    b = Session(config(local_as=65001, peer_as=65000, router_id='10.0.0.2', hold=600), outgoing=False)
    establish(a, b)
    a.output_blocked(0.0)
    a.receive_data(KEEPALIVE, 500.0)
    a.receive_data(KEEPALIVE, 1000.0)
    a.handle_timer(1199.0)
    assert not a.closed
    a.receive_data(KEEPALIVE, 1199.5)
    a.handle_timer(1200.0)
    assert a.closed


def test_a_configured_send_hold_replaces_the_rfc_value() -> None:
    a = Session(config(send_hold=30.0), outgoing=True)
    b = Session(config(local_as=65001, peer_as=65000, router_id='10.0.0.2'), outgoing=False)
    establish(a, b)
    a.output_blocked(5.0)
    assert a.next_deadline() == 30.0  # the keepalive first
    a.handle_timer(30.0)
    a.handle_timer(34.9)
    assert not a.closed
    a.handle_timer(35.0)
    assert notifications(a.data_to_send())[-1] == (8, 0, b'')


def test_drained_output_stops_the_send_hold_timer() -> None:
    a, b = pair()
    establish(a, b)
    a.output_blocked(10.0)
    a.output_drained(11.0)
    a.receive_data(KEEPALIVE, 480.0)
    a.handle_timer(490.0)
    assert not a.closed


def test_every_transition_is_for_a_known_state_and_event() -> None:
    for state, event in TRANSITIONS:
        assert isinstance(state, State)
        assert isinstance(event, Event)
        assert state is not State.IDLE


def test_every_event_is_used_by_some_transition() -> None:
    assert {event for _, event in TRANSITIONS} == set(Event)


def test_connection_made_and_lost_and_stop_are_fsm_events() -> None:
    outgoing, incoming = pair()
    outgoing.connection_made(0.0)
    incoming.connection_made(0.0)
    assert (outgoing.state, incoming.state) == (State.OPENSENT, State.OPENSENT)
    # a second TcpConnectionConfirmed in OPENSENT has no transition: the FSM error for OPENSENT
    incoming.connection_made(1.0)
    assert notifications(incoming.data_to_send())[-1][:2] == (5, 1)
    outgoing.connection_lost(2.0, 'reset')
    assert [event.reason.why for event in outgoing.events() if isinstance(event, Closed)] == [Why.CONNECTION_LOST]
    stopped = Session(config(), outgoing=True)
    stopped.stop(0.0, 2, 'bye')
    assert stopped.closed
    assert stopped.data_to_send() == b''  # no OPEN was sent: nothing to tell the peer


def in_state(state: State) -> Session:
    """A session (the outgoing side of a pair, or the incoming for ACTIVE) in `state`."""
    if state is State.ACTIVE:
        return pair()[1]
    if state is State.IDLE:
        session = pair()[0]
        session.stop(0.0)
        return session
    point = {State.CONNECT: 'connect', State.OPENSENT: 'opensent', State.OPENCONFIRM: 'openconfirm'}
    session, _ = at(point.get(state, 'established'))
    assert session.state is state
    return session


def payload(event: Event) -> object:
    """What the session passes along with `event` to its handler."""
    messages = {
        Event.BGP_OPEN: opener(90, '10.0.0.2')(65001),
        Event.KEEPALIVE_MSG: KeepAlive(),
        Event.NOTIF_MSG: Notification(6, 2, b''),
        Event.TCP_CONNECTION_FAILS: 'reset',
        Event.MANUAL_STOP: session_module._Stop(2, 'bye'),
    }
    return messages.get(event)


@pytest.mark.parametrize('state', list(State))
@pytest.mark.parametrize('event', list(Event))
def test_every_state_and_event_pair_is_handled(state: State, event: Event) -> None:
    session = in_state(state)
    session.events()
    session.data_to_send()
    if state is State.IDLE:
        # after the close nothing is taken in: the inputs check before they dispatch
        session.receive_data(KEEPALIVE, 1.0)
        session.connection_made(1.0)
        session.connection_lost(1.0)
        session.stop(1.0)
        session.handle_timer(1e9)
        assert (session.events(), session.data_to_send()) == ([], b'')
        return
    session._dispatch(event, 1.0, payload(event))
    events = session.events()
    assert kinds(events).count(Closed) <= 1
    if (state, event) not in TRANSITIONS:
        # no transition: the FSM error NOTIFICATION for the state (5/0 before any OPEN went out)
        assert session.closed
        code, subcode, _ = notifications(session.data_to_send())[-1]
        assert (code, subcode) == (5, {State.OPENSENT: 1, State.OPENCONFIRM: 2, State.ESTABLISHED: 3}.get(state, 0))
    if session.closed:
        assert isinstance(events[-1], Closed)


MESSAGES = {
    'open': opener(90, '10.0.0.2')(65001).pack(Negotiated()),
    'keepalive': KEEPALIVE,
    'notification': Notification(6, 2, b'').pack(Negotiated()),
    'refresh': frame(MessageType.ROUTE_REFRESH, b'\x00\x01\x00\x01'),
    'unknown': frame(200, b'abc'),
    'garbage': b'\x01' * 25,
}
POINTS = ['connect', 'opensent', 'openconfirm', 'established']


def at(point: str) -> tuple[Session, Session]:
    a, b = pair()
    if point == 'connect':
        return a, b
    a.connection_made(0.0)
    b.connection_made(0.0)
    if point == 'opensent':
        b.data_to_send()
        return a, b
    a.receive_data(b.data_to_send(), 0.0)
    if point == 'openconfirm':
        return a, b
    b.receive_data(a.data_to_send(), 0.0)
    a.receive_data(b.data_to_send(), 0.0)
    assert a.state is State.ESTABLISHED
    return a, b


@settings(max_examples=200, deadline=None)
@given(
    point=st.sampled_from(POINTS),
    sequence=st.lists(st.sampled_from(sorted(MESSAGES)), min_size=1, max_size=4),
    timer=st.floats(min_value=0, max_value=1000),
)
def test_any_message_in_any_state_is_handled(point: str, sequence: list[str], timer: float) -> None:
    a, _ = at(point)
    a.events()
    for name in sequence:
        a.receive_data(MESSAGES[name], 1.0)
    a.handle_timer(timer)
    events = a.events()
    assert kinds(events).count(Closed) <= 1
    if a.closed:
        assert isinstance(events[-1], Closed)
    else:
        assert Closed not in kinds(events)


def test_rfc_9072_extended_open_both_ways() -> None:
    # our capabilities past 255 octets go out in the RFC 9072 form, and a peer's OPEN in that form
    # is read: both sessions reach ESTABLISHED with the long capability negotiated
    host = HostName('h' * 64, 'example.' * 8)
    many = tuple(MultiProtocol(Family(AFI.IPV4, safi)) for safi in range(100, 130))

    def big(asn: int, router_id: str) -> Open:
        return Open(4, asn, 90, IPv4Address(router_id), (MultiProtocol(IPV4_UNICAST), ASN4(asn), host, *many))

    a = Session(config(build_open=lambda asn: big(asn, '10.0.0.1')), outgoing=True)
    b = Session(
        config(local_as=65001, peer_as=65000, router_id='10.0.0.2', build_open=lambda asn: big(asn, '10.0.0.2')),
        outgoing=False,
    )
    a.connection_made(0.0)
    b.connection_made(0.0)
    wire = a.data_to_send()
    [(kind, _, body)] = list(Framer(65535).feed(wire))
    assert kind == MessageType.OPEN
    assert body[9:11] == b'\xff\xff'
    b.receive_data(wire, 0.0)
    pump(a, b, 0.0)
    assert a.state is b.state is State.ESTABLISHED
    assert b.received_open is not None
    assert b.received_open.find(HostName) == (host,)
    assert b.negotiated.families[0] == IPV4_UNICAST
    assert len(b.negotiated.families) == 31


def test_a_four_octet_as_without_asn4_is_answered_with_5_0s_cease_and_no_open() -> None:
    def without_asn4(asn: int) -> Open:
        return Open(4, asn, 90, IPv4Address('10.0.0.1'), (MultiProtocol(IPV4_UNICAST),))

    session = Session(
        SessionConfig(
            peer='127.0.0.2',
            build_open=without_asn4,
            router_id=IPv4Address('10.0.0.1'),
            local_as=4200000001,
            peer_as=65001,
        ),
        outgoing=True,
    )
    session.connection_made(0.0)
    wire = session.data_to_send()
    assert [kind for kind, _, _ in Framer(65535).feed(wire)] == [MessageType.NOTIFICATION]
    # RFC 4486: a Cease 6/0 carries no data (5.0's text only with exabgp.notification.text)
    assert notifications(wire) == [(6, 0, b'')]
    assert session.state is State.IDLE and session.sent_open is None
    assert any(isinstance(event, Closed) and event.reason.why is Why.NOTIFICATION_SENT for event in session.events())
