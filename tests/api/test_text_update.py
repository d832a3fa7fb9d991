"""The text encoder's lines for UPDATE and End-of-RIB: each vector of update_vectors, decoded, gives
the lines ExaBGP 5.0.15's text encoder wrote for the same wire bytes (without the
`neighbor 127.0.0.2 receive update ` every line starts with).

Where we differ: 'treat_as_withdraw'. 5.0 keeps the next hop of an announced route it withdraws and
prints it (`withdrawn 10.0.0.0/8 next-hop 10.0.0.1`); our Update holds a withdrawn NLRI without one.
"""

import pytest
from update_vectors import VECTORS

from exabgp.api.envelope import Peer
from exabgp.api.text_messages import encode
from exabgp.api.text_update import update
from exabgp.bgp.message.header import MARKER
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.table import ALL

PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.2')

EXPECTED = {
    'ipv4': [
        'start',
        'announced 10.0.0.0/8 next-hop 10.0.0.1 origin igp local-preference 100',
        'announced 11.1.0.0/16 next-hop 10.0.0.1 origin igp local-preference 100',
        'end',
    ],
    'families': [
        'start',
        'withdrawn 11.0.0.0/8',
        'announced 10.0.0.0/8 next-hop 10.0.0.1 origin igp local-preference 100',
        'withdrawn 2001:db8::/32',
        'withdrawn 2001:db8:1:2::/64',
        'announced 12.1.0.0/16 next-hop 1.2.3.4 origin igp local-preference 100',
        'end',
    ],
    'link_local': [
        'start',
        'announced 2001:db8::/32 next-hop 2001:db8::1 origin igp local-preference 100',
        'announced 2001:db8::/32 next-hop fe80::1 origin igp local-preference 100',
        'announced 2001:db8:1:2::/64 next-hop 2001:db8::1 origin igp local-preference 100',
        'announced 2001:db8:1:2::/64 next-hop fe80::1 origin igp local-preference 100',
        'end',
    ],
    'mapped': ['start', 'announced 2001:db8::/32 next-hop ::ffff:10.0.0.1 origin igp local-preference 100', 'end'],
    'addpath': [
        'start',
        'withdrawn 12.0.0.0/8 path-information 0.0.0.7',
        'announced 10.0.0.0/8 path-information 0.0.0.1 next-hop 10.0.0.1 origin igp local-preference 100',
        'announced 11.1.0.0/16 path-information 0.0.0.0 next-hop 10.0.0.1 origin igp local-preference 100',
        'end',
    ],
    'treat_as_withdraw': ['start', 'withdrawn 11.0.0.0/8', 'withdrawn 10.0.0.0/8', 'end'],
    'discard': ['start', 'announced 10.0.0.0/8 next-hop 10.0.0.1 origin igp local-preference 100 error discard', 'end'],
    'eor_ipv4': ['start', 'route eor 1/1 (ipv4 unicast)', 'end'],
    'eor_ipv6': ['start', 'route eor 2/1 (ipv6 unicast)', 'end'],
    'eor_ipv4_multicast': ['start', 'route eor 1/2 (ipv4 multicast)', 'end'],
    'withdrawals': ['start', 'withdrawn 10.0.0.0/8', 'withdrawn 11.1.0.0/16', 'withdrawn 1.2.3.4/32', 'end'],
    'asn2': [
        'start',
        'announced 10.1.2.0/24 next-hop 10.0.0.1 origin igp as-path ( 65000 65001 ) community 65000:1',
        'end',
    ],
    'asn2_as4_path': ['start', 'announced 10.1.2.0/24 next-hop 10.0.0.1 origin igp as-path ( 65536 65001 )', 'end'],
    'extended_nexthop': [
        'start',
        'announced 10.1.2.0/24 next-hop 2001:db8::1 origin igp local-preference 100',
        'announced 10.1.2.0/24 next-hop fe80::1 origin igp local-preference 100',
        'end',
    ],
    'aggregator': [
        'start',
        'announced 10.0.0.0/8 next-hop 10.0.0.1 origin igp local-preference 100 aggregator ( 65000:1.2.3.4 )',
        'end',
    ],
    'attributes_only': ['start', 'end'],
    'unreach_only': ['start', 'withdrawn 2001:db8::/32', 'withdrawn 2001:db8:1:2::/64', 'end'],
}


def test_every_vector_has_expectations():
    assert set(EXPECTED) == set(VECTORS)


