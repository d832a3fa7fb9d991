"""Labeled unicast NLRI (RFC 8277): golden vectors both ways, label stacks, path identifiers, the
withdrawal compatibility values, malformed fields (Malformed and nothing else) and round-trips.

Every JSON form below is what `exabgp decode -n -f "AFI nlri-mpls" HEX` (5.0.15, with -i for the
path identifiers) printed for the same bytes; the text forms are 5.0's `show adj-rib out` ones.
"""

from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri import labels
from exabgp.bgp.nlri.labeled import Labeled
from exabgp.bgp.nlri.table import codec

V4 = Family(AFI.IPV4, SAFI.NLRI_MPLS)
V6 = Family(AFI.IPV6, SAFI.NLRI_MPLS)

# (family, prefix, length, labels, path id, wire hex (the path id first when there is one), json, text)
GOLDEN = [
    (
        V4,
        '10.0.0.0',
        24,
        (100,),
        None,
        '300006410a0000',
        '{ "nlri": "10.0.0.0/24", "label": [ [100] ] }',
        '10.0.0.0/24 label 100',
    ),
    (
        V4,
        '10.0.1.0',
        24,
        (100, 200),
        None,
        '48000640000c810a0001',
        '{ "nlri": "10.0.1.0/24", "label": [ [100], [200] ] }',
        '10.0.1.0/24 label [ 100 200 ]',
    ),
    (
        V4,
        '10.0.1.0',
        24,
        (100, 200),
        5,
        '0000000548000640000c810a0001',
        '{ "nlri": "10.0.1.0/24", "path-information": "0.0.0.5", "label": [ [100], [200] ] }',
        '10.0.1.0/24 path-information 0.0.0.5 label [ 100 200 ]',
    ),
    (
        V4,
        '10.0.0.1',
        32,
        (1048575,),
        0x01020304,
        '0102030438fffff10a000001',
        '{ "nlri": "10.0.0.1/32", "path-information": "1.2.3.4", "label": [ [1048575] ] }',
        '10.0.0.1/32 path-information 1.2.3.4 label 1048575',
    ),
    (V4, '0.0.0.0', 0, (100,), None, '18000641', '{ "nlri": "0.0.0.0/0", "label": [ [100] ] }', '0.0.0.0/0 label 100'),
    (
        V4,
        '192.168.0.1',
        32,
        (0,),
        None,
        '38000001c0a80001',
        '{ "nlri": "192.168.0.1/32", "label": [ [0] ] }',
        '192.168.0.1/32 label 0',
    ),
    (
        V6,
        '2001:db8::1',
        128,
        (100,),
        None,
        '9800064120010db8000000000000000000000001',
        '{ "nlri": "2001:db8::1/128", "label": [ [100] ] }',
        '2001:db8::1/128 label 100',
    ),
    (V6, '::', 0, (100,), None, '18000641', '{ "nlri": "::/0", "label": [ [100] ] }', '::/0 label 100'),
    (
        V6,
        '2001:db8:1::',
        48,
        (301,),
        None,
        '480012d120010db80001',
        '{ "nlri": "2001:db8:1::/48", "label": [ [301] ] }',
        '2001:db8:1::/48 label 301',
    ),
]


def make(family, text, length, stack, path_id=None) -> Labeled:
    return Labeled.make(family, ip_address(text).packed, length, stack, path_id)


@pytest.mark.parametrize(('family', 'text', 'length', 'stack', 'path_id', 'wire', 'json', 'line'), GOLDEN)
def test_golden_both_ways(family, text, length, stack, path_id, wire, json, line) -> None:
    nlri = make(family, text, length, stack, path_id)
    addpath = path_id is not None
    assert nlri.pack(addpath).hex() == wire
    assert Labeled.unpack_all(family, bytes.fromhex(wire), addpath) == [nlri]
    assert nlri.json() == json
    assert str(nlri) == line
    assert nlri.prefix() == f'{text}/{length}'


def test_the_table_names_the_codec() -> None:
    assert codec(V4) is Labeled and codec(V6) is Labeled


def test_a_path_identifier_of_none_is_sent_as_zero() -> None:
    nlri = make(V4, '10.0.0.0', 24, (100,))
    assert nlri.pack(True).hex() == '00000000' + '300006410a0000'
    assert Labeled.unpack_all(V4, nlri.pack(True), True)[0].path_id == 0


