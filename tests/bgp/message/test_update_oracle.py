"""Packing big route sets exactly as ExaBGP 5.0.15 does.

The digests below are of the UPDATEs 5.0.15 sent (End-of-RIB left out) to a test peer, for a static
configuration holding the routes oracle_update_cases generates, all sharing the attributes given
(5.0 groups IPv4 unicast routes sharing attributes and next hop into one UPDATE run). The peer
mirrored 5.0's OPEN, without the Extended Message capability except for the 65535 case. They check
the sorting, the splitting at the message size, ADD-PATH (path identifier 0 written for routes
without one) and the RFC 8950 MP_REACH_NLRI chunking (an NLRI that does not fit is moved on).
"""

import hashlib
from ipaddress import IPv4Address, IPv6Address

import pytest
from oracle_update_cases import ipv4_prefixes

from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_UNICAST
from exabgp.bgp.message import update_pack
from exabgp.bgp.negotiated import EXTENDED_SIZE, Negotiated
from exabgp.bgp.nlri.inet import INET

ORIGIN_ASPATH = bytes.fromhex('40010100' + '400200')
NEXT_HOP = bytes.fromhex('4003040a0001fe')
LOCAL_PREF = bytes.fromhex('40050400000064')


def routes(count, seed, path=None):
    found = []
    for index, (text, length) in enumerate(ipv4_prefixes(count, seed)):
        path_id = path(index) if path else None
        found.append(INET.make(IPV4_UNICAST, IPv4Address(text), length, path_id))
    return found


CASES = {
    'standard': (
        routes(1500, 1),
        ORIGIN_ASPATH + NEXT_HOP + LOCAL_PREF,
        IPv4Address('10.0.1.254'),
        Negotiated(),
        [4096, 1934],
        '60579b14a8da5238d19f1eaeff521bbccf14b088aef0b319d108a2925a6f4db7',
    ),
    'extended message': (
        routes(1500, 1),
        ORIGIN_ASPATH + NEXT_HOP + LOCAL_PREF,
        IPv4Address('10.0.1.254'),
        Negotiated(msg_size=EXTENDED_SIZE),
        [5986],
        '4effd1fb4c9b93b19bbaaa7030277d0fbc2ca9b99ce59f2d244f9ec273a64b3c',
    ),
    'add-path': (
        # `path-information N` on two routes in three, N = index % 7, none on the third
        routes(400, 2, lambda index: index % 7 if index % 3 else None),
        ORIGIN_ASPATH + NEXT_HOP + LOCAL_PREF,
        IPv4Address('10.0.1.254'),
        Negotiated(addpath_send=frozenset({IPV4_UNICAST}), addpath_receive=frozenset({IPV4_UNICAST})),
        [3217],
        '474372ce316c809ff5e6aa07338605cf107f58ddbe54fb4213cb30b167b85354',
    ),
    'extended next hop': (
        routes(1200, 3),
        ORIGIN_ASPATH + LOCAL_PREF,
        IPv6Address('2001:db8::1'),
        Negotiated(families=(IPV4_UNICAST, IPV6_UNICAST), nexthop=((IPV4_UNICAST, AFI.IPV6),)),
        [4092, 812],
        '6a0960f7a5cc472239c4ade273ec31d657d82ceca7d65a598493bc7f562ff1cc',
    ),
}


@pytest.mark.parametrize('name', CASES)
def test_packing_matches_5_0(name):
    nlris, attributes, nexthop, negotiated, sizes, digest = CASES[name]
    found = update_pack.announce_packed(IPV4_UNICAST, nlris, attributes, nexthop, negotiated)
    assert [len(message) for message in found] == sizes
    assert hashlib.sha256(b''.join(found)).hexdigest() == digest
