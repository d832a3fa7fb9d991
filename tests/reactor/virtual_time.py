"""A virtual clock for reactor tests (trio's MockClock with autojump, on asyncio).

`VirtualTimeLoop.time()` stands still while the loop has work; when the loop would wait, it waits for
real only a moment (THRESHOLD) for I/O, and if none came, jumps straight to its next timer. So hold,
keepalive, back-off and close-grace times cost nothing, while sockets on loopback (whose bytes are in
the peer's buffer as soon as `send` returns) behave as they do on the real clock.

Only for tests whose every wait is on the loop's own timers or on loopback sockets: a subprocess or
a thread runs on real time, and the clock would race past it. With nothing scheduled at all the
loop blocks on I/O for real, as any loop does.

`@virtual_time` on an `async def` test runs it on a fresh `VirtualTimeLoop` (instead of
pytest-asyncio's loop); fixtures are passed as usual.
"""

import asyncio
import functools
import selectors
from collections.abc import Callable, Coroutine
from typing import Any

THRESHOLD = 0.002  # real seconds the loop waits for I/O before jumping to its next timer


class _JumpingSelector:
    """The loop's selector, which moves the loop's clock on when a wait would find nothing."""

    def __init__(self, selector: selectors.BaseSelector, loop: 'VirtualTimeLoop') -> None:
        self._selector = selector
        self._loop = loop

    def select(self, timeout: float | None = None) -> list:
        if timeout is not None and timeout <= 0:
            return self._selector.select(0)
        waited = THRESHOLD if timeout is None else min(timeout, THRESHOLD)
        events = self._selector.select(waited)
        if events:
            return events
        if timeout is None:
            return self._selector.select(None)
        self._loop.advance(timeout)
        return events

    def __getattr__(self, name: str) -> Any:
        return getattr(self._selector, name)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__(selectors.DefaultSelector())
        self._now = 0.0
        self._selector = _JumpingSelector(self._selector, self)  # type: ignore[assignment]

    def time(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


def virtual_time(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
            runner.run(test(*args, **kwargs))

    return run
