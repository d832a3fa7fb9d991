"""Flow routes in the configuration and the API (configuration.route.flow): 47 rules covering every
component, operator form and action (port names included), each read in the `flow { route NAME { ... } }` block and as the
API's one-line `announce flow route { ... }`, give the NLRI, next hop and extended communities
ExaBGP 5.0.15 builds from the same configuration (its configuration parser and NLRI packer)."""

import pytest

from exabgp.api.command import CommandError, Routes, parse
from exabgp.bgp.attribute.extended import ExtendedCommunities, IPv6ExtendedCommunities
from exabgp.bgp.family import Family
from exabgp.configuration.dump import dump
from exabgp.configuration.parser import load_text
from exabgp.configuration.route.grammar import Builder

# (route body, family, NLRI hex, next hop, extended community values) from 5.0.15
GOLDEN = [
    (
        'match { destination 10.0.0.1/32; } then { discard; }',
        'ipv4 flow',
        '0601200A000001',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { source 10.0.0.0/8; destination-port [ =80 =443 ]; } then { rate-limit 9600; }',
        'ipv4 flow',
        '0902080A0501509101BB',
        'no-nexthop',
        (9225060887890886656,),
    ),
    (
        'match { destination 192.0.2.0/24; port >1024&<2048; } then { rate-limit 1000 packets; }',
        'ipv4 flow',
        '0C0118C0000204120400D40800',
        'no-nexthop',
        (9226749737724149760,),
    ),
    (
        'match { destination 192.0.2.0/24; source-port [ >=1024 <=10 ]; } then { redirect 65000:12; }',
        'ipv4 flow',
        '0B0118C0000206130400850A',
        'no-nexthop',
        (9225903009542701068,),
    ),
    (
        'match { destination 192.0.2.0/24; protocol [ tcp udp ]; } then { redirect 4200000000:12; }',
        'ipv4 flow',
        '0A0118C000020301068111',
        'no-nexthop',
        (9370014275944316940,),
    ),
    (
        'match { destination 192.0.2.0/24; protocol =47; } then { redirect 10.1.1.1; }',
        'ipv4 flow',
        '080118C0000203812F',
        '10.1.1.1',
        (576460752303423488,),
    ),
    (
        'match { destination 192.0.2.0/24; protocol !=6; } then { copy 10.1.1.1; }',
        'ipv4 flow',
        '080118C00002038606',
        '10.1.1.1',
        (576460752303423489,),
    ),
    (
        'match { destination 192.0.2.0/24; icmp-type echo-request; icmp-code [ 0 3 ]; } then { mark 46; }',
        'ipv4 flow',
        '0D0118C000020781080801008103',
        'no-nexthop',
        (9225905311645171758,),
    ),
    (
        'match { destination 192.0.2.0/24; icmp-type [ unreachable time-exceeded ]; } then { action sample; }',
        'ipv4 flow',
        '0A0118C00002070103810B',
        'no-nexthop',
        (9225342361691750402,),
    ),
    (
        'match { destination 192.0.2.0/24; tcp-flags [ syn&!ack ]; } then { action terminal; }',
        'ipv4 flow',
        '0A0118C00002090002C210',
        'no-nexthop',
        (9225342361691750401,),
    ),
    (
        'match { destination 192.0.2.0/24; tcp-flags [ =fin+syn !=rst ]; } then { action sample-terminal; }',
        'ipv4 flow',
        '0A0118C000020901038304',
        'no-nexthop',
        (9225342361691750403,),
    ),
    (
        'match { destination 192.0.2.0/24; tcp-flags urgent; } then { discard; }',
        'ipv4 flow',
        '080118C00002098020',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; tcp-flags [ 0x100 cwr ]; } then { discard; }',
        'ipv4 flow',
        '0B0118C00002091001008080',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; packet-length [ >200&<300 >400&<500 ]; } then { discard; }',
        'ipv4 flow',
        '110118C000020A02C854012C120190D401F4',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; packet-length <=1500; } then { discard; }',
        'ipv4 flow',
        '090118C000020A9505DC',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; dscp [ 10 46 ]; } then { discard; }',
        'ipv4 flow',
        '0A0118C000020B010A812E',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; fragment [ dont-fragment is-fragment ]; } then { discard; }',
        'ipv4 flow',
        '0A0118C000020C00018002',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; fragment [ !first-fragment =last-fragment ]; } then { discard; }',
        'ipv4 flow',
        '0A0118C000020C02048108',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; fragment [ first-fragment+last-fragment ]; } then { discard; }',
        'ipv4 flow',
        '080118C000020C800C',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; destination-port 65535; } then { discard; }',
        'ipv4 flow',
        '090118C000020591FFFF',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 192.0.2.0/24; destination-port [ 1 >255&<256 ]; } then { discard; }',
        'ipv4 flow',
        '0D0118C0000205010102FFD40100',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { source 198.51.100.22/32; destination 192.0.2.0/24; } then { redirect-to-nexthop; }',
        'ipv4 flow',
        '0B0118C000020220C6336416',
        'no-nexthop',
        (576460752303423488,),
    ),
    (
        'match { source 198.51.100.23/32; } then { redirect-to-nexthop-ietf 10.2.2.2; }',
        'ipv4 flow',
        '060220C6336417',
        'no-nexthop',
        (75446297498353664,),
    ),
    (
        'match { source 198.51.100.24/32; } then { community [ 65000:1 65000:2 ]; discard; }',
        'ipv4 flow',
        '060220C6336418',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { source 198.51.100.25/32; } then { large-community [ 1:2:3 ]; discard; }',
        'ipv4 flow',
        '060220C6336419',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { source 198.51.100.26/32; } then { extended-community [ target:65000:1 ]; discard; }',
        'ipv4 flow',
        '060220C633641A',
        'no-nexthop',
        (842122827661313, 9225060886715039744),
    ),
    ('match { source 198.51.100.27/32; } then { accept; }', 'ipv4 flow', '060220C633641B', 'no-nexthop', ()),
    (
        'match { source 198.51.100.28/32; } scope { interface-set transitive:input:1234:10; } then { discard; }',
        'ipv4 flow',
        '060220C633641C',
        'no-nexthop',
        (504966108299804682, 9225060886715039744),
    ),
    (
        'match { source 198.51.100.29/32; } scope { interface-set [ non-transitive:output:65536:16383 transitive:input-output:0:0 ]; } then { discard; }',
        'ipv4 flow',
        '060220C633641D',
        'no-nexthop',
        (504966108218966016, 5116652130941321215, 9225060886715039744),
    ),
    (
        'match { destination 0.0.0.0/0; protocol udp; source-port 53; packet-length >512; } then { rate-limit 0; }',
        'ipv4 flow',
        '0C01000381110681350A920200',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 10.0.0.129/25; } then { discard; }',
        'ipv4 flow',
        '0601190A000081',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'rd 65000:1; match { destination 10.0.0.0/8; } then { discard; }',
        'ipv4 flow-vpn',
        '0B0000FDE80000000101080A',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'rd 1.2.3.4:5; match { destination 10.0.0.0/8; protocol tcp; } then { redirect 65000:1; }',
        'ipv4 flow-vpn',
        '0E000101020304000501080A038106',
        'no-nexthop',
        (9225903009542701057,),
    ),
    (
        'rd 4200000000:7; match { source 10.0.0.0/8; } then { rate-limit 5000; }',
        'ipv4 flow-vpn',
        '0B0002FA56EA00000702080A',
        'no-nexthop',
        (9225060887882907648,),
    ),
    (
        'match { destination 2001:db8::/32; } then { discard; }',
        'ipv6 flow',
        '0701200020010DB8',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 2001:db8::1/128; next-header tcp; destination-port 80; } then { rate-limit 9600; }',
        'ipv6 flow',
        '1901800020010DB8000000000000000000000001038106058150',
        'no-nexthop',
        (9225060887890886656,),
    ),
    (
        'match { source 2001:db8::/64/32; flow-label 100; } then { discard; }',
        'ipv6 flow',
        '0A024020000000000D8164',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination ::/0; flow-label [ >1000&<2000 1048575 ]; } then { redirect 65000:3; }',
        'ipv6 flow',
        '0F0100000D1203E85407D0A1000FFFFF',
        'no-nexthop',
        (9225903009542701059,),
    ),
    (
        'match { destination 2001:db8::/48; traffic-class 10; fragment [ is-fragment last-fragment ]; } then { discard; }',
        'ipv6 flow',
        '1101300020010DB800000B810A0C00028008',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 2001:db8::/48; icmp-type 128; } then { redirect 2001:db8::99; }',
        'ipv6 flow',
        '0C01300020010DB80000078180',
        '2001:db8::99',
        (576460752303423488,),
    ),
    (
        'match { destination 2001:db8::/48; } then { redirect-to-nexthop-ietf 2001:db8::5; }',
        'ipv6 flow',
        '0901300020010DB80000',
        'no-nexthop',
        (270396894049897293703898678829571923249528832,),
    ),
    (
        'rd 65000:9; match { destination 2001:db8::/48; next-header udp; } then { discard; }',
        'ipv6 flow-vpn',
        '140000FDE80000000901300020010DB80000038111',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 10.43.0.0/16; } then { rate-limit 2000000000000; }',
        'ipv4 flow',
        '0401100A2B',
        'no-nexthop',
        (9225060888114418853,),
    ),
    # port names (a subset of 5.0's IANA table), hex and '+' sums as 5.0 reads them
    (
        'match { destination 10.0.0.1/32; destination-port [ =http =https ]; } then { discard; }',
        'ipv4 flow',
        '0C01200A0000010501509101BB',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 10.0.0.2/32; source-port >=0x400&<=ntp+1; port SSH; } then { discard; }',
        'ipv4 flow',
        '0F01200A00000204811606130400C57C',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'match { destination 10.0.0.3/32; port [ bgp domain http-alt echo dnp ]; } then { discard; }',
        'ipv4 flow',
        '1301200A0000030401B30135111F900107914E20',
        'no-nexthop',
        (9225060886715039744,),
    ),
    (
        'next-hop 10.9.9.9; match { destination 10.44.0.0/16; } then { redirect-to-nexthop; }',
        'ipv4 flow',
        '0401100A2C',
        '10.9.9.9',
        (576460752303423488,),
    ),
]

