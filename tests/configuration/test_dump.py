"""Dump-then-parse gives back the same model: for hand-written configurations and for random ones."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exabgp.configuration.dump import dump, quote
from exabgp.configuration.parser import load_text
from exabgp.configuration.tokenizer import read_text

PROCESSES = 'process a { run /bin/true; encoder json; } process b { run /bin/true -x "y z"; encoder text; }\n'


def round_trip(text: str) -> None:
    config = load_text(text)
    assert load_text(dump(config)) == config


def test_a_rich_configuration() -> None:
    round_trip(
        PROCESSES + 'template { neighbor t { hold-time 30; capability { route-refresh; } } }\n'
        'neighbor 10.0.0.0/24 { inherit t; router-id 1.1.1.1; local-address 10.0.0.254; local-as 1.1; peer-as auto; passive;'
        ' description "a \\"quoted\\" peer"; md5-password "p a;ss"; md5-base64 auto; listen 1790;'
        ' outgoing-ttl 5; rate-limit 10; manual-eor true; host-name h; domain-name d.org; source-interface eth0;'
        ' capability { add-path send; multi-session; graceful-restart 100; aigp; operational; software-version enable; }'
        ' family { ipv4 unicast; ipv4 multicast; ipv6 unicast; ipv4 mpls-vpn; ipv6 mpls-vpn; } add-path { ipv4 unicast; }'
        ' nexthop { ipv4 unicast ipv6; }'
        ' api { processes [ a b ]; neighbor-changes; send { packets; } receive { update; refresh; } }'
        ' static { route 10.1.0.0/16 next-hop self med 1 as-path [ 1 2 ] ( 3 4 ) watchdog w withdraw;'
        '  route 224.1.0.0/16 next-hop 1.1.1.1 path-information 9; route 2001:db8::/32;'
        '  route 10.2.0.0/16 next-hop 1.1.1.1 attribute [ 0x99 0xc0 0x ] extended-community [ target:1:1 l2info:1:2:3:4 ];'
        ' }'
        ' announce { ipv4 { multicast 10.3.0.0/16 large-community [ 1:2:3 ]; unicast 239.0.0.0/8 next-hop 1.1.1.1; }'
        '  ipv6 { unicast 2001:db9::/32 next-hop ::1; } }'
        ' operational { adm afi ipv4 safi unicast advisory "x y"; lpcq afi ipv6 safi unicast sequence 1 router-id 1.2.3.4; }'
        '}\n'
    )


def test_processes_match() -> None:
    round_trip(
        PROCESSES + 'neighbor 127.0.0.1 { router-id 1.1.1.1; local-address 127.0.0.1; local-as 1; peer-as 1;'
        ' api { processes-match [ "^a" "b$" ]; } }'
    )


def test_ipv6_multicast_needs_the_default_families() -> None:
    round_trip(
        'neighbor ::1 { router-id 1.1.1.1; local-address ::2; local-as 1; peer-as 1;'
        ' announce { ipv6 { multicast ff0e::/16; unicast ff0e::/16 next-hop ::1; } } }'
    )


def test_the_add_path_all_quirk_survives() -> None:
    round_trip(
        'neighbor 127.0.0.1 { router-id 1.1.1.1; local-address 127.0.0.1; local-as 1; peer-as 1;'
        ' capability { add-path receive; } add-path { all; } }'
    )


@given(
    st.text(
        alphabet=st.characters(
            blacklist_categories=('Cs',), blacklist_characters='\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'
        ),
        max_size=20,
    )
)
def test_quote_gives_one_word_back(text: str) -> None:
    statement = next(read_text(f'x {quote(text)};'))
    assert statement.words == ['x', text]


_ASN = st.one_of(
    st.integers(0, 0xFFFFFFFF).map(str),
    st.tuples(st.integers(0, 0xFFFF), st.integers(0, 0xFFFF)).map(lambda p: f'{p[0]}.{p[1]}'),
    st.just('auto'),
)
_FLAG = st.sampled_from(['true', 'false', 'enable', 'disable', ''])
_COMMUNITY = st.one_of(
    st.tuples(st.integers(0, 0xFFFF), st.integers(0, 0xFFFF)).map(lambda p: f'{p[0]}:{p[1]}'),
    st.sampled_from(['no-export', 'blackhole', 'no-peer', '0x10', '65537']),
)
_ATTRIBUTE = st.one_of(
    st.integers(0, 0xFFFFFFFF).map(lambda v: f'med {v}'),
    st.integers(0, 0xFFFFFFFF).map(lambda v: f'local-preference {v}'),
    st.sampled_from(['origin igp', 'origin egp', 'origin incomplete', 'atomic-aggregate']),
    st.lists(st.integers(0, 0xFFFFFFFF), max_size=4).map(lambda a: f'as-path [ {" ".join(map(str, a))} ]'),
    st.lists(_COMMUNITY, min_size=1, max_size=4).map(lambda c: f'community [ {" ".join(c)} ]'),
    st.lists(
        st.tuples(st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF)),
        min_size=1,
        max_size=3,
    ).map(lambda c: 'large-community [ ' + ' '.join(f'{a}:{b}:{d}' for a, b, d in c) + ' ]'),
    st.tuples(st.integers(0, 0xFFFF), st.integers(0, 0xFFFFFFFF)).map(
        lambda p: f'extended-community target:{p[0]}:{p[1]}'
    ),
    st.integers(0, 2**64 - 1).map(lambda v: f'aigp {v}'),
    st.tuples(st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF)).map(
        lambda p: f'aggregator ( {p[0]}:{p[1] >> 24}.{(p[1] >> 16) & 255}.{(p[1] >> 8) & 255}.{p[1] & 255} )'
    ),
)


def _route(address: int, length: int, attributes: list[str], self_hop: bool, watched: bool) -> str:
    network = address >> (32 - length) << (32 - length)
    prefix = '.'.join(str(network >> shift & 255) for shift in (24, 16, 8, 0))
    hop = 'self' if self_hop else '192.0.2.1'
    return f'route {prefix}/{length} next-hop {hop} {" ".join(attributes)}{" watchdog w" if watched else ""};'


_ROUTE = st.builds(
    _route,
    st.integers(0x01000000, 0xDFFFFFFF),
    st.integers(8, 32),
    st.lists(_ATTRIBUTE, max_size=5),
    st.booleans(),
    st.booleans(),
)
_NEIGHBOR = st.tuples(
    _ASN,
    _ASN,
    st.one_of(st.just(0), st.integers(3, 0xFFFF)),
    _FLAG,
    st.sampled_from(['send', 'receive', 'send/receive', 'disable']),
    st.one_of(st.just(''), st.integers(0, 0xFFFF).map(str), st.just('disable')),
    st.text(
        alphabet=string.printable.replace('\n', '').replace('\r', '').replace('\x0b', '').replace('\x0c', ''),
        max_size=10,
    ),
    st.lists(_ROUTE, max_size=6),
    st.lists(
        st.sampled_from(['ipv4 unicast', 'ipv6 unicast', 'ipv4 multicast', 'ipv4 flow', 'l2vpn vpls']), unique=True
    ),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(_NEIGHBOR)
def test_random_configurations_round_trip(neighbor: tuple) -> None:  # type: ignore[type-arg]
    local_as, peer_as, hold, passive, addpath, graceful, description, routes, families = neighbor
    family = f'family {{ {"; ".join(families)}; }}' if families else ''
    if families and 'ipv4 unicast' not in families:
        routes = []
    text = (
        f'neighbor 127.0.0.1 {{ router-id 1.1.1.1; local-address 127.0.0.1; local-as {local_as}; peer-as {peer_as};'
        f' hold-time {hold}; passive {passive}; description {quote(description)};'
        f' capability {{ add-path {addpath}; graceful-restart {graceful}; asn4 enable; }} {family}'
        f' static {{ {" ".join(routes)} }} }}'
    )
    round_trip(text)
