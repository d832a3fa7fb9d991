"""Capabilities: golden vectors both ways (value <-> TLV), 5.0's renderings and 5.0's errors.

The JSON and text of GROUPS were produced by ExaBGP 5.0.15 itself (its Capabilities.unpack, then
json() and str() of each entry) on the same TLVs; every one is an OPEN capability parameter holding
those TLVs.
"""

import dataclasses

import pytest

from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.base import code_name
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.operational import Operational
from exabgp.bgp.capability.refresh import CiscoRouteRefresh, EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.capability.table import CAPABILITIES, as_json, as_text, decode, group_json, group_text, grouped
from exabgp.bgp.capability.unknown import UnknownCapability
from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message.open import unpack_capabilities

IPV4_FLOW = Family(AFI.IPV4, SAFI.FLOW_IP)
IPV6_VPN = Family(AFI.IPV6, SAFI.MPLS_VPN)

# (value, whole TLV in hex)
GOLDEN = [
    (MultiProtocol(IPV4_UNICAST), '010400010001'),
    (MultiProtocol(IPV6_VPN), '010400020080'),
    (MultiProtocol(Family(99, 99)), '010400630063'),
    (RouteRefresh(), '0200'),
    (CiscoRouteRefresh(), '8000'),
    (EnhancedRouteRefresh(), '4600'),
    (ExtendedNextHop(), '0500'),
    (ExtendedNextHop(((IPV4_UNICAST, AFI.IPV6), (IPV6_VPN, AFI.IPV6))), '050c000100010002000200800002'),
    (ExtendedMessage(), '0600'),
    (GracefulRestart(8, 120, ((IPV4_UNICAST, 0x80),)), '4006807800010180'),
    (GracefulRestart(0, 0), '40020000'),
    (GracefulRestart(4, 4095, ((IPV4_UNICAST, 0x80), (IPV6_UNICAST, 0xFF))), '400a4fff00010180000201ff'),
    (ASN4(65000), '41040000fde8'),
    (ASN4(4200000000), '4104fa56ea00'),
    (MultiSession(), '440100'),
    (MultiSession(0, b'\x7f\x01\x02'), '4404007f0102'),
    (CiscoMultiSession(0, b'\x41'), '83020041'),
    (AddPath(((IPV4_UNICAST, 3),)), '450400010103'),
    (AddPath(((IPV4_UNICAST, 1), (IPV6_UNICAST, 2))), '45080001010100020102'),
    (AddPath(), '4500'),
    (HostName('host', 'there'), '490b04686f7374057468657265'),
    (HostName('hôst', 'a"b'), '490a0568c3b4737403612262'),
    (HostName(), '49020000'),
    (SoftwareVersion('ExaBGP/5.0.0'), '4b0d0c4578614247502f352e302e30'),
    (SoftwareVersion('∞'), '4b0403e2889e'),
    (Operational(), 'b900'),
    (UnknownCapability(3, b'\xab\xcd'), '0302abcd'),
    (UnknownCapability(100), '6400'),
    (UnknownCapability(200, b'\x01'), 'c80101'),
]


def parsed(tlvs: str) -> tuple:
    octets = bytes.fromhex(tlvs)
    parameter = bytes((2, len(octets))) + octets
    return unpack_capabilities(bytes((len(parameter),)) + parameter)


@pytest.mark.parametrize(('value', 'wire'), GOLDEN, ids=[wire for _, wire in GOLDEN])
def test_golden_both_ways(value, wire: str) -> None:
    assert value.pack().hex() == wire
    octets = bytes.fromhex(wire)
    assert decode(octets[0], octets[2:]) == value


@pytest.mark.parametrize(('value', 'wire'), GOLDEN, ids=[wire for _, wire in GOLDEN])
def test_values_are_hashable_and_immutable(value, wire: str) -> None:
    assert hash(value) == hash(decode(value.code, bytes.fromhex(wire)[2:]))
    assert not hasattr(value, '__dict__')
    for field in dataclasses.fields(value):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field.name, None)


