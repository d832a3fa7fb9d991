"""Golden vectors for the path attributes: (value, session, wire hex, 5.0's JSON item, 5.0's text item).

Every vector here was confirmed against ExaBGP 5.0.15: the wire was parsed by 5.0's attribute parser
for the same session and its JSON and text items compared, and the wire wrapped in an UPDATE (with
an IPv4 NLRI and NEXT_HOP) was run through `exabgp decode` and its "attribute" object compared
(sessions with a 2-octet AS or AIGP through a configuration file with `asn4 disable` / `aigp enable`).
The checking script is kept outside the project. Vectors marked `oracle=False` deviate on purpose
and say why.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address

from exabgp.bgp.attribute.aggregation import ATOMIC_AGGREGATE, Aggregator, AS4Aggregator
from exabgp.bgp.attribute.aigp import AIGP
from exabgp.bgp.attribute.aspath import AS_CONFED_SEQUENCE, AS_CONFED_SET, AS_SEQUENCE, AS_SET, AS4Path, ASPath
from exabgp.bgp.attribute.base import Attribute
from exabgp.bgp.attribute.community import (
    BLACKHOLE,
    NO_ADVERTISE,
    NO_EXPORT,
    NO_EXPORT_SUBCONFED,
    NO_PEER,
    Communities,
    LargeCommunities,
)
from exabgp.bgp.attribute.extended import ExtendedCommunities, IPv6ExtendedCommunities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import EGP, IGP, INCOMPLETE, Origin
from exabgp.bgp.attribute.pmsi import PMSI
from exabgp.bgp.attribute.reflection import ClusterList, OriginatorID
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.bgp.negotiated import Negotiated

# the session `exabgp decode` uses: internal, four-octet ASNs
ASN4 = Negotiated(local_as=65533, peer_as=65533, asn4=True)
ASN2 = Negotiated(local_as=65533, peer_as=65533)
AIGP_ON = Negotiated(local_as=65533, peer_as=65533, asn4=True, aigp=True)

SESSIONS = {'ASN4': ASN4, 'ASN2': ASN2, 'AIGP_ON': AIGP_ON}


@dataclass(frozen=True)
class Vector:
    value: Attribute
    session: str
    wire: str
    json: str
    text: str
    oracle: bool = True

    @property
    def negotiated(self) -> Negotiated:
        return SESSIONS[self.session]


def _ip(text: str) -> IPv4Address:
    return IPv4Address(text)


VECTORS = [
    Vector(Origin(IGP), 'ASN4', '40010100', '"origin": "igp"', 'origin igp'),
    Vector(Origin(EGP), 'ASN4', '40010101', '"origin": "egp"', 'origin egp'),
    Vector(Origin(INCOMPLETE), 'ASN4', '40010102', '"origin": "incomplete"', 'origin incomplete'),
    Vector(
        ASPath(((AS_SEQUENCE, (1, 2)),)),
        'ASN4',
        '40020a02020000000100000002',
        '"as-path": {"0": {"element": "as-sequence", "value": [1, 2]}}',
        'as-path ( 1 2 )',
    ),
    Vector(
        ASPath(((AS_SEQUENCE, (65000, 4200000000)), (AS_SET, (3, 4)))),
        'ASN4',
        '40021402020000fde8fa56ea00010200000003' + '00000004',
        '"as-path": {"0": {"element": "as-sequence", "value": [65000, 4200000000]}, '
        '"1": {"element": "as-set", "value": [3, 4]}}',
        'as-path ( 65000 4200000000 ) [ 3 4 ]',
    ),
    Vector(
        ASPath(((AS_CONFED_SEQUENCE, (1, 2)), (AS_CONFED_SET, (3,)), (AS_SEQUENCE, (4,)))),
        'ASN4',
        '400216030200000001000000020401000000030201' + '00000004',
        '"as-path": {"0": {"element": "as-sequence", "value": [1, 2]}, "1": {"element": "as-sequence", "value": [3]}, '
        '"2": {"element": "as-sequence", "value": [4]}}',
        'as-path {( 1 2 )} {[ 3 ]} ( 4 )',
    ),
    Vector(
        ASPath(((AS_SEQUENCE, (1, 2)), (AS_SET, (3,)))),
        'ASN2',
        '40020a020200010002010100' + '03',
        '"as-path": {"0": {"element": "as-sequence", "value": [1, 2]}, "1": {"element": "as-set", "value": [3]}}',
        'as-path ( 1 2 ) [ 3 ]',
    ),
    # a 4-octet AS on a 2-octet session: AS_TRANS in AS_PATH, the real path in AS4_PATH, merged back
    Vector(
        ASPath(((AS_SEQUENCE, (65536, 1)),)),
        'ASN2',
        '40020602025ba00001' + 'c0110a02020001000000000001',
        '"as-path": {"0": {"element": "as-sequence", "value": [65536, 1]}}',
        'as-path ( 65536 1 )',
    ),
    Vector(MED(200), 'ASN4', '8004040000' + '00c8', '"med": 200', 'med 200'),
    Vector(MED(0xFFFFFFFF), 'ASN4', '80040' + '4ffffffff', '"med": 4294967295', 'med 4294967295'),
    Vector(LocalPreference(100), 'ASN4', '4005040000' + '0064', '"local-preference": 100', 'local-preference 100'),
    Vector(ATOMIC_AGGREGATE, 'ASN4', '400600', '"atomic-aggregate": true', 'atomic-aggregate'),
    Vector(
        Aggregator(65000, _ip('10.0.0.1')),
        'ASN4',
        'c007080000fde80a000001',
        '"aggregator": "65000:10.0.0.1"',
        'aggregator ( 65000:10.0.0.1 )',
    ),
    Vector(
        Aggregator(65000, _ip('10.0.0.1')),
        'ASN2',
        'c00706fde80a000001',
        '"aggregator": "65000:10.0.0.1"',
        'aggregator ( 65000:10.0.0.1 )',
    ),
    # a 4-octet aggregator on a 2-octet session: AS_TRANS then AS4_AGGREGATOR, merged back on receipt
    Vector(
        Aggregator(65536, _ip('10.0.0.2')),
        'ASN2',
        'c007065ba00a000002' + 'c01208000100000a000002',
        '"aggregator": "65536:10.0.0.2"',
        'aggregator ( 65536:10.0.0.2 )',
    ),
    Vector(Communities((0x00010002,)), 'ASN4', 'c0080400010002', '"community": [ [ 1, 2 ] ]', 'community 1:2'),
    Vector(
        Communities((0x00010001, 0x00010002, BLACKHOLE, NO_EXPORT, NO_ADVERTISE, NO_EXPORT_SUBCONFED, NO_PEER)),
        'ASN4',
        'c0081c0001000100010002ffff029affffff01ffffff02ffffff03ffffff04',
        '"community": [ [ 1, 1 ], [ 1, 2 ], [ 65535, 666 ], [ 65535, 65281 ], [ 65535, 65282 ], '
        '[ 65535, 65283 ], [ 65535, 65284 ] ]',
        'community [ 1:1 1:2 blackhole no-export no-advertise no-export-subconfed no-peer ]',
    ),
    Vector(
        OriginatorID(_ip('1.2.3.4')), 'ASN4', '80090401020304', '"originator-id": "1.2.3.4"', 'originator-id 1.2.3.4'
    ),
    Vector(
        ClusterList((_ip('10.0.0.1'),)),
        'ASN4',
        '800a040a000001',
        '"cluster-list": [ "10.0.0.1" ]',
        'cluster-list [ 10.0.0.1 ]',
    ),
    Vector(
        ClusterList((_ip('10.0.0.1'), _ip('10.0.0.2'))),
        'ASN4',
        '800a080a0000010a000002',
        '"cluster-list": [ "10.0.0.1", "10.0.0.2" ]',
        'cluster-list [ 10.0.0.1 10.0.0.2 ]',
    ),
    Vector(
        ExtendedCommunities((bytes.fromhex('0002fde800000001'), bytes.fromhex('0003fde801020304'))),
        'ASN4',
        'c010100002fde8000000010003fde801020304',
        '"extended-community": [ { "value": 842122827661313, "string": "target:65000:1" }, '
        '{ "value": 1123597821281028, "string": "origin:65000:1.2.3.4" } ]',
        'extended-community [ target:65000:1 origin:65000:1.2.3.4 ]',
    ),
    # an AS4_PATH on a 2-octet session without an AS_PATH to merge into stays, printed as 5.0 does
    Vector(
        AS4Path(((AS_SEQUENCE, (65537, 65538)),)),
        'ASN2',
        'c0110a02020001000100010002',
        '"attribute-0x11-0xC0": "( 65537 65538 )"',
        'attribute [ 0x11 0xC0 ( 65537 65538 ) ]',
    ),
    Vector(
        AS4Aggregator(65536, _ip('10.0.0.2')),
        'ASN2',
        'c01208000100000a000002',
        '"aggregator": "65536:10.0.0.2"',
        'aggregator ( 65536:10.0.0.2 )',
    ),
    Vector(PMSI(0, 0, 0), 'ASN4', 'c016050000000000', '"pmsi": "pmsi:notunnel:0:0:"', 'pmsi pmsi:notunnel:0:0:'),
    Vector(PMSI(3, 0, 0xA0), 'ASN4', 'c0160503000000a0', '"pmsi": "pmsi:notunnel:3:10:"', 'pmsi pmsi:notunnel:3:10:'),
    Vector(
        PMSI.ingress_replication(_ip('10.0.0.1'), 10),
        'ASN4',
        'c0160900060000a00a000001',
        '"pmsi": "pmsi:ingressreplication:0:10(160):10.0.0.1"',
        'pmsi pmsi:ingressreplication:0:10(160):10.0.0.1',
    ),
    Vector(
        PMSI(0, 6, 0xA1, bytes.fromhex('0a000001')),
        'ASN4',
        'c0160900060000a10a000001',
        '"pmsi": "pmsi:ingressreplication:0:10(161):10.0.0.1"',
        'pmsi pmsi:ingressreplication:0:10(161):10.0.0.1',
    ),
    Vector(
        PMSI(0, 6, 0, bytes.fromhex('0a000001')),
        'ASN4',
        'c0160900060000000a000001',
        '"pmsi": "pmsi:ingressreplication:0:0:10.0.0.1"',
        'pmsi pmsi:ingressreplication:0:0:10.0.0.1',
    ),
    Vector(
        PMSI(0, 3, 0, bytes.fromhex('aabb')),
        'ASN4',
        'c016070003000000aabb',
        '"pmsi": "pmsi:pim-ssmtree:0:0:0xAABB"',
        'pmsi pmsi:pim-ssmtree:0:0:0xAABB',
    ),
    Vector(
        PMSI(1, 6, 0xA0, bytes.fromhex('0a00000102')),
        'ASN4',
        'c0160a01060000a00a00000102',
        '"pmsi": "pmsi:ingressreplication:1:10:0x0A00000102"',
        'pmsi pmsi:ingressreplication:1:10:0x0A00000102',
    ),
    Vector(
        PMSI(0, 0x42, 0x100, bytes.fromhex('01')),
        'ASN4',
        'c016060042000100' + '01',
        '"pmsi": "pmsi:unknown:0:16:0x01"',
        'pmsi pmsi:unknown:0:16:0x01',
    ),
    Vector(
        IPv6ExtendedCommunities((bytes.fromhex('000c20010db80000000000000000000000010001'),)),
        'ASN4',
        'c01914000c20010db80000000000000000000000010001',
        '"extended-community-ipv6": [ { "value": 270396894049897293703898678829571923249266689, '
        '"string": "copy-to-nexthop-ietf 2001:db8::1 (with copy)" } ]',
        'extended-community-ipv6 copy-to-nexthop-ietf 2001:db8::1 (with copy)',
    ),
    Vector(
        AIGP(10), 'AIGP_ON', '801a0b01000b000000000000000a', '"aigp": "0x000000000000000a"', 'aigp 0x000000000000000a'
    ),
    Vector(
        LargeCommunities(((1, 2, 3),)),
        'ASN4',
        'c0200c000000010000000200000003',
        '"large-community": [ [ 1, 2 , 3 ] ]',
        'large-community 1:2:3',
    ),
    Vector(
        LargeCommunities(((1, 2, 3), (4294967295, 0, 7))),
        'ASN4',
        'c02018000000010000000200000003ffffffff0000000000000007',
        '"large-community": [ [ 1, 2 , 3 ], [ 4294967295, 0 , 7 ] ]',
        'large-community [ 1:2:3 4294967295:0:7 ]',
    ),
    # unknown optional transitive: kept with the Partial bit set, named by its flags
    Vector(
        Unknown(0x99, 0xE0, bytes.fromhex('00000064')),
        'ASN4',
        'e0990400000064',
        '"attribute-0x99-0xE0": "0x00000064"',
        'attribute [ 0x99 0xE0 0x00000064 ]',
    ),
    Vector(
        Unknown(0x99, 0xF0, bytes.fromhex('0102')),
        'ASN4',
        'f09900020102',
        '"attribute-0x99-0xF0": "0x0102"',
        'attribute [ 0x99 0xF0 0x0102 ]',
    ),
    Vector(Unknown(0xFE, 0xE0, b''), 'ASN4', 'e0fe00', '"attribute-0xFE-0xE0": "0x"', 'attribute [ 0xFE 0xE0 0x ]'),
]


@dataclass(frozen=True)
class Extended:
    """One extended community: its octets, the configuration's word for it (None: none), 5.0's names."""

    wire: str
    written: str | None  # what `extended-community` in a configuration takes to make these octets
    string: str  # the JSON "string": "" for a sub-type 5.0 does not name
    text: str
    oracle: bool = True


EXTENDED = [
    Extended('0002fde800000001', 'target:65000:1', 'target:65000:1', 'target:65000:1'),
    Extended('4002fde800000001', None, 'target:65000:1', 'target:65000:1'),
    Extended('0102010203040005', 'target:1.2.3.4:5', 'target:1.2.3.4:5', 'target:1.2.3.4:5'),
    Extended('0202000100000005', None, 'target:65536:5', 'target:65536:5'),
    Extended('0202000000010005', None, 'target:1:5', 'target:1:5'),
    Extended('0003fde801020304', 'origin:65000:1.2.3.4', 'origin:65000:1.2.3.4', 'origin:65000:1.2.3.4'),
    # 5.0 swaps the two fields of the IPv4 address specific route origin when it prints it
    Extended('0103010203040005', 'origin:1.2.3.4:5', 'origin:5:1.2.3.4', 'origin:5:1.2.3.4'),
    Extended('0203000100000005', None, 'origin:65536:5', 'origin:65536:5'),
    Extended('0013fde800000001', None, 'rtrecord:65000:1', 'rtrecord:65000:1'),
    Extended('0113010203040005', None, 'rtrecord:1.2.3.4:5', 'rtrecord:1.2.3.4:5'),
    Extended('0213000100000005', None, 'rtrecord:65536:5', 'rtrecord:65536:5'),
    Extended('80060000447a0000', None, 'rate-limit:1000', 'rate-limit:1000'),
    Extended('8006fde8447a0666', None, 'rate-limit:1000', 'rate-limit:1000'),
    # RFC 8955 7.1: a negative rate reads as zero
    Extended('80060000c47a0000', None, 'rate-limit:0', 'rate-limit:0'),
    Extended(
        '800c0000447a0000',
        None,
        'rate-limit:1000:packets',
        'rate-limit:1000:packets',
    ),
    Extended('8007000000000000', None, 'action ', 'action '),
    Extended('8007000000000001', None, 'action terminal', 'action terminal'),
    Extended('8007000000000002', None, 'action sample', 'action sample'),
    Extended('8007000000000003', None, 'action sample-terminal', 'action sample-terminal'),
    Extended('8008fde800000064', 'redirect:65000:100', 'redirect:65000:100', 'redirect:65000:100'),
    # 5.0 decodes the 4-octet AS redirect (RFC 7674) but prints it as hex
    Extended('8208000100000064', None, '0x8208000100000064', '0x8208000100000064'),
    # the IPv4 address redirect is not decoded by 5.0
    Extended('8108010203040064', None, '', '0x8108010203040064'),
    Extended('800900000000002e', None, 'mark 46', 'mark 46'),
    # RFC 8955 7.5: the two high bits are not the DSCP
    Extended('80090000000000c1', None, 'mark 1', 'mark 1'),
    Extended(
        '010c010203040001',
        None,
        'copy-to-nexthop-ietf 1.2.3.4 (with copy)',
        'copy-to-nexthop-ietf 1.2.3.4 (with copy)',
    ),
    Extended(
        '010c010203040000',
        None,
        'redirect-to-nexthop-ietf 1.2.3.4',
        'redirect-to-nexthop-ietf 1.2.3.4',
    ),
    Extended('0800000000000000', 'redirect-to-nexthop', 'redirect-to-nexthop', 'redirect-to-nexthop'),
    Extended('0800000000000001', None, 'copy-to-nexthop', 'copy-to-nexthop'),
    Extended('800a130005dc0000', 'l2info:19:0:1500:0', 'l2info:19:0:1500:0', 'l2info:19:0:1500:0'),
    Extended('030c000000000008', None, 'encap:VXLAN', 'encap:VXLAN'),
    Extended('030c00000000000d', None, 'encap:MPLS-in-UDP', 'encap:MPLS-in-UDP'),
    Extended('030c0000000000ff', None, 'encap:encap:UNKNOWN-255', 'encap:encap:UNKNOWN-255'),
    Extended(
        '0314000000050000',
        None,
        'consistentHashSortOrder:5',
        'consistentHashSortOrder:5',
    ),
    Extended('07020000fde84005', None, 'interface-set:input:65000:5', 'interface-set:input:65000:5'),
    Extended(
        '47020000fde88005',
        None,
        'interface-set:output:65000:5',
        'interface-set:output:65000:5',
    ),
    Extended(
        '07020000fde8c005',
        None,
        'interface-set:input-output:65000:5',
        'interface-set:input-output:65000:5',
    ),
    # 5.0 keeps thirteen of the fourteen group id bits
    Extended('07020000fde83fff', None, 'interface-set:0:65000:8191', 'interface-set:0:65000:8191'),
    Extended('0600000000000005', None, 'mac-mobility:5', 'mac-mobility:5'),
    Extended('0600010000000005', None, 'mac-mobility:5:sticky', 'mac-mobility:5:sticky'),
    Extended('0c00000100000002', 'mup:1:2', 'mup:1:2', 'mup:1:2'),
    # 5.0 encodes the link bandwidth from the configuration but does not decode it
    Extended('40040001447a0000', 'bandwidth:1:1000', '', '0x40040001447A0000'),
    Extended('0005000000000001', None, '', '0x0005000000000001'),
    Extended('ffffffffffffffff', None, '', '0xFFFFFFFFFFFFFFFF'),
]

EXTENDED_IPV6 = [
    Extended(
        '000c20010db80000000000000000000000010001',
        None,
        'copy-to-nexthop-ietf 2001:db8::1 (with copy)',
        'copy-to-nexthop-ietf 2001:db8::1 (with copy)',
    ),
    Extended(
        '000c00000000000000000000ffff010203040000',
        None,
        'redirect-to-nexthop-ietf ::ffff:1.2.3.4',
        'redirect-to-nexthop-ietf ::ffff:1.2.3.4',
    ),
    Extended(
        '000c000000000000000000000000000100000000',
        None,
        'redirect-to-nexthop-ietf ::0.1.0.0',
        'redirect-to-nexthop-ietf ::0.1.0.0',
    ),
    # 5.0 decodes the IPv6 redirect but prints it as hex
    Extended(
        '800b20010db80000000000000000000000010064',
        None,
        '0x800B20010DB80000000000000000000000010064',
        '0x800B20010DB80000000000000000000000010064',
    ),
    # the IPv6 redirect 5.0's configuration writes, which 5.0 does not name when decoding
    Extended(
        '000220010db80000000000000000000000010005',
        None,
        '',
        '0x000220010DB80000000000000000000000010005',
    ),
]
