"""MP_REACH_NLRI and MP_UNREACH_NLRI: golden vectors both ways, next-hop forms, RFC 7606 failures,
families without a codec, round-trips and fuzzing."""

from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.attribute.mp import MPReach, MPUnreach, Unparsable
from exabgp.bgp.errors import OPTIONAL_ATTRIBUTE_ERROR, Malformed
from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, Family
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.inet import INET

ALL = (IPV4_UNICAST, IPV4_MULTICAST, IPV6_UNICAST, IPV6_MULTICAST)
# a family we have no codec for (SAFI 140 is unassigned): its MP attributes are kept raw
RAW = Family(AFI.IPV4, 140)
PLAIN = Negotiated(families=(*ALL, RAW))
ADDPATH = Negotiated(families=ALL, addpath_send=frozenset(ALL), addpath_receive=frozenset(ALL))
EXTENDED = Negotiated(families=ALL, nexthop=((IPV4_UNICAST, AFI.IPV6), (IPV6_UNICAST, AFI.IPV4)))


def v6(text, length, path_id=None):
    return INET.make(IPV6_UNICAST, IPv6Address(text), length, path_id)


# (value, negotiated, attribute hex, header included); the first four decoded by 5.0.15's `exabgp decode`
# (with a configuration negotiating the RFC 8950 pairs) to the same routes and next hops, the ADD-PATH
# ones are what 5.0.15 sent over a session for the same routes
GOLDEN = [
    (
        MPReach(IPV6_UNICAST, IPv6Address('2001:db8::1'), (v6('2001:db8:1::1', 128),)),
        PLAIN,
        '800e2600020110' + '20010db8' + '00' * 11 + '01' + '00' + '8020010db8000100000000000000000001',
    ),
    (
        MPReach(IPV4_UNICAST, IPv6Address('2001:db8::1'), (INET.make(IPV4_UNICAST, IPv4Address('1.0.0.0'), 8),)),
        EXTENDED,
        '800e17000101' + '10' + '20010db8' + '00' * 11 + '01' + '00' + '0801',
    ),
    (
        MPReach(IPV6_UNICAST, IPv4Address('10.0.0.1'), (v6('2001:db8:3::', 48),)),
        EXTENDED,
        '800e10000201040a00000100' + '3020010db80003',
    ),
    (
        MPReach(IPV4_MULTICAST, IPv4Address('1.2.3.4'), (INET.make(IPV4_MULTICAST, IPv4Address('224.1.0.0'), 16),)),
        PLAIN,
        '800e0c0001020401020304' + '00' + '10e001',
    ),
    (
        MPReach(IPV6_UNICAST, IPv6Address('2001:db8::1'), (v6('2001:db8:2::', 48, 9),)),
        ADDPATH,
        '800e200002011020010db8000000000000000000000001' + '00' + '00000009' + '3020010db80002',
    ),
    (MPUnreach(IPV6_UNICAST, (v6('2001:db8:2::', 48, 9),)), ADDPATH, '800f0e000201' + '00000009' + '3020010db80002'),
    # RFC 2545 global and link-local: 5.0.15's `exabgp decode` lists both prefixes under each address
    (
        MPReach(
            IPV6_UNICAST,
            IPv6Address('2001:db8::1'),
            (v6('2001:db8:1::', 64), v6('2001:db8:2::', 64)),
            IPv6Address('fe80::1'),
        ),
        PLAIN,
        '800e3700020120' + '20010db8' + '00' * 11 + '01' + 'fe80' + '00' * 13 + '01' + '00'
        '4020010db800010000' + '4020010db800020000',
    ),
    (
        MPReach(IPV6_UNICAST, IPv6Address('::1'), (v6('2001:db8::', 32, 7),)),
        ADDPATH,
        '800e1e00020110' + '00' * 15 + '01' + '00' + '00000007' + '2020010db8',
    ),
    (MPUnreach(IPV6_UNICAST, (v6('2001:db8:1::', 64),)), PLAIN, '800f0c0002014020010db800010000'),
    (MPUnreach(IPV6_UNICAST, (v6('2001:db8:1::', 64, 3),)), ADDPATH, '800f10000201000000034020010db800010000'),
    (MPUnreach(IPV6_UNICAST), PLAIN, '800f03000201'),
    (MPReach(RAW, raw=bytes.fromhex('00018c000005011820010a')), PLAIN, '800e0b00018c000005011820010a'),
    (MPUnreach(RAW, raw=bytes.fromhex('00018c051820010a')), PLAIN, '800f0800018c051820010a'),
]


@pytest.mark.parametrize(('value', 'negotiated', 'wire'), GOLDEN)
def test_golden_both_ways(value, negotiated, wire):
    assert value.pack(negotiated).hex() == wire
    assert type(value).unpack(bytes.fromhex(wire)[3:], negotiated) == value


def test_a_long_attribute_uses_the_extended_length():
    nlris = tuple(INET.make(IPV4_MULTICAST, IPv4Address(f'10.{n}.0.0'), 16) for n in range(100))
    packed = MPReach(IPV4_MULTICAST, IPv4Address('1.2.3.4'), nlris).pack(PLAIN)
    # optional (0x80) with extended length (0x10): 3 octets of family, 6 of next hop, 100 prefixes of 3
    assert packed[:4] == bytes((0x90, 14)) + (9 + 300).to_bytes(2, 'big')
    assert MPReach.unpack(packed[4:], PLAIN).nlris == nlris


