"""BGP-LS (RFC 9552, RFC 9514): NLRI and the BGP-LS attribute decoded to 5.0.15's JSON, packed back to
the received octets, the malformed NLRI 5.0 refuses refused, an odd attribute TLV kept as hex where
5.0 discards the attribute, the next hops we take, upstream 6.0's JSON (`exabgp.api.version` 4 or 6)
beside 5.0's, and fuzzing of both decoders.

Whole UPDATEs built from the RFCs' layouts and checked against 5.0.15 are qa/decoding/qa-bgpls-*."""

import json
import struct
from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exabgp.api.json_update import message_json
from exabgp.bgp.attribute import linkstate
from exabgp.bgp.attribute.linkstate import LinkState
from exabgp.bgp.attribute.mp import MPReach, Unparsable
from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.bgpls import BGPLS
from exabgp.bgp.nlri.table import codec

BGP_LS = Family(AFI.BGP_LS, SAFI.BGP_LS)
BGP_LS_VPN = Family(AFI.BGP_LS, SAFI.BGP_LS_VPN)
NEGOTIATED = Negotiated(local_as=65533, peer_as=65533, asn4=True, families=frozenset((BGP_LS, BGP_LS_VPN)))


def tlv(kind: int, value: bytes) -> bytes:
    return struct.pack('!HH', kind, len(value)) + value


def nlri(code: int, body: bytes) -> bytes:
    return struct.pack('!HH', code, len(body)) + body


ISIS_NODE = tlv(256, tlv(512, struct.pack('!I', 65001)) + tlv(513, bytes(4)) + tlv(515, bytes.fromhex('192168001001')))
NODE = nlri(1, b'\x02' + struct.pack('!Q', 7) + ISIS_NODE)
RD = struct.pack('!HHI', 0, 65000, 1)


def test_node_json_names_the_next_hop_and_packs_back() -> None:
    (route,) = BGPLS.unpack_all(BGP_LS, NODE, False)
    assert codec(BGP_LS) is BGPLS and codec(BGP_LS_VPN) is BGPLS
    assert route.pack(False) == NODE
    assert route.json_at('10.0.0.1') == (
        '{ "ls-nlri-type": "bgpls-node", "l3-routing-topology": 7, "protocol-id": 2, "node-descriptors": [ '
        '{ "autonomous-system": 65001 }, { "bgp-ls-identifier": "0" }, { "router-id": "192168001001" } ], '
        '"nexthop": "10.0.0.1" }'
    )
    # withdrawn, 5.0 has no next hop for it and writes Python's None
    assert '"nexthop": "None"' in route.json()


def test_vpn_nlri_writes_its_rd_after_the_next_hop_but_not_for_srv6_sids() -> None:
    body = b'\x02' + bytes(8) + ISIS_NODE
    srv6 = nlri(6, RD + body + tlv(518, IPv6Address('fc30::1').packed))
    node, sid = BGPLS.unpack_all(BGP_LS_VPN, nlri(1, RD + body) + srv6, False)
    assert node.json_at('10.0.0.1').endswith('"nexthop": "10.0.0.1", "rd": "65000:1" }')
    assert sid.json().endswith('"srv6-sid-descriptors": {"multi-topology-ids": [], "srv6-sid": "fc30::1"} }')
    assert str(sid) == 'bgp-ls:srv6_sid:0x' + (body + tlv(518, IPv6Address('fc30::1').packed)).hex()


def test_unknown_nlri_type_is_kept_whole() -> None:
    (route,) = BGPLS.unpack_all(BGP_LS, b'\x00\x00\x00\x09' + nlri(5, b'\x01\x02'), True)
    assert route.path_id == 9
    assert route.json() == '{ "code": 5, "parsed": false, "raw": "000500020102" }'
    assert route.pack(True) == b'\x00\x00\x00\x09' + nlri(5, b'\x01\x02')
    assert str(route) == 'bgp-ls:unknown:0x0102'


