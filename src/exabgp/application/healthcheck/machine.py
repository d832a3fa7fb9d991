"""The healthcheck's state machine, as 5.0 runs it: pure, no clock, no I/O.

A check result moves the service through RISING to UP after `rise` successes in a row, and through
FALLING to DOWN after `fall` failures in a row; a rise or fall of 1 (or less) skips the
intermediate state. The disable file wins over any result: while it exists the service is
DISABLED, and when it goes the machine starts again from INIT. EXIT and END are never entered by
`step`: the loop uses them when it stops (EXIT withdraws the routes, END leaves them).
"""

import enum
from dataclasses import dataclass


class State(enum.Enum):
    INIT = 'INIT'
    DISABLED = 'DISABLED'
    RISING = 'RISING'
    FALLING = 'FALLING'
    UP = 'UP'
    DOWN = 'DOWN'
    EXIT = 'EXIT'
    END = 'END'

    def __str__(self) -> str:
        # the name is what 5.0 logs and gives the --execute commands in $STATE
        return self.value


@dataclass(frozen=True, slots=True)
class Health:
    """Where the machine is, and how many checks in a row agreed while RISING or FALLING."""

    state: State = State.INIT
    checks: int = 0


def _towards(target: State, rise: int, fall: int) -> tuple['Health', State]:
    if target is State.RISING and rise <= 1:
        target = State.UP
    elif target is State.FALLING and fall <= 1:
        target = State.DOWN
    return Health(target, 1), target


def step(health: Health, *, rise: int, fall: int, disabled: bool, successful: bool) -> tuple[Health, State | None]:
    """The machine after one check: the new health, and the state entered (None when it stayed)."""
    state = health.state
    if disabled:
        if state is State.DISABLED:
            return health, None
        return Health(State.DISABLED, health.checks), State.DISABLED
    if state is State.DISABLED:
        return Health(State.INIT, health.checks), State.INIT
    if state is State.INIT:
        return _towards(State.RISING if successful else State.FALLING, rise, fall)
    if state is State.RISING:
        if not successful:
            return _towards(State.FALLING, rise, fall)
        if health.checks + 1 >= rise:
            return Health(State.UP, health.checks + 1), State.UP
        return Health(State.RISING, health.checks + 1), None
    if state is State.FALLING:
        if successful:
            return _towards(State.RISING, rise, fall)
        if health.checks + 1 >= fall:
            return Health(State.DOWN, health.checks + 1), State.DOWN
        return Health(State.FALLING, health.checks + 1), None
    if state is State.UP:
        return (health, None) if successful else _towards(State.FALLING, rise, fall)
    if state is State.DOWN:
        return _towards(State.RISING, rise, fall) if successful else (health, None)
    raise ValueError(f'the machine does not run from {state}')


def announces(before: State, after: State, debounce: bool) -> bool:
    """Whether the routes are sent after this check: every time (a peer that lost them gets them
    again), or with --debounce only when the state changed."""
    return not debounce or before is not after


def pause(state: State, interval: float, fast: float) -> float | None:
    """Seconds to wait before the next check; None to stop (an interval of zero means one answer)."""
    if state in (State.RISING, State.FALLING):
        return fast
    if interval == 0:
        return None
    return interval