# (the TLVs of one capability parameter, the JSON 5.0 writes, the text 5.0 logs) from ExaBGP 5.0.15
GROUPS = [
    ('010400010001', '{ "name": "multiprotocol", "families": [ "ipv4/unicast" ] }', 'Multiprotocol(ipv4 unicast)'),
    (
        '010400020001010400010002010400190041010400010085010400630063010400010001010400020080010440040047',
        '{ "name": "multiprotocol", "families": [ "ipv6/unicast", "ipv4/multicast", "l2vpn/vpls", "ipv4/flow", "unknown-afi-0x63/unknown safi 99", "ipv4/unicast", "ipv6/mpls-vpn", "bgp-ls/bgp-ls" ] }',
        'Multiprotocol(ipv6 unicast,ipv4 multicast,l2vpn vpls,ipv4 flow,unknown-afi-0x63 unknown safi 99,ipv4 unicast,ipv6 mpls-vpn,bgp-ls bgp-ls)',
    ),
    ('0200', '{ "name": "route-refresh", "variant": "RFC" }', 'Route Refresh'),
    ('8000', '{ "name": "route-refresh", "variant": "Cisco" }', 'Cisco Route Refresh'),
    ('4600', '{ "name": "enhanced-route-refresh" }', 'Enhanced Route Refresh'),
    ('0500', '{ "name": "nexthop", "conversion": [ ] }', 'NextHop()'),
    (
        '050c000100010002000200800002',
        '{ "name": "nexthop", "conversion": [ "ipv4/unicast/ipv6", "ipv6/mpls-vpn/ipv6" ] }',
        'NextHop(ipv4 unicast ipv6,ipv6 mpls-vpn ipv6)',
    ),
    (
        '050c000100010002000100010002050c000200010001000100010002',
        '{ "name": "nexthop", "conversion": [ "ipv4/unicast/ipv6", "ipv6/unicast/ipv4" ] }',
        'NextHop(ipv4 unicast ipv6,ipv6 unicast ipv4)',
    ),
    ('0600', '{ "name": "extended-message", "size": 65535 }', 'Extended Message(65535)'),
    (
        '4006807800010180',
        '{ "name": "graceful restart", "time": 120, "address-family-flags": { "ipv4/unicast": [ "restart" ] }, "restart-flags": [ "forwarding" ]  }',
        'Graceful Restart Flags 0x8 Time 120 ipv4/unicast=0x80',
    ),
    (
        '4006007800020100',
        '{ "name": "graceful restart", "time": 120, "address-family-flags": { "ipv6/unicast": [ ] }, "restart-flags": [ ]  }',
        'Graceful Restart Flags 0x0 Time 120 ipv6/unicast=0x0',
    ),
    (
        '40020000',
        '{ "name": "graceful restart", "time": 0, "address-family-flags": { }, "restart-flags": [ ]  }',
        'Graceful Restart Flags 0x0 Time 0 ',
    ),
    (
        '400a4fff00010180000201ff',
        '{ "name": "graceful restart", "time": 4095, "address-family-flags": { "ipv4/unicast": [ "restart" ] , "ipv6/unicast": [ "restart" ] }, "restart-flags": [ ]  }',
        'Graceful Restart Flags 0x4 Time 4095 ipv4/unicast=0x80 ipv6/unicast=0x80',
    ),
    (
        '40024005400a80100001010000020180',
        '{ "name": "graceful restart", "time": 16, "address-family-flags": { "ipv4/unicast": [ ] , "ipv6/unicast": [ "restart" ] }, "restart-flags": [ "forwarding" ]  }',
        'Graceful Restart Flags 0x8 Time 16 ipv4/unicast=0x0 ipv6/unicast=0x80',
    ),
    ('41040000fde8', '{ "name": "asn4", "asn4": 65000 }', 'ASN4(65000)'),
    ('4104fa56ea00', '{ "name": "asn4", "asn4": 4200000000 }', 'ASN4(4200000000)'),
    ('440100', '{ "name": "multisession", "variant": "RFC", "capabilities": [ ] }', 'Multisession (RFC) '),
    ('440100440101440101', '{ "name": "multisession", "variant": "RFC", "capabilities": [ ] }', 'Multisession (RFC) '),
    (
        '4404007f0102',
        '{ "name": "multisession", "variant": "RFC", "capabilities": [ "unassigned-0x7f", "multiprotocol", "route-refresh" ] }',
        'Multisession (RFC) unassigned-0x7f multiprotocol route-refresh',
    ),
    ('44020144', '{ "name": "multisession", "variant": "RFC", "capabilities": [ ] }', 'Multisession (RFC) '),
    ('4400', '{ "name": "multisession", "variant": "RFC", "capabilities": [ ] }', 'Multisession (RFC) '),
    ('830100', '{ "name": "multisession", "variant": "Cisco", "capabilities": [ ] }', 'Multisession '),
    (
        '8302004183020002',
        '{ "name": "multisession", "variant": "Cisco", "capabilities": [ "asn4" ] }',
        'Multisession asn4',
    ),
    ('450400010103', '{ "name": "addpath", "ipv4/unicast": "send/receive" }', 'AddPath(send/receive ipv4 unicast)'),
    (
        '45080001010100020102',
        '{ "name": "addpath", "ipv4/unicast": "receive","ipv6/unicast": "send" }',
        'AddPath(receive ipv4 unicast,send ipv6 unicast)',
    ),
    (
        '450c000101000001020000020103',
        '{ "name": "addpath", "ipv4/unicast": "disabled","ipv4/multicast": "disabled","ipv6/unicast": "send/receive" }',
        'AddPath(disabled ipv4 unicast,disabled ipv4 multicast,send/receive ipv6 unicast)',
    ),
    ('4500', '{ "name": "addpath" }', 'AddPath()'),
    ('450400010107', '{ "name": "addpath", "ipv4/unicast": "invalid (7)" }', 'AddPath(invalid (7) ipv4 unicast)'),
    (
        '45040001010345080001010100020103',
        '{ "name": "addpath", "ipv4/unicast": "receive","ipv6/unicast": "send/receive" }',
        'AddPath(receive ipv4 unicast,send/receive ipv6 unicast)',
    ),
    ('490b04686f7374057468657265', '{ "host-name": "host", "domain-name": "there" }', 'Hostname(host there)'),
    ('490a0568c3b4737403612262', '{ "host-name": "h\\u00f4st", "domain-name": "a\\"b" }', 'Hostname(hôst a"b)'),
    ('49020000', '{ "host-name": "", "domain-name": "" }', 'Hostname( )'),
    ('4b0d0c4578614247502f352e302e30', '{ "software": "ExaBGP/5.0.0" }', 'Software(ExaBGP/5.0.0)'),
    ('4b0403e2889e', '{ "software": "\\u221e" }', 'Software(∞)'),
    ('b900', '{ "name": "operational" }', 'Operational'),
    ('0300', '{ "name": "unknown", "iana": "unknown", "value": 3, "raw": "" }', 'Unknown 3'),
    ('0302abcd', '{ "name": "unknown", "iana": "unknown", "value": 3, "raw": "ABCD" }', 'Unknown 3'),
    ('6400', '{ "name": "unknown", "iana": "unassigned", "value": 100, "raw": "" }', 'Unassigned 100'),
    ('c80101', '{ "name": "unknown", "iana": "reserved", "value": 200, "raw": "01" }', 'Reserved 200'),
    ('0001ff', '{ "name": "unknown", "iana": "unknown", "value": 0, "raw": "FF" }', 'Unknown 0'),
    ('4301ee', '{ "name": "unknown", "iana": "unknown", "value": 67, "raw": "EE" }', 'Unknown 67'),
    ('640101640102', '{ "name": "unknown", "iana": "unassigned", "value": 100, "raw": "02" }', 'Unassigned 100'),
]


