"""`show` output in 5.0's formats; the expected texts were recorded from ExaBGP 5.0.15 on a session
between two neighbors of one daemon (127.0.0.1 <-> 127.0.0.2), as `show neighbor ...` printed them."""

import dataclasses
import json
from ipaddress import IPv4Address

from exabgp.api import show
from exabgp.api.command import parse
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST
from exabgp.configuration.model import Api, Capabilities, Messages, Neighbor
from exabgp.configuration.route.grammar import Builder

CAPABILITIES = (
    ('asn4', True, True),
    ('route-refresh', False, False),
    ('multi-session', False, False),
    ('operational', False, False),
    ('add-path', False, False),
    ('extended-message', True, True),
    ('graceful-restart', False, False),
)

VIEW = show.PeerView(
    peer_address='127.0.0.2',
    local_address='127.0.0.1',
    local_as=65001,
    peer_as=65002,
    local_id='10.0.0.1',
    peer_id='10.0.0.2',
    local_hold=180,
    peer_hold=180,
    state='ESTABLISHED',
    up=4,
    down=0,
    capabilities=CAPABILITIES,
    families=(
        show.FamilyView('ipv4 unicast', True, False, False),
        show.FamilyView('ipv6 unicast', False, False, False),
    ),
    messages=(('open', 1, 1), ('notification', 0, 0), ('keepalive', 1, 1), ('update', 1, 2), ('refresh', 0, 0)),
)

EXTENSIVE = [
    'Neighbor 127.0.0.2',
    '',
    '    Session                       Local',
    '   local                      127.0.0.1                                ',
    '   state                    ESTABLISHED                                ',
    '   up for                       0:00:04                                ',
    '',
    '    Setup                         Local          Remote',
    '   AS                             65001           65002                ',
    '   ID                          10.0.0.1        10.0.0.2                ',
    '   hold-time                        180             180                ',
    '',
    '    Capability                    Local          Remote',
    '   asn4:                        enabled         enabled                ',
    '   route-refresh:              disabled        disabled                ',
    '   multi-session:              disabled        disabled                ',
    '   operational:                disabled        disabled                ',
    '   add-path:                   disabled        disabled                ',
    '   extended-message:            enabled         enabled                ',
    '   graceful-restart:           disabled        disabled                ',
    '',
    '    Families                      Local          Remote        Add-Path',
    '   ipv4 unicast:                enabled         enabled disabled       ',
    '   ipv6 unicast:                enabled        disabled disabled       ',
    '',
    '    Message Statistic              Sent        Received',
    '   open:                              1               1                ',
    '   notification:                      0               0                ',
    '   keepalive:                         1               1                ',
    '   update:                            1               2                ',
    '   refresh:                           0               0                ',
    '   total:                             3               4                ',
    '',
]

CONFIGURATION = [
    'neighbor 127.0.0.2 {',
    '  description "";',
    '  router-id 10.0.0.1;',
    '  host-name None;',
    '  domain-name None;',
    '  local-address 127.0.0.1;',
    '  source-interface None;',
    '  local-as 65001;',
    '  peer-as 65002;',
    '  hold-time 180;',
    '  rate-limit disable;',
    '  manual-eor false;',
    '',
    '  passive true;',
    '',
    '  listen 17901;',
    '  group-updates true;',
    '  auto-flush true;',
    '  adj-rib-in true;',
    '  adj-rib-out true;',
    '  md5-base64 false;',
    '  md5-ip "127.0.0.1";',
    '  capability {',
    '    asn4 enable;',
    '    route-refresh disable;',
    '    graceful-restart disable;',
    '    software-version disable;',
    '    nexthop disable;',
    '    add-path disable;',
    '    multi-session disable;',
    '    operational disable;',
    '    aigp disable;',
    '  }',
    '  family {',
    '    ipv4 unicast;',
    '    ipv6 unicast;',
    '  }',
    '  nexthop {',
    '  }',
    '  add-path {',
    '  }',
    '  api {',
    '    processes [ play ];',
    '    neighbor-changes;',
    '    receive {',
    '      parsed;',
    '      update;',
    '    }',
    '  }',
    '}',
    'neighbor 127.0.0.1 {',
    '  description "";',
    '  router-id 10.0.0.2;',
    '  host-name None;',
    '  domain-name None;',
    '  local-address 127.0.0.2;',
    '  source-interface None;',
    '  local-as 65002;',
    '  peer-as 65001;',
    '  hold-time 180;',
    '  rate-limit disable;',
    '  manual-eor false;',
    '',
    '  passive false;',
    '',
    '  connect 17901;',
    '  group-updates true;',
    '  auto-flush true;',
    '  adj-rib-in true;',
    '  adj-rib-out true;',
    '  md5-base64 false;',
    '  md5-ip "127.0.0.2";',
    '  capability {',
    '    asn4 enable;',
    '    route-refresh disable;',
    '    graceful-restart disable;',
    '    software-version disable;',
    '    nexthop disable;',
    '    add-path disable;',
    '    multi-session disable;',
    '    operational disable;',
    '    aigp disable;',
    '  }',
    '  family {',
    '    ipv4 unicast;',
    '  }',
    '  nexthop {',
    '  }',
    '  add-path {',
    '  }',
    '}',
]

