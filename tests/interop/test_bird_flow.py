"""FlowSpec (RFC 8955, RFC 8956) between our daemon and BIRD 2 (its `flow4` and `flow6` BGP
channels) on loopback, iBGP:

- our rules, from the configuration's `flow` block (a /32 discard, a port range with a rate limit,
  a redirect to an AS, an IPv6 rule with a flow label) and from an API process (TCP flags with a
  packet rate, fragment and packet length with a DSCP mark, an IPv6 prefix with an offset; one
  configured rule withdrawn), as BIRD holds them: its `show route all table flowtab4|6` line for
  the rule (BIRD's own text of the match) and the extended communities it shows;
- BIRD's rules (static flow4/flow6 routes carrying traffic-rate, redirect and traffic-marking
  extended communities) and the withdrawal of its IPv4 ones, as our API process receives them:
  exactly the JSON objects a 5.0.15 daemon in our place wrote to its process from the same BIRD
  configuration (run by hand, BIRD 2.0.12).

BIRD listens on 127.0.0.5 and waits for our daemon, in-process, to connect from 127.0.0.1.
Skipped when bird2 is not installed.
"""

import re

import pytest
from peers import Bird, free_port

from interop import OUR_AS, OURS, ApiProcess, call, installed, until, with_processes

pytestmark = installed(Bird, 'BIRD', 'bird2')

BIRD = '127.0.0.5'
HOLD = 9


def bird_config(port: int) -> str:
    return f"""router id 10.255.0.5;
log stderr {{ info, remote, warning, error, auth, fatal, bug }};
protocol device {{}}
flow4 table flowtab4;
flow6 table flowtab6;
protocol static flows4 {{
  flow4 {{ table flowtab4; }};
  route flow4 {{ dst 10.5.0.1/32; }} {{ bgp_ext_community.add((generic, 0x80060000, 0x0)); }};
  route flow4 {{ dst 10.5.1.0/24; proto 6; dport 1024..2048; }} {{
    bgp_ext_community.add((generic, 0x80060000, 0x46160000)); }};
  route flow4 {{ src 10.5.2.0/24; proto 17; sport 53; }} {{ bgp_ext_community.add((generic, 0x8008fde8, 0xa)); }};
}}
protocol static flows6 {{
  flow6 {{ table flowtab6; }};
  route flow6 {{ dst 2001:db8:5::/48; label 2013; }} {{ bgp_ext_community.add((generic, 0x80090000, 0x2e)); }};
}}
protocol bgp exabgp {{
  local {BIRD} port {port} as {OUR_AS};
  neighbor {OURS} as {OUR_AS};
  strict bind on;
  passive on;
  multihop;
  hold time {HOLD};
  connect retry time 1;
  error wait time 1, 5;
  flow4 {{ table flowtab4; import all; export where source = RTS_STATIC; }};
  flow6 {{ table flowtab6; import all; export where source = RTS_STATIC; }};
}}
"""


def our_config(port: int, process: ApiProcess) -> str:
    return (
        process.block()
        + f"""
neighbor {BIRD} {{
    router-id 10.255.0.1;
    local-address {OURS};
    local-as {OUR_AS};
    peer-as {OUR_AS};
    connect {port};
    hold-time {HOLD};
    family {{
        ipv4 flow;
        ipv6 flow;
    }}
    api {{
        processes [ {process.name} ];
        receive {{ parsed; update; }}
    }}
    flow {{
        route host-discard {{
            match {{ destination 192.0.2.1/32; }}
            then {{ discard; }}
        }}
        route port-range {{
            match {{ destination 192.0.2.0/24; protocol tcp; destination-port [ >=1024&<=2048 ]; }}
            then {{ rate-limit 9600; }}
        }}
        route to-scrubber {{
            match {{ source 198.51.100.0/24; protocol udp; source-port =domain; }}
            then {{ redirect 65000:10; }}
        }}
        route ipv6-label {{
            match {{ destination 2001:db8::/64; flow-label 2013; }}
            then {{ discard; }}
        }}
    }}
}}
"""
    )


def held(bird: Bird, table: str) -> dict[str, tuple[str, ...]]:
    """The rules BIRD learnt from us in `table`: its text of the match -> the extended communities."""
    found = {}
    for block in re.split(r'\n(?=\S)', bird.birdc(f'show route all table {table} protocol exabgp')):
        rule = re.match(r'(flow[46] \{[^}]*\})', block)
        communities = re.search(r'BGP\.ext_community: (.*)', block)
        if rule:
            found[rule.group(1)] = tuple(re.findall(r'\([^)]*\)', communities.group(1))) if communities else ()
    return found


@pytest.fixture
async def bird(tmp_path):
    port = free_port(BIRD)
    peer = Bird(str(tmp_path), address=BIRD, port=port, asn=OUR_AS, neighbor=OURS, neighbor_as=OUR_AS)
    peer.text = bird_config(port)
    await call(peer.start)
    try:
        yield peer
    finally:
        await call(peer.stop)