@pytest.mark.parametrize(
    ('data', 'reason'),
    [
        (nlri(1, b'\x02' + bytes(8)), 'without a Local Node Descriptors'),
        (nlri(1, b'\x02' + bytes(8) + tlv(257, b'')), 'not the Local Node Descriptors'),
        (nlri(1, b'\x02' + bytes(4)), 'need at least 9'),
        (nlri(1, b'\x02' + bytes(8) + b'\x01\x00\x00\x09'), 'claims 9 octets'),
        (nlri(1, b'\x02' + bytes(8) + tlv(256, tlv(513, bytes(4)) + tlv(512, bytes(4)))), 'ascending'),
        (nlri(1, b'\x02' + bytes(8) + tlv(256, tlv(512, bytes(4)) + tlv(512, bytes(4)))), 'ascending'),
        (nlri(1, b'\x02' + bytes(8) + tlv(256, tlv(512, bytes(3)))), 'expecting 4'),
        (nlri(1, b'\x02' + bytes(8) + tlv(256, tlv(515, bytes(5)))), 'IS-IS router-id'),
        (nlri(1, b'\x03' + bytes(8) + tlv(256, tlv(515, bytes(6)))), 'router-id sub-TLV of 6'),
        (nlri(3, b'\x02' + bytes(8) + ISIS_NODE), 'without an IP Reachability'),
        (nlri(3, b'\x03' + bytes(8) + tlv(265, b'\x21' + bytes(5))), 'over 32'),
        (nlri(3, b'\x03' + bytes(8) + tlv(265, b'\x08' + bytes(2))), 'at most 1'),
        (nlri(3, b'\x03' + bytes(8) + tlv(264, b'') + tlv(265, b'\x00')), 'OSPF route type'),
        (nlri(2, b'\x03' + bytes(8) + tlv(258, bytes(7))), 'link identifiers'),
        (nlri(2, b'\x03' + bytes(8) + tlv(259, bytes(5))), 'interface address'),
        (nlri(2, b'\x03' + bytes(8) + tlv(263, bytes(1))), 'multi-topology'),
        (nlri(6, b'\x02' + bytes(8) + ISIS_NODE + tlv(518, bytes(15))), 'SRv6 SID information'),
        (NODE[:-1], 'truncated'),
        (b'\x00\x01\x00', 'type and length'),
    ],
)
def test_malformed_nlri_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(Malformed, match=reason):
        BGPLS.unpack_all(BGP_LS, data, False)


def test_vpn_nlri_needs_room_for_its_rd() -> None:
    with pytest.raises(Malformed, match='route distinguisher'):
        BGPLS.unpack_all(BGP_LS_VPN, nlri(1, bytes(5)), False)


@pytest.mark.parametrize(
    ('family', 'hop', 'expected'),
    [
        (BGP_LS, IPv4Address('10.0.0.1').packed, IPv4Address('10.0.0.1')),
        (BGP_LS, IPv6Address('2001:db8::1').packed, IPv6Address('2001:db8::1')),
        (BGP_LS_VPN, bytes(8) + IPv4Address('10.0.0.1').packed, IPv4Address('10.0.0.1')),
        (BGP_LS_VPN, bytes(8) + IPv6Address('2001:db8::1').packed, IPv6Address('2001:db8::1')),
    ],
)
def test_next_hops_of_either_afi(family: Family, hop: bytes, expected: object) -> None:
    body = NODE if family == BGP_LS else nlri(1, RD + NODE[4:])
    value = struct.pack('!HBB', family.afi, family.safi, len(hop)) + hop + b'\x00' + body
    reach = MPReach.unpack(value, NEGOTIATED)
    assert reach.nexthop == expected
    assert reach.pack_value(NEGOTIATED) == value


def test_a_next_hop_of_another_length_is_unusable() -> None:
    value = struct.pack('!HBB', AFI.BGP_LS, SAFI.BGP_LS, 5) + bytes(5) + b'\x00' + NODE
    with pytest.raises(Unparsable, match='next-hop length 5'):
        MPReach.unpack(value, NEGOTIATED)


# ---------------------------------------------------------------- the attribute


def attribute(*tlvs: bytes) -> dict:
    return json.loads(LinkState.unpack(b''.join(tlvs), NEGOTIATED).json())


