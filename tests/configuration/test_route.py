"""The route grammar: attribute values and their bytes, families, next hops, split, watchdogs, and the
entry points the API shares (`announce route ...` as a tokenized line).

Every expected encoding below was produced by 5.0.15's own configuration parser (its
configuration/static/parser.py functions) and the attribute's `pack`, on the same words.
"""

from ipaddress import IPv4Address, IPv6Address

import pytest

from exabgp.bgp.attribute.base import Code
from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.labeled import Labeled
from exabgp.bgp.nlri.table import TABLE
from exabgp.bgp.route import SELF
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.parser import load_text
from exabgp.configuration.route import attributes, qualifiers, statements
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.tokenizer import tokenize

SESSION = Negotiated(local_as=1, peer_as=1, asn4=True, aigp=True)


def parsed(keyword_and_value: str) -> object:
    cursor = Cursor(tokenize(keyword_and_value))
    value = attributes.PARSERS[cursor.words[0]](cursor)
    cursor.done()
    return value


# (words, 5.0's packed attribute)
ENCODED = [
    ('as-path [ 1 2 ] ( 3 4 )', '4002140202000000010000000201020000000300000004'),
    ('as-path [ ]', '400200'),
    ('as-path [ 1 , 2 ]', '40020a02020000000100000002'),
    ('as-path [ 70000 ]', '400206020100011170'),
    ('aggregator ( 18144:219.118.225.189 )', 'c00708000046e0db76e1bd'),
    ('aggregator (18144:219.118.225.189)', 'c00708000046e0db76e1bd'),
    ('aggregator 18144:219.118.225.189', 'c00708000046e0db76e1bd'),
    ('aigp 100', '801a0b01000b0000000000000064'),
    ('aigp 0x10', '801a0b01000b0000000000000010'),
    ('attribute [ 0x99 0x60 0x00000064 ]', '60990400000064'),
    ('attribute [0x04 0x80 0x00000064]', '80040400000064'),
    ('cluster-list [ 1.1.1.1 2.2.2.2 ]', '800a080101010102020202'),
    ('originator-id 1.2.3.4', '80090401020304'),
    ('med 100', '80040400000064'),
    ('local-preference 200', '400504000000c8'),
    ('origin egp', '40010101'),
    ('atomic-aggregate', '400600'),
]


@pytest.mark.parametrize(('words', 'packed'), ENCODED)
def test_attribute_bytes_match_5_0(words: str, packed: str) -> None:
    assert parsed(words).pack(SESSION).hex() == packed  # type: ignore[attr-defined]


# (community as written, 5.0's four, eight or twelve octets)
COMMUNITIES = [
    ('1:1', '00010001'),
    ('no-export', 'ffffff01'),
    ('0x10', '00000010'),
    ('65535:65535', 'ffffffff'),
    ('blackhole', 'ffff029a'),
    ('nopeer', 'ffffff04'),
    ('4294967295', 'ffffffff'),
]
EXTENDED = [
    ('target:65000:1', '0002fde800000001'),
    ('72:0.0.0.1', '0002004800000001'),
    ('target:1.2.3.4:5', '0102010203040005'),
    ('origin:65000:7', '0003fde800000007'),
    ('origin:70000:7', '0103000111700007'),
    ('target:70000:1', '0102000111700001'),
    ('redirect:65000:100', '8008fde800000064'),
    ('l2info:19:0:1500:111', '800a130005dc006f'),
    ('bandwidth:65000:1000', '4004fde8447a0000'),
    ('mup:10:10', '0c00000a0000000a'),
    ('redirect-to-nexthop', '0800000000000000'),
    ('0x0002fde800000001', '0002fde800000001'),
    ('target:100L:5', '0102000000640005'),
    ('target:0:0', '0002000000000000'),
]
LARGE = [('1:2:3', '000000010000000200000003'), ('4294967295:0:1', 'ffffffff0000000000000001')]


@pytest.mark.parametrize(('word', 'raw'), COMMUNITIES)
def test_community_values_match_5_0(word: str, raw: str) -> None:
    assert attributes.community_value(word).to_bytes(4, 'big').hex() == raw


@pytest.mark.parametrize(('word', 'raw'), EXTENDED)
def test_extended_community_values_match_5_0(word: str, raw: str) -> None:
    assert attributes.extended_community_value(word).hex() == raw


@pytest.mark.parametrize(('word', 'raw'), LARGE)
def test_large_community_values_match_5_0(word: str, raw: str) -> None:
    assert b''.join(part.to_bytes(4, 'big') for part in attributes.large_community_value(word)).hex() == raw


def test_community_list_and_single() -> None:
    assert parsed('community [ 2:2 1:1 ]').communities == (65537, 131074)  # type: ignore[attr-defined]
    assert parsed('community 2:2').communities == (131074,)  # type: ignore[attr-defined]


