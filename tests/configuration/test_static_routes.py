"""Static `route` statements read from words already accepted (the builder's `ready` cache) and
prefixes read by the IPv4 fast path: the same routes, families and errors as the general path.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.nlri.vpn import VPN
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigErrors
from exabgp.configuration.parser import load_text
from exabgp.configuration.route import prefix, statements
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.tokenizer import tokenize

HEAD = 'neighbor 127.0.0.1 {\n router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 1;\n static {\n'

# each tail written after several prefixes: the first statement of a tail goes the general way,
# the others are made from the ready cache; a multicast prefix and an IPv6 one share a tail with
# unicast IPv4 prefixes, and pick their own family
ROUTES = [
    'route 10.0.0.0/24 next-hop 192.0.2.1 med 5',
    'route 10.0.1.0/24 next-hop 192.0.2.1 med 5',
    'route 224.0.1.0/24 next-hop 192.0.2.1 med 5',
    'route 224.0.2.0/24 next-hop 192.0.2.1 med 5',
    'route 10.0.2.0/24 next-hop 192.0.2.1 med 5',
    'route 2001:db8::/32 next-hop 192.0.2.1 med 5',
    'route 2001:db8:1::/48 next-hop 192.0.2.1 med 5',
    'route 10.1.0.0/16 rd 65000:1 label 16 next-hop 192.0.2.1 extended-community [ target:65000:1 ]',
    'route 10.2.0.0/16 rd 65000:1 label 16 next-hop 192.0.2.1 extended-community [ target:65000:1 ]',
    'route 224.0.3.0/24 rd 65000:1 label 16 next-hop 192.0.2.1 extended-community [ target:65000:1 ]',
    'route 10.1.0.0/16 rd 65000:2 label 17 next-hop 192.0.2.1 extended-community [ target:65000:2 ]',
    'route 2001:db8::/32 rd 65000:1 label [ 1 2 ] next-hop ::1',
    'route 2001:db8:2::/48 rd 65000:1 label [ 1 2 ] next-hop ::1',
    'route 10.3.0.0/24 label 7 next-hop self',
    'route 10.3.1.0/24 label 7 next-hop self',
    'route 10.3.2.0/24 path-information 9 next-hop 192.0.2.9 split /25',
    'route 10.3.4.0/24 path-information 9 next-hop 192.0.2.9 split /25',
    'route 10.0.0.1 next-hop 192.0.2.1 med 5',
]


def general(line: str) -> statements.Parsed:
    """The route a statement stands for, read alone by the general path (a new builder, no cache)."""
    return statements.route(Builder(), Cursor(tokenize(line), 1))


def test_routes_from_ready_words_are_the_general_paths() -> None:
    config = load_text(HEAD + ''.join(f'  {line};\n' for line in ROUTES) + ' }\n}\n')
    (neighbor,) = config.neighbors
    expected = [route for line in ROUTES for route in general(line)[0]]
    assert list(neighbor.routes) == expected
    assert [route.nlri.family for route in neighbor.routes][:7] == [IPV4_UNICAST] * 2 + [IPV4_MULTICAST] * 2 + [
        IPV4_UNICAST
    ] + [IPV6_UNICAST] * 2
    vpn = neighbor.routes[7:11]
    assert [route.nlri.family for route in vpn] == [Family(AFI.IPV4, SAFI.MPLS_VPN)] * 4
    # a VPN NLRI built from the statement's words (its slots set directly) is the one its codec makes
    made = VPN.make(Family(AFI.IPV4, SAFI.MPLS_VPN), bytes.fromhex('0000fde800000001'), bytes((10, 2, 0, 0)), 16, (16,))
    assert vpn[1].nlri == made and hash(vpn[1].nlri) == hash(made) and vpn[1].nlri.pack(False) == made.pack(False)
    # routes written alike share their attributes, also when made from the ready cache
    assert vpn[0].attributes is vpn[1].attributes is vpn[2].attributes
    assert vpn[0].attributes is not vpn[3].attributes


def test_each_family_is_recorded_where_its_first_route_was_written() -> None:
    lines = [
        'route 10.0.0.0/24 next-hop 192.0.2.1',
        'route 224.0.1.0/24 next-hop 192.0.2.1',
        'route 2001:db8::/32 next-hop 192.0.2.1',
    ]
    text = HEAD + ''.join(f'  {line};\n' for line in lines) + ' }\n}\n'
    # the ready words serve a second neighbor too: its families are its own
    second = text.replace('127.0.0.1 {', '127.0.0.2 {').replace('route 10.0.0.0/24', 'route 10.9.0.0/24')
    config = load_text(text + second)
    for neighbor in config.neighbors:
        assert [route.nlri.family for route in neighbor.routes] == [IPV4_UNICAST, IPV4_MULTICAST, IPV6_UNICAST]


def errors_of(lines: list[str]) -> list[tuple[int, int, str]]:
    with pytest.raises(ConfigErrors) as raised:
        load_text(HEAD + ''.join(f'  {line};\n' for line in lines) + ' }\n}\n')
    return [(error.location.line, error.location.column, error.message) for error in raised.value.errors]


def test_words_refused_once_are_refused_each_time_they_are_written() -> None:
    # the words are read and refused again: every statement is reported with its line
    assert errors_of(
        [
            'route 10.0.0.0/24 rd 65000:1 next-hop 192.0.2.1',
            'route 10.0.1.0/24 rd 65000:1 next-hop 192.0.2.1',
            'route 10.0.2.0/24 med 5',
            'route 10.0.3.0/24 med 5',
            'route 2001:db8::/32 rd 1:1 label 5',
            'route 2001:db8:1::/48 rd 1:1 label 5',
        ]
    ) == [
        (4, 50, 'missing label: ipv4 mpls-vpn routes need one'),
        (5, 50, 'missing label: ipv4 mpls-vpn routes need one'),
        (6, 26, 'missing next-hop: an IPv4 route needs one'),
        (7, 26, 'missing next-hop: an IPv4 route needs one'),
        (8, 37, 'missing next-hop: ipv6 mpls-vpn routes need one'),
        (9, 39, 'missing next-hop: ipv6 mpls-vpn routes need one'),
    ]


def test_a_prefix_too_long_for_ready_words_is_refused_at_the_prefix() -> None:
    assert errors_of(
        [
            'route 2001:db8::/64 rd 1:1 label [ 1 2 3 ] next-hop ::1',
            'route 2001:db8::/120 rd 1:1 label [ 1 2 3 ] next-hop ::1',
        ]
    ) == [(5, 9, 'a /120 VPN prefix with 3 labels is longer than the NLRI length field allows')]


def test_a_bad_prefix_before_ready_words_is_refused() -> None:
    assert errors_of(
        [
            'route 10.0.0.0/24 next-hop 192.0.2.1',
            'route 10.0.0.1/24 next-hop 192.0.2.1',
            'route 10.0.0.0/33 next-hop 192.0.2.1',
            'route 10.0.0.00/24 next-hop 192.0.2.1',
        ]
    ) == [
        (5, 9, 'invalid network 10.0.0.1 for netmask 24'),
        (6, 9, "'10.0.0.0/33' is not a valid prefix: the length must be 0 to 32"),
        (7, 9, "'10.0.0.00/24' is not a valid prefix (format: <ip>/<length>, e.g. 192.0.2.0/24)"),
    ]


def general_parse(word: str) -> tuple[int, bytes, int] | str:
    text, slash, length = word.partition('/')
    try:
        return prefix._parse(word, text, slash, length)
    except ValueError as error:
        return str(error)


def fast_parse(word: str) -> tuple[int, bytes, int] | str:
    try:
        return prefix.parse(word)
    except ValueError as error:
        return str(error)


@pytest.mark.parametrize(
    'word',
    [
        '10.0.0.0/24',
        '0.0.0.0/0',
        '255.255.255.255',
        '255.255.255.255/32',
        '10.0.0.1/24',
        '10.0.0.0/024',
        '10.0.0.0/33',
        '10.0.0.0/',
        '10.0.0/24',
        '10.0.0.0.0/8',
        '010.0.0.0/8',
        '256.0.0.0/8',
        '1.2.3.4/-1',
        '1.2.3.4/+8',
        '1.2.3.4/\u0663',  # an Arabic-Indic digit three: isdigit, not ASCII
        '\u0661.2.3.4',  # an Arabic-Indic digit one
        ' 1.2.3.4',
        '1..3.4',
        '2001:db8::/32',
        '::ffff:1.2.3.4/128',
        '',
    ],
)
def test_the_ipv4_fast_path_agrees_with_the_general_path(word: str) -> None:
    assert fast_parse(word) == general_parse(word)


@given(
    st.lists(
        st.sampled_from(['0', '1', '00', '01', '10', '99', '255', '256', '300', '-1', '', 'a']), min_size=1, max_size=5
    ),
    st.sampled_from(['', '/', '/0', '/8', '/08', '/24', '/32', '/33', '/x']),
)
def test_any_dotted_word_reads_the_same_both_ways(parts: list[str], length: str) -> None:
    word = '.'.join(parts) + length
    assert fast_parse(word) == general_parse(word)


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_every_prefix_reads_the_same_both_ways(address: int, length: int) -> None:
    word = f'{".".join(str(octet) for octet in address.to_bytes(4, "big"))}/{length}'
    assert fast_parse(word) == general_parse(word)
