"""VPN NLRI (RFC 4364, RFC 4659) and route distinguishers: golden values from ExaBGP 5.0.15's wire
bytes, JSON and text, round trips, and fuzzing of the decoder."""

from ipaddress import ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri import prefix, rd
from exabgp.bgp.nlri.table import TABLE, codec
from exabgp.bgp.nlri.vpn import VPN
from exabgp.configuration.route.qualifiers import route_distinguisher_value

V4 = Family(AFI.IPV4, SAFI.MPLS_VPN)
V6 = Family(AFI.IPV6, SAFI.MPLS_VPN)


@pytest.mark.parametrize(
    ('written', 'wire', 'shown'),
    [
        ('65000:1', '0000fde800000001', '65000:1'),
        ('65000:4294967295', '0000fde8ffffffff', '65000:4294967295'),
        ('1.2.3.4:7', '0001010203040007', '1.2.3.4:7'),
        ('4200000000:7', '0002fa56ea000007', '4200000000:7'),
        ('0:0', '0000000000000000', '0:0'),
    ],
)
def test_route_distinguisher_types(written, wire, shown):
    assert route_distinguisher_value(written).hex() == wire
    assert rd.text(bytes.fromhex(wire)) == shown
    assert rd.json(bytes.fromhex(wire)) == f'"rd": "{shown}"'


def test_an_unknown_route_distinguisher_type_is_shown_in_hex():
    assert rd.text(bytes.fromhex('0003010203040506')) == '0x0003010203040506'
    assert rd.text(bytes.fromhex('ffffabcdef000001')) == '0xFFFFABCDEF000001'


# (family, rd, address, length, labels, path id, wire without path id, json, text)
GOLDEN = [
    (
        V4,
        '65000:1',
        '10.0.0.0',
        25,
        (1000,),
        None,
        '71003e810000fde8000000010a000000',  # conf-vpn.msg, 5.0.15's bytes
        '{ "nlri": "10.0.0.0/25", "label": [ [1000] ], "rd": "65000:1" }',
        '10.0.0.0/25 label 1000 rd 65000:1',
    ),
    (
        V4,
        '1.2.3.4:7',
        '10.0.1.0',
        24,
        (100, 200),
        9,
        '88000640000c8100010102030400070a0001',
        '{ "nlri": "10.0.1.0/24", "path-information": "0.0.0.9", "label": [ [100], [200] ], "rd": "1.2.3.4:7" }',
        '10.0.1.0/24 path-information 0.0.0.9 label [ 100 200 ] rd 1.2.3.4:7',
    ),
    (
        V4,
        '0:0',
        '0.0.0.0',
        0,
        (0,),
        None,
        '580000010000000000000000',
        '{ "nlri": "0.0.0.0/0", "label": [ [0] ], "rd": "0:0" }',
        '0.0.0.0/0 label 0 rd 0:0',
    ),
    (
        V6,
        '4200000000:7',
        '2001:db8::',
        48,
        (5,),
        None,
        '880000510002fa56ea00000720010db80000',
        '{ "nlri": "2001:db8::/48", "label": [ [5] ], "rd": "4200000000:7" }',
        '2001:db8::/48 label 5 rd 4200000000:7',
    ),
]


def _address(family, text):
    return ip_address(text).packed


@pytest.mark.parametrize(
    ('family', 'written', 'address', 'length', 'labels', 'path_id', 'wire', 'json', 'text'), GOLDEN
)
def test_golden_both_ways(family, written, address, length, labels, path_id, wire, json, text):
    nlri = VPN.make(family, route_distinguisher_value(written), _address(family, address), length, labels, path_id)
    assert nlri.pack(False).hex() == wire
    assert nlri.pack(True).hex() == (path_id or 0).to_bytes(4, 'big').hex() + wire
    assert nlri.json() == json
    assert str(nlri) == text
    assert nlri.extensive(' next-hop 1.2.3.4') == text.replace(' rd ', ' next-hop 1.2.3.4 rd ')
    assert nlri.prefix() == f'{address}/{length}'
    assert VPN.unpack_all(family, bytes.fromhex(wire), False) == [VPN(family, nlri.rd, nlri.packed, labels, None)]
    with_path = (path_id or 0).to_bytes(4, 'big') + bytes.fromhex(wire)
    assert VPN.unpack_all(family, with_path, True) == [VPN(family, nlri.rd, nlri.packed, labels, path_id or 0)]


def test_index_leaves_the_labels_out_and_keeps_the_route_distinguisher():
    one = VPN.make(V4, route_distinguisher_value('1:1'), bytes(4), 8, (5,))
    relabeled = VPN.make(V4, route_distinguisher_value('1:1'), bytes(4), 8, (6,))
    other_rd = VPN.make(V4, route_distinguisher_value('1:2'), bytes(4), 8, (5,))
    assert one != relabeled and one.index() == relabeled.index()
    assert one.index() != other_rd.index()
    assert one.details() == {'label': [[5]], 'rd': '1:1'}