@pytest.mark.parametrize(('tlvs', 'json', 'text'), GROUPS, ids=[tlvs for tlvs, _, _ in GROUPS])
def test_rendering_matches_5_0(tlvs: str, json: str, text: str) -> None:
    (items,) = grouped(parsed(tlvs)).values()
    assert group_json(items) == json
    assert group_text(items) == text


def test_a_single_value_renders_as_its_own_group() -> None:
    value = AddPath(((IPV4_UNICAST, 3),))
    assert value.json() == group_json((value,)) == '{ "name": "addpath", "ipv4/unicast": "send/receive" }'
    assert str(value) == 'AddPath(send/receive ipv4 unicast)'


def test_grouping_keeps_first_seen_code_order_and_text_sorts_by_code() -> None:
    capabilities = parsed('41040000fde80104000100010200010400020001')
    assert list(grouped(capabilities)) == [65, 1, 2]
    assert as_json(capabilities) == (
        '"65": { "name": "asn4", "asn4": 65000 }, '
        '"1": { "name": "multiprotocol", "families": [ "ipv4/unicast", "ipv6/unicast" ] }, '
        '"2": { "name": "route-refresh", "variant": "RFC" }'
    )
    assert as_text(capabilities) == 'Multiprotocol(ipv4 unicast,ipv6 unicast), Route Refresh, ASN4(65000)'


