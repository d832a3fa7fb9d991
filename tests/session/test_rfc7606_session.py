"""RFC 7606 outcomes a session applies, driven with wire bytes through `receive_data`: AFI/SAFI
disable (section 2, RFC 4760 7) turns a family off for the rest of the session, and an attribute
error in an UPDATE without reachable NLRI resets the session (section 5.2); and what the session
fuzzer found."""

from ipaddress import IPv4Address, IPv6Address

import pytest

from exabgp.bgp.attribute.base import Action
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST, Family
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.update import Update
from exabgp.session.config import SessionConfig
from exabgp.session.events import Closed, Received, Why
from exabgp.session.framer import Framer
from exabgp.session.session import Session
from exabgp.session.state import State

KEEPALIVE = frame(MessageType.KEEPALIVE, b'')
ORIGIN = bytes.fromhex('40010100')
AS_PATH = bytes.fromhex('4002060201') + (65001).to_bytes(4, 'big')
NEXT_HOP = bytes.fromhex('400304') + IPv4Address('10.0.0.2').packed
BAD_ORIGIN = bytes.fromhex('4001020000')  # length 2: RFC 7606 7.1, treat-as-withdraw


def _open(asn: int, router_id: str, families: tuple[Family, ...], extended: bool = False) -> Open:
    capabilities = (*(MultiProtocol(f) for f in families), ASN4(asn), *((ExtendedMessage(),) if extended else ()))
    return Open(4, asn, 90, IPv4Address(router_id), capabilities)


def established(families: tuple[Family, ...] = (IPV4_UNICAST, IPV6_UNICAST), extended: bool = False) -> Session:
    """Our session, ESTABLISHED with a peer (AS 65001) whose messages the test writes itself."""
    config = SessionConfig(
        peer='127.0.0.2',
        build_open=lambda asn: _open(asn, '10.0.0.1', families, extended),
        router_id=IPv4Address('10.0.0.1'),
        local_as=65000,
        peer_as=65001,
    )
    session = Session(config, outgoing=False)
    session.connection_made(0.0)
    session.receive_data(_open(65001, '10.0.0.2', families, extended).pack(session.negotiated) + KEEPALIVE, 0.0)
    assert session.state is State.ESTABLISHED
    session.events()
    session.data_to_send()
    return session


def update(attributes: bytes, nlri: bytes = b'', withdrawn: bytes = b'') -> bytes:
    body = len(withdrawn).to_bytes(2, 'big') + withdrawn + len(attributes).to_bytes(2, 'big') + attributes + nlri
    return frame(MessageType.UPDATE, body)


def mp_reach_v6(nlri: bytes) -> bytes:
    value = bytes.fromhex('000201') + bytes((16,)) + IPv6Address('2001:db8::2').packed + b'\x00' + nlri
    return bytes((0x80, 14, len(value))) + value