@pytest.mark.parametrize('name', list(VECTORS))
def test_text(name):
    vector = VECTORS[name]
    value = Update.unpack(bytes.fromhex(vector.wire), vector.negotiated)
    written = encode(PEER, 'receive', value)
    assert written == ''.join(f'neighbor 127.0.0.2 receive update {line}\n' for line in EXPECTED[name])


def test_packets():
    # 5.0.15 puts the packets on a line of their own, before the end line
    vector = VECTORS['ipv4']
    wire = bytes.fromhex(vector.wire)
    header = MARKER + (19 + len(wire)).to_bytes(2, 'big') + b'\x02'
    assert update(PEER, 'send', vector.value, header, wire) == (
        'neighbor 127.0.0.2 send update start\n'
        'neighbor 127.0.0.2 send update announced 10.0.0.0/8 next-hop 10.0.0.1 origin igp local-preference 100\n'
        'neighbor 127.0.0.2 send update announced 11.1.0.0/16 next-hop 10.0.0.1 origin igp local-preference 100\n'
        ' header 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003102 body 0x00000015400101004002004003040A00000140050400000064080A100B01\n'
        'neighbor 127.0.0.2 send update end\n'
    )


# UPDATE bodies of families 5.0.15's text encoder writes as `afi AFI safi SAFI`, and its lines for
# them on a session (EVPN: types 1 and 2; MCAST-VPN source-ad and source-join; MUP ISD and DSD;
# BGP-LS node), announced then withdrawn
EVPN_ANNOUNCE = (
    '000000a64001010040020040050400000064900e0071001946040a0000010001190000fde80000000100010203040506070809'
    '0000000000064102210000fde80000000100000000000000000000000000003000112233445500000c81022800010a0000010007'
    '000102030405060708090000000530001122334456200a010101000c81013881c010200002fde8000000640600000000000005'
    '060300112233aabb030c000000000000'
)
EVPN_WITHDRAW = (
    '00000070900f006c00194601190000fde80000000100010203040506070809000000000006410228000'
    '10a0000010007000102030405060708090000000530001122334456200a010101000c8101388105220000fde800000001000000'
    '0000000000000000000000180a020000000000000012c1'
)
COMMUNITIES = ' extended-community [ target:65000:100 encap:Default mac-mobility:5 0x060300112233AABB ]'


@pytest.mark.parametrize(
    ('body', 'lines'),
    [
        (EVPN_ANNOUNCE, [f'announced afi l2vpn safi evpn origin igp local-preference 100{COMMUNITIES}'] * 3),
        (EVPN_WITHDRAW, ['withdrawn afi l2vpn safi evpn'] * 3),
        (
            '0000006a4001010040020040050400000064900e0035000105040a0000010005120000fde800000001200a00000120ef010101'
            '07160000fde8000000010000fde8200a00000120ef010101c010200002fde8000000640600000000000005060300112233aabb'
            '030c000000000000',
            [f'announced afi ipv4 safi mcast-vpn origin igp local-preference 100{COMMUNITIES}'] * 2,
        ),
        ('0000001b900f001700010505120000fde800000001200a00000120ef010101', ['withdrawn afi ipv4 safi mcast-vpn']),
        (
            '0000003b4001010040020040050400000064900e0029000155040a000001000100010c0000fde800000001180a000101000'
            '20c0000fde8000000010a000009',
            ['announced afi ipv4 safi mup origin igp local-preference 100'] * 2,
        ),
        ('00000017900f00130001550100010c0000fde800000001180a0001', ['withdrawn afi ipv4 safi mup']),
        (
            '0000003e4001010040020040050400000064900e002c400447040a000001000001001f0200000000000000000100001202'
            '0000040000fde902030006192168001001',
            ['announced afi bgp-ls safi bgp-ls origin igp local-preference 100'],
        ),
        (
            '0000002a900f00264004470001001f02000000000000000001000012020000040000fde902030006192168001001',
            ['withdrawn afi bgp-ls safi bgp-ls'],
        ),
    ],
)
def test_families_5_0_writes_by_their_name(body: str, lines: list[str]) -> None:
    value = Update.unpack(bytes.fromhex(body), Negotiated(local_as=65533, peer_as=65533, asn4=True, families=ALL))
    assert update(PEER, 'receive', value) == ''.join(
        f'neighbor 127.0.0.2 receive update {line}\n' for line in ['start', *lines, 'end']
    )