HEADER = 'neighbor 127.0.0.1 {\n router-id 1.2.3.4;\n local-address 127.0.0.1;\n local-as 1;\n peer-as 1;\n'
FAMILIES = ' family { ipv4 flow; ipv6 flow; ipv4 flow-vpn; ipv6 flow-vpn; }\n'


def _values(route) -> tuple[int, ...]:
    found = []
    for attribute in route.attributes:
        if isinstance(attribute, ExtendedCommunities | IPv6ExtendedCommunities):
            found.extend(int.from_bytes(value, 'big') for value in attribute.communities)
    return tuple(sorted(found))


def _check(route, family: str, nlri: str, nexthop: str) -> None:
    assert route.nlri.family == Family.parse(family)
    assert route.nlri.pack(False).hex().upper() == nlri
    assert (str(route.nexthop) if route.nexthop is not None else 'no-nexthop') == nexthop


def test_configuration_block_as_5_0_builds_it() -> None:
    body = ''.join(f'  route r{index} {{ {rule} }}\n' for index, (rule, *_) in enumerate(GOLDEN))
    config = load_text(HEADER + FAMILIES + ' flow {\n' + body + ' }\n}\n')
    (neighbor,) = config.neighbors
    assert len(neighbor.routes) == len(GOLDEN)
    for route, (_, family, nlri, nexthop, values) in zip(neighbor.routes, GOLDEN, strict=True):
        _check(route, family, nlri, nexthop)
        assert _values(route) == values