def test_attribute_json_is_5_0s_with_its_duplicates() -> None:
    value = (
        tlv(1026, b'r1')
        + tlv(1028, IPv4Address('10.0.0.1').packed)
        + tlv(1095, b'\x00\x0a')
        + tlv(1029, IPv6Address('2001:db8::1').packed)
        + tlv(3000, b'\x01')
        + tlv(1034, b'\x80\x00' + b'\x00\x1f\x40' + tlv(1161, b'\x00\x3e\x80'))
        + tlv(1158, b'\x40\x00\x00\x00' + struct.pack('!I', 100))
        + tlv(3000, b'')
    )
    shown = LinkState.unpack(value, NEGOTIATED)
    assert shown.pack_value(NEGOTIATED) == value
    # what 5.0.15 writes for these TLVs, "sids" twice included
    assert shown.json() == (
        '{ "node-name": "r1", "local-te-router-ids": ["10.0.0.1", "2001:db8::1"], "igp-metric": 10, '
        '"generic-lsid-3000": ["0x01", "0x"], "sr-capability-flags": {"I": 1, "V": 0, "RSV": 0}, '
        '"sids": [[8000, 16000]], "sr-prefix-flags": {"R": 0, "N": 1, "P": 0, "E": 0, "V": 0, "L": 0, "RSV": 0}, '
        '"sids": [100], "undecoded-sids": [], "sr-algorithm": 0 }'
    )


@pytest.mark.parametrize(
    'odd',
    [
        tlv(1024, b'\x01\x02'),
        tlv(1095, bytes(4)),
        tlv(1089, b'\x00'),
        tlv(1106, bytes(10)),
        tlv(1106, bytes(22) + b'\x00\x01\x00\x09'),  # a sub-TLV overrunning the End.X TLV
        tlv(1034, b'\x80\x00' + b'\x00\x1f\x40' + tlv(1162, b'\x00\x3e\x80')),
        tlv(1158, b'\x00\x00\x00\x00\x01\x02\x03'),
        tlv(1171, bytes(5)),
    ],
)
def test_an_odd_tlv_is_kept_as_hex_where_5_0_discards_the_attribute(odd: bytes) -> None:
    kind = int.from_bytes(odd[:2], 'big')
    assert attribute(tlv(1026, b'r1'), odd) == {
        'node-name': 'r1',
        f'generic-lsid-{kind}': ['0x' + odd[4:].hex().upper()],
    }


@pytest.mark.parametrize('value', [b'\x04\x02\x00', tlv(1026, b'r1') + b'\x04\x02\x00\x09r1'])
def test_attribute_framing_errors_are_malformed(value: bytes) -> None:
    with pytest.raises(Malformed):
        LinkState.unpack(value, NEGOTIATED)


def test_srv6_end_x_subtlvs() -> None:
    structure = tlv(1252, bytes((32, 16, 16, 64)))
    endx = struct.pack('!H', 57) + b'\x80\x00\x00\x00' + IPv6Address('fc30::2').packed + structure + tlv(9, b'\x01')
    lan = struct.pack('!H', 59) + b'\x20\x00\x01\x00' + bytes((1, 2, 3, 4)) + IPv6Address('fc30::5').packed
    shown = attribute(tlv(1106, endx), tlv(1108, lan + tlv(77, b'\xaa')), tlv(1106, endx))
    first = {
        'flags': {'B': 1, 'S': 0, 'P': 0, 'RSV': 0},
        'behavior': 57,
        'algorithm': 0,
        'weight': 0,
        'sid': 'fc30::2',
        'srv6-sid-structure': {'loc_block_len': 32, 'loc_node_len': 16, 'func_len': 16, 'arg_len': 64},
        'subtlv-not-implemented-9': '0x01',
    }
    assert shown['srv6-endx'] == [first, first]
    assert shown['srv6-lan-endx-ospf'] == [
        {
            'flags': {'B': 0, 'S': 0, 'P': 1, 'RSV': 0},
            'neighbor-id': '1.2.3.4',
            'behavior': 59,
            'algorithm': 0,
            'weight': 1,
            'sid': 'fc30::5',
            '77-undecoded': '0xAA',
        }
    ]


# ---------------------------------------------------------------- upstream 6.0's JSON (exabgp.api.version 4 or 6)


