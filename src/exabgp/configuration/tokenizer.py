"""The configuration tokenizer: text in, statements out, every token traceable to file, line and column.

Grammar of the text (ExaBGP 5.0's):
- `#` starts a comment running to the end of the (logical) line, outside quotes.
- A line whose last non-blank character is `\\` continues on the next physical line: the two form
  one logical line (the backslash counts as a space). A comment line ending in `\\` swallows the next
  line, as 5.0 does.
- `"..."` and `'...'` are one word, quotes removed, with the escapes `\\n \\t \\r \\b \\f \\uXXXX`
  and `\\<char>` for the character itself. A quoted word is a `Quoted` (a str), so a quoted `[` or `;`
  is never punctuation.
- `[ ] ( ) ,` are tokens of their own wherever they appear; `;`, `{` and `}` end a statement.
- A statement must end on its logical line: a line holding words without a final `;`, `{` or `}`
  is an error, as in 5.0.

Invariants:
- Streaming: lines are read one at a time and each statement is handed out as soon as it is
  complete; nothing holds the whole file.
- Fast path: a line without quotes or backslashes has its punctuation spaced out and is split with
  `str.split`, and no position is computed. Positions are recomputed only when an error needs one, by `scan`, which
  yields exactly the same tokens (tests/configuration/test_tokenizer.py holds the two together).
- Known rests: a line `WORD WORD REST` read by the fast path as one statement remembers the tokens of
  REST (the text after its first two words); a later line ending with the same REST, whose first two
  words hold no punctuation and no `#`, takes them without splitting it again (a big configuration
  writes the same attributes after many prefixes). The tokens are those `_split` gives: splitting
  only happens at white space and punctuation, so two plain words and REST split apart.
- `Statement.location(i)` is the place of word i; `i == len(words)` is the terminator.
"""

import re
from collections.abc import Iterable, Iterator

from exabgp.configuration.errors import ConfigError, Location

PUNCTUATION = ';{}[](),'
TERMINATORS = frozenset(';{}')
# what a word must not hold for the text after it to be split on its own
_SPLITTING = frozenset(PUNCTUATION + '#')
# the rests remembered: a bound, as they only grow with distinct lines
RESTS = 4096
_SPACED = {char: f' {char} ' for char in PUNCTUATION}

_SCAN = re.compile(
    r"""
    (?P<space>\s+)
    |(?P<comment>\#.*)
    |(?P<quoted>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<punct>[;{}\[\](),])
    |(?P<word>[^\s;{}\[\](),"'\#]+)
    |(?P<open>["'])
    """,
    re.VERBOSE | re.DOTALL,
)

_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f'}


class Quoted(str):
    """A word written between quotes: never punctuation, never a keyword."""

    __slots__ = ()


def unescape(text: str) -> str:
    """Resolve backslash escapes; ValueError names what is wrong with a bad one."""
    if '\\' not in text:
        return text
    parts = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char != '\\':
            parts.append(char)
            index += 1
            continue
        if index + 1 >= length:
            raise ValueError('the text ends with a backslash')
        escaped = text[index + 1]
        if escaped == 'u':
            digits = text[index + 2 : index + 6]
            if len(digits) != 4 or any(c not in '0123456789abcdefABCDEF' for c in digits):
                raise ValueError('\\u must be followed by four hexadecimal digits')
            parts.append(chr(int(digits, 16)))
            index += 6
            continue
        parts.append(_ESCAPES.get(escaped, escaped))
        index += 2
    return ''.join(parts)


class Line:
    """A logical line: physical lines joined by trailing backslashes, and where each one starts."""

    __slots__ = ('number', 'source', 'starts', 'text')

    def __init__(self, source: str, number: int, text: str, starts: tuple[int, ...] = (0,)) -> None:
        self.source = source
        self.number = number
        self.text = text
        self.starts = starts

    def location(self, offset: int) -> Location:
        """The physical line and column of a character offset in the logical text."""
        starts = self.starts
        index = len(starts) - 1
        while index and starts[index] > offset:
            index -= 1
        start = starts[index]
        # a continued line is shown with its backslash, which the logical text holds as a space
        following = starts[index + 1] if index + 1 < len(starts) else 0
        physical = self.text[start : following - 2] + '\\' if following else self.text[start:]
        return Location(self.source, self.number + index, offset - start + 1, physical)

    def tokens(self) -> list[str]:
        """The tokens of the line (words, quoted words and punctuation), comments removed."""
        text = self.text
        if '"' in text or "'" in text or '\\' in text:
            return [token for token, _ in scan(self)]
        return _split(text)

    def offsets(self) -> list[int]:
        """Where each token of `tokens()` starts, and one more entry: the end of the last token."""
        found = scan(self)
        ends = [offset for _, offset in found]
        if found:
            token, offset = found[-1]
            ends.append(offset + _width(self.text, offset, token))
        else:
            ends.append(len(self.text.rstrip()))
        return ends


def _width(text: str, offset: int, token: str) -> int:
    """How many characters of the source a token took (a quoted one has its quotes and escapes)."""
    if isinstance(token, Quoted):
        match = _SCAN.match(text, offset)
        return match.end() - offset if match else len(token)
    return len(token)


