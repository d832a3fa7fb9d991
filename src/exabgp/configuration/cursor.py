"""A cursor over the words of one statement, which knows where each word is.

The grammar reads words with `next()` ('' once the statement is exhausted, as 5.0's tokeniser does, so
a bare keyword is told from a keyword with a value) and raises `ConfigError` with `fail()` (at the
word just read), `fail_at()` (at any word) or `fail_here()` (at the next word, or the terminator).
Both the configuration and the API command parser use it: a statement from `tokenizer.tokenize()`
has the command text as its line, so errors point into the command.
"""

from exabgp.configuration.errors import ConfigError
from exabgp.configuration.tokenizer import Quoted, Statement


class Cursor:
    __slots__ = ('index', 'statement', 'words')

    def __init__(self, statement: Statement, start: int = 1) -> None:
        self.statement = statement
        self.words = statement.words
        self.index = start

    def next(self) -> str:
        """The next word, or '' at the end."""
        index = self.index
        if index >= len(self.words):
            return ''
        self.index = index + 1
        return self.words[index]

    def peek(self) -> str:
        index = self.index
        return self.words[index] if index < len(self.words) else ''

    def more(self) -> bool:
        return self.index < len(self.words)

    def left(self) -> int:
        return len(self.words) - self.index

    def is_punctuation(self, word: str, mark: str) -> bool:
        return word == mark and not isinstance(word, Quoted)

    def expect(self, what: str) -> str:
        """The next word; an error at the terminator naming `what` when there is none."""
        if self.index >= len(self.words):
            raise self.fail_here(f'missing {what}')
        return self.next()

    def expect_word(self, mark: str) -> None:
        """The next word must be `mark`."""
        word = self.next()
        if word != mark:
            if word:
                raise self.fail(f"expected '{mark}' but found '{word}'")
            raise self.fail_here(f"expected '{mark}'")

    def done(self) -> None:
        """Every word was used: anything left over is an error at the first unused word."""
        if self.index < len(self.words):
            raise self.fail_here(f"unexpected '{self.words[self.index]}'")

    def fail(self, message: str) -> ConfigError:
        """An error at the word just read (or at the next one when nothing was read yet)."""
        return ConfigError(message, self.statement.location(max(self.index - 1, 0)))

    def fail_at(self, index: int, message: str) -> ConfigError:
        return ConfigError(message, self.statement.location(index))

    def fail_here(self, message: str) -> ConfigError:
        """An error at the next word, or at the terminator when every word was read."""
        return ConfigError(message, self.statement.location(min(self.index, len(self.words))))

    def bracketed(self, what: str) -> list[str]:
        """`[ a b , c ]` (commas ignored) or a single word, as a list of words."""
        word = self.expect(what)
        if not self.is_punctuation(word, '['):
            return [word]
        found: list[str] = []
        while True:
            word = self.next()
            if word == '':
                raise self.fail_here(f"missing ']' to close the {what} list")
            if self.is_punctuation(word, ']'):
                return found
            if self.is_punctuation(word, ','):
                continue
            found.append(word)

    def glued(self) -> str:
        """The next word with any `(` or `)` written against it, kept together as 5.0's tokeniser did."""
        word = self.next()
        if not word or isinstance(word, Quoted):
            return word
        words = self.words
        offsets: list[int] | None = None
        parts = [word]
        while self.index < len(words):
            following = words[self.index]
            if isinstance(following, Quoted) or not (following in _PARENS or parts[-1] in _PARENS):
                break
            if offsets is None:
                offsets = self.statement.line.offsets()
            position = self.statement.first + self.index
            if offsets[position - 1] + len(words[self.index - 1]) != offsets[position]:
                break
            parts.append(following)
            self.index += 1
        return ''.join(parts)


_PARENS = ('(', ')')