@pytest.mark.parametrize(('rule', 'family', 'nlri', 'nexthop', 'values'), GOLDEN)
def test_api_one_line_as_5_0_builds_it(rule: str, family: str, nlri: str, nexthop: str, values: tuple) -> None:
    command = parse(f'announce flow route {{ {rule} }}', Builder())
    assert isinstance(command, Routes)
    (route,) = command.routes
    _check(route, family, nlri, nexthop)
    assert _values(route) == values
    # the flat form, keywords in any order, means the same
    flat = rule.replace('match {', '').replace('then {', '').replace('scope {', '').replace('}', '').replace(';', '')
    (again,) = parse(f'withdraw flow route {flat}', Builder()).routes
    assert again == route


def test_dump_reads_back() -> None:
    body = ''.join(f'  route r{index} {{ {rule} }}\n' for index, (rule, *_) in enumerate(GOLDEN))
    config = load_text(HEADER + FAMILIES + ' flow {\n' + body + ' }\n}\n')
    again = load_text(dump(config))
    assert again.neighbors[0].routes == config.neighbors[0].routes


def test_rules_read_again_through_one_builder_are_the_same() -> None:
    """The second reading of each rule comes from the builder's caches (a one-line rule's words
    less its prefixes, a block statement's words, a block's parts): it must build what the first did."""
    builder = Builder()
    lines = [f'announce flow route {{ {rule} }}' for rule, *_ in GOLDEN]
    first = [parse(line, builder).routes for line in lines]
    assert builder.parts
    assert [parse(line, builder).routes for line in lines] == first
    assert [parse(line, Builder()).routes for line in lines] == first
    body = ''.join(f'  route r{index} {{ {rule} }}\n' for index, (rule, *_) in enumerate(GOLDEN + GOLDEN))
    (neighbor,) = load_text(HEADER + FAMILIES + ' flow {\n' + body + ' }\n}\n').neighbors
    assert neighbor.routes[: len(GOLDEN)] == neighbor.routes[len(GOLDEN) :]
    for route, (_, family, nlri, nexthop, values) in zip(neighbor.routes[len(GOLDEN) :], GOLDEN, strict=True):
        _check(route, family, nlri, nexthop)
        assert _values(route) == values