def scan(line: Line) -> list[tuple[str, int]]:
    """The tokens of a line with their offsets: the slow path, used for quotes, escapes and errors."""
    text = line.text
    found: list[tuple[str, int]] = []
    position = 0
    length = len(text)
    while position < length:
        match = _SCAN.match(text, position)
        if match is None:  # pragma: no cover - the pattern matches any character
            raise ConfigError('unexpected character', line.location(position))
        kind = match.lastgroup
        value = match.group()
        if kind == 'comment':
            break
        if kind == 'word' or kind == 'punct':
            if kind == 'word' and '\\' in value:
                try:
                    value = unescape(value)
                except ValueError as exc:
                    raise ConfigError(f'invalid escape: {exc}', line.location(position)) from None
            found.append((value, position))
        elif kind == 'quoted':
            try:
                found.append((Quoted(unescape(value[1:-1])), position))
            except ValueError as exc:
                raise ConfigError(f'invalid escape: {exc}', line.location(position)) from None
        elif kind == 'open':
            raise ConfigError(f'unterminated quoted string (no closing {value})', line.location(position))
        position = match.end()
    return found


class Statement:
    """Words up to a terminator: `;` (a command), `{` (a section opens), `}` (a section closes).

    `end` is '' for the end of the input. `first` is the index of words[0] among the tokens of `line`.
    """

    __slots__ = ('end', 'first', 'line', 'words')

    def __init__(self, words: list[str], end: str, line: Line, first: int) -> None:
        self.words = words
        self.end = end
        self.line = line
        self.first = first

    def location(self, index: int = 0) -> Location:
        """Where word `index` is; `len(words)` is the terminator (or the end of the line at EOF)."""
        offsets = self.line.offsets()
        position = self.first + index
        if position >= len(offsets):
            position = len(offsets) - 1
        return self.line.location(offsets[position])

    def __repr__(self) -> str:
        return f'Statement({self.words!r}, {self.end!r}, line {self.line.number})'


def logical_lines(source: str, physical: Iterable[str]) -> Iterator[Line]:
    """Join continued lines; each physical line may end with a newline or not."""
    pending: list[str] = []
    starts: list[int] = []
    size = 0
    first = 0
    number = 0
    for number, raw in enumerate(physical, 1):
        text = raw.rstrip()
        if text.endswith('\\'):
            if not pending:
                first = number
            starts.append(size)
            piece = text[:-1] + ' \n'
            pending.append(piece)
            size += len(piece)
            continue
        if pending:
            starts.append(size)
            pending.append(text)
            yield Line(source, first, ''.join(pending), tuple(starts))
            pending = []
            starts = []
            size = 0
            continue
        yield Line(source, number, text)
    if pending:
        yield Line(source, first, ''.join(pending), tuple(starts))


def _split(text: str) -> list[str]:
    """The fast path: no quote, no backslash. Punctuation is spaced out, then the text split."""
    cut = text.find('#')
    if cut >= 0:
        text = text[:cut]
    for mark in PUNCTUATION:
        if mark in text:
            text = text.replace(mark, _SPACED[mark])
    return text.split()


def statements(lines: Iterable[Line]) -> Iterator[Statement]:
    """Split lines into statements; a statement must end on its line."""
    # REST -> its tokens less the terminator, and the terminator (see the module's invariants)
    rests: dict[str, tuple[tuple[str, ...], str]] = {}
    plain = _SPLITTING.isdisjoint
    for line in lines:
        text = line.text
        if '"' in text or "'" in text or '\\' in text:
            tokens = [token for token, _ in scan(line)]
        else:
            parts = text.split(None, 2)
            if len(parts) == 3:
                first, second, rest = parts
                known = rests.get(rest)
                if known is not None and plain(first) and plain(second):
                    yield Statement([first, second, *known[0]], known[1], line, 0)
                    continue
            tokens = _split(text)
            # the usual line: one statement, its terminator last
            if tokens and tokens[-1] in TERMINATORS and text.count(';') + text.count('{') + text.count('}') == 1:
                if len(parts) == 3 and plain(parts[0]) and plain(parts[1]):
                    if len(rests) >= RESTS:
                        rests.clear()
                    rests[parts[2]] = (tuple(tokens[2:-1]), tokens[-1])
                yield Statement(tokens[:-1], tokens[-1], line, 0)
                continue
        if not tokens:
            continue
        start = 0
        for index, token in enumerate(tokens):
            if token in TERMINATORS and not isinstance(token, Quoted):
                yield Statement(tokens[start:index], token, line, start)
                start = index + 1
        if start < len(tokens):
            statement = Statement(tokens[start:], '', line, start)
            raise ConfigError(
                "missing ';' at the end of the line (or '{' to open a section)",
                statement.location(len(tokens) - start),
            )


def read_file(path: str) -> Iterator[Statement]:
    """The statements of a file, read lazily."""
    # utf-8-sig: a byte order mark some editors write is not part of the first word
    with open(path, encoding='utf-8-sig') as stream:
        yield from statements(logical_lines(path, stream))


def read_text(text: str, source: str = '<text>') -> Iterator[Statement]:
    return statements(logical_lines(source, text.split('\n')))


def tokenize(text: str, source: str = '<command>') -> Statement:
    """One line (an API command) as a single statement; a final `;` is optional."""
    line = Line(source, 1, text.replace('\n', ' '))
    tokens = line.tokens()
    if tokens and tokens[-1] == ';' and not isinstance(tokens[-1], Quoted):
        return Statement(tokens[:-1], ';', line, 0)
    return Statement(tokens, '', line, 0)
