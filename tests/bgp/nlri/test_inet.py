"""IPv4/IPv6 unicast and multicast NLRI: golden vectors both ways, 5.0's text and JSON, errors,
round-trips, fuzzing and the memory cost per NLRI."""

import socket
import sys
from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.nlri.table import codec

V4 = IPV4_UNICAST
V6 = IPV6_UNICAST

# (family, prefix, length, path id, wire hex with ADD-PATH off, json, text)
# the json forms are those `exabgp decode` (5.0.15) printed for these prefixes, with -i for the path
# identifiers (checked for ipv4 unicast and multicast and ipv6 unicast: 5.0's configuration refuses
# ipv6 multicast, so it cannot decode that family; its NLRI are written the same way)
GOLDEN = [
    (V4, '10.0.0.0', 24, None, '180a0000', '{ "nlri": "10.0.0.0/24" }', '10.0.0.0/24'),
    (V4, '0.0.0.0', 0, None, '00', '{ "nlri": "0.0.0.0/0" }', '0.0.0.0/0'),
    (V4, '1.1.1.1', 32, None, '2001010101', '{ "nlri": "1.1.1.1/32" }', '1.1.1.1/32'),
    (
        V4,
        '10.0.0.10',
        32,
        1,
        '200a00000a',
        '{ "nlri": "10.0.0.10/32", "path-information": "0.0.0.1" }',
        '10.0.0.10/32 path-information 0.0.0.1',
    ),
    (
        V4,
        '193.0.2.1',
        32,
        0x01020304,
        '20c1000201',
        '{ "nlri": "193.0.2.1/32", "path-information": "1.2.3.4" }',
        '193.0.2.1/32 path-information 1.2.3.4',
    ),
    (
        V4,
        '0.0.0.0',
        0,
        0,
        '00',
        '{ "nlri": "0.0.0.0/0", "path-information": "0.0.0.0" }',
        '0.0.0.0/0 path-information 0.0.0.0',
    ),
    (IPV4_MULTICAST, '224.1.0.0', 16, None, '10e001', '{ "nlri": "224.1.0.0/16" }', '224.1.0.0/16'),
    (
        V6,
        '2a02:b80:0:1::1',
        128,
        None,
        '802a020b80000000010000000000000001',
        '{ "nlri": "2a02:b80:0:1::1/128" }',
        '2a02:b80:0:1::1/128',
    ),
    (V6, '2001:db8:1::', 64, None, '4020010db800010000', '{ "nlri": "2001:db8:1::/64" }', '2001:db8:1::/64'),
    (V6, '::', 0, None, '00', '{ "nlri": "::/0" }', '::/0'),
    (
        IPV6_MULTICAST,
        'ff00::',
        8,
        7,
        '08ff',
        '{ "nlri": "ff00::/8", "path-information": "0.0.0.7" }',
        'ff00::/8 path-information 0.0.0.7',
    ),
]


def address(family, text):
    return IPv4Address(text) if family.afi == 1 else IPv6Address(text)


@pytest.mark.parametrize(('family', 'text', 'length', 'path_id', 'wire', 'json', 'string'), GOLDEN)
def test_golden_both_ways(family, text, length, path_id, wire, json, string):
    nlri = INET.make(family, address(family, text), length, path_id)
    assert nlri.pack(False).hex() == wire
    assert nlri.json() == json
    assert str(nlri) == string
    assert nlri.family == family
    assert nlri.length == length
    assert nlri.address == address(family, text)
    assert INET.unpack_all(family, bytes.fromhex(wire), False) == [INET(family, nlri.packed, None)]
    with_path = bytes.fromhex(f'{path_id or 0:08x}{wire}')
    assert nlri.pack(True) == with_path
    assert INET.unpack_all(family, with_path, True) == [INET(family, nlri.packed, path_id or 0)]


def test_a_whole_field_decodes_in_order():
    # the NLRI field of the reference decoding case ipv4-unicast-1: four default routes and 1.1.1.1/32
    found = INET.unpack_all(V4, bytes.fromhex('000000002001010101'), False)
    assert [str(nlri) for nlri in found] == ['0.0.0.0/0'] * 4 + ['1.1.1.1/32']
    assert INET.unpack_all(V4, b'', False) == []
    assert INET.unpack_all(V4, b'', True) == []


def test_host_bits_are_kept_as_received():
    # 5.0 keeps the bits past the prefix length and prints them; so do we, and re-encode them
    (nlri,) = INET.unpack_all(V4, bytes.fromhex('190a0000ff'), False)
    assert str(nlri) == '10.0.0.255/25'
    assert nlri.pack(False).hex() == '190a0000ff'
    assert INET.make(V4, IPv4Address('10.0.0.1'), 24).pack(False).hex() == '180a0000'


