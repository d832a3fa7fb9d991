"""The tokenizer: words, quotes, comments, continuation lines, statements, and where each token is."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.configuration.errors import ConfigError
from exabgp.configuration.tokenizer import (
    Line,
    Quoted,
    _split,
    logical_lines,
    read_text,
    scan,
    tokenize,
    unescape,
)


def words(text: str) -> list[tuple[list[str], str]]:
    return [(statement.words, statement.end) for statement in read_text(text)]


def test_statements_end_with_semicolon_and_braces() -> None:
    assert words('neighbor 1.2.3.4 {\n  hold-time 180;\n}\n') == [
        (['neighbor', '1.2.3.4'], '{'),
        (['hold-time', '180'], ';'),
        ([], '}'),
    ]


def test_several_statements_on_one_line() -> None:
    assert words('a { b 1; c 2; }') == [(['a'], '{'), (['b', '1'], ';'), (['c', '2'], ';'), ([], '}')]


def test_punctuation_is_a_token_of_its_own() -> None:
    assert words('x [1,2](3)[ 4 ];') == [(['x', '[', '1', ',', '2', ']', '(', '3', ')', '[', '4', ']'], ';')]


def test_comments_run_to_the_end_of_the_line() -> None:
    assert words('a 1; # b 2;\n# c 3;\nd 4;#e') == [(['a', '1'], ';'), (['d', '4'], ';')]


def test_quoted_words_keep_spaces_punctuation_and_hashes() -> None:
    statement = next(read_text('description "a; {b} # [c]" \'d e\';'))
    assert statement.words == ['description', 'a; {b} # [c]', 'd e']
    assert all(isinstance(word, Quoted) for word in statement.words[1:])
    assert not isinstance(statement.words[0], Quoted)


def test_quoted_punctuation_is_not_punctuation() -> None:
    statement = next(read_text('x ";" "{";'))
    assert statement.words == ['x', ';', '{'] and statement.end == ';'


def test_escapes_inside_quotes() -> None:
    assert next(read_text(r'x "a\tb\nc\"d\\e\u0041";')).words[1] == 'a\tb\nc"d\\eA'


def test_empty_quoted_word() -> None:
    assert next(read_text('description "";')).words == ['description', '']


@pytest.mark.parametrize('text', ['a "b;', "a 'b;"])
def test_unterminated_quote_is_an_error_at_the_quote(text: str) -> None:
    with pytest.raises(ConfigError) as raised:
        list(read_text(text))
    assert raised.value.location.column == 3
    assert raised.value.message.startswith('unterminated quoted string')


def test_bad_escape_is_an_error() -> None:
    with pytest.raises(ConfigError, match='four hexadecimal digits'):
        list(read_text(r'a "\u12";'))
    with pytest.raises(ValueError, match='ends with a backslash'):
        unescape('abc\\')


def test_a_backslash_continues_the_line() -> None:
    statements = list(read_text('route 10.0.0.0/8 \\\n   next-hop 1.1.1.1 \\\n   med 5;\nx 1;'))
    assert statements[0].words == ['route', '10.0.0.0/8', 'next-hop', '1.1.1.1', 'med', '5']
    assert statements[1].words == ['x', '1']
    # positions are on the physical lines
    assert [(where.line, where.column) for where in map(statements[0].location, range(7))] == [
        (1, 1),
        (1, 7),
        (2, 4),
        (2, 13),
        (3, 4),
        (3, 8),
        (3, 9),
    ]
    assert statements[1].location(0).line == 4
    assert statements[0].location(2).text == '   next-hop 1.1.1.1 \\'


def test_a_comment_ending_with_a_backslash_swallows_the_next_line() -> None:
    assert words('# comment \\\nhidden 1;\nshown 2;') == [(['shown', '2'], ';')]


def test_a_statement_must_end_on_its_line() -> None:
    with pytest.raises(ConfigError) as raised:
        list(read_text('a {\n  hold-time 180\n}\n'))
    assert (raised.value.location.line, raised.value.location.column) == (2, 16)
    assert 'missing' in raised.value.message


def test_locations_of_words_and_terminator() -> None:
    statement = list(read_text('a {\n\tlocal-as  65000 ;\n}'))[1]
    assert [(where.line, where.column) for where in map(statement.location, range(3))] == [(2, 2), (2, 12), (2, 18)]
    assert statement.location(1).caret() == '\tlocal-as  65000 ;\n\t' + ' ' * 10 + '^'


def test_an_empty_file_has_no_statement() -> None:
    assert words('') == []
    assert words('\n\n# nothing\n   \n') == []


def test_api_commands_are_one_statement_with_an_optional_semicolon() -> None:
    assert tokenize('announce route 10.0.0.0/24 next-hop 1.1.1.1').words == [
        'announce',
        'route',
        '10.0.0.0/24',
        'next-hop',
        '1.1.1.1',
    ]
    statement = tokenize('withdraw route 10.0.0.0/24;')
    assert statement.words[-1] == '10.0.0.0/24' and statement.end == ';'
    assert statement.location(2).column == 16


def test_logical_lines_numbering() -> None:
    lines = list(logical_lines('f', ['a \\\n', 'b\n', 'c\n', 'd \\\n', 'e \\\n', 'f\n']))
    assert [(line.number, line.text.split()) for line in lines] == [(1, ['a', 'b']), (3, ['c']), (4, ['d', 'e', 'f'])]


# the fast path (no quote, no backslash) and the slow one (which also gives positions) must agree
_PLAIN = string.ascii_letters + string.digits + ' \t./:-_<>=&!+#;{}[](),'


@given(st.text(alphabet=_PLAIN, max_size=80))
def test_fast_and_slow_tokenizers_agree(text: str) -> None:
    line = Line('t', 1, text)
    assert _split(text) == [token for token, _ in scan(line)]


@given(st.lists(st.text(alphabet=string.ascii_letters + string.digits + './:-', min_size=1, max_size=10), max_size=8))
def test_words_survive_a_round_trip_through_text(parts: list[str]) -> None:
    text = ' '.join(parts) + ';'
    statement = next(read_text(text))
    assert statement.words == parts
    # every word is found where it was written
    for index, part in enumerate(parts):
        column = statement.location(index).column
        assert text[column - 1 : column - 1 + len(part)] == part


_ANY = st.text(
    alphabet=st.characters(
        blacklist_categories=('Cs',), blacklist_characters='\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'
    ),
    max_size=30,
)


@given(_ANY)
def test_quoting_any_text_gives_it_back(value: str) -> None:
    escaped = ''.join({'\\': '\\\\', '"': '\\"'}.get(char, char) for char in value)
    statement = next(read_text(f'description "{escaped}";'))
    assert statement.words == ['description', value]


@given(st.text(max_size=60))
def test_any_text_tokenizes_or_fails_with_a_located_error(text: str) -> None:
    try:
        for statement in read_text(text):
            for index in range(len(statement.words) + 1):
                statement.location(index)
    except ConfigError as exc:
        assert exc.location.line >= 1 and exc.location.column >= 1


def _outcome(text: str) -> list[tuple[object, ...]]:
    """What reading `text` gives: each statement's words, terminator and word columns, or the error."""
    found: list[tuple[object, ...]] = []
    try:
        for statement in read_text(text):
            columns = [statement.location(index).column for index in range(len(statement.words) + 1)]
            found.append((statement.words, statement.end, statement.first, columns))
    except ConfigError as exc:
        found.append((exc.message, exc.location.column))
    return found


