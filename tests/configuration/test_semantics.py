"""What a configuration means: 5.0's defaults, keywords written bare against keywords left out,
inferences, templates, API bindings, processes.

The expectations were read from 5.0.15 (`exabgp validate -n -v`, which prints each neighbor as 5.0
understood it) on the same configurations.
"""

import dataclasses
import os
import pathlib
from ipaddress import IPv4Address, IPv6Address

import pytest

from exabgp.bgp.capability.base import NAMES as CAPABILITY_NAMES
from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message.header import NAMES, MessageType
from exabgp.bgp.nlri.table import DEFAULT as KNOWN_FAMILIES
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.model import (
    ADDPATH_BOTH,
    ADDPATH_RECEIVE,
    ADDPATH_SEND,
    MESSAGES,
    Capabilities,
    Messages,
    Neighbor,
)
from exabgp.configuration.neighbor import CAPABILITY
from exabgp.configuration.parser import load, load_text
from exabgp.configuration.process import Context

HEAD = 'router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 2;'
IPV4_MPLS_VPN = Family(AFI.IPV4, SAFI.MPLS_VPN)


def neighbors(text: str, context: Context | None = None) -> tuple[Neighbor, ...]:
    return load_text(text, context).neighbors


def one(body: str) -> Neighbor:
    (neighbor,) = neighbors(f'neighbor 127.0.0.1 {{ {HEAD}\n{body}\n}}\n')
    return neighbor


def test_defaults_of_a_minimal_neighbor() -> None:
    neighbor = one('')
    assert neighbor.hold_time == 180
    assert neighbor.capability == Capabilities(
        asn4=True,
        route_refresh=False,
        graceful_restart=0,
        add_path=0,
        multi_session=False,
        operational=False,
        extended_message=True,
        software_version=False,
        nexthop=False,
        aigp=False,
    )
    assert neighbor.families == KNOWN_FAMILIES and len(KNOWN_FAMILIES) == 21
    assert (neighbor.adj_rib_in, neighbor.adj_rib_out, neighbor.group_updates, neighbor.auto_flush) == (
        True,
        True,
        True,
        True,
    )
    assert (neighbor.passive, neighbor.manual_eor, neighbor.listen, neighbor.connect) == (False, False, 0, 0)
    assert neighbor.md5_ip == IPv4Address('127.0.0.1')
    assert neighbor.addpath == () and neighbor.nexthops == ()
    assert neighbor.name() == (
        'neighbor 127.0.0.1 local-ip 127.0.0.1 local-as 1 peer-as 2 router-id 1.2.3.4 family-allowed in-open'
    )


def test_router_id_comes_from_the_local_address_of_an_ipv4_peer() -> None:
    (neighbor,) = neighbors('neighbor 10.0.0.1 { local-address 10.0.0.2; local-as 1; peer-as 1; }')
    assert neighbor.router_id == IPv4Address('10.0.0.2')
    with pytest.raises(ConfigError, match='missing router-id'):
        neighbors('neighbor ::1 { local-address ::2; local-as 1; peer-as 1; }')


def test_no_local_address_means_auto() -> None:
    (neighbor,) = neighbors('neighbor 10.0.0.1 { router-id 1.1.1.1; local-as auto; peer-as auto; }')
    assert neighbor.local_address is None and neighbor.auto_discovery
    assert (neighbor.local_as, neighbor.peer_as) == (None, None)
    assert 'local-ip auto local-as auto peer-as auto' in neighbor.name()


def test_keywords_written_bare_against_left_out() -> None:
    neighbor = one(
        'hold-time 90; adj-rib-in; adj-rib-out; passive; group-updates; manual-eor;'
        'capability { graceful-restart 0; software-version; add-path send; }'
        'family { ipv4 unicast; ipv6 unicast; } add-path { all; }'
        'nexthop { ipv4 unicast ipv6; ipv6 unicast ipv4; }'
    )
    assert (neighbor.adj_rib_in, neighbor.adj_rib_out, neighbor.passive) == (False, False, True)
    assert (neighbor.group_updates, neighbor.manual_eor) == (True, False)
    # `graceful-restart 0`, like the bare keyword, takes the hold time
    assert neighbor.capability.graceful_restart == 90
    assert neighbor.capability.software_version is False
    # a nexthop section turns the capability on; `add-path { all; }` lists no family in 5.0
    assert neighbor.capability.nexthop is True
    assert neighbor.nexthops == ((IPV4_UNICAST, AFI.IPV6), (IPV6_UNICAST, AFI.IPV4))
    assert neighbor.capability.add_path == ADDPATH_SEND and neighbor.addpath == ()