def route_of(line: str, withdraw: bool = False) -> statements.Parsed:
    statement = tokenize(line)
    assert statement.words[0] == 'route'
    cursor = Cursor(statement, 1)
    return statements.route(Builder(), cursor, withdraw)


def test_route_values() -> None:
    routes, watchdog, family = route_of('route 10.0.0.0/24 next-hop 192.0.2.1 med 10 community 1:1')
    assert family == IPV4_UNICAST and watchdog is None
    (route,) = routes
    assert str(route.nlri) == '10.0.0.0/24'
    assert route.nexthop == IPv4Address('192.0.2.1')
    assert route.attributes.codes() == (Code.MED, Code.COMMUNITY)


def test_a_multicast_address_makes_a_multicast_route() -> None:
    assert route_of('route 239.1.0.0/16 next-hop 1.1.1.1')[2] == IPV4_MULTICAST
    assert route_of('route 223.1.0.0/16 next-hop 1.1.1.1')[2] == IPV4_UNICAST
    assert route_of('route ff00::/8 next-hop ::1')[2] == IPV6_UNICAST


def test_next_hop_self_and_ipv6() -> None:
    assert route_of('route 10.0.0.0/8 next-hop self')[0][0].nexthop is SELF
    assert route_of('route 2001:db8::/32 next-hop 2001:db8::1')[0][0].nexthop == IPv6Address('2001:db8::1')


def test_an_ipv6_route_needs_no_next_hop_but_an_ipv4_one_does() -> None:
    assert route_of('route 2001:db8::/32')[0][0].nexthop is None
    with pytest.raises(ConfigError, match='missing next-hop'):
        route_of('route 10.0.0.0/8 med 1')
    assert route_of('route 10.0.0.0/8', withdraw=True)[0][0].nexthop is None


def test_split_cuts_in_address_order() -> None:
    routes = route_of('route 10.0.0.0/22 next-hop 1.1.1.1 split /24')[0]
    assert [str(route.nlri) for route in routes] == ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']
    assert len({id(route.attributes) for route in routes}) == 1
    assert [str(r.nlri) for r in route_of('route 10.0.0.0/24 next-hop 1.1.1.1 split /16')[0]] == ['10.0.0.0/24']


def test_path_information_number_or_address() -> None:
    assert route_of('route 10.0.0.0/8 next-hop 1.1.1.1 path-information 10')[0][0].nlri.path_id == 10
    assert route_of('route 10.0.0.0/8 next-hop 1.1.1.1 path-information 0.0.1.1')[0][0].nlri.path_id == 257


def test_watchdog_and_withdraw() -> None:
    _, watchdog, _ = route_of('route 10.0.0.0/8 next-hop 1.1.1.1 watchdog dns withdraw')
    assert watchdog is not None and (watchdog.name, watchdog.withdrawn) == ('dns', True)
    assert route_of('route 10.0.0.0/8 next-hop 1.1.1.1 withdraw')[1] is None


def test_an_attribute_twice_keeps_the_first_but_extended_communities_add_up() -> None:
    (route,) = route_of(
        'route 10.0.0.0/8 next-hop 1.1.1.1 next-hop 2.2.2.2 med 5 med 6 community 1:1 community 2:2 '
        'extended-community target:1:1 extended-community target:2:2'
    )[0]
    assert route.nexthop == IPv4Address('2.2.2.2')
    assert route.attributes[Code.MED].value == 5
    assert route.attributes[Code.COMMUNITY].communities == (65537,)
    assert len(route.attributes[Code.EXTENDED_COMMUNITY].communities) == 2


def test_routes_written_alike_share_their_attributes_and_next_hop() -> None:
    builder = Builder()
    first = statements.route(builder, Cursor(tokenize('route 10.0.0.0/8 next-hop 1.1.1.1 med 5'), 1))[0][0]
    second = statements.route(builder, Cursor(tokenize('route 11.0.0.0/8 med 5 next-hop 1.1.1.1'), 1))[0][0]
    assert first.attributes is second.attributes
    assert first.nexthop is second.nexthop


def test_announce_unicast_and_multicast() -> None:
    builder = Builder()
    cursor = Cursor(tokenize('unicast 10.0.0.0/8 next-hop 1.1.1.1 path-information 1'), 1)
    assert statements.announced(builder, cursor, TABLE[IPV4_UNICAST])[2] == IPV4_UNICAST
    cursor = Cursor(tokenize('multicast 2001:db8::/32'), 1)
    assert statements.announced(builder, cursor, TABLE[IPV6_MULTICAST])[2] == IPV6_MULTICAST
    with pytest.raises(ConfigError, match="'path-information' can not be used in a multicast route"):
        statements.announced(
            builder, Cursor(tokenize('multicast 10.0.0.0/8 path-information 1'), 1), TABLE[IPV4_MULTICAST]
        )