JSON = '[{"state": "up", "duration": 5, "fsm": "ESTABLISHED", "local": {"capabilities": {"asn4": true, "route-refresh": false, "multi-session": false, "operational": false, "add-path": false, "extended-message": true, "graceful-restart": false}, "families": {"ipv4 unicast": true, "ipv6 unicast": true}, "add-path": {"ipv4 unicast": false, "ipv6 unicast": false}, "address": "127.0.0.1", "as": 65001, "id": "10.0.0.1", "hold": 180}, "peer": {"capabilities": {"asn4": true, "route-refresh": false, "multi-session": false, "operational": false, "add-path": false, "extended-message": true, "graceful-restart": false}, "families": {"ipv4 unicast": true, "ipv6 unicast": false}, "add-path": {"ipv4 unicast": false, "ipv6 unicast": false}, "address": "127.0.0.2", "as": 65002, "id": "10.0.0.2", "hold": 180}, "messages": {"sent": {"open": 1, "notification": 0, "keepalive": 1, "update": 1, "refresh": 0, "total": 3}, "received": {"open": 1, "notification": 0, "keepalive": 1, "update": 2, "refresh": 0, "total": 4}}, "capabilities": ["asn4", "extended-message"], "families": ["ipv4 unicast"], "add-path": {"ipv4 unicast": "disabled", "ipv6 unicast": "disabled"}}, {"state": "up", "duration": 5, "fsm": "ESTABLISHED", "local": {"capabilities": {"asn4": true, "route-refresh": false, "multi-session": false, "operational": false, "add-path": false, "extended-message": true, "graceful-restart": false}, "families": {"ipv4 unicast": true}, "add-path": {"ipv4 unicast": false}, "address": "127.0.0.2", "as": 65002, "id": "10.0.0.2", "hold": 180}, "peer": {"capabilities": {"asn4": true, "route-refresh": false, "multi-session": false, "operational": false, "add-path": false, "extended-message": true, "graceful-restart": false}, "families": {"ipv4 unicast": true}, "add-path": {"ipv4 unicast": false}, "address": "127.0.0.1", "as": 65001, "id": "10.0.0.1", "hold": 180}, "messages": {"sent": {"open": 1, "notification": 0, "keepalive": 1, "update": 2, "refresh": 0, "total": 4}, "received": {"open": 1, "notification": 0, "keepalive": 1, "update": 1, "refresh": 0, "total": 3}}, "capabilities": ["asn4", "extended-message"], "families": ["ipv4 unicast"], "add-path": {"ipv4 unicast": "disabled"}}]'


def test_summary() -> None:
    assert show.SUMMARY_HEADER == 'Peer            AS        up/down state       |     #sent     #recvd'
    assert show.summary(VIEW) == '127.0.0.2       65002     0:00:04 established           1          2'


def test_summary_of_a_peer_down() -> None:
    down = show.PeerView('10.0.0.9', '10.0.0.1', 1, 2, '1.1.1.1', None, 180, None, 'IDLE', 0, 30, (), (), ())
    assert show.summary(down) == '10.0.0.9        2            down idle                  0          0'


def test_extensive() -> None:
    assert show.extensive(VIEW) == EXTENSIVE


def test_extensive_of_a_peer_without_open() -> None:
    down = show.PeerView('10.0.0.9', '10.0.0.1', 1, 2, '1.1.1.1', None, 180, None, 'ACTIVE', 0, 65, (), (), ())
    lines = show.extensive(down)
    assert lines[5] == '   down for                     0:01:05                                '
    assert lines[8] == '   AS                                 1               2                '
    assert lines[9] == '   ID                           1.1.1.1             n/a                '


def test_json_of_the_first_peer() -> None:
    assert json.loads(show.neighbors_json([VIEW]))[0] == json.loads(JSON)[0] | {'duration': 4}