def test_index_leaves_the_labels_out() -> None:
    first = make(V4, '10.0.0.0', 24, (100,))
    assert first.index() == make(V4, '10.0.0.0', 24, (200, 300)).index()
    assert first.index() != make(V4, '10.0.0.0', 24, (100,), 1).index()
    assert first.index() != make(V6, '::', 0, (100,)).index()
    assert first != make(V4, '10.0.0.0', 24, (200,))


def test_several_nlri_in_one_field_keep_their_order() -> None:
    data = bytes.fromhex('300006410a0000' + '300006510b0000')
    found = Labeled.unpack_all(V4, data, False)
    assert [str(nlri) for nlri in found] == ['10.0.0.0/24 label 100', '11.0.0.0/24 label 101']


def test_order_is_path_then_prefix_then_labels() -> None:
    unordered = [
        make(V4, '10.0.0.0', 24, (200,)),
        make(V4, '10.0.0.0', 24, (100,)),
        make(V4, '10.0.0.0', 24, (300,), 2),
        make(V4, '10.0.0.0', 8, (300,)),
    ]
    assert [str(nlri) for nlri in sorted(unordered, key=Labeled.order)] == [
        '10.0.0.0/24 path-information 0.0.0.2 label 300',
        '10.0.0.0/8 label 300',
        '10.0.0.0/24 label 100',
        '10.0.0.0/24 label 200',
    ]


# ---------------------------------------------------------------- where a stack ends on receipt


@pytest.mark.parametrize(
    ('family', 'wire', 'json'),
    [
        # withdrawal compatibility values (RFC 8277 2.4, RFC 3107 3): a stack of their own; 5.0.15
        # prints the same
        (V4, '308000000a0000', '{ "nlri": "10.0.0.0/24", "label": [ [524288] ] }'),
        (V4, '300000000a0000', '{ "nlri": "10.0.0.0/24", "label": [ [0] ] }'),
        (V4, '18000000', '{ "nlri": "0.0.0.0/0", "label": [ [0] ] }'),
        (V4, '18800000', '{ "nlri": "0.0.0.0/0", "label": [ [524288] ] }'),
        # one label without S (RFC 8277 2.2: S is ignored on receipt): the length says where the
        # prefix starts; 5.0.15 prints the same
        (V4, '300006400a0000', '{ "nlri": "10.0.0.0/24", "label": [ [100] ] }'),
        # three entries, S on the last: 5.0.15 prints the same
        (V4, '48000640000c800a0001', '{ "nlri": "0.0.0.0/0", "label": [ [100], [200], [40960] ] }'),
        # what 5.0.15 itself sends for `label [ 100 200 ]` on a /8 and `label [ 400 200 ]` on an
        # IPv6 /48 (recorded from its session): it decodes them as one label and a wrong prefix
        # (0.12.129.10/32, c:8120:10d:b800:100::/72), we read S first
        (V4, '38000640000c810a', '{ "nlri": "10.0.0.0/8", "label": [ [100], [200] ] }'),
        (V6, '60001900000c8120010db80001', '{ "nlri": "2001:db8:1::/48", "label": [ [400], [200] ] }'),
    ],
)
def test_where_a_stack_ends(family, wire, json) -> None:
    (nlri,) = Labeled.unpack_all(family, bytes.fromhex(wire), False)
    assert nlri.json() == json


def test_a_stack_of_compatibility_value_packs_back_as_received() -> None:
    # a withdrawal keeps what it was given: 524288 is 0x800000 >> 4, sent back with S
    (nlri,) = Labeled.unpack_all(V4, bytes.fromhex('308000000a0000'), False)
    assert nlri.labels == (0x80000,)
    assert nlri.pack(False).hex() == '308000010a0000'


@pytest.mark.parametrize(
    ('family', 'wire', 'reason'),
    [
        # 5.0.15: "invalid payload" for all but the first two
        (V4, '0a0000', 'too short for a label'),  # 5.0 decodes 0.0.0.0/10 without labels
        (V4, '100a00', 'too short for a label'),  # 5.0 decodes 10.0.0.0/16 without labels
        (V4, '48000640000c800a0000', 'no bottom of stack'),  # three entries, no S, nothing left
        (V6, '1808000000', 'no bottom of stack'),
        (V4, '30000640', 'ends inside a /24 prefix'),
        (V4, '30000641', 'ends inside a /24 prefix'),
        (V4, '58000641', 'longer than the 32 bits'),
        (V6, 'a0000641' + '00' * 17, 'longer than the 128 bits'),
        (V4, '480006', 'too short for a label'),  # the field ends inside the first entry
        (V4, '00000005', 'inside a path identifier'),
        (V4, '', None),
    ],
)
def test_malformed_fields(family, wire, reason) -> None:
    addpath = reason == 'inside a path identifier'
    if reason is None:
        assert Labeled.unpack_all(family, b'', False) == []
        return
    with pytest.raises(Malformed, match=reason) as raised:
        Labeled.unpack_all(family, bytes.fromhex(wire), addpath)
    assert raised.value.subcode == INVALID_NETWORK_FIELD


