"""Dump-then-parse of labeled unicast configurations gives back the same model: the qa configurations,
and random labeled routes in every form (stacks, path identifiers, both AFIs, the announce section)."""

import pathlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exabgp.configuration.dump import dump
from exabgp.configuration.parser import load_text

ETC = pathlib.Path(__file__).resolve().parents[2] / 'etc' / 'exabgp'


def round_trip(text: str) -> str:
    config = load_text(text)
    dumped = dump(config)
    assert load_text(dumped) == config
    return dumped


def test_the_qa_configurations() -> None:
    dumped = round_trip((ETC / 'qa-labeled-parse.conf').read_text())
    assert 'label [ 100 200 300 ]' in dumped
    assert 'label 1048575' in dumped
    round_trip((ETC / 'qa-labeled-static.conf').read_text())


_STACK = st.lists(st.integers(0, 0xFFFFF), min_size=1, max_size=4).map(
    lambda labels: f'label {labels[0]}' if len(labels) == 1 else f'label [ {" ".join(map(str, labels))} ]'
)
_PATH = st.one_of(st.just(''), st.integers(0, 0xFFFFFFFF).map(lambda value: f' path-information {value}'))
_V4 = st.tuples(st.integers(0x01000000, 0xDFFFFFFF), st.integers(0, 32)).map(
    lambda pair: (
        '.'.join(str(pair[0] >> (32 - pair[1]) << (32 - pair[1]) >> shift & 255) for shift in (24, 16, 8, 0))
        + f'/{pair[1]}'
    )
)
_V6 = st.sampled_from(['2001:db8::/32', '2001:db8:1::/48', '::/0', '2001:db8::1/128'])
_HOP = st.sampled_from(['192.0.2.1', 'self', '2001:db8::1'])
_EXTRA = st.sampled_from(['', ' med 5', ' community [ 65000:1 ]', ' as-path [ 1 2 ]', ' local-preference 7'])


@st.composite
def _statement(draw) -> tuple[str, str]:
    """(where, statement): a `route` of the static block, or an `nlri-mpls` line of the announce section."""
    version = draw(st.sampled_from((4, 6)))
    prefix = draw(_V4 if version == 4 else _V6)
    words = f'{prefix} next-hop {draw(_HOP)} {draw(_STACK)}{draw(_PATH)}{draw(_EXTRA)}'
    if draw(st.booleans()):
        return 'static', f'route {words};'
    return f'ipv{version}', f'nlri-mpls {words};'


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_statement(), max_size=8))
def test_random_labeled_routes_round_trip(statements: list[tuple[str, str]]) -> None:
    static = ' '.join(statement for where, statement in statements if where == 'static')
    announce = ' '.join(
        f'{afi} {{ {" ".join(statement for where, statement in statements if where == afi)} }}'
        for afi in ('ipv4', 'ipv6')
        if any(where == afi for where, _ in statements)
    )
    round_trip(
        'neighbor 127.0.0.1 { router-id 1.1.1.1; local-address 127.0.0.1; local-as 1; peer-as 1;'
        ' family { ipv4 nlri-mpls; ipv6 nlri-mpls; } capability { add-path send; }'
        ' add-path { ipv4 nlri-mpls; ipv6 nlri-mpls; }'
        f' static {{ {static} }} announce {{ {announce} }} }}'
    )