def test_attributes_nlri_form() -> None:
    cursor = Cursor(tokenize('attributes next-hop 1.1.1.1 med 5 nlri 10.0.0.0/8 2001:db8::/32'), 1)
    found = statements.attributes(Builder(), cursor)
    assert [(str(routes[0].nlri), family) for routes, _, family in found] == [
        ('10.0.0.0/8', IPV4_UNICAST),
        ('2001:db8::/32', IPV6_UNICAST),
    ]
    assert found[0][0][0].attributes is found[1][0][0].attributes


def test_api_errors_point_into_the_command() -> None:
    with pytest.raises(ConfigError) as raised:
        route_of('route 10.0.0.0/8 next-hop 1.1.1.1 med x')
    assert (raised.value.location.source, raised.value.location.column) == ('<command>', 39)


def test_static_route_sections_in_a_configuration() -> None:
    config = load_text(
        'neighbor 127.0.0.1 { router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 1;\n'
        ' static {\n'
        '  route 10.0.0.0/24 next-hop 1.1.1.1 watchdog w;\n'
        '  route 10.0.1.0/24 { next-hop 1.1.1.1; med 7; watchdog w; withdraw; }\n'
        '  attributes next-hop 1.1.1.2 nlri 10.0.2.0/24 10.0.3.0/24;\n'
        ' }\n'
        ' announce { ipv4 { multicast 10.9.0.0/16; } ipv6 { unicast 2001:db8::/32 next-hop ::1; } }\n'
        '}\n'
    )
    (neighbor,) = config.neighbors
    assert [str(route.nlri) for route in neighbor.routes] == [
        '10.0.0.0/24',
        '10.0.1.0/24',
        '10.0.2.0/24',
        '10.0.3.0/24',
        '10.9.0.0/16',
        '2001:db8::/32',
    ]
    assert neighbor.routes[4].nlri.family == IPV4_MULTICAST
    assert [str(route.nlri) for route in neighbor.announced()] == [
        '10.0.0.0/24',
        '10.0.2.0/24',
        '10.0.3.0/24',
        '10.9.0.0/16',
        '2001:db8::/32',
    ]
    announced, withdrawn = neighbor.watched()['w']
    assert [str(r.nlri) for r in announced] == ['10.0.0.0/24'] and [str(r.nlri) for r in withdrawn] == ['10.0.1.0/24']


# (route-distinguisher, 5.0.15's packed form)
DISTINGUISHERS = [
    ('65000:1', '0000fde800000001'),
    ('1.2.3.4:5', '0001010203040005'),
    ('70000:5', '0002000111700005'),
    ('100:4294967295', '00000064ffffffff'),
    ('0:0', '0000000000000000'),
    ('65536:65535', '000200010000ffff'),
]


@pytest.mark.parametrize(('word', 'packed'), DISTINGUISHERS)
def test_route_distinguishers_match_5_0(word: str, packed: str) -> None:
    assert qualifiers.route_distinguisher_value(word).hex() == packed


@pytest.mark.parametrize('word', ['65000', ':1', '1.2.3:4', '1.2.3.4:65536', '4294967296:1', '65536:65536', 'a:1'])
def test_bad_route_distinguishers(word: str) -> None:
    with pytest.raises(ValueError, match='not a valid route-distinguisher'):
        qualifiers.route_distinguisher_value(word)


def test_labels_and_distinguishers_are_checked_before_the_family_is_refused() -> None:
    assert qualifiers.labels(Cursor(tokenize('label [ 800001 16 ]'))) == (800001, 16)
    with pytest.raises(ConfigError) as raised:
        route_of('route 10.0.0.0/8 next-hop 1.1.1.1 label [ 1 1048576 ]')
    assert raised.value.message == "'1048576' is not a valid label (0 to 1048575)"
    assert raised.value.location.column == 45
    with pytest.raises(ConfigError, match="'1:x' is not a valid route-distinguisher"):
        route_of('route 10.0.0.0/8 next-hop 1.1.1.1 rd 1:x')
    with pytest.raises(ConfigError, match='missing next-hop: ipv6 mpls-vpn routes need one') as raised:
        route_of('route 2001:db8::/32 label 5 rd 65000:1')
    assert raised.value.location.column == 39


def test_label_makes_a_route_labeled_unicast() -> None:
    routes, _, family = route_of('route 10.0.0.0/24 next-hop 1.1.1.1 label [ 100 200 ] path-information 7')
    assert family == Family(AFI.IPV4, SAFI.NLRI_MPLS)
    (route,) = routes
    assert route.nlri == Labeled.make(family, bytes((10, 0, 0, 0)), 24, (100, 200), 7)
    assert str(route.nlri) == '10.0.0.0/24 path-information 0.0.0.7 label [ 100 200 ]'
    # label wins over the multicast range, as in 5.0
    assert route_of('route 224.0.6.0/24 next-hop 1.2.3.5 label 5')[2] == family
    assert route_of('route 2001:db8::/32 next-hop ::1 label 300')[2] == Family(AFI.IPV6, SAFI.NLRI_MPLS)