def test_route_refresh_forces_adj_rib_out_and_add_path_defaults_to_every_family() -> None:
    neighbor = one(
        'capability { route-refresh; graceful-restart; add-path receive; nexthop disable; }'
        'adj-rib-out false; family { ipv4 unicast; ipv4 mpls-vpn; ipv6 unicast; }'
        'nexthop { ipv4 unicast ipv6; ipv4 mpls-vpn ipv6; }'
    )
    assert neighbor.capability.route_refresh and neighbor.adj_rib_out
    assert neighbor.capability.graceful_restart == 180
    assert neighbor.capability.add_path == ADDPATH_RECEIVE
    assert neighbor.addpath == (IPV4_UNICAST, IPV4_MPLS_VPN, IPV6_UNICAST)
    assert neighbor.nexthops == ()


def test_nexthop_pairs_need_both_families() -> None:
    neighbor = one('family { ipv4 unicast; ipv4 mpls-vpn; } nexthop { ipv4 unicast ipv6; }')
    assert neighbor.capability.nexthop and neighbor.nexthops == ()
    neighbor = one('family { ipv4 unicast; ipv6 unicast; } nexthop { ipv4 unicast ipv6; }')
    assert neighbor.nexthops == ((IPV4_UNICAST, AFI.IPV6),)


def test_families_are_sorted_by_code() -> None:
    neighbor = one('family { ipv6 unicast; l2vpn vpls; ipv4 mpls-vpn; ipv4 unicast; }')
    assert neighbor.families == (IPV4_UNICAST, IPV4_MPLS_VPN, IPV6_UNICAST, Family(AFI.L2VPN, SAFI.VPLS))
    assert one('family { all; }').families == KNOWN_FAMILIES


def test_capability_values() -> None:
    neighbor = one(
        'capability { asn4 disable; extended-message disable; multi-session; operational; aigp enable;'
        ' add-path send/receive; graceful-restart disable; software-version enable; }'
    )
    assert neighbor.capability == Capabilities(
        asn4=False,
        extended_message=False,
        multi_session=True,
        operational=True,
        aigp=True,
        add_path=ADDPATH_BOTH,
        graceful_restart=0,
        software_version=True,
    )
    assert neighbor.name().endswith(
        'family-allowed ' + '/'.join(f'{family.afi.label}-{family.safi.label}' for family in neighbor.families)
    )


def test_capability_keywords_are_the_codec_names_of_their_capabilities() -> None:
    # 5.0 names the capability the same in `capability { }`, in show neighbor and when printing codes
    # but for upstream 6.0's link-local next hop keywords, a capability 5.0 does not know
    assert set(CAPABILITY) - {'aigp', 'link-local-nexthop', 'link-local-prefer'} <= set(CAPABILITY_NAMES.values())


def test_neighbor_values() -> None:
    neighbor = one(
        'description "a peer"; host-name host; domain-name example.com; source-interface eth0;'
        'listen 1790; connect 1791; outgoing-ttl 1; incoming-ttl disable; md5-password "s3 cret";'
        'md5-ip 127.0.0.9; rate-limit 20; local-as 1.10; auto-flush false;'
    )
    assert (neighbor.description, neighbor.host_name, neighbor.domain_name) == ('a peer', 'host', 'example.com')
    assert (neighbor.source_interface, neighbor.listen, neighbor.connect) == ('eth0', 1790, 1791)
    assert (neighbor.outgoing_ttl, neighbor.incoming_ttl) == (1, None)
    assert (neighbor.md5_password, neighbor.md5_ip) == ('s3 cret', IPv4Address('127.0.0.9'))
    assert (neighbor.rate_limit, neighbor.local_as, neighbor.auto_flush) == (20, 65546, False)


def test_a_template_scalar_wins_over_the_neighbor_own() -> None:
    (neighbor,) = neighbors(
        'template { neighbor T { hold-time 100; local-as 5; capability { route-refresh; }'
        ' static { route 9.0.0.0/8 next-hop 1.1.1.1; } } }\n'
        f'neighbor 127.0.0.1 {{ {HEAD} hold-time 200; inherit T;'
        ' static { route 10.0.0.0/24 next-hop 1.1.1.1; } }'
    )
    assert (neighbor.hold_time, neighbor.local_as) == (100, 5)
    assert neighbor.capability.route_refresh
    # the neighbor's own routes come first
    assert [str(route.nlri) for route in neighbor.routes] == ['10.0.0.0/24', '9.0.0.0/8']


def test_several_templates_apply_in_order_and_lists_add_up() -> None:
    (neighbor,) = neighbors(
        'template { neighbor A { hold-time 30; family { ipv4 unicast; } }'
        ' neighbor B { hold-time 60; family { ipv6 unicast; } } }\n'
        f'neighbor 127.0.0.1 {{ {HEAD} inherit [ A B ]; }}'
    )
    assert neighbor.hold_time == 60
    assert neighbor.families == (IPV4_UNICAST, IPV6_UNICAST)


def test_a_template_must_exist_before_it_is_used() -> None:
    with pytest.raises(ConfigError, match="unknown template 'T'"):
        neighbors(f'neighbor 127.0.0.1 {{ {HEAD} inherit T; }} template {{ neighbor T {{ }} }}')


def test_an_ipv4_unicast_route_of_a_family_not_negotiated_is_dropped() -> None:
    neighbor = one('family { ipv6 unicast; } static { route 10.0.0.0/8 next-hop 1.1.1.1 watchdog w; }')
    assert neighbor.routes == () and neighbor.watchdogs == ()