def six(*tlvs: bytes) -> str:
    return LinkState.unpack(b''.join(tlvs), NEGOTIATED).json_six()


class _Members(list):
    pass


def _plain(value: object) -> object:
    if isinstance(value, _Members):
        return {name: _plain(inner) for name, inner in value}
    if isinstance(value, list):
        return [_plain(inner) for inner in value]
    return value


def pairs(text: str) -> list[tuple[str, object]]:
    """The members of a JSON object in order, duplicates kept (nested objects as dicts)."""
    return [(name, _plain(value)) for name, value in json.loads(text, object_pairs_hook=_Members)]


ADJ_LABEL = tlv(1099, b'\x30\x00\x00\x00' + (299792).to_bytes(3, 'big'))
ADJ_BACKUP = tlv(1099, b'\x70\x05\x00\x00' + (299776).to_bytes(3, 'big'))
ADJ = {'flags': {'F': 0, 'B': 0, 'V': 1, 'L': 1, 'S': 0, 'P': 0, 'RSV': 0}, 'sids': [299792], 'weight': 0}


def test_six_lists_the_adjacency_sids_where_5_0_repeats_sr_adj() -> None:
    value = (ADJ_LABEL, tlv(1095, b'\x0a'), ADJ_BACKUP)
    backup = {'flags': {'F': 0, 'B': 1, 'V': 1, 'L': 1, 'S': 0, 'P': 0, 'RSV': 0}, 'sids': [299776], 'weight': 5}
    assert pairs(six(*value)) == [
        ('sr-adjs', [ADJ | {'undecoded-sids': []}, backup | {'undecoded-sids': []}]),
        ('igp-metric', 10),
    ]
    # 5.0: one "sr-adj" member per TLV, in wire order
    shown = pairs(LinkState.unpack(b''.join(value), NEGOTIATED).json())
    assert [name for name, _ in shown] == ['sr-adj', 'igp-metric', 'sr-adj']


def test_six_lists_router_ids_and_area_ids() -> None:
    value = (
        tlv(1027, bytes.fromhex('490001')),
        tlv(1028, IPv4Address('10.0.0.1').packed),
        tlv(1030, IPv4Address('10.0.0.2').packed),
        tlv(1029, IPv6Address('fc00::1').packed),
        tlv(1031, IPv6Address('fc00::2').packed),
        tlv(1027, b'\x02'),
    )
    assert six(*value) == (
        '{ "area-ids": ["4784129", "2"], "local-router-ids": ["10.0.0.1", "fc00::1"], '
        '"remote-router-ids": ["10.0.0.2", "fc00::2"] }'
    )
    # 5.0's names: area-id and remote-te-router-id repeated, the local ones collected
    assert [name for name, _ in pairs(LinkState.unpack(b''.join(value), NEGOTIATED).json())] == [
        'area-id',
        'local-te-router-ids',
        'remote-te-router-id',
        'remote-te-router-id',
        'area-id',
    ]


def test_six_decodes_the_rfc_8571_performance_metrics() -> None:
    assert pairs(
        six(
            tlv(1114, b'\x80' + (10).to_bytes(3, 'big')),
            tlv(1115, b'\x00' + (5).to_bytes(3, 'big') + b'\x00' + (20).to_bytes(3, 'big')),
            tlv(1116, b'\xff' + (3).to_bytes(3, 'big')),  # no anomalous flag: the first octet is reserved
            tlv(1117, b'\x80' + (1000).to_bytes(3, 'big')),
            tlv(1118, struct.pack('!f', 1e6)),
            tlv(1119, struct.pack('!f', 2.5)),
            tlv(1120, struct.pack('!f', 0.0)),
        )
    ) == [
        ('unidirectional-link-delay', {'delay-us': 10, 'anomalous': True}),
        ('minmax-unidirectional-link-delay', {'min-delay-us': 5, 'max-delay-us': 20, 'anomalous': False}),
        ('unidirectional-delay-variation', 3),
        ('unidirectional-link-loss', {'loss-percent': 1000 * 0.000003, 'anomalous': True}),
        ('unidirectional-residual-bandwidth', 1e6),
        ('unidirectional-available-bandwidth', 2.5),
        ('unidirectional-utilized-bandwidth', 0.0),
    ]
    # 5.0 does not know them
    assert attribute(tlv(1114, bytes(4))) == {'generic-lsid-1114': ['0x00000000']}


