"""Whatever the text, loading it either succeeds or raises `ConfigError` with a location: any other
exception is a bug. The text is random, or made of the grammar's own words in random order (which
reaches much deeper than random characters)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exabgp.configuration.errors import ConfigError
from exabgp.configuration.parser import load_text
from exabgp.configuration.process import Context

WORDS = [
    'neighbor',
    'template',
    'process',
    'static',
    'announce',
    'flow',
    'l2vpn',
    'operational',
    'api',
    'capability',
    'family',
    'add-path',
    'nexthop',
    'route',
    'attributes',
    'nlri',
    'unicast',
    'multicast',
    'ipv4',
    'ipv6',
    'all',
    'next-hop',
    'self',
    'med',
    'as-path',
    'community',
    'extended-community',
    'large-community',
    'origin',
    'igp',
    'aggregator',
    'cluster-list',
    'originator-id',
    'aigp',
    'attribute',
    'split',
    '/24',
    '/33',
    'watchdog',
    'withdraw',
    'path-information',
    'rd',
    'label',
    'router-id',
    'local-address',
    'local-as',
    'peer-as',
    'auto',
    'hold-time',
    'inherit',
    'processes',
    'receive',
    'send',
    'parsed',
    'run',
    'encoder',
    'json',
    'asm',
    'afi',
    'safi',
    'advisory',
    'graceful-restart',
    'route-refresh',
    'disable',
    'enable',
    'true',
    'passive',
    'listen',
    'md5-password',
    'description',
    '1',
    '0',
    '65536',
    '4294967296',
    '1.1',
    '10.0.0.0/24',
    '10.0.0.1/24',
    '2001:db8::/32',
    '1.2.3.4',
    '::1',
    '127.0.0.1',
    '224.0.0.0/4',
    '1:1',
    '1:2:3',
    'target:1:1',
    '0x01',
    '0xzz',
    'no-export',
    '[',
    ']',
    '(',
    ')',
    ',',
    '{',
    '}',
    ';',
    ';',
    ';',
    '"q w"',
    '"',
    '#',
    '\\\n',
    '\n',
]
HEAD = 'neighbor 127.0.0.1 { router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 1;\n'


def check(text: str) -> None:
    try:
        load_text(text, Context(check_programs=False))
    except ConfigError as exc:
        assert exc.location.line >= 1 and exc.location.column >= 1, exc
        exc.report()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_grammar_words_in_any_order(words: list[str]) -> None:
    check(HEAD + ' '.join(words))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25))
def test_grammar_words_inside_a_static_section(words: list[str]) -> None:
    check(HEAD + 'static { route 10.0.0.0/24 ' + ' '.join(words) + ' }')


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_random_text(text: str) -> None:
    check(text)
