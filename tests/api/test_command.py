"""API command lines parsed into command values; routes come from the configuration's grammar."""

import contextlib
import random
from ipaddress import IPv4Address

import pytest

from exabgp.api import command as c
from exabgp.api.command import CommandError, parse
from exabgp.api.selector import Selector
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST, Family
from exabgp.bgp.message.operational import Advisory, Query
from exabgp.configuration.route.grammar import Builder


def one(line: str):
    return parse(line, Builder())


def prefixes(command: c.Routes) -> list[str]:
    return [route.nlri.prefix() for route in command.routes]


def test_announce_route_is_the_configurations_route() -> None:
    command = one('announce route 10.0.0.0/24 next-hop 192.0.2.1 med 10 community [ 65000:1 ]')
    assert isinstance(command, c.Routes)
    assert not command.withdraw and command.selectors == ()
    (route,) = command.routes
    assert route.nlri.prefix() == '10.0.0.0/24'
    assert route.nexthop == IPv4Address('192.0.2.1')
    assert str(route.attributes) == ' med 10 community 65000:1'


def test_withdraw_needs_no_next_hop_and_split_applies() -> None:
    command = one('withdraw route 10.0.0.0/24 split /25')
    assert command.withdraw
    assert prefixes(command) == ['10.0.0.0/25', '10.0.0.128/25']


def test_selectors_are_kept() -> None:
    command = one('neighbor 127.0.0.1 local-as 1 announce route 10.0.0.0/8 next-hop 1.1.1.1')
    assert [str(selector) for selector in command.selectors] == ['neighbor 127.0.0.1 local-as 1']


def test_attributes_nlri_batch() -> None:
    command = one('announce attributes next-hop 1.1.1.1 med 5 nlri 10.0.0.0/24 10.0.1.0/24 2001:db8::/32')
    assert prefixes(command) == ['10.0.0.0/24', '10.0.1.0/24', '2001:db8::/32']
    assert len({id(route.attributes) for route in command.routes}) == 1
    assert one('withdraw attribute next-hop 1.1.1.1 nlri 10.0.0.0/24').withdraw


def test_family_forms() -> None:
    command = one('announce ipv6 unicast 2001:db8::/48 next-hop 2001:db8::1')
    assert command.routes[0].nlri.family == IPV6_UNICAST
    assert one('withdraw ipv4 multicast 224.1.0.0/16').routes[0].nlri.family == Family.of(1, 2)


def test_a_builder_interns_attributes_across_commands() -> None:
    builder = Builder()
    first = parse('announce route 10.0.0.0/24 next-hop 1.1.1.1 med 1', builder)
    second = parse('announce route 10.0.1.0/24 next-hop 1.1.1.1 med 1', builder)
    assert first.routes[0].attributes is second.routes[0].attributes


@pytest.mark.parametrize(
    ('line', 'family'),
    [('announce eor', IPV4_UNICAST), ('announce eor ipv6 unicast', IPV6_UNICAST)],
)
def test_end_of_rib(line: str, family: Family) -> None:
    assert one(line) == c.EndOfRib((), family)


def test_route_refresh_and_operational() -> None:
    assert one('announce route-refresh ipv4 unicast') == c.Refresh((), IPV4_UNICAST)
    advisory = one('announce operational asm afi ipv4 safi unicast advisory "hello"')
    message = advisory.message(IPv4Address('1.2.3.4'))
    assert isinstance(message, Advisory) and message.text == b'hello'
    query = one('announce operational rpcq afi ipv4 safi unicast sequence 7').message(IPv4Address('1.2.3.4'))
    assert isinstance(query, Query) and query.router_id == IPv4Address('1.2.3.4') and query.sequence == 7


@pytest.mark.parametrize(
    ('line', 'expected'),
    [
        ('announce watchdog dns', c.Watchdog('dns', False)),
        ('withdraw watchdog', c.Watchdog(None, True)),
        ('neighbor 127.0.0.1 teardown 4', c.Teardown((Selector(('neighbor 127.0.0.1',)),), 4)),
        # 5.0 answers done and tears nothing down
        ('teardown 4', c.Teardown((), 4)),
        ('show neighbor summary', c.ShowNeighbor('summary', False, '')),
        ('show neighbor 10.0.0.1 extensive', c.ShowNeighbor('extensive', False, '10.0.0.1')),
        ('show neighbor json', c.ShowNeighbor('', True, '')),
        ('show neighbor', c.ShowNeighbor('', False, '')),
        ('show adj-rib out', c.ShowRib('out', False, False, '', '')),
        # 5.0.15 shows the extensive form only when the line ends with the word (checked live)
        ('show adj-rib in json extensive', c.ShowRib('in', True, True, '', '')),
        ('show adj-rib in extensive json', c.ShowRib('in', False, True, '', '')),
        ('show adj-rib-in 10.0.0.1', c.ShowRib('in', False, False, '10.0.0.1', '')),
        ('flush adj-rib out', c.FlushRib(())),
        ('clear adj-rib in', c.ClearRib((), 'in')),
        ('clear adj-rib out', c.ClearRib((), 'out')),
        ('enable-ack', c.Ack('enable')),
        ('disable-ack', c.Ack('disable')),
        ('silence-ack', c.Ack('silence')),
        ('shutdown', c.Control('shutdown')),
        ('reload', c.Control('reload')),
        ('restart', c.Control('restart')),
        ('version', c.Version()),
        ('help', c.Help()),
        ('reset', c.Reset()),
        ('# a comment', c.Comment('a comment')),
        ('  announce eor  ', c.EndOfRib((), IPV4_UNICAST)),
        ('announce eor;', c.EndOfRib((), IPV4_UNICAST)),
    ],
)
def test_other_commands(line: str, expected: object) -> None:
    assert one(line) == expected