def test_the_reserved_octet_is_ignored():
    wire = bytes.fromhex('0001020401020304' + 'ff' + '10e001')
    assert MPReach.unpack(wire, PLAIN).nlris == (INET.make(IPV4_MULTICAST, IPv4Address('224.1.0.0'), 16),)


def test_an_mp_reach_without_nlri_announces_nothing():
    assert MPReach.unpack(bytes.fromhex('000102040102030400'), PLAIN) == MPReach(IPV4_MULTICAST, IPv4Address('1.2.3.4'))


@pytest.mark.parametrize(
    ('kind', 'wire', 'negotiated', 'family'),
    [
        (MPReach, '', PLAIN, None),
        (MPReach, '0002', PLAIN, None),
        (MPUnreach, '00', PLAIN, None),
        (MPReach, '000201', PLAIN, IPV6_UNICAST),  # no next-hop length
        (MPReach, '00020110', PLAIN, IPV6_UNICAST),
        (MPReach, '0002011000', PLAIN, IPV6_UNICAST),  # the next hop overruns the attribute
        (MPReach, '00020104010203040020', PLAIN, IPV6_UNICAST),  # IPv4 next hop not negotiated for IPv6
        (MPReach, '00010110' + '00' * 16 + '0000', PLAIN, IPV4_UNICAST),  # RFC 8950 not negotiated
        (MPReach, '0002010c' + '00' * 12 + '0000', EXTENDED, IPV6_UNICAST),
        (MPReach, '00020110' + '00' * 16 + '00' + '81', PLAIN, IPV6_UNICAST),  # /129
        (MPReach, '000101040a000001' + '00' + '18' + '0a00', PLAIN, IPV4_UNICAST),  # truncated prefix
        (MPUnreach, '000201' + '40', PLAIN, IPV6_UNICAST),
        (MPUnreach, '000101' + '000000', ADDPATH, IPV4_UNICAST),
        (MPReach, '00010204' + '0a000001' + '00' + '00', Negotiated(), IPV4_MULTICAST),  # not negotiated
        (MPUnreach, '000202', Negotiated(), IPV6_MULTICAST),
        (MPUnreach, '4242ff', PLAIN, Family(0x4242, 0xFF)),  # an AFI/SAFI nobody knows is not negotiated
    ],
)
def test_unparsable(kind, wire, negotiated, family):
    with pytest.raises(Unparsable) as caught:
        kind.unpack(bytes.fromhex(wire), negotiated)
    assert caught.value.family == family
    assert caught.value.subcode == OPTIONAL_ATTRIBUTE_ERROR
    assert isinstance(caught.value, Malformed)


def nlris(family):
    size = 4 if family.afi == AFI.IPV4 else 16
    return st.builds(
        lambda raw, length, path_id: INET(family, prefix.pack(raw, length), path_id),
        st.binary(min_size=size, max_size=size),
        st.integers(0, size * 8),
        st.integers(0, 0xFFFFFFFF),
    )


def nexthops(family):
    if family.afi == AFI.IPV4:
        return st.builds(IPv4Address, st.binary(min_size=4, max_size=4)), st.none()
    return st.builds(IPv6Address, st.binary(min_size=16, max_size=16)), st.none() | st.builds(
        IPv6Address, st.binary(min_size=16, max_size=16)
    )


@pytest.mark.parametrize('family', ALL)
@given(data=st.data())
def test_round_trip(family, data):
    nexthop, link_local = nexthops(family)
    reach = MPReach(
        family, data.draw(nexthop), tuple(data.draw(st.lists(nlris(family), max_size=30))), data.draw(link_local)
    )
    assert MPReach.unpack(reach.pack_value(ADDPATH), ADDPATH) == reach
    unreach = MPUnreach(family, reach.nlris)
    assert MPUnreach.unpack(unreach.pack_value(ADDPATH), ADDPATH) == unreach


@pytest.mark.parametrize('negotiated', [PLAIN, ADDPATH, EXTENDED])
@given(value=st.binary(max_size=80))
def test_fuzz_only_malformed_escapes(negotiated, value):
    for kind in (MPReach, MPUnreach):
        try:
            decoded = kind.unpack(value, negotiated)
        except Unparsable:
            continue
        assert kind.unpack(decoded.pack_value(negotiated), negotiated) == decoded


@given(
    tail=st.binary(max_size=40),
    afi=st.sampled_from([1, 2]),
    safi=st.sampled_from([1, 2]),
    size=st.sampled_from([4, 16, 32]),
)
def test_fuzz_plausible_headers(tail, afi, safi, size):
    value = afi.to_bytes(2, 'big') + bytes((safi, size)) + bytes(size) + tail
    for negotiated in (PLAIN, ADDPATH, EXTENDED):
        try:
            decoded = MPReach.unpack(value, negotiated)
        except Unparsable:
            continue
        assert MPReach.unpack(decoded.pack_value(negotiated), negotiated) == decoded


def test_an_ipv6_route_with_a_4_octet_next_hop_is_read_as_5_0_sends_it() -> None:
    from ipaddress import IPv4Address as _IPv4

    from exabgp.bgp.attribute.mp import MPReach as _MPReach
    from exabgp.bgp.family import IPV6_UNICAST as _V6
    from exabgp.bgp.negotiated import Negotiated as _N

    # AFI 2, SAFI 1, next hop length 4 (1.1.1.1), reserved, 2001:db8::/32
    value = bytes.fromhex('000201' + '04' + '01010101' + '00' + '2020010db8')
    reach = _MPReach.unpack(value, _N(families=(_V6,)))
    assert reach.nexthop == _IPv4('1.1.1.1')
    assert [str(nlri) for nlri in reach.nlris] == ['2001:db8::/32']