@pytest.mark.parametrize('odd', [tlv(1114, bytes(3)), tlv(1115, bytes(4)), tlv(1118, bytes(5)), tlv(1027, b'')])
def test_six_writes_an_odd_tlv_as_hex_too(odd: bytes) -> None:
    kind = int.from_bytes(odd[:2], 'big')
    assert pairs(six(odd, tlv(1026, b'r1'))) == [
        (f'generic-lsid-{kind}', ['0x' + odd[4:].hex().upper()]),
        ('node-name', 'r1'),
    ]


def test_six_groups_members_by_tlv_type_and_writes_unknown_tlvs_one_by_one() -> None:
    value = (tlv(3000, b'\x01'), tlv(1095, b'\x01'), tlv(1026, b'r1'), tlv(3000, b''), tlv(1095, b'\x02'))
    assert six(*value) == (
        '{ "generic-lsid-3000": ["0x01"], "generic-lsid-3000": ["0x"], "igp-metric": 1, "igp-metric": 2, '
        '"node-name": "r1" }'
    )
    # 5.0: wire order, unknown TLVs of a type collected at the first
    assert LinkState.unpack(b''.join(value), NEGOTIATED).json() == (
        '{ "generic-lsid-3000": ["0x01", "0x"], "igp-metric": 1, "node-name": "r1", "igp-metric": 2 }'
    )


def test_six_keeps_5_0s_json_for_the_other_tlvs() -> None:
    value = (
        tlv(1034, b'\x80\x00' + b'\x00\x1f\x40' + tlv(1161, b'\x00\x3e\x80')),
        tlv(1106, struct.pack('!H', 57) + b'\x80\x00\x00\x00' + IPv6Address('fc30::2').packed),
        tlv(1089, struct.pack('!f', 1.0)),
    )
    shown = LinkState.unpack(b''.join(value), NEGOTIATED)
    assert shown.json_six() == shown.json()


def _prefix_update(code: int, reach: bytes, attribute: bytes) -> Update:
    """An UPDATE body announcing one BGP-LS prefix NLRI through 10.0.0.1 with a BGP-LS attribute."""
    route = nlri(code, b'\x02' + bytes(8) + ISIS_NODE + tlv(265, reach))
    reach_value = b'\x40\x04\x47\x04' + IPv4Address('10.0.0.1').packed + b'\x00' + route
    attributes = b'\x40\x01\x01\x00\x40\x02\x00' + b'\x90\x0e' + struct.pack('!H', len(reach_value)) + reach_value
    attributes += b'\x80\x1d' + bytes([len(attribute)]) + attribute
    return Update.unpack(b'\x00\x00' + struct.pack('!H', len(attributes)) + attributes, NEGOTIATED)


@pytest.mark.parametrize(
    ('code', 'reach', 'address'),
    [(3, b'\x1e\x0a\x86\x02\x58', '10.134.2.88'), (4, b'\x40\x20\x01\x0d\xb8\x00\x00\x00\x01', '2001:db8:0:1::')],
)
def test_api_json_of_a_bgp_ls_update_in_each_mode(code: int, reach: bytes, address: str) -> None:
    update = _prefix_update(code, reach, ADJ_LABEL + ADJ_LABEL)
    length = reach[0]
    five = json.loads(message_json(update))['update']
    sixth = json.loads(message_json(update, six=True))['update']
    (five_route,) = five['announce']['bgp-ls bgp-ls']['10.0.0.1']
    (six_route,) = sixth['announce']['bgp-ls bgp-ls']['10.0.0.1']
    assert five_route['ip-reachability-tlv'] == address
    assert six_route['ip-reachability-tlv'] == six_route['ip-reach-prefix'] == f'{address}/{length}'
    assert six_route == five_route | {'ip-reachability-tlv': f'{address}/{length}'}
    assert sixth['attribute']['bgp-ls'] == {'sr-adjs': [ADJ | {'undecoded-sids': []}] * 2}
    assert five['attribute']['bgp-ls'] == {'sr-adj': ADJ | {'undecoded-sids': []}}
    # the withdrawal too
    (withdrawn,) = BGPLS.unpack_all(BGP_LS, update.announced[0].nlri.pack(False), False)
    assert withdrawn.six(withdrawn.json()).count(f'"{address}/{length}"') == 2