@pytest.mark.parametrize(
    ('line', 'reason'),
    [
        ('bogus', "unknown command 'bogus'"),
        ('', 'empty command'),
        ('announce route 10.0.0.0/24', 'missing next-hop'),
        ('announce route 10.0.0.0/33 next-hop 1.1.1.1', 'is not a valid prefix'),
        ('announce route 10.0.0.0/24 next-hop 1.1.1.1 bad 3', "invalid keyword 'bad'"),
        ('announce route 10.0.0.0/24 next-hop 1.1.1.1 rd 1:1', 'missing label: ipv4 mpls-vpn routes need one'),
        ('announce flow route { match { } then { discard; } }', 'needs at least one match'),
        ('announce flow route destination 10.0.0.0/33 discard', 'not a valid flow prefix'),
        ('announce flow route destination-port =80&', 'not a valid expression'),
        ('announce flow route protocol 300', 'too large'),
        ('announce flow route source 10.0.0.0/8 source ::1/128', 'can not mix IPv4 and IPv6'),
        ('announce flow route source 10.0.0.0/8 redirect 1.2.3.4:10', 'not supported'),
        ('announce flow route source 10.0.0.0/8 interface-set transitive:sideways:1:1', 'input-output'),
        ('announce flow 10.0.0.0/8', "the command is 'announce flow route ...'"),
        ('withdraw vpls 10.0.0.1', "invalid keyword '10.0.0.1' in a vpls route"),
        ('announce vpls rd 1:1 endpoint 1 base 2 offset 3 size 4', 'vpls nlri next-hop missing'),
        ('withdraw vpls rd 1:1 endpoint 1 base 2 offset 3', 'vpls nlri size missing'),
        ('announce vpls endpoint x', "'x' is an invalid vpls endpoint"),
        ('announce ipv4 flow destination 10.0.0.0/8 bogus', "invalid keyword 'bogus' in a flow route"),
        ('announce eor ipv4', "'' is not a SAFI"),
        ('announce eor foo unicast', "'foo' is not an AFI"),
        ('announce route-refresh', 'missing the family'),
        ('crash', "'crash' is ExaBGP 5.0's test of the API error path"),
        ('neighbor 127.0.0.1 teardown', 'a Cease subcode'),
        ('neighbor 127.0.0.1 teardown 300', 'one octet'),
        ('neighbor 127.0.0.1 show neighbor', 'does not take a neighbor selection'),
        ('neighbor 127.0.0.1 announce watchdog x', 'does not take a neighbor selection'),
        ('show', 'show what?'),
        ('show routes', "unknown command 'show routes'"),
        ('flush adj-rib in', 'flush adj-rib out'),
        ('clear adj-rib sideways', 'clear adj-rib in'),
        ('version now', "unexpected 'now'"),
        ('announce "unterminated', 'unterminated quoted string'),
        ('neighbor', 'a neighbor address is missing'),
    ],
)
def test_errors_say_why(line: str, reason: str) -> None:
    with pytest.raises(CommandError) as error:
        one(line)
    assert reason in str(error.value)


def test_any_text_parses_or_is_refused() -> None:
    # the command's words in any order: a value or a CommandError, never another exception
    words = ['announce', 'withdraw', 'route', 'neighbor', '127.0.0.1', 'next-hop', '1.1.1.1', '10.0.0.0/8', ',', 'eor']
    words += ['show', 'adj-rib', 'in', 'json', '[', ']', 'med', 'nlri', 'attributes', 'teardown', '4', '"', 'ipv4']
    chooser = random.Random(7)
    for _ in range(3000):
        line = ' '.join(chooser.choice(words) for _ in range(chooser.randint(1, 9)))
        with contextlib.suppress(CommandError):
            one(line)