def test_peer_ranges_need_passive() -> None:
    (neighbor,) = neighbors('neighbor 10.0.0.0/24 { router-id 1.1.1.1; local-as 1; peer-as 2; passive; }')
    assert (neighbor.peer_address, neighbor.peer_prefix, neighbor.peer()) == (
        IPv4Address('10.0.0.0'),
        24,
        '10.0.0.0/24',
    )
    text = 'neighbor 10.0.0.0/24 { router-id 1.1.1.1; local-as 1; peer-as 2; }'
    with pytest.raises(ConfigError, match='passive'):
        neighbors(text)
    assert neighbors(text, Context(passive=True))[0].passive is False


def test_two_neighbors_may_share_an_address_when_they_listen_differently() -> None:
    found = neighbors(f'neighbor 127.0.0.1 {{ {HEAD} listen 1790; }} neighbor 127.0.0.1 {{ {HEAD} listen 1791; }}')
    assert [neighbor.listen for neighbor in found] == [1790, 1791]


PROCESSES = 'process a { run /bin/true; encoder json; } process b { run /bin/true; encoder text; respawn false; }\n'


def test_processes() -> None:
    config = load_text(PROCESSES)
    assert [(p.name, p.run, p.encoder, p.respawn) for p in config.processes] == [
        ('a', ('/bin/true',), 'json', True),
        ('b', ('/bin/true',), 'text', False),
    ]


def test_api_bindings_are_flattened_as_5_0_does() -> None:
    config = load_text(
        PROCESSES + f'neighbor 127.0.0.1 {{ {HEAD}'
        ' api one { processes [ a ]; neighbor-changes; receive { parsed; update; } send { packets; } }'
        ' api { processes [ b a ]; fsm; receive { open; } } }'
    )
    api = config.neighbors[0].api
    assert api.processes == ('a', 'b')
    assert (api.neighbor_changes, api.fsm, api.negotiated, api.signal) == (('a',), ('a', 'b'), (), ())
    assert (api.receive.parsed, api.receive.update, api.receive.open) == (('a',), ('a',), ('a', 'b'))
    assert (api.send.packets, api.send.update) == (('a',), ())


def test_every_message_kind_has_its_api_keyword_and_binding() -> None:
    # the API observer finds a message's processes by its kind's name: each must be a Messages field
    config = load_text(
        PROCESSES + f'neighbor 127.0.0.1 {{ {HEAD} api {{ processes [ a ]; send {{ {"; ".join(MESSAGES)}; }} }} }}'
    )
    assert tuple(item.name for item in dataclasses.fields(Messages)) == MESSAGES
    send = config.neighbors[0].api.send
    assert all(getattr(send, NAMES[kind]) == ('a',) for kind in MessageType)


def test_processes_match_needs_a_matching_process() -> None:
    text = PROCESSES + f'neighbor 127.0.0.1 {{ {HEAD} api {{ processes-match [ "^a" ]; }} }}'
    assert load_text(text).neighbors[0].api.processes_match == ('^a',)


def test_a_relative_program_is_found_next_to_the_configuration(tmp_path: pathlib.Path) -> None:
    (tmp_path / 'run').mkdir()
    program = tmp_path / 'run' / 'api.sh'
    program.write_text('#!/bin/sh\n')
    program.chmod(0o755)
    path = tmp_path / 'exabgp.conf'
    path.write_text('process p {\n run ./run/api.sh --flag "two words" (x);\n encoder text;\n}\n')
    (process,) = load(str(path)).processes
    assert process.run == (os.path.realpath(program), '--flag', 'two words', '(x)')
    program.chmod(0o644)
    with pytest.raises(ConfigError, match='will not be able to run'):
        load(str(path))


def test_operational_messages() -> None:
    neighbor = one(
        'capability { operational; } operational { asm afi ipv4 safi unicast advisory "hello";'
        ' rpcp afi ipv6 safi unicast sequence 5 counter 7; }'
    )
    first, second = neighbor.operational
    assert (first.kind, first.family, first.advisory) == ('asm', IPV4_UNICAST, 'hello')
    assert (second.kind, second.family, second.sequence, second.counter) == ('rpcp', IPV6_UNICAST, 5, 7)


def test_ipv6_neighbor() -> None:
    (neighbor,) = neighbors(
        'neighbor 2001:db8::1 { router-id 1.1.1.1; local-address 2001:db8::2; local-as 1; peer-as 1; }'
    )
    assert neighbor.peer_address == IPv6Address('2001:db8::1') and neighbor.peer_prefix == 128
    assert neighbor.router_id == IPv4Address('1.1.1.1')


def test_an_unclosed_section_is_closed_by_the_end_of_the_file() -> None:
    # 5.0 accepts it, and one of its own examples (conf-split.conf) relies on it
    assert one('static { route 10.0.0.0/8 next-hop 1.1.1.1; ').routes
