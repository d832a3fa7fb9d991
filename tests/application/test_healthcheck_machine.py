"""The healthcheck's state machine: rise and fall counts, the shortcuts at 1, the disable file, and
when routes are sent and how long the loop waits."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.application.healthcheck.machine import Health, State, announces, pause, step


def run(results: list[bool], rise: int = 3, fall: int = 3) -> list[State | None]:
    health = Health()
    entered = []
    for successful in results:
        health, state = step(health, rise=rise, fall=fall, disabled=False, successful=successful)
        entered.append(state)
    return entered


def test_three_successes_bring_the_service_up() -> None:
    assert run([True, True, True, True]) == [State.RISING, None, State.UP, None]


def test_three_failures_bring_it_down_and_one_success_starts_rising_again() -> None:
    assert run([False, False, False, True, False]) == [State.FALLING, None, State.DOWN, State.RISING, State.FALLING]


def test_a_failure_while_rising_starts_the_count_again() -> None:
    assert run([True, True, False, True, True, True]) == [
        State.RISING,
        None,
        State.FALLING,
        State.RISING,
        None,
        State.UP,
    ]


@pytest.mark.parametrize('count', [1, 0, -2])
def test_a_rise_or_fall_of_one_or_less_skips_rising_and_falling(count: int) -> None:
    assert run([True, False, True], rise=count, fall=count) == [State.UP, State.DOWN, State.UP]


def test_the_count_restarts_at_one_after_a_state_change() -> None:
    health, _ = step(Health(State.UP, 7), rise=3, fall=3, disabled=False, successful=False)
    assert health == Health(State.FALLING, 1)


@pytest.mark.parametrize('state', [State.INIT, State.RISING, State.FALLING, State.UP, State.DOWN])
def test_the_disable_file_wins_over_any_state(state: State) -> None:
    health, entered = step(Health(state, 2), rise=3, fall=3, disabled=True, successful=False)
    assert (health.state, entered) == (State.DISABLED, State.DISABLED)


def test_disabled_stays_then_starts_again_from_init_whatever_the_check_said() -> None:
    disabled = Health(State.DISABLED, 0)
    assert step(disabled, rise=3, fall=3, disabled=True, successful=True) == (disabled, None)
    health, entered = step(disabled, rise=1, fall=1, disabled=False, successful=True)
    assert (health.state, entered) == (State.INIT, State.INIT)


@pytest.mark.parametrize('state', [State.EXIT, State.END])
def test_the_loop_states_are_not_run(state: State) -> None:
    with pytest.raises(ValueError, match=str(state)):
        step(Health(state), rise=3, fall=3, disabled=False, successful=True)


@given(
    st.lists(st.booleans(), max_size=30),
    st.integers(min_value=-1, max_value=6),
    st.integers(min_value=-1, max_value=6),
    st.integers(min_value=1, max_value=8),
    st.booleans(),
)
def test_enough_agreeing_checks_in_a_row_always_settle_the_state(
    history: list[bool], rise: int, fall: int, streak: int, successful: bool
) -> None:
    health = Health()
    for result in [*history, *[successful] * streak]:
        health, _ = step(health, rise=rise, fall=fall, disabled=False, successful=result)
        # UP only after a success, DOWN only after a failure
        assert health.state is not (State.DOWN if result else State.UP)
    needed = max(rise if successful else fall, 1)
    if streak >= needed:
        assert health.state is (State.UP if successful else State.DOWN)


def test_routes_are_sent_after_every_check_unless_debounced() -> None:
    assert announces(State.UP, State.UP, debounce=False)
    assert not announces(State.UP, State.UP, debounce=True)
    assert announces(State.FALLING, State.DOWN, debounce=True)


def test_the_wait_is_short_while_the_state_is_changing_and_none_when_told_to_stop() -> None:
    assert pause(State.RISING, 5, 1) == 1
    assert pause(State.FALLING, 0, 0.5) == 0.5
    assert pause(State.UP, 5, 1) == 5
    assert pause(State.INIT, 2.5, 1) == 2.5
    assert pause(State.DOWN, 0, 1) is None


def test_the_state_reads_as_its_name() -> None:
    assert str(State.DISABLED) == 'DISABLED'
