"""FlowSpec NLRI (RFC 8955, RFC 8956): the wire form both ways, 5.0.15's JSON and text, and the
malformed NLRI RFC 8955 4.2 describes. Golden JSON produced by ExaBGP 5.0.15's `decode`."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri import flow_match
from exabgp.bgp.nlri.flow import Flow
from exabgp.bgp.nlri.flow_match import Operations, Prefix

FLOW4 = Family(AFI.IPV4, SAFI.FLOW_IP)
FLOW6 = Family(AFI.IPV6, SAFI.FLOW_IP)
VPN4 = Family(AFI.IPV4, SAFI.FLOW_VPN)


def _one(family: Family, components: str) -> Flow:
    body = bytes.fromhex(components)
    (flow,) = Flow.unpack_all(family, bytes((len(body),)) + body, False)
    return flow


# (family, components hex, 5.0.15's JSON of the NLRI)
GOLDEN = [
    (
        FLOW4,
        '090003C10A',
        {'tcp-flags': ['fin+syn&=syn+push'], 'string': 'flow tcp-flags [ fin+syn&=syn+push ]'},
    ),
    (
        FLOW4,
        '050150D101BB',
        {'destination-port': ['=80&=443'], 'string': 'flow destination-port [ =80&=443 ]'},
    ),
    (
        FLOW4,
        '01080A0381FE',
        {
            'destination-ipv4': ['10.0.0.0/8'],
            'protocol': ['=254'],
            'string': 'flow destination-ipv4 10.0.0.0/8 protocol =254',
        },
    ),
    (FLOW4, '038700', {'protocol': ['true'], 'string': 'flow protocol true'}),
    (
        FLOW4,
        '07810B0881FF',
        {
            'icmp-type': ['=time-exceeded'],
            'icmp-code': ['=255'],
            'string': 'flow icmp-type =time-exceeded icmp-code =255',
        },
    ),
    (
        FLOW4,
        '0C81F5',
        {'fragment': ['=dont-fragment+first-fragment'], 'string': 'flow fragment =dont-fragment+first-fragment'},
    ),
    (FLOW4, '0C8100', {'fragment': ['='], 'string': 'flow fragment ='}),
    (FLOW4, '0A9201F4', {'packet-length': ['>500'], 'string': 'flow packet-length >500'}),
    (FLOW4, '0B812E', {'dscp': ['=46'], 'string': 'flow dscp =46'}),
    (
        FLOW4,
        '01200A00000101080B',
        {
            'destination-ipv4': ['10.0.0.1/32', '11.0.0.0/8'],
            'string': 'flow destination-ipv4 [ 10.0.0.1/32 11.0.0.0/8 ]',
        },
    ),
    (
        FLOW6,
        '0140200DB80001' + '0D810A',
        {
            'destination-ipv6': ['0:0:db8:1::/64/32'],
            'flow-label': ['=10'],
            'string': 'flow destination-ipv6 0:0:db8:1::/64/32 flow-label =10',
        },
    ),
    (
        FLOW6,
        '0C810F',
        {
            'fragment': ['=is-fragment+first-fragment+last-fragment'],
            'string': 'flow fragment =is-fragment+first-fragment+last-fragment',
        },
    ),
    (FLOW6, '0B812E', {'traffic-class': ['=46'], 'string': 'flow traffic-class =46'}),
]


@pytest.mark.parametrize(('family', 'components', 'expected'), GOLDEN)
def test_golden_decode_and_encode(family: Family, components: str, expected: dict) -> None:
    flow = _one(family, components)
    assert json.loads(flow.json()) == expected
    assert str(flow) == expected['string']
    again = Flow.unpack_all(family, flow.pack(False), False)
    assert again == [flow]


def test_canonical_form_is_what_5_0_sends() -> None:
    # a two-octet value that fits one octet is re-packed in one, the first AND bit is dropped
    flow = _one(FLOW4, '03D10006')
    assert flow.packed == bytes.fromhex('038106')
    assert str(flow) == 'flow protocol =tcp'


def test_vpn_route_distinguisher_and_next_hop() -> None:
    flow = _one(VPN4, '000000010000000501080A0381FE')
    assert flow.rd == bytes.fromhex('0000000100000005')
    assert json.loads(flow.json_at('1.2.3.4')) == {
        'destination-ipv4': ['10.0.0.0/8'],
        'protocol': ['=254'],
        'rd': '1:5',
        'next-hop': '1.2.3.4',
        'string': 'flow destination-ipv4 10.0.0.0/8 protocol =254 rd 1:5 next-hop 1.2.3.4',
    }


def test_long_length_form() -> None:
    pairs = tuple((flow_match.EQ, port) for port in range(1000, 1100))
    flow = Flow.make(FLOW4, (Operations(flow_match.DESTINATION_PORT, AFI.IPV4, pairs),))
    packed = flow.pack(False)
    assert packed[0] >> 4 == 0xF
    assert int.from_bytes(packed[:2], 'big') & 0xFFF == len(packed) - 2
    assert Flow.unpack_all(FLOW4, packed + packed, False) == [flow, flow]


def test_addpath() -> None:
    flow = Flow.make(FLOW4, (Prefix(flow_match.SOURCE, AFI.IPV4, bytes.fromhex('200A000001')),), path_id=7)
    assert Flow.unpack_all(FLOW4, flow.pack(True), True) == [flow]


@pytest.mark.parametrize(
    ('family', 'field', 'reason'),
    [
        (FLOW4, '', 'no component'),
        (FLOW4, '038106038111', 'after type'),  # protocol twice
        (FLOW4, '058150038106', 'after type'),  # out of order
        (FLOW4, '0D8101', 'not defined'),  # flow label is IPv6 only
        (FLOW4, '030106', 'end-of-list'),
        (FLOW4, '03910600', 'too large'),  # protocol 1536
        (FLOW4, '0121', 'longer than'),
        (FLOW6, '012040', 'RFC 8956'),  # offset above length
        (FLOW4, '05', 'octets left'),
        (FLOW4, 'F0', 'inside a length'),
        (VPN4, '040381FF00', 'route distinguisher'),
    ],
)
def test_malformed(family: Family, field: str, reason: str) -> None:
    data = bytes.fromhex(field)
    if reason not in ('octets left', 'inside a length', 'route distinguisher'):
        data = bytes((len(data),)) + data
    with pytest.raises(Malformed, match=reason):
        Flow.unpack_all(family, data, False)


_NUMERIC = [code for code, kind in flow_match.TYPES[AFI.IPV6].items() if kind.kind != 'prefix']


@st.composite
def _components(draw: st.DrawFn, afi: int) -> tuple:
    kinds = flow_match.TYPES[afi]
    codes = draw(st.lists(st.sampled_from(sorted(kinds)), min_size=1, max_size=6, unique=True))
    found = []
    for code in codes:
        kind = kinds[code]
        if kind.kind == 'prefix':
            if afi == AFI.IPV4:
                length = draw(st.integers(0, 32))
                address = draw(st.binary(min_size=4, max_size=4))
                found.append(Prefix(code, afi, bytes((length,)) + address[: (length + 7) // 8]))
            else:
                length = draw(st.integers(1, 128))
                offset = draw(st.integers(0, length - 1))
                address = draw(st.binary(min_size=16, max_size=16))
                pattern = flow_match.ipv6_pattern(address, length, offset)
                found.append(Prefix(code, afi, bytes((length, offset)) + pattern))
            continue
        operators = 0x47 if kind.kind == 'numeric' else 0x43
        pairs = draw(
            st.lists(
                st.tuples(
                    st.integers(0, 0x7F).map(lambda bits, mask=operators: bits & mask), st.integers(0, kind.limit - 1)
                ),
                min_size=1,
                max_size=4,
            )
        )
        pairs[0] = (pairs[0][0] & ~flow_match.AND, pairs[0][1])
        pairs = [(operator, value & kind.defined) for operator, value in pairs]
        found.append(Operations(code, afi, tuple(pairs)))
    return tuple(found)


@given(
    st.sampled_from([FLOW4, FLOW6, VPN4]).flatmap(lambda family: st.tuples(st.just(family), _components(family.afi)))
)
def test_round_trip(drawn: tuple) -> None:
    family, components = drawn
    rd = b'\x00\x00\x00\x01\x00\x00\x00\x02' if family.safi == SAFI.FLOW_VPN else None
    flow = Flow.make(family, components, rd)
    (back,) = Flow.unpack_all(family, flow.pack(False), False)
    assert back == flow
    assert back.components == flow.components
    json.loads(back.json())


@given(st.binary(max_size=64), st.sampled_from([FLOW4, FLOW6, VPN4]), st.booleans())
def test_decoder_raises_only_malformed(data: bytes, family: Family, addpath: bool) -> None:
    try:
        for flow in Flow.unpack_all(family, data, addpath):
            json.loads(flow.json())
            str(flow)
    except Malformed:
        pass