def v6(prefix: str, length: int) -> bytes:
    return bytes((length,)) + IPv6Address(prefix).packed[: (length + 7) // 8]


def received(session: Session) -> list[Update]:
    return [e.message for e in session.events() if isinstance(e, Received) and isinstance(e.message, Update)]


def notifications(wire: bytes) -> list[tuple[int, int, bytes]]:
    return [(body[0], body[1], body[2:]) for kind, _, body in Framer(65535).feed(wire) if kind == 3]


# ---------------------------------------------------------------- AFI/SAFI disable


def test_a_malformed_mp_reach_disables_its_family_for_the_rest_of_the_session() -> None:
    session = established()
    session.receive_data(update(ORIGIN + AS_PATH + mp_reach_v6(v6('2001:db8:1::', 48))), 1.0)
    [good] = received(session)
    assert [str(route.nlri) for route in good.announced] == ['2001:db8:1::/48']

    # a 129 bit IPv6 prefix: RFC 7606 5.3, the NLRI can not be parsed
    session.receive_data(update(ORIGIN + AS_PATH + mp_reach_v6(bytes((129,)) + bytes(17))), 2.0)
    [bad] = received(session)
    assert bad.action is Action.DISABLE_FAMILY
    assert bad.disabled == (IPV6_UNICAST,)
    assert session.state is State.ESTABLISHED
    assert session.disabled == frozenset((IPV6_UNICAST,))
    # nothing more of it is decoded nor sent: the sender packs with these families
    assert session.negotiated.families == (IPV4_UNICAST,)

    # a later, valid, IPv6 announcement is ignored, silently (its family is named once)
    session.receive_data(update(ORIGIN + AS_PATH + mp_reach_v6(v6('2001:db8:2::', 48))), 3.0)
    [ignored] = received(session)
    assert ignored.announced == () and ignored.disabled == () and ignored.action is Action.NONE
    # IPv4 unicast goes on
    session.receive_data(update(ORIGIN + AS_PATH + NEXT_HOP, nlri=bytes((24, 10, 1, 2))), 4.0)
    [ipv4] = received(session)
    assert [str(route.nlri) for route in ipv4.announced] == ['10.1.2.0/24']
    assert not session.closed


def test_disabled_family_withdrawals_in_the_nlri_field_are_filtered_too() -> None:
    session = established()
    unreach = bytes.fromhex('800f04000101') + bytes((33,))  # an IPv4 prefix longer than 32
    session.receive_data(update(unreach), 1.0)
    [bad] = received(session)
    assert bad.disabled == (IPV4_UNICAST,)
    session.receive_data(update(ORIGIN + AS_PATH + NEXT_HOP, nlri=bytes((24, 10, 1, 2)), withdrawn=b'\x08\x0b'), 2.0)
    [later] = received(session)
    assert later.announced == () and later.withdrawn == ()
    assert session.negotiated.families == (IPV6_UNICAST,)


def test_disabling_the_last_family_resets_the_session_with_3_9() -> None:
    session = established((IPV6_UNICAST,))
    session.receive_data(update(ORIGIN + AS_PATH + mp_reach_v6(bytes((129,)) + bytes(17))), 1.0)
    assert session.closed
    assert notifications(session.data_to_send()) == [(3, 9, b'')]
    [closed] = [event for event in session.events() if isinstance(event, Closed)]
    assert 'no address family is left' in closed.reason.text


# ---------------------------------------------------------------- section 5.2


def test_treat_as_withdraw_without_reachable_nlri_resets_the_session() -> None:
    # RFC 7606 5.2: path attributes, no NLRI field, no MP_REACH_NLRI, and an error worse than a
    # discard: "session reset" MUST be used, with the error's own NOTIFICATION (RFC 4271 6.3)
    session = established()
    session.receive_data(update(BAD_ORIGIN + AS_PATH + NEXT_HOP), 1.0)
    assert session.closed
    [(code, subcode, data)] = notifications(session.data_to_send())
    assert (code, subcode) == (3, 5)  # Attribute Length Error, RFC 7606 7.1
    assert data == BAD_ORIGIN
    [closed] = [event for event in session.events() if isinstance(event, Closed)]
    assert closed.reason.why is Why.NOTIFICATION_SENT
    assert '5.2' in closed.reason.text


def test_a_withdrawal_with_a_malformed_attribute_resets_the_session_as_well() -> None:
    # withdrawn routes are no reachable NLRI: the same rule
    session = established()
    session.receive_data(update(BAD_ORIGIN + AS_PATH, withdrawn=bytes((24, 10, 1, 2))), 1.0)
    assert session.closed
    assert [note[:2] for note in notifications(session.data_to_send())] == [(3, 5)]


def test_a_broken_attribute_field_without_nlri_resets_with_malformed_attribute_list() -> None:
    session = established()
    session.receive_data(update(ORIGIN + bytes.fromhex('4002')), 1.0)  # two octets left: no header
    assert session.closed
    assert notifications(session.data_to_send()) == [(3, 1, b'')]


def test_the_same_error_with_nlri_is_still_treat_as_withdraw() -> None:
    session = established()
    session.receive_data(update(BAD_ORIGIN + AS_PATH + NEXT_HOP, nlri=bytes((24, 10, 1, 2))), 1.0)
    [message] = received(session)
    assert not session.closed
    assert message.action is Action.TREAT_AS_WITHDRAW
    assert [str(nlri) for nlri in message.withdrawn] == ['10.1.2.0/24']


def test_a_discard_without_nlri_keeps_the_session() -> None:
    # an attribute discard is the one error 5.2 lets through: ATOMIC_AGGREGATE with a value (7.6)
    session = established()
    session.receive_data(update(ORIGIN + AS_PATH + bytes.fromhex('40060100')), 1.0)
    assert not session.closed


def test_end_of_rib_and_plain_withdrawals_are_unaffected() -> None:
    session = established()
    session.receive_data(update(b'', withdrawn=bytes((24, 10, 1, 2))), 1.0)
    session.receive_data(frame(MessageType.UPDATE, bytes(4)), 1.0)
    first, eor = received(session)
    assert [str(nlri) for nlri in first.withdrawn] == ['10.1.2.0/24']
    assert eor.eor == IPV4_UNICAST
    assert not session.closed


def test_an_empty_mp_reach_is_no_reachable_nlri() -> None:
    session = established()
    session.receive_data(update(BAD_ORIGIN + AS_PATH + mp_reach_v6(b'')), 1.0)
    assert session.closed
    assert [note[:2] for note in notifications(session.data_to_send())] == [(3, 5)]


def test_an_mp_reach_with_routes_keeps_treat_as_withdraw() -> None:
    session = established()
    session.receive_data(update(BAD_ORIGIN + AS_PATH + mp_reach_v6(v6('2001:db8:1::', 48))), 1.0)
    [message] = received(session)
    assert not session.closed
    assert message.action is Action.TREAT_AS_WITHDRAW
    assert [str(nlri) for nlri in message.withdrawn] == ['2001:db8:1::/48']


@pytest.mark.parametrize('size', [4096, 65535])
def test_a_route_refresh_as_long_as_a_message_gets_a_notification_that_fits(size: int) -> None:
    # found by qa/fuzz/run-sessions: RFC 7313 5 puts the whole ROUTE-REFRESH in its error's data,
    # so a NOTIFICATION for one of the largest size could not be framed (an OverflowError)
    families = (IPV4_UNICAST,)
    session = established(families, extended=size > 4096)
    wire = frame(MessageType.ROUTE_REFRESH, bytes(size - 19))
    session.receive_data(wire, 1.0)
    assert session.closed
    sent = session.data_to_send()
    assert len(sent) == size
    [(code, subcode, data)] = notifications(sent)
    assert (code, subcode) == (7, 1)
    assert data == wire[: size - 21]