def test_order_is_path_then_length_then_rd_then_address():
    def make(written, address, length, path_id=None):
        return VPN.make(V4, route_distinguisher_value(written), bytes(address), length, (1,), path_id)

    routes = [make('2:1', (10, 0, 0, 0), 24), make('1:1', (10, 0, 0, 0), 24), make('9:9', (9, 0, 0, 0), 8)]
    routes.append(make('1:1', (10, 0, 0, 0), 24, 1))
    ordered = sorted(routes, key=VPN.order)
    assert [str(nlri) for nlri in ordered] == [
        '10.0.0.0/24 path-information 0.0.0.1 label 1 rd 1:1',
        '9.0.0.0/8 label 1 rd 9:9',
        '10.0.0.0/24 label 1 rd 1:1',
        '10.0.0.0/24 label 1 rd 2:1',
    ]


def test_the_table_gives_both_vpn_families_the_codec():
    assert codec(V4) is VPN and codec(V6) is VPN
    assert TABLE[V4].requires == ('label',) and 'rd' in TABLE[V4].selected_by


@pytest.mark.parametrize(
    ('family', 'wire', 'addpath'),
    [
        (V4, '57', False),  # 87 bits: no room for a label and an rd
        (V4, '70003e81', False),  # ends inside the route distinguisher
        (V4, '71003e810000fde8000000010a00', False),  # ends inside the prefix
        (V4, '79003e810000fde8000000010a000000', False),  # /33
        (V6, '70003e810000fde8', False),
        (V4, '00000001', True),  # a path identifier and nothing else
    ],
)
def test_malformed_fields(family, wire, addpath):
    with pytest.raises(Malformed):
        VPN.unpack_all(family, bytes.fromhex(wire), addpath)


def test_a_route_longer_than_the_length_field_is_refused():
    with pytest.raises(ValueError, match='does not fit'):
        VPN.make(V6, bytes(8), bytes(16), 120, (1, 2, 3))
    assert len(VPN.make(V6, bytes(8), bytes(16), 128, (1, 2)).pack(False)) == 1 + 6 + 8 + 16


def test_a_withdrawal_compatibility_label_ends_the_stack():
    # RFC 8277 2.4: 0x800000 in place of the label stack, then the rd and the prefix
    found = VPN.unpack_all(V4, bytes.fromhex('70800000' + '0000fde800000001' + '0a0000'), False)
    assert [str(nlri) for nlri in found] == ['10.0.0.0/24 label 524288 rd 65000:1']


def vpns(family):
    bits = 32 if family.afi == AFI.IPV4 else 128
    size = bits // 8
    # a label of 0 or 0x80000 (raw 0x000000, 0x800000) that is not the last ends the stack on
    # receipt (RFC 3107 3's compatibility values), so it does not come back
    stacks = st.lists(st.integers(1, 0xFFFFF).filter(lambda label: label != 0x80000), max_size=2).flatmap(
        lambda head: st.integers(0, 0xFFFFF).map(lambda last: (*head, last))
    )
    return stacks.flatmap(
        lambda labels: st.builds(
            lambda distinguisher, raw, length, path_id: VPN.make(family, distinguisher, raw, length, labels, path_id),
            st.binary(min_size=8, max_size=8),
            st.binary(min_size=size, max_size=size),
            st.integers(0, min(bits, 255 - 64 - 24 * len(labels))),
            st.none() | st.integers(0, 0xFFFFFFFF),
        )
    )


@pytest.mark.parametrize('family', [V4, V6])
@given(data=st.data())
def test_round_trip(family, data):
    found = data.draw(st.lists(vpns(family), max_size=10))
    plain = b''.join(nlri.pack(False) for nlri in found)
    assert VPN.unpack_all(family, plain, False) == [
        VPN(family, nlri.rd, nlri.packed, nlri.labels, None) for nlri in found
    ]
    with_path = b''.join(nlri.pack(True) for nlri in found)
    assert VPN.unpack_all(family, with_path, True) == [
        VPN(family, nlri.rd, nlri.packed, nlri.labels, nlri.path_id or 0) for nlri in found
    ]


@pytest.mark.parametrize('family', [V4, V6])
@pytest.mark.parametrize('addpath', [False, True])
@given(data=st.binary(max_size=80))
def test_fuzz_only_malformed_escapes(family, addpath, data):
    try:
        found = VPN.unpack_all(family, data, addpath)
    except Malformed:
        return
    for nlri in found:
        assert len(nlri.rd) == rd.SIZE and nlri.labels
        assert nlri.packed[0] <= (32 if family.afi == AFI.IPV4 else 128)
        assert len(nlri.packed) == 1 + prefix.octets(nlri.packed[0])
        nlri.json(), str(nlri)