@pytest.mark.parametrize(
    ('family', 'wire', 'addpath'),
    [
        (V4, '21', False),  # /33
        (V4, '2101020304ff', False),
        (V6, '81' + '00' * 17, False),  # /129
        (V4, '18', False),  # truncated prefix
        (V4, '180a00', False),
        (V4, '180a0000' + '20', False),  # second prefix truncated
        (V4, '000000', True),  # truncated path identifier
        (V4, '00000001', True),  # path identifier without a prefix
        (V6, '8020010db8', False),
    ],
)
def test_malformed_fields(family, wire, addpath):
    with pytest.raises(Malformed) as caught:
        INET.unpack_all(family, bytes.fromhex(wire), addpath)
    assert caught.value.subcode == INVALID_NETWORK_FIELD


def test_equality_and_index():
    a = INET.make(V4, IPv4Address('10.0.0.0'), 24)
    assert a == INET.unpack_all(V4, a.pack(False), False)[0]
    assert a.index() == a
    assert hash(a) == hash(INET.make(V4, IPv4Address('10.0.0.0'), 24))
    assert a != INET.make(IPV4_MULTICAST, IPv4Address('10.0.0.0'), 24)
    assert a != INET.make(V4, IPv4Address('10.0.0.0'), 24, 1)
    assert a != INET.make(V4, IPv4Address('10.0.0.0'), 25)
    assert len({a, INET.make(V4, IPv4Address('10.0.0.0'), 24, 0), INET.make(V4, IPv4Address('10.0.0.0'), 24)}) == 2


@pytest.mark.parametrize(
    'arguments',
    [(V4, IPv4Address('10.0.0.0'), 33), (V6, IPv4Address('10.0.0.0'), 8), (V4, b'\x00', 0), (V4, b'\0' * 4, 8, -1)],
)
def test_make_refuses_nonsense(arguments):
    with pytest.raises(ValueError):
        INET.make(*arguments)


def test_table_lists_the_four_families():
    assert [codec(family) for family in (V4, IPV4_MULTICAST, V6, IPV6_MULTICAST)] == [INET] * 4


def test_memory_per_nlri_stays_small():
    nlri = INET.make(V4, IPv4Address('10.0.0.0'), 24)
    assert sys.getsizeof(nlri) + sys.getsizeof(nlri.packed) <= 100
    assert not hasattr(nlri, '__dict__')


@given(st.binary(min_size=16, max_size=16))
def test_ipv6_text_is_inet_ntop(packed):
    assert prefix.text(packed) == socket.inet_ntop(socket.AF_INET6, packed)


@pytest.mark.parametrize(
    'text', ['::', '::1', '::2', '::1.2.3.4', '::ffff:1.2.3.4', '::ffff:0.0.0.0', '1::', '1:0:0:1::1', '0:1::1:0:0:0']
)
def test_ipv6_text_edge_cases(text):
    packed = socket.inet_pton(socket.AF_INET6, text)
    assert prefix.text(packed) == socket.inet_ntop(socket.AF_INET6, packed)


def nlris(family):
    bits = 32 if family.afi == 1 else 128
    size = bits // 8
    return st.builds(
        lambda raw, length, path_id: INET(family, prefix.pack(raw, length), path_id),
        st.binary(min_size=size, max_size=size),
        st.integers(0, bits),
        st.none() | st.integers(0, 0xFFFFFFFF),
    )


@pytest.mark.parametrize('family', [V4, IPV4_MULTICAST, V6, IPV6_MULTICAST])
@given(data=st.data())
def test_round_trip(family, data):
    found = data.draw(st.lists(nlris(family), max_size=20))
    plain = b''.join(nlri.pack(False) for nlri in found)
    assert INET.unpack_all(family, plain, False) == [INET(family, nlri.packed, None) for nlri in found]
    with_path = b''.join(nlri.pack(True) for nlri in found)
    assert INET.unpack_all(family, with_path, True) == [INET(family, n.packed, n.path_id or 0) for n in found]


@pytest.mark.parametrize('family', [V4, V6])
@pytest.mark.parametrize('addpath', [False, True])
@given(data=st.binary(max_size=64))
def test_fuzz_only_malformed_escapes(family, addpath, data):
    try:
        found = INET.unpack_all(family, data, addpath)
    except Malformed:
        return
    assert b''.join(nlri.pack(addpath) for nlri in found) == data


def test_prefix_helpers():
    assert [prefix.octets(length) for length in (0, 1, 8, 9, 24, 25, 32, 128)] == [0, 1, 1, 2, 3, 4, 4, 16]
    assert prefix.pack(bytes((10, 1, 2, 3)), 15) == bytes((15, 10, 1))
    assert prefix.address(bytes((15, 10, 1)), 4) == bytes((10, 1, 0, 0))
    assert prefix.read(bytes.fromhex('00180a0000'), 1, 32) == 5
    assert prefix.read(bytes.fromhex('00180a0000'), 0, 32) == 1
    for data, offset in (('', 0), ('21', 0), ('180a', 0)):
        with pytest.raises(Malformed):
            prefix.read(bytes.fromhex(data), offset, 32)
    assert prefix.path_text(0x01020304) == '1.2.3.4'