DISCARD = '(generic, 0x80060000, 0x0)'
OURS_IPV4 = {
    'flow4 { dst 192.0.2.1/32; }': (DISCARD,),
    'flow4 { dst 192.0.2.0/24; proto 6; dport 1024..2048; }': ('(generic, 0x80060000, 0x46160000)',),
    'flow4 { src 198.51.100.0/24; proto 17; sport 53; }': ('(generic, 0x8008fde8, 0xa)',),
}
OURS_IPV6 = {'flow6 { dst 2001:db8::/64; label 2013; }': (DISCARD,)}
# from the API: a TCP flags and fragment rule with a packet rate, an IPv6 rule with an offset
API_RULES = (
    'announce flow route destination 203.0.113.0/24 protocol tcp tcp-flags [ syn&!ack ] rate-limit 1000 packets',
    'announce ipv6 flow destination 2001:db8:1::/48/16 next-header udp destination-port =443 discard',
    'announce flow route destination 203.0.113.64/26 fragment [ is-fragment ] packet-length >=100 mark 10',
)
# BIRD writes a bitmask term without the match bit (`syn`: any of its bits set) as a negated
# comparison with 0 (`!0x0/0x2`), and `!ack` as `0x0/0x10`
API_IPV4 = {
    'flow4 { dst 203.0.113.0/24; proto 6; tcp flags !0x0/0x2 && 0x0/0x10; }': ('(generic, 0x800c0000, 0x447a0000)',),
    'flow4 { dst 203.0.113.64/26; length >= 100; fragment !!is_fragment; }': ('(generic, 0x80090000, 0xa)',),
}
# with an offset of 16 the first 16 bits of the address are not sent (RFC 8956 3.1): BIRD shows zeros
API_IPV6 = {'flow6 { dst 0:db8:1::/48 offset 16; next header 17; dport 443; }': (DISCARD,)}


def _announce(community: int, text: str, family: str, rule: dict) -> dict:
    attributes = {'origin': 'igp', 'local-preference': 100}
    attributes['extended-community'] = [{'value': community, 'string': text}]
    return {'attribute': attributes, 'announce': {family: {'no-nexthop': [rule]}}}


REDIRECTED = {
    'source-ipv4': ['10.5.2.0/24'],
    'protocol': ['=udp'],
    'source-port': ['=53'],
    'string': 'flow source-ipv4 10.5.2.0/24 protocol =udp source-port =53',
}
LIMITED = {
    'destination-ipv4': ['10.5.1.0/24'],
    'protocol': ['=tcp'],
    'destination-port': ['>=1024&<=2048'],
    'string': 'flow destination-ipv4 10.5.1.0/24 protocol =tcp destination-port [ >=1024&<=2048 ]',
}
DISCARDED = {'destination-ipv4': ['10.5.0.1/32'], 'string': 'flow destination-ipv4 10.5.0.1/32'}
MARKED = {
    'destination-ipv6': ['2001:db8:5::/48/0'],
    'flow-label': ['=2013'],
    'string': 'flow destination-ipv6 2001:db8:5::/48/0 flow-label =2013',
}
# what 5.0.15's API process received from the same BIRD configuration, in this order: one UPDATE
# per rule, then one withdrawing the three IPv4 rules
BIRD_ANNOUNCE = [
    _announce(9225903009542701066, 'redirect:65000:10', 'ipv4 flow', REDIRECTED),
    _announce(9225060887890886656, 'rate-limit:9600', 'ipv4 flow', LIMITED),
    _announce(9225060886715039744, 'rate-limit:0', 'ipv4 flow', DISCARDED),
    _announce(9225905311645171758, 'mark 46', 'ipv6 flow', MARKED),
]
BIRD_WITHDRAW = [{'withdraw': {'ipv4 flow': [REDIRECTED, LIMITED, DISCARDED]}}]


async def test_flow_rules_both_ways_with_bird(bird: Bird, tmp_path) -> None:
    process = ApiProcess(str(tmp_path))
    async with with_processes(our_config(bird.port, process)) as ours:
        await until(ours.established, 15, 'the session to come up')

        async def holds(table: str, wanted: dict) -> bool:
            return await call(held, bird, table) == wanted

        try:
            await until(lambda: holds('flowtab4', OURS_IPV4), 15, 'BIRD to hold our IPv4 rules', 0.25)
        except AssertionError:
            assert await call(held, bird, 'flowtab4') == OURS_IPV4
        try:
            await until(lambda: holds('flowtab6', OURS_IPV6), 15, 'BIRD to hold our IPv6 rule', 0.25)
        except AssertionError:
            assert await call(held, bird, 'flowtab6') == OURS_IPV6

        # BIRD's own rules, then the withdrawal of its IPv4 ones
        await until(lambda: len(process.updates()) >= len(BIRD_ANNOUNCE), 15, "BIRD's rules at our API process")
        assert process.updates() == BIRD_ANNOUNCE
        await call(bird.birdc, 'disable flows4')
        wanted = BIRD_ANNOUNCE + BIRD_WITHDRAW
        await until(lambda: len(process.updates()) >= len(wanted), 15, "BIRD's withdrawal at our API process")
        assert process.updates() == wanted

        # from the API: three rules announced, then one of the configuration's withdrawn
        for line in API_RULES:
            process.command(line)
        process.command('withdraw flow route destination 192.0.2.1/32 discard')
        ipv4 = {**{key: value for key, value in OURS_IPV4.items() if '192.0.2.1/32' not in key}, **API_IPV4}
        try:
            await until(lambda: holds('flowtab4', ipv4), 15, 'BIRD to see the API changes (IPv4)', 0.25)
        except AssertionError:
            assert await call(held, bird, 'flowtab4') == ipv4
        ipv6 = {**OURS_IPV6, **API_IPV6}
        try:
            await until(lambda: holds('flowtab6', ipv6), 15, 'BIRD to see the API changes (IPv6)', 0.25)
        except AssertionError:
            assert await call(held, bird, 'flowtab6') == ipv6
        assert await call(bird.established)
        assert ours.counter.downs == []