_WORD = st.text(alphabet=_PLAIN, min_size=1, max_size=12).filter(lambda word: not word.isspace())
# a rest the first line may leave known: one statement, its terminator last
_ONE_STATEMENT = st.builds(
    str.__add__, st.text(alphabet=_PLAIN.replace(';{}', '').replace('#', ''), max_size=40), st.sampled_from(';{}')
)


@given(_WORD, _WORD, _WORD, _WORD, st.one_of(_ONE_STATEMENT, st.text(alphabet=_PLAIN, max_size=60)))
def test_a_line_ending_as_an_earlier_one_reads_as_it_would_alone(
    first: str, second: str, third: str, fourth: str, rest: str
) -> None:
    """The second line's rest may come from what the first line's left (the known rests): the
    statements are those the line gives read alone, whatever the words and the rest hold."""
    earlier, later = f'{first} {second} {rest}', f'{third} {fourth} {rest}'
    both = _outcome(f'{earlier}\n{later}')
    alone = _outcome(earlier)
    if alone and len(alone[-1]) == 2:
        return  # the first line is an error: the reading stops there
    assert both == alone + _outcome(later)


def test_known_rests_serve_lines_written_alike() -> None:
    text = '\n'.join(f'route 10.0.{index}.0/24 next-hop 1.1.1.1 community [ 1:1 ];' for index in range(3))
    text += '\nroute 10.0.3.0/24;next-hop 1.1.1.1 community [ 1:1 ];\n(a b next-hop 1.1.1.1 community [ 1:1 ];'
    assert [(statement.words, statement.end) for statement in read_text(text)] == [
        *[
            (['route', f'10.0.{index}.0/24', 'next-hop', '1.1.1.1', 'community', '[', '1:1', ']'], ';')
            for index in range(3)
        ],
        (['route', '10.0.3.0/24'], ';'),
        (['next-hop', '1.1.1.1', 'community', '[', '1:1', ']'], ';'),
        (['(', 'a', 'b', 'next-hop', '1.1.1.1', 'community', '[', '1:1', ']'], ';'),
    ]
