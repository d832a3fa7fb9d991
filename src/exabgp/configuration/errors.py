"""Configuration errors: a message and the place it is about.

Invariant: every error the configuration layer raises is a `ConfigError` carrying a `Location`
(file, line, column, the text of the line), or, for a problem of a whole file (it can not be read),
a location with line 0. `str(error)` is `file:line:column: message, found TOKEN` (the token at the
column, left out when the message already quotes it); `report()` adds the line and a caret under the
column. A load that found several problems raises `ConfigErrors`, which is the first of them (so a
caller that knows only `ConfigError` still sees where the file first goes wrong) and reports all.
A warning is a `ConfigError` too, kept aside: it is shown as `file:line:column: warning: message`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# a quoted word, a word, or one punctuation mark: what the tokenizer would read at a column
_TOKEN = re.compile(r'"[^"]*"?|\'[^\']*\'?|[^\s;{}\[\]()#]+|[;{}\[\]()]')


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

    def found(self) -> str:
        """The token at the column as the user wrote it ('end of line' past the last one), or ''
        when the message already quotes it, or the error is about a whole file."""
        where = self.location
        if not where.line:
            return ''
        match = _TOKEN.match(where.text, max(where.column - 1, 0))
        if match is None or match.start() != max(where.column - 1, 0):
            return 'end of line' if not where.text[where.column - 1 :].strip() else ''
        token = match.group()
        if f"'{token}'" in self.message or (len(token) > 2 and token in self.message):
            return ''
        return f"'{token}'" if token[0] not in '"\'' else token

    def __str__(self) -> str:
        where = self.location
        if not where.line:
            return f'{where.source}: {self.message}'
        found = self.found()
        tail = f', found {found}' if found else ''
        return f'{where.source}:{where.line}:{where.column}: {self.message}{tail}'

    def report(self) -> str:
        if not self.location.line:
            return str(self)
        return f'{self}\n{self.location.caret()}'

    def warning(self) -> str:
        """The report of a warning: the same place and caret, marked as a warning."""
        where = self.location
        text = str(self)
        head = f'{where.source}:{where.line}:{where.column}: ' if where.line else f'{where.source}: '
        shown = f'{head}warning: {text[len(head) :]}'
        return f'{shown}\n{where.caret()}' if where.line else shown


class ConfigErrors(ConfigError):
    """Every problem of one load, in file order; itself the first one."""

    def __init__(self, errors: list[ConfigError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.location)
        self.errors = errors

    def __str__(self) -> str:
        return '\n'.join(ConfigError.__str__(error) for error in self.errors)

    def report(self) -> str:
        return '\n'.join(ConfigError.report(error) for error in self.errors)


def suggest(word: str, choices: Iterable[str]) -> str:
    """', did you mean X?' for a word close to one of `choices`, else ''."""
    # only a configuration with a misspelt word needs difflib: not imported at every start
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.75)
    return f', did you mean {close[0]}?' if close else ''


def unsupported(what: str) -> str:
    """The message for grammar 5.0 (or main) knows and this version does not implement yet."""
    return f'{what} is not supported yet'