def test_a_cached_rule_reads_its_own_prefixes() -> None:
    builder = Builder()

    def nlri(line: str) -> str:
        (route,) = parse(line, builder).routes
        (fresh,) = parse(line, Builder()).routes
        assert route == fresh and route.attributes == fresh.attributes
        return f'{route.nlri.family} {route.nlri.pack(False).hex().upper()}'

    tail = 'protocol tcp destination-port =80 rate-limit 9600'
    assert nlri(f'announce flow route destination 10.0.0.1/32 {tail}') == 'ipv4 flow 0C01200A000001038106058150'
    assert nlri(f'announce flow route destination 10.0.0.2/32 {tail}') == 'ipv4 flow 0C01200A000002038106058150'
    assert nlri(f'announce flow route destination 10.0.0.2/31 {tail}') == 'ipv4 flow 0C011F0A000002038106058150'
    # the same words with an IPv6 address are another rule, not the IPv4 one's parts
    assert nlri(f'announce flow route destination 2001:db8::/32 {tail}').startswith('ipv6 flow 0D01200020010DB8')
    # two prefixes, written source first: sent destination first, each its own
    both = f'announce flow route source 10.0.0.{{}}/32 destination 192.0.2.{{}}/32 {tail}'
    assert nlri(both.format(1, 2)) == 'ipv4 flow 120120C000020202200A000001038106058150'
    assert nlri(both.format(3, 4)) == 'ipv4 flow 120120C000020402200A000003038106058150'
    with pytest.raises(CommandError, match=r"'10\.0\.0\.300/32' is not a valid flow prefix"):
        parse(f'announce flow route destination 10.0.0.300/32 {tail}', builder)
    with pytest.raises(CommandError, match='can not mix IPv4 and IPv6'):
        parse(both.replace('192.0.2.{}/32', '2001:db8::{}/128').format(1, 2), builder)
    # an error that depends on the family is not cached away
    assert nlri('announce flow route destination 2001:db8::/32 flow-label 5').startswith('ipv6 flow')
    with pytest.raises(CommandError, match='flow-label only applies to IPv6'):
        parse('announce flow route destination 10.0.0.0/8 flow-label 5', builder)