def test_every_tlv_is_kept_in_wire_order() -> None:
    capabilities = parsed('0104000200010200010400010001')
    assert capabilities == (MultiProtocol(IPV6_UNICAST), RouteRefresh(), MultiProtocol(IPV4_UNICAST))


def test_table_maps_each_code_to_its_class() -> None:
    for code, cls in CAPABILITIES.items():
        assert code == cls.CODE
    assert set(CAPABILITIES) == {1, 2, 5, 6, 64, 65, 68, 69, 70, 73, 75, 128, 131, 185}


def test_unknown_codes_are_kept_raw() -> None:
    value = decode(42, memoryview(b'\x01\x02'))
    assert value == UnknownCapability(42, b'\x01\x02')
    assert value.pack() == b'\x2a\x02\x01\x02'


def test_code_names_as_5_0_prints_them() -> None:
    assert [code_name(code) for code in (1, 65, 131, 100, 200, 30)] == [
        'multiprotocol',
        'asn4',
        'cisco-multi-sesion',
        'unassigned-0x64',
        'reserved-0xc8',
        'capability-0x1e',
    ]


def test_multisession_session_ids_skip_multisession_codes() -> None:
    assert MultiSession(1, bytes((1, 68, 131, 2))).session_ids() == (1, 2)
    assert decode(68, b'') == MultiSession()


def test_hostname_without_domain() -> None:
    assert decode(73, b'\x01a') == HostName('a', '')
    assert decode(73, b'') == HostName()


def test_hostname_and_software_pack_cut_long_names() -> None:
    assert HostName('h' * 100, 'd' * 70).pack() == b'\x49\x82\x40' + b'h' * 64 + b'\x40' + b'd' * 64
    assert SoftwareVersion('v' * 300).pack() == b'\x4b\xff\xfe' + b'v' * 254


def test_software_version_exabgp_announces_release() -> None:
    assert SoftwareVersion.exabgp('5.0.0').version == 'ExaBGP/5.0.0'
    cut = SoftwareVersion.exabgp('x' * 100).version
    assert len(cut) == 64
    assert cut.endswith('...')


def test_addpath_merged_keeps_first_position_and_last_value() -> None:
    items = (AddPath(((IPV4_UNICAST, 1), (IPV6_UNICAST, 1))), AddPath(((IPV4_UNICAST, 3),)))
    assert AddPath.merged(items) == {IPV4_UNICAST: 3, IPV6_UNICAST: 1}


def test_nexthop_merged_keeps_each_pair_once() -> None:
    pair = (IPV4_FLOW, AFI.IPV6)
    assert ExtendedNextHop.merged((ExtendedNextHop((pair,)), ExtendedNextHop((pair,)))) == [pair]


# (TLV hex, the data 5.0 sends with its 2/0) confirmed against ExaBGP 5.0.15
MALFORMED = [
    ('0103000100', b'invalid multiprotocol capability, expected 4 bytes, got 3'),
    ('050400010001', b'invalid extended next-hop capability, trailing data'),
    ('4001ff', b'invalid graceful-restart capability, not enough data for the header'),
    ('4003000000', b'invalid graceful-restart capability, trailing data'),
    ('4103000102', b'AS4 capability must be 4 bytes long, got 3'),
    ('4105000000fde8', b'AS4 capability must be 4 bytes long, got 5'),
    ('4503000101', b'invalid ADD-PATH capability, trailing data'),
    ('490405616263', b'Hostname capability truncated: need 6 bytes for the host name, got 4'),
    ('490401610562', b'Hostname capability truncated: need 8 bytes total, got 4'),
    (
        '490302fffe',
        b"the host name in the capability is not valid UTF-8 ('utf-8' codec can't decode byte 0xff "
        b'in position 0: invalid start byte)',
    ),
    ('4b00', b'Software capability too short: need at least 1 byte'),
    ('4b03056162', b'Software capability truncated: need 6 bytes, got 3'),
]


@pytest.mark.parametrize(('wire', 'data'), MALFORMED, ids=[wire for wire, _ in MALFORMED])
def test_malformed_capability_is_open_error_unspecific(wire: str, data: bytes) -> None:
    octets = bytes.fromhex(wire)
    with pytest.raises(PeerError) as caught:
        decode(octets[0], octets[2:])
    # RFC 5492 defines no data for it; 5.0 sends its reason
    assert (caught.value.code, caught.value.subcode, caught.value.data) == (2, 0, b'')
    assert caught.value.chosen(True) == (0, data)
