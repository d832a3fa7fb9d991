from ipaddress import IPv4Address

import pytest

from exabgp.session.backoff import CEILING, Backoff
from exabgp.session.collision import Close, keep_outgoing, refuse_connection, resolve
from exabgp.session.state import State

LOW, HIGH = IPv4Address('10.0.0.1'), IPv4Address('10.0.0.2')


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
    assert keep_outgoing(HIGH, LOW) is True
    assert keep_outgoing(LOW, HIGH) is False
    # unsigned comparison: 200.x is above 10.x even though a signed 32-bit reading would disagree
    assert keep_outgoing(IPv4Address('200.0.0.1'), LOW) is True


@pytest.mark.parametrize(
    ('arriving_outgoing', 'other_outgoing', 'local_id', 'remote_id', 'closed'),
    [
        # our identifier is higher: the connection we opened stays, wherever the OPEN arrived
        (True, False, HIGH, LOW, Close.OTHER),
        (False, True, HIGH, LOW, Close.ARRIVING),
        # theirs is higher: the connection they opened stays
        (True, False, LOW, HIGH, Close.ARRIVING),
        (False, True, LOW, HIGH, Close.OTHER),
    ],
)
def test_an_open_against_a_session_in_openconfirm_closes_the_lower_identifiers_connection(
    arriving_outgoing: bool, other_outgoing: bool, local_id: IPv4Address, remote_id: IPv4Address, closed: Close
) -> None:
    assert resolve(arriving_outgoing, State.OPENCONFIRM, other_outgoing, local_id, remote_id) is closed


@pytest.mark.parametrize('local_id', [LOW, HIGH])
def test_an_established_session_always_wins(local_id: IPv4Address) -> None:
    for arriving_outgoing in (True, False):
        assert resolve(arriving_outgoing, State.ESTABLISHED, not arriving_outgoing, local_id, LOW) is Close.ARRIVING


@pytest.mark.parametrize('local_id', [LOW, HIGH])
@pytest.mark.parametrize('outgoing', [True, False])
def test_two_connections_opened_the_same_way_keep_the_newer_whatever_the_identifiers(
    local_id: IPv4Address, outgoing: bool
) -> None:
    remote_id = HIGH if local_id == LOW else LOW
    assert resolve(outgoing, State.OPENCONFIRM, outgoing, local_id, remote_id) is Close.OTHER


@pytest.mark.parametrize('state', [State.IDLE, State.CONNECT, State.ACTIVE, State.OPENSENT])
def test_no_collision_before_openconfirm(state: State) -> None:
    assert resolve(True, state, False, HIGH, LOW) is None


def test_a_new_connection_is_refused_when_established_or_stopping() -> None:
    assert refuse_connection(established=True, stopping=False)
    assert refuse_connection(established=False, stopping=True)
    assert not refuse_connection(established=False, stopping=False)
