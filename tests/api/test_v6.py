"""Upstream main's API v6 lines translated to the 5.0 lines meaning the same, then parsed by 5.0's parser."""

import pytest

from exabgp.api import command as c
from exabgp.api import v6
from exabgp.api.command import CommandError, parse
from exabgp.configuration.route.grammar import Builder


@pytest.mark.parametrize(
    ('line', 'five'),
    [
        ('daemon shutdown', 'shutdown'),
        ('daemon reload', 'reload'),
        ('daemon restart', 'restart'),
        ('session ack enable', 'enable-ack'),
        ('session ack disable', 'disable-ack'),
        ('session ack silence', 'silence-ack'),
        ('session reset', 'reset'),
        ('system help', 'help'),
        ('system version', 'version'),
        ('# a note', '# a note'),
        ('rib show in', 'show adj-rib in json'),
        # json goes before the rest: 5.0 shows the extensive form only when it is the last word
        ('rib show out 127.0.0.1 extensive', 'show adj-rib out json 127.0.0.1 extensive'),
        ('rib flush out', 'flush adj-rib out'),
        ('rib flush out 127.0.0.1', 'neighbor 127.0.0.1 flush adj-rib out'),
        ('rib clear in peer 127.0.0.1', 'neighbor 127.0.0.1 clear adj-rib in'),
        ('rib clear out', 'clear adj-rib out'),
        ('peer show', 'show neighbor json'),
        ('peer show 127.0.0.1 summary', 'show neighbor json 127.0.0.1 summary'),
        ('peer 127.0.0.1 show extensive', 'show neighbor json 127.0.0.1 extensive'),
        ('peer * show', 'show neighbor json'),
        ('peer * teardown 4', 'neighbor * teardown 4'),
        ('peer 127.0.0.1 teardown', 'neighbor 127.0.0.1 teardown 2'),
        ('peer * announce eor ipv4 unicast', 'announce eor ipv4 unicast'),
        ('peer * withdraw watchdog dog', 'withdraw watchdog dog'),
        (
            'peer 10.0.0.1 announce route 1.0.0.0/8 next-hop self',
            'neighbor 10.0.0.1 announce route 1.0.0.0/8 next-hop self',
        ),
        (
            'peer 10.0.0.1 local-as 1 peer-as 2 withdraw route 1.0.0.0/8',
            'neighbor 10.0.0.1 local-as 1 peer-as 2 withdraw route 1.0.0.0/8',
        ),
        (
            'peer [ 10.0.0.1 router-id 1.2.3.4 , 10.0.0.2 ] announce route-refresh ipv4 unicast',
            'neighbor 10.0.0.1 router-id 1.2.3.4 , neighbor 10.0.0.2 announce route-refresh ipv4 unicast',
        ),
        ('peer [10.0.0.1,::1] announce eor', 'neighbor 10.0.0.1 , neighbor ::1 announce eor'),
    ],
)
def test_a_v6_line_becomes_the_5_0_line_meaning_the_same(line: str, five: str) -> None:
    assert v6.translate(line) == five
    # and 5.0's parser reads it
    parse(five, Builder())


def test_the_route_is_passed_on_as_written() -> None:
    tail = 'route 10.0.0.0/24 next-hop 192.0.2.1 as-path [ 1 2 ]  community [ 65000:1 ] origin igp'
    assert v6.translate(f'peer *   announce {tail}') == f'announce {tail}'
    via_v6 = v6.parse(f'peer * announce {tail}', Builder())
    via_5 = parse(f'announce {tail}', Builder())
    assert isinstance(via_v6, c.Routes) and isinstance(via_5, c.Routes)
    assert via_v6.routes == via_5.routes and via_v6.selectors == ()


def test_a_selector_becomes_5_0s_neighbor_selection() -> None:
    command = v6.parse('peer [ 10.0.0.1 peer-as 2 , 10.0.0.2 ] announce eor ipv6 unicast', Builder())
    assert isinstance(command, c.EndOfRib)
    assert [str(selector) for selector in command.selectors] == ['neighbor 10.0.0.1 peer-as 2', 'neighbor 10.0.0.2']


def test_show_commands_answer_in_json() -> None:
    shown = v6.parse('peer show 127.0.0.1 summary', Builder())
    assert isinstance(shown, c.ShowNeighbor) and shown.json and shown.limit == '127.0.0.1'
    rib = v6.parse('rib show out 127.0.0.1 extensive', Builder())
    assert isinstance(rib, c.ShowRib) and rib.json and rib.extensive and rib.limit == '127.0.0.1'


@pytest.mark.parametrize(
    ('line', 'value'),
    [
        ('daemon status', v6.Status()),
        ('session ping 8f2c 1700000000.5', v6.Ping('8f2c')),
        ('session ping', v6.Ping('')),
        ('session bye 8f2c', v6.Bye()),
        ('system api version', v6.ApiVersion()),
        ('peer list', v6.PeerList()),
    ],
)
def test_the_v6_only_commands_are_values_of_their_own(line: str, value: object) -> None:
    assert v6.parse(line, Builder()) == value


def test_session_sync_disable_is_what_we_always_do() -> None:
    assert isinstance(v6.parse('session sync disable', Builder()), c.Comment)


@pytest.mark.parametrize(
    ('line', 'reason'),
    [
        ('announce route 1.0.0.0/8 next-hop 1.1.1.1', 'daemon, session, system, rib or peer first'),
        ('shutdown', 'daemon, session, system, rib or peer first'),
        ('neighbor 127.0.0.1 teardown 2', 'daemon, session, system, rib or peer first'),
        ('daemon stop', "unknown command 'daemon stop'"),
        ('session ack maybe', 'session ack enable|disable|silence'),
        ('session sync enable', 'not built'),
        ('peer create 10.0.0.1 { }', 'not built'),
        ('peer delete 10.0.0.1', 'not built'),
        ('system crash', 'not built'),
        ('system api version 4', 'exabgp.api.version'),
        ('rib show', 'rib show in|out'),
        ('rib flush in', "'rib flush out'"),
        ('rib clear out 10.0.0.1 extra', "unexpected 'extra'"),
        ('peer', 'peer SELECTOR'),
        ('peer *', 'missing after the peer selection'),
        ('peer router announce route 1.0.0.0/8', "'router' is not a peer address"),
        ('peer [ 10.0.0.1 announce route 1.0.0.0/8', "misses its ']'"),
        ('peer [ 10.0.0.1 colour red ] announce eor', 'KEY VALUE pairs'),
        ('peer 10.0.0.1 peer-as', "a value is missing after 'peer-as'"),
        ('peer [ 10.0.0.1 , 10.0.0.2 ] show', 'one peer or every peer'),
        ('peer * flap', "unknown command 'peer ... flap'"),
        ('daemon status now', "unexpected 'now'"),
    ],
)
def test_a_line_v6_does_not_have_is_an_error_saying_why(line: str, reason: str) -> None:
    with pytest.raises(CommandError) as raised:
        v6.parse(line, Builder())
    assert reason in str(raised.value)


def test_a_bad_route_is_5_0s_error() -> None:
    with pytest.raises(CommandError) as five:
        parse('announce route 10.0.0.0/33 next-hop 1.1.1.1', Builder())
    with pytest.raises(CommandError) as six:
        v6.parse('peer * announce route 10.0.0.0/33 next-hop 1.1.1.1', Builder())
    assert str(six.value) == str(five.value)