def test_labeled_unicast_in_its_own_section() -> None:
    builder = Builder()
    cursor = Cursor(tokenize('nlri-mpls 10.0.3.0/24 next-hop 1.2.3.5 label 7'), 1)
    family = Family(AFI.IPV4, SAFI.NLRI_MPLS)
    routes, _, found = statements.announced(builder, cursor, TABLE[family])
    assert found == family and routes[0].nlri.labels == (7,)
    with pytest.raises(ConfigError, match='missing next-hop'):
        statements.announced(builder, Cursor(tokenize('nlri-mpls 10.0.3.0/24 label 7'), 1), TABLE[family])
    with pytest.raises(ConfigError, match="'rd' can not be used in a nlri-mpls route"):
        statements.announced(builder, Cursor(tokenize('nlri-mpls 10.0.3.0/24 rd 1:1'), 1), TABLE[family])


def test_rd_makes_a_route_vpn() -> None:
    routes, _, family = route_of('route 10.0.0.0/24 next-hop 1.1.1.1 label 100 rd 1.2.3.4:5 path-information 7')
    assert family == Family(AFI.IPV4, SAFI.MPLS_VPN)
    (route,) = routes
    assert str(route.nlri) == '10.0.0.0/24 path-information 0.0.0.7 label 100 rd 1.2.3.4:5'
    assert route.nlri.rd == bytes.fromhex('0001010203040005')
    # rd wins over label, route-distinguisher is its other name, split makes each piece VPN
    routes, _, family = route_of('route 2001:db8::/48 route-distinguisher 65000:1 label 5 next-hop ::1 split /49')
    assert family == Family(AFI.IPV6, SAFI.MPLS_VPN)
    assert [str(route.nlri) for route in routes] == [
        '2001:db8::/49 label 5 rd 65000:1',
        '2001:db8:0:8000::/49 label 5 rd 65000:1',
    ]
    # a withdrawal needs neither label nor next hop
    (route,), _, _ = route_of('route 10.0.0.0/24 rd 1:1', withdraw=True)
    assert route.nlri.labels == ()


def test_vpn_routes_need_a_label_and_a_next_hop() -> None:
    with pytest.raises(ConfigError, match='missing label: ipv4 mpls-vpn routes need one'):
        route_of('route 10.0.0.0/24 next-hop 1.1.1.1 rd 1:1')
    with pytest.raises(ConfigError, match='missing next-hop: ipv6 mpls-vpn routes need one'):
        route_of('route 2001:db8::/48 rd 1:1 label 5')
    with pytest.raises(ConfigError, match='longer than the NLRI length field allows') as raised:
        route_of('route 2001:db8::/120 next-hop ::1 rd 1:1 label [ 1 2 3 ]')
    assert raised.value.location.column == 7


def test_vpn_in_its_own_section_and_in_blocks() -> None:
    family = Family(AFI.IPV4, SAFI.MPLS_VPN)
    builder = Builder()
    cursor = Cursor(tokenize('mpls-vpn 10.0.3.0/24 next-hop 1.2.3.5 rd 2:2 label 7'), 1)
    routes, _, found = statements.announced(builder, cursor, TABLE[family])
    assert found == family and str(routes[0].nlri) == '10.0.3.0/24 label 7 rd 2:2'
    with pytest.raises(ConfigError, match='missing rd'):
        statements.announced(
            builder, Cursor(tokenize('mpls-vpn 10.0.3.0/24 next-hop 1.2.3.5 label 7'), 1), TABLE[family]
        )
    with pytest.raises(ConfigError, match='missing label'):
        statements.announced(
            builder, Cursor(tokenize('mpls-vpn 10.0.3.0/24 next-hop 1.2.3.5 rd 1:1'), 1), TABLE[family]
        )
    base = 'neighbor 127.0.0.1 { router-id 1.1.1.1; local-address 127.0.0.1; local-as 1; peer-as 1; static { %s } }'
    config = load_text(base % 'route 10.0.0.0/24 { rd 1:1; label 5; next-hop 1.1.1.1; }')
    (neighbor,) = config.neighbors
    assert [str(route.nlri) for route in neighbor.routes] == ['10.0.0.0/24 label 5 rd 1:1']
    with pytest.raises(ConfigError, match='missing label'):
        load_text(base % 'route 10.0.0.0/24 { rd 1:1; next-hop 1.1.1.1; }')