def test_six_leaves_node_and_link_nlri_alone() -> None:
    (node,) = BGPLS.unpack_all(BGP_LS, NODE, False)
    assert node.six(node.json()) == node.json()


# ---------------------------------------------------------------- fuzzing: Malformed or a value, nothing else


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.booleans(), st.sampled_from((BGP_LS, BGP_LS_VPN)))
def test_nlri_fuzz(data: bytes, addpath: bool, family: Family) -> None:
    try:
        found = BGPLS.unpack_all(family, data, addpath)
    except Malformed:
        return
    assert b''.join(route.pack(addpath) for route in found) == data
    for route in found:
        json.loads(route.json_at('10.0.0.1'))
        str(route)


_TLV = st.builds(
    lambda kind, value: tlv(kind, value),
    st.sampled_from((*range(1024, 1040), *range(1088, 1121), *range(1152, 1172), 1162, 1250, 1252, 5000)),
    st.binary(max_size=40),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TLV, max_size=6), st.binary(max_size=3))
def test_attribute_fuzz(tlvs: list[bytes], tail: bytes) -> None:
    value = b''.join(tlvs) + tail
    try:
        shown = LinkState.unpack(value, NEGOTIATED)
    except Malformed:
        assert tail
        return
    # 5.0 writes NaN and Infinity for such floats, which Python's json reads back
    assert isinstance(json.loads('{' + shown.json_item() + '}'), dict)
    assert isinstance(json.loads(shown.json_six()), dict)


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from(sorted(linkstate._SINGLE) + sorted(linkstate._COLLECTED) + [1, 4096]), max_size=6),
    st.binary(max_size=40),
)
def test_remembered_tlvs_render_as_fresh_ones(kinds: list[int], value: bytes) -> None:
    """The attribute's TLVs rendered from the memo equal those rendered with an empty one, however
    the TLVs are mixed (odd values, repeats, collected ones beside single ones)."""
    data = b''.join(tlv(kind, value[: kind % 41]) for kind in kinds)
    linkstate._memo.clear()
    fresh = linkstate.render(data)
    assert linkstate.render(data) == fresh
    assert linkstate.render(data + data) == linkstate.render(data + data) != ''
    linkstate._memo.clear()
    assert linkstate.render(data + data).startswith('{ ')


def test_the_tlv_memo_is_bounded() -> None:
    linkstate._memo.clear()
    for number in range(linkstate._MEMO_ENTRIES + 10):
        linkstate.render(tlv(1092, number.to_bytes(4, 'big')))
    assert 0 < len(linkstate._memo) <= linkstate._MEMO_ENTRIES
    assert linkstate.render(tlv(1092, (7).to_bytes(4, 'big'))) == '{ "te-metric": 7 }'
    # a long TLV is rendered but not remembered
    linkstate.render(tlv(1026, b'n' * (linkstate._MEMO_OCTETS + 1)))
    assert all(len(raw) <= linkstate._MEMO_OCTETS for raw in linkstate._memo)


def test_node_descriptors_remembered_by_protocol_too() -> None:
    """The same router-id octets are an IS-IS system id under one protocol and an OSPF router id
    (with a designated router) under another: the memo keeps them apart."""
    from exabgp.bgp.nlri import bgpls

    value = tlv(515, bytes(range(1, 9)))
    with pytest.raises(Malformed):
        bgpls.node_descriptors(value, 2)  # 8 octets: no IS-IS router id
    ospf = bgpls.node_descriptors(value, 3)
    assert ospf == '{ "router-id": "1.2.3.4", "designated-router-id": "5.6.7.8" }'
    isis = tlv(515, bytes(range(1, 7)))
    assert bgpls.node_descriptors(isis, 2) == '{ "router-id": "010203040506" }'
    with pytest.raises(Malformed):
        bgpls.node_descriptors(isis, 3)
