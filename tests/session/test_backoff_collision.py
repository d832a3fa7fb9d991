from ipaddress import IPv4Address

from exabgp.session.backoff import CEILING, Backoff
from exabgp.session.collision import keep_outgoing


def test_backoff_grows_like_5_0_and_caps() -> None:
    backoff = Backoff()
    waits = [backoff.failed() for _ in range(12)]
    assert waits == [0, 1, 2, 3, 4, 5, 7, 9, 11, 14, 17, 21]
    for _ in range(20):
        backoff.failed()
    assert backoff.failed() == CEILING
    assert backoff.attempts == 33
    backoff.reset()
    assert backoff.failed() == 0


def test_collision_keeps_the_connection_of_the_higher_identifier() -> None:
    assert keep_outgoing(IPv4Address('10.0.0.2'), IPv4Address('10.0.0.1')) is True
    assert keep_outgoing(IPv4Address('10.0.0.1'), IPv4Address('10.0.0.2')) is False
    # unsigned comparison: 200.x is above 10.x even though a signed 32-bit reading would disagree
    assert keep_outgoing(IPv4Address('200.0.0.1'), IPv4Address('10.0.0.1')) is True