def test_make_checks_its_values() -> None:
    with pytest.raises(ValueError, match='label stack'):
        make(V4, '10.0.0.0', 24, ())
    with pytest.raises(ValueError, match='label stack'):
        make(V4, '10.0.0.0', 24, (labels.LABEL_MAX + 1,))
    with pytest.raises(ValueError, match='prefix length'):
        make(V4, '10.0.0.0', 33, (1,))
    with pytest.raises(ValueError, match='prefix length'):
        Labeled.make(V6, IPv4Address('10.0.0.0').packed, 8, (1,))


def test_from_prefix_is_what_the_route_grammar_builds() -> None:
    qualifiers = {'label': (100, 200), 'path-information': 9, 'rd': None}
    nlri = Labeled.from_prefix(V6, IPv6Address('2001:db8::').packed, 32, qualifiers)
    assert nlri == make(V6, '2001:db8::', 32, (100, 200), 9)


def test_label_stack_text_and_json() -> None:
    assert labels.text((7,)) == 'label 7'
    assert labels.text((1, 2, 3)) == 'label [ 1 2 3 ]'
    assert labels.json((1, 2)) == '"label": [ [1], [2] ]'
    assert labels.pack((100, 200)).hex() == '000640000c81'


# ---------------------------------------------------------------- properties


def _first_reads_alone(stack: tuple[int, ...]) -> bool:
    # a top label 0 or 524288 without S is a withdrawal compatibility value (5.0 reads it so too)
    return len(stack) > 1 and stack[0] << 4 in labels.WITHDRAWN


STACKS = st.lists(st.integers(0, labels.LABEL_MAX), min_size=1, max_size=5).map(tuple)


@st.composite
def nlris(draw) -> Labeled:
    family = draw(st.sampled_from((V4, V6)))
    size = 4 if family == V4 else 16
    address = draw(st.binary(min_size=size, max_size=size))
    length = draw(st.integers(0, size * 8))
    stack = draw(STACKS.filter(lambda stack: not _first_reads_alone(stack)))
    path_id = draw(st.none() | st.integers(0, 0xFFFFFFFF))
    return Labeled.make(family, address, length, stack, path_id)


@given(st.lists(nlris(), min_size=1, max_size=6), st.booleans())
def test_unpack_all_of_pack_is_identity(found, addpath) -> None:
    family = found[0].family
    same = [nlri for nlri in found if nlri.family == family]
    data = b''.join(nlri.pack(addpath) for nlri in same)
    # without ADD-PATH no path identifier is sent; with it, none is sent as 0
    expected = [Labeled(n.family, n.packed, n.labels, (n.path_id or 0) if addpath else None) for n in same]
    assert Labeled.unpack_all(family, data, addpath) == expected


@given(st.sampled_from((V4, V6)), st.binary(max_size=64), st.booleans())
def test_any_bytes_decode_or_raise_malformed(family, data, addpath) -> None:
    try:
        found = Labeled.unpack_all(family, data, addpath)
    except Malformed as error:
        assert error.subcode == INVALID_NETWORK_FIELD
        return
    for nlri in found:
        assert nlri.labels and nlri.packed[0] <= (32 if family == V4 else 128)


def test_a_remembered_stack_packs_as_a_new_one() -> None:
    """Packed stacks are remembered, the memory starting afresh when full: past its bound, every
    stack still packs to its own octets (S on the last entry only)."""
    for label in range(labels._PACKED_LIMIT + 10):
        for stack in ((label,), (label, 16)):
            expected = b''.join(
                ((value << 4) | (index == len(stack) - 1)).to_bytes(3, 'big') for index, value in enumerate(stack)
            )
            assert labels.pack(stack) == expected
            assert labels.pack(stack) == expected
    assert len(labels._PACKED) <= labels._PACKED_LIMIT
