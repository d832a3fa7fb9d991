"""The peer helpers' own logic (qa/bench/peers.py): prefixes, the MRT stream, what the clients'
answers parse to, and configurations the real daemons accept (those skip when they are missing)."""

import subprocess

import pytest
from peers import Bird, GoBGP, Route, mrt_table, parse_bird_routes, parse_gobgp_path, prefixes, program


def test_prefixes_follow_each_other_across_octets() -> None:
    assert list(prefixes('10.0.254.0/24', 3)) == ['10.0.254.0/24', '10.0.255.0/24', '10.1.0.0/24']
    assert list(prefixes('2001:db8:ffff::/48', 2)) == ['2001:db8:ffff::/48', '2001:db9::/48']


def test_mrt_table_dump_v2_of_one_route() -> None:
    route = Route('10.0.0.0/24', '192.0.2.3', (65010,), med=5, communities=((65001, 7),))
    stream = mrt_table([route], 65001, '127.0.0.3', '10.255.0.3')
    # checked by hand against RFC 6396 4.3: MRT header (time, type 13, subtype, length), then
    # PEER_INDEX_TABLE: collector id, empty view name, one peer (type AS4, id, address, AS 65001);
    # RIB_IPV4_UNICAST: sequence 0, 10.0.0.0/24, one entry (peer 0, time 0) whose attributes are
    # ORIGIN IGP, AS_PATH [65010] in four octets, NEXT_HOP, MED 5, COMMUNITIES 65001:7
    assert stream.hex() == (
        '00000000000d000100000015' + '0aff0003' + '0000' + '0001' + '02' + '0aff0003' + '7f000003' + '0000fde9'
        '00000000000d000200000034' + '00000000' + '18' + '0a0000' + '0001' + '0000' + '00000000' + '0022'
        '40010100' + '4002060201' + '0000fdf2' + '400304c0000203' + '80040400000005' + 'c00804fde90007'
    )


def test_mrt_ipv6_routes_carry_a_whole_mp_reach() -> None:
    stream = mrt_table([Route('2001:db8::/32', '2001:db8::3')], 65001, '127.0.0.3', '10.255.0.3')
    rib = stream[12 + 21 :]
    assert rib[4:8] == bytes.fromhex('000d0004')  # RIB_IPV6_UNICAST
    # AFI 2, SAFI 1, a 16-octet next hop, the reserved octet, no NLRI
    assert bytes.fromhex('800e1500020110' + '20010db8' + '00' * 11 + '03' + '00') in rib


BIRD_ANSWER = """BIRD 2.0.12 ready.
Table master4:
10.0.5.0/24          unreachable [exabgp 03:42:08.091 from 127.0.0.1] * (100) [AS64512e]
\tType: BGP univ
\tBGP.origin: EGP
\tBGP.as_path: 65001 64512
\tBGP.next_hop: 192.0.2.1
\tBGP.med: 5
\tBGP.local_pref: 100
\tBGP.community: (65001,5) (65001,65535)
                     unreachable [other 03:42:09.000 from 127.0.0.9] (100) [AS65009i]
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 65009
\tBGP.next_hop: 192.0.2.9
\tBGP.local_pref: 100
Table master6:
2001:db8:1000::/48   unreachable [exabgp 03:42:08.092 from 127.0.0.1] * (100) [AS65001i]
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 65001
\tBGP.next_hop: 2001:db8::1 fe80::1
\tBGP.local_pref: 100
"""


def test_bird_routes_parse_with_their_attributes() -> None:
    assert parse_bird_routes(BIRD_ANSWER) == [
        Route('10.0.5.0/24', '192.0.2.1', (65001, 64512), 'egp', 5, 100, ((65001, 5), (65001, 65535))),
        Route('10.0.5.0/24', '192.0.2.9', (65009,), 'igp', None, 100),
        Route('2001:db8:1000::/48', '2001:db8::1', (65001,), 'igp', None, 100),
    ]


def test_gobgp_paths_parse_with_their_attributes() -> None:
    path = {
        'nlri': {'prefix': '10.9.0.0/24'},
        'attrs': [
            {'type': 1, 'value': 2},
            {'type': 2, 'as_paths': [{'segment_type': 2, 'num': 2, 'asns': [65010, 65011]}]},
            {'type': 4, 'metric': 5},
            {'type': 5, 'value': 200},
            {'type': 8, 'communities': [4259971073]},
            {'type': 3, 'nexthop': '127.0.0.3'},
        ],
    }
    assert parse_gobgp_path('10.9.0.0/24', path) == Route(
        '10.9.0.0/24', '127.0.0.3', (65010, 65011), 'incomplete', 5, 200, ((65002, 1),)
    )
    six = {'attrs': [{'type': 1, 'value': 0}, {'type': 14, 'nexthop': '2001:db8::3', 'afi': 2, 'safi': 1}]}
    assert parse_gobgp_path('2001:db8:9::/48', six) == Route('2001:db8:9::/48', '2001:db8::3')


ROUTES = [
    Route('10.0.0.0/24', med=5, local_pref=200, communities=((65003, 7),), as_path=(65010, 65011), origin='egp'),
    Route('2001:db8::/48'),
]


@pytest.mark.skipif(program('bird') == 'bird', reason='BIRD is not installed (Debian package bird2)')
def test_bird_accepts_the_configuration_we_write(tmp_path) -> None:
    bird = Bird(str(tmp_path), address='127.0.0.2', port=1790, asn=65003, neighbor='127.0.0.1', neighbor_as=65001)
    bird.routes = ROUTES
    path = tmp_path / 'check.conf'
    path.write_text(bird.config())
    assert 'bgp_path.prepend(65011); bgp_path.prepend(65010);' in bird.config()
    result = subprocess.run([program('bird'), '-p', '-c', str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(program('gobgpd') == 'gobgpd', reason='GoBGP is not installed (Debian package gobgpd)')
def test_gobgpd_accepts_the_configuration_we_write(tmp_path) -> None:
    gobgp = GoBGP(
        str(tmp_path), address='127.0.0.3', port=1790, api_port=1791, asn=65001, neighbor='127.0.0.1', neighbor_as=65001
    )
    path = tmp_path / 'check.toml'
    path.write_text(gobgp.config())
    result = subprocess.run([program('gobgpd'), '-d', '-f', str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