def test_configuration() -> None:
    neighbor = Neighbor(
        peer_address=IPv4Address('127.0.0.2'),
        peer_prefix=32,
        local_address=IPv4Address('127.0.0.1'),
        router_id=IPv4Address('10.0.0.1'),
        local_as=65001,
        peer_as=65002,
        passive=True,
        listen=17901,
        families=(IPV4_UNICAST, IPV6_UNICAST),
        capability=Capabilities(),
        api=Api(processes=('play',), neighbor_changes=('play',), receive=Messages(parsed=('play',), update=('play',))),
    )
    assert show.configuration(neighbor) == CONFIGURATION[: CONFIGURATION.index('}') + 1]


def test_rib_lines() -> None:
    builder = Builder()
    routes = parse('announce route 10.1.0.0/24 next-hop 1.2.3.4 med 5 community [65000:1]', builder).routes
    assert list(show.rib_text('127.0.0.2', routes, False)) == ['127.0.0.2 ipv4 unicast 10.1.0.0/24 next-hop 1.2.3.4']
    name = (
        'neighbor 127.0.0.2 local-ip 127.0.0.1 local-as 65001 peer-as 65002 router-id 10.0.0.1 family-allowed in-open'
    )
    assert list(show.rib_text(name, routes, True)) == [
        f'{name} ipv4 unicast 10.1.0.0/24 next-hop 1.2.3.4 med 5 community 65000:1'
    ]
    assert list(show.rib_json_v1('127.0.0.2', routes, None)) == [
        '{"127.0.0.2": {"routes": [{"prefix": "10.1.0.0/24", "family": "ipv4 unicast"}]}}'
    ]
    (v2,) = show.rib_json_v2('127.0.0.2', routes, None)
    assert json.loads(v2)['route']['nlri'] == {
        'prefix': '10.1.0.0/24',
        'nexthop': '1.2.3.4',
        'family': {'afi': 'ipv4', 'safi': 'unicast'},
    }


def test_v1_json_repeats_the_routes_of_a_chunk_so_far() -> None:
    builder = Builder()
    routes = parse('announce attributes next-hop 1.1.1.1 nlri 10.0.0.0/24 10.0.1.0/24', builder).routes
    first, second = (json.loads(line) for line in show.rib_json_v1('1.1.1.1', routes, None))
    assert len(first['1.1.1.1']['routes']) == 1
    assert len(second['1.1.1.1']['routes']) == 2


# `help` as ExaBGP 5.0.15 answers it, line for line (its lines before `done`)
HELP_5_0 = [
    '',
    'available API commands are listed here:',
    '=======================================',
    '',
    'filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]',
    '',
    'command are:',
    '------------',
    '',
    '# ',
    '[neighbor <ip> [filters]] announce attribute',
    '[neighbor <ip> [filters]] announce attributes',
    '[neighbor <ip> [filters]] announce eor',
    '[neighbor <ip> [filters]] announce flow',
    '[neighbor <ip> [filters]] announce ipv4',
    '[neighbor <ip> [filters]] announce ipv6',
    '[neighbor <ip> [filters]] announce operational',
    '[neighbor <ip> [filters]] announce route',
    '[neighbor <ip> [filters]] announce route-refresh',
    '[neighbor <ip> [filters]] announce vpls',
    '[neighbor <ip> [filters]] announce watchdog',
    '[neighbor <ip> [filters]] clear adj-rib',
    '[neighbor <ip> [filters]] crash',
    '[neighbor <ip> [filters]] flush adj-rib out',
    '[neighbor <ip> [filters]] teardown',
    '[neighbor <ip> [filters]] withdraw attribute',
    '[neighbor <ip> [filters]] withdraw attributes',
    '[neighbor <ip> [filters]] withdraw flow',
    '[neighbor <ip> [filters]] withdraw ipv4',
    '[neighbor <ip> [filters]] withdraw ipv6',
    '[neighbor <ip> [filters]] withdraw route',
    '[neighbor <ip> [filters]] withdraw vpls',
    '[neighbor <ip> [filters]] withdraw watchdog',
    'disable-ack ',
    'enable-ack ',
    'help ',
    'reload ',
    'reset ',
    'restart ',
    'show adj-rib in [ extensive ] ',
    'show adj-rib out [ extensive ] ',
    'show neighbor [ summary | extensive | configuration ] ',
    'shutdown ',
    'silence-ack ',
    'version ',
    '',
]


def test_help_lists_the_commands_as_5_0() -> None:
    assert show.help_lines() == HELP_5_0


def test_extensive_shows_the_api_events_dropped_when_there_are_some() -> None:
    lines = show.extensive(dataclasses.replace(VIEW, dropped=12))
    assert lines[-4:] == ['', '    API', '   events dropped:                   12                                ', '']
