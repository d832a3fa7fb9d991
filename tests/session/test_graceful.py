"""Graceful restart as the receiving speaker: what is kept when a session ends (RFC 4724 4.2, RFC 8538)."""

from ipaddress import IPv4Address

from exabgp.bgp.capability.graceful import FORWARDING_STATE, RESTART_STATE, GracefulRestart
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated
from exabgp.session.events import Reason, Why
from exabgp.session.graceful import NOTIFICATION_BIT, Retention, retained, still_waited

BOTH = Negotiated(families=(IPV4_UNICAST, IPV6_UNICAST))
LOST = Reason(Why.CONNECTION_LOST, 'peer closed the connection')


def opening(*capabilities: GracefulRestart) -> Open:
    return Open(4, 65000, 90, IPv4Address('1.1.1.1'), capabilities)


def restart(flags: int = 0, time: int = 120, *families: tuple) -> GracefulRestart:
    return GracefulRestart(flags, time, tuple(families))


OURS = opening(restart(0, 120))
THEIRS = opening(restart(RESTART_STATE, 90, (IPV4_UNICAST, FORWARDING_STATE)))


def test_a_connection_lost_keeps_the_families_the_peer_listed_for_its_restart_time() -> None:
    assert retained(OURS, THEIRS, BOTH, LOST) == Retention(frozenset({IPV4_UNICAST}), 90)


def test_nothing_is_kept_without_the_capability_on_both_sides_or_a_restart_time() -> None:
    assert retained(opening(), THEIRS, BOTH, LOST) is None
    assert retained(OURS, opening(), BOTH, LOST) is None
    assert retained(OURS, opening(restart(0, 0, (IPV4_UNICAST, 0))), BOTH, LOST) is None
    # a family the session did not negotiate is not kept
    only_six = Negotiated(families=(IPV6_UNICAST,))
    assert retained(OURS, THEIRS, only_six, LOST) is None


def test_stopping_or_a_notification_ends_graceful_restart() -> None:
    assert retained(OURS, THEIRS, BOTH, Reason(Why.STOPPED, 'shutting down')) is None
    hold = Reason(Why.NOTIFICATION_SENT, 'hold timer expired', Notification(4, 0))
    assert retained(OURS, THEIRS, BOTH, hold) is None
    received = Reason(Why.NOTIFICATION_RECEIVED, '', Notification(6, 2))
    assert retained(OURS, THEIRS, BOTH, received) is None


def test_with_the_n_bit_on_both_sides_a_notification_keeps_them_but_a_hard_reset_does_not() -> None:
    ours = opening(restart(NOTIFICATION_BIT, 120))
    theirs = opening(restart(NOTIFICATION_BIT, 60, (IPV4_UNICAST, 0), (IPV6_UNICAST, 0)))
    hold = Reason(Why.NOTIFICATION_SENT, 'hold timer expired', Notification(4, 0))
    assert retained(ours, theirs, BOTH, hold) == Retention(frozenset({IPV4_UNICAST, IPV6_UNICAST}), 60)
    hard = Reason(Why.NOTIFICATION_RECEIVED, '', Notification(6, 9))
    assert retained(ours, theirs, BOTH, hard) is None
    # only one side set the N bit: RFC 4724 alone, a NOTIFICATION ends it
    assert retained(OURS, theirs, BOTH, hold) is None


def test_a_peer_back_keeps_waiting_only_for_families_it_preserved() -> None:
    stale = frozenset({IPV4_UNICAST, IPV6_UNICAST})
    assert still_waited(THEIRS, stale) == {IPV4_UNICAST}
    assert still_waited(opening(), stale) == frozenset()
    assert still_waited(opening(restart(0, 90, (IPV4_UNICAST, 0))), stale) == frozenset()
