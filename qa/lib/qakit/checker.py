"""The matching rules of ExaBGP's functional suite, without any I/O.

The expectations are the case's groups, in order. Only one group is open at a time. A message the
daemon sends matches any raw step still pending in the open group (so messages of one group may
arrive in any order); when the group has none left the next group opens. Actions (notification,
signal) run as soon as every step listed before them in their group is done, so an action heading
a group runs when that group opens. KEEPALIVEs never count. The daemon's OPEN only counts when the
case asks for inspect-open-message. cmd and json steps are documentation and never wait.

Invariants: `receive` either consumes the message (returning the actions now due) or reports a
Mismatch and leaves the pending steps as they were; once `done`, nothing more is expected and any
message is a Mismatch.
"""

from dataclasses import dataclass

from qakit.case import ACTIONS, RAW, Group, Step

KEEPALIVE = 4


@dataclass(frozen=True, slots=True)
class Mismatch:
    received: bytes
    group: str
    candidates: tuple[Step, ...]


class Checker:
    __slots__ = ('_groups', '_open', '_pending', 'matched')

    def __init__(self, groups: tuple[Group, ...]) -> None:
        self._groups = [group for group in groups if any(step.kind in (RAW, *ACTIONS) for step in group.steps)]
        self._open: Group | None = None
        self._pending: list[Step] = []
        self.matched: list[tuple[str, bytes]] = []

    @property
    def done(self) -> bool:
        return self._open is None and not self._groups

    @property
    def group(self) -> str:
        """The label of the open group ('' when none is open)."""
        return self._open.label if self._open else ''

    @property
    def pending(self) -> tuple[Step, ...]:
        return tuple(self._pending)

    @property
    def remaining(self) -> tuple[Group, ...]:
        """The groups not opened yet."""
        return tuple(self._groups)

    def start(self) -> list[Step]:
        """Open the first group if none is open yet; the actions now due."""
        if self._open is None:
            return self._advance()
        return self._due()

    def receive(self, message: bytes) -> list[Step] | Mismatch:
        """Match one message the daemon sent; the actions now due, or why it does not fit."""
        if message[18:19] == bytes([KEEPALIVE]):
            return []
        opened = self.start() if self._open is None else []
        for index, step in enumerate(self._pending):
            if step.kind == RAW and step.wire == message:
                del self._pending[index]
                self.matched.append((self.group, message))
                return opened + self._due()
        return Mismatch(message, self.group, tuple(step for step in self._pending if step.kind == RAW))

    def _due(self) -> list[Step]:
        actions: list[Step] = []
        while self._pending and self._pending[0].kind in ACTIONS:
            actions.append(self._pending.pop(0))
        if not self._pending:
            actions.extend(self._advance())
        return actions

    def _advance(self) -> list[Step]:
        self._open = None
        if not self._groups:
            return []
        self._open = self._groups.pop(0)
        self._pending = [step for step in self._open.steps if step.kind in (RAW, *ACTIONS)]
        return self._due()
