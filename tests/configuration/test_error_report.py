"""Every problem of a file in one report, suggestions for misspelt keywords, and warnings for the
sloppy forms 5.0 accepts silently (which `strict` refuses)."""

import pytest

from exabgp.configuration.errors import ConfigError, ConfigErrors
from exabgp.configuration.parser import checked_text, load_text

HEAD = 'neighbor 127.0.0.1 {\n    router-id 1.2.3.4;\n    local-address 127.0.0.1;\n    local-as 1;\n    peer-as 2;\n'


def errors(text: str, strict: bool = False) -> list[str]:
    with pytest.raises(ConfigErrors) as raised:
        checked_text(text, source='c.conf', strict=strict)
    return [str(error) for error in raised.value.errors]


def test_every_error_is_reported_once_in_file_order() -> None:
    text = (
        HEAD
        + '    hold-tme 180;\n    hold-time 2;\n    capability {\n        route-refrsh;\n    }\n'
        + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 med x;\n    }\n}\n'
        + 'neighbor 127.0.0.300 {\n    local-as 1;\n}\n'
        + 'process p {\n    run /bin/true;\n    encoder xml;\n}\n'
    )
    assert errors(text) == [
        "c.conf:6:5: invalid keyword 'hold-tme' in neighbor, did you mean hold-time?",
        "c.conf:7:15: hold-time must be zero or at least 3 seconds, found '2'",
        "c.conf:9:9: invalid keyword 'route-refrsh' in capability, did you mean route-refresh?",
        "c.conf:12:48: invalid med 'x'",
        "c.conf:15:10: '127.0.0.300' is an invalid peer address",
        "c.conf:20:13: 'xml' is an invalid encoder, options are: text, json",
    ]


def test_the_aggregate_is_the_first_error_and_reports_all() -> None:
    with pytest.raises(ConfigError) as raised:
        load_text(HEAD + '    foo 1;\n    bar 2;\n}\n', source='c.conf')
    error = raised.value
    assert (error.location.line, error.location.column, error.message) == (6, 5, "invalid keyword 'foo' in neighbor")
    assert error.report().split('\n') == [
        "c.conf:6:5: invalid keyword 'foo' in neighbor",
        '    foo 1;',
        '    ^',
        "c.conf:7:5: invalid keyword 'bar' in neighbor",
        '    bar 2;',
        '    ^',
    ]


@pytest.mark.parametrize(
    ('text', 'expected'),
    [
        (HEAD + '    static {\n        route 10.0.0.0/24 nex-hop 1.1.1.1;\n    }\n}\n', 'did you mean next-hop?'),
        (HEAD + '    statc {\n    }\n}\n', 'did you mean static?'),
        ('procss a {\n}\n', 'did you mean process?'),
        ('process a {\n    rn /bin/true;\n    encoder text;\n}\n', 'did you mean run?'),
    ],
)
def test_a_misspelt_keyword_gets_a_suggestion(text: str, expected: str) -> None:
    assert errors(text)[0].endswith(expected)


def test_a_missing_token_says_what_was_found() -> None:
    assert errors(HEAD + '    hold-time 180\n}\n') == [
        "c.conf:6:18: missing ';' at the end of the line (or '{' to open a section), found end of line"
    ]


def test_an_error_in_a_section_header_skips_its_body() -> None:
    # the body's statements are not read as top-level ones (no 'invalid keyword local-as')
    assert errors('neighbor 10.0.0.0/33 {\n    local-as 1;\n    static {\n        route x;\n    }\n}\n') == [
        "c.conf:1:10: '10.0.0.0/33' is an invalid peer address: the prefix length must be 0 to 32"
    ]


SLOPPY = HEAD + '    hold-time 90;\n    hold-time 180;\n'


def test_sloppy_forms_load_with_located_warnings() -> None:
    config, warnings = checked_text(SLOPPY, source='c.conf')
    assert config.neighbors[0].hold_time == 180
    assert [warning.warning().split('\n')[0] for warning in warnings] == [
        "c.conf:1:1: warning: missing '}' to close neighbor: the end of the file closes it",
        "c.conf:7:5: warning: 'hold-time' is set again, overriding its value of line 6",
    ]


def test_strict_turns_warnings_into_errors() -> None:
    assert errors(SLOPPY, strict=True) == [
        "c.conf:1:1: missing '}' to close neighbor: the end of the file closes it",
        "c.conf:7:5: 'hold-time' is set again, overriding its value of line 6",
    ]


def test_a_clean_file_has_no_warning() -> None:
    _, warnings = checked_text(SLOPPY.replace('    hold-time 90;\n', '') + '}\n')
    assert warnings == []
