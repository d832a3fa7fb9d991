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
