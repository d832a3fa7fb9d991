"""How long to wait before connecting again, as ExaBGP 5.0 spaces its attempts.

Invariants: the first attempt is immediate; after each failure the wait grows 0, 1, 2, 3, 4, 5, 7,
9, 11, 14, ... (next = int(1 + 1.2 x previous)) up to 60 seconds; `reset` (a session that reached
ESTABLISHED, or an operator's request) starts again from zero.
"""

from dataclasses import dataclass

CEILING = 60


@dataclass(slots=True)
class Backoff:
    delay: int = 0
    attempts: int = 0

    def failed(self) -> int:
        """Record a failed or ended connection; return the seconds to wait before the next one."""
        wait = self.delay
        self.delay = min(int(1 + self.delay * 1.2), CEILING)
        self.attempts += 1
        return wait

    def reset(self) -> None:
        self.delay = 0
