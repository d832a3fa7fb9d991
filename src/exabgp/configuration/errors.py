"""Configuration errors: a message and the place it is about.

Invariant: every error the configuration layer raises is a `ConfigError` carrying a `Location`
(file, line, column, the text of the line), or, for a problem of a whole file (it can not be read),
a location with line 0. `str(error)` is `file:line:column: message`; `report()` adds the line and a
caret under the column.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source: 1-based line and column, and the text of that physical line."""

    source: str
    line: int
    column: int
    text: str

    def caret(self) -> str:
        """The line and a caret under the column (tabs kept so the caret lines up)."""
        prefix = ''.join(char if char == '\t' else ' ' for char in self.text[: self.column - 1])
        return f'{self.text}\n{prefix}^'


class ConfigError(ValueError):
    def __init__(self, message: str, location: Location) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        where = self.location
        if not where.line:
            return f'{where.source}: {self.message}'
        return f'{where.source}:{where.line}:{where.column}: {self.message}'

    def report(self) -> str:
        if not self.location.line:
            return str(self)
        return f'{self}\n{self.location.caret()}'


def unsupported(what: str) -> str:
    """The message for grammar 5.0 (or main) knows and this version does not implement yet."""
    return f'{what} is not supported yet'
