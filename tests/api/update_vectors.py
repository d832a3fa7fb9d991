"""UPDATE golden vectors shared by the JSON and text encoder tests (and the fuzz seeds): the wire
body, the session it is decoded under, and the value it decodes to.

Each was decoded by ExaBGP 5.0.15 under the same negotiation (its Update.unpack_message, then its
JSON and text encoders with the clock, host and pids pinned, treat-as-withdraw applied the way its
session does before writing to the API): the expected lines in test_json_update.py and
test_text_update.py are its output, with the differences said there.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.attribute.aggregation import Aggregator
from exabgp.bgp.attribute.aspath import ASPath
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.base import Action, Code
from exabgp.bgp.attribute.community import Communities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import Route

ALL = (IPV4_UNICAST, IPV4_MULTICAST, IPV6_UNICAST, IPV6_MULTICAST)
# an internal session, so that packing adds no attribute the wire does not have
SESSION = Negotiated(local_as=65533, peer_as=65533, asn4=True, families=ALL)
ASN2 = Negotiated(local_as=65533, peer_as=65533, asn4=False, families=ALL)
ADDPATH = Negotiated(
    local_as=65533,
    peer_as=65533,
    asn4=True,
    families=ALL,
    addpath_send=frozenset((IPV4_UNICAST,)),
    addpath_receive=frozenset((IPV4_UNICAST,)),
)
EXTENDED_NEXTHOP = Negotiated(
    local_as=65533, peer_as=65533, asn4=True, families=ALL, nexthop=((IPV4_UNICAST, AFI.IPV6),)
)

ORIGIN = '40010100'
AS_PATH = '400200'
NEXT_HOP = '4003040a000001'
LOCAL_PREF = '40050400000064'
GLOBAL = '20010db8000000000000000000000001'
LINK_LOCAL = 'fe800000000000000000000000000001'
MAPPED = '00000000000000000000ffff0a000001'
# 2001:db8::/32 and 2001:db8:1:2::/64
IPV6_NLRI = '2020010db8' + '4020010db800010002'

BASE = Attributes((ORIGINS[IGP], LocalPreference(100)))
HOP = IPv4Address('10.0.0.1')


def attribute(flags: int, code: int, value: str) -> str:
    return f'{flags:02x}{code:02x}{len(value) // 2:02x}{value}'


def body(withdrawn: str = '', attributes: str = '', nlri: str = '') -> str:
    return f'{len(withdrawn) // 2:04x}{withdrawn}{len(attributes) // 2:04x}{attributes}{nlri}'


def reach(afi: int, safi: int, nexthop: str, nlri: str) -> str:
    return attribute(0x80, 14, f'{afi:04x}{safi:02x}{len(nexthop) // 2:02x}{nexthop}00{nlri}')


def unreach(afi: int, safi: int, nlri: str) -> str:
    return attribute(0x80, 15, f'{afi:04x}{safi:02x}{nlri}')


def v4(text: str, length: int, path_id: int | None = None, family=IPV4_UNICAST) -> INET:
    return INET.make(family, IPv4Address(text), length, path_id)


def v6(text: str, length: int) -> INET:
    return INET.make(IPV6_UNICAST, IPv6Address(text), length)


def routes(attributes: Attributes, nexthop, *nlris: INET) -> tuple[Route, ...]:
    return tuple(Route(nlri, attributes, nexthop) for nlri in nlris)


@dataclass(frozen=True)
class Vector:
    wire: str
    negotiated: Negotiated
    value: Update
    # our packer gives the same bytes back (one family and one kind of change per message)
    packs: bool = False


IPV6_ROUTES = (v6('2001:db8::', 32), v6('2001:db8:1:2::', 64))

VECTORS = {
    'ipv4': Vector(
        body(attributes=ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF, nlri='080a100b01'),
        SESSION,
        Update(announced=routes(BASE, HOP, v4('10.0.0.0', 8), v4('11.1.0.0', 16)), attributes=BASE),
        packs=True,
    ),
    'families': Vector(
        body(
            withdrawn='080b',
            attributes=ORIGIN
            + AS_PATH
            + NEXT_HOP
            + LOCAL_PREF
            + unreach(2, 1, IPV6_NLRI)
            + reach(1, 2, '01020304', '100c01'),
            nlri='080a',
        ),
        SESSION,
        Update(
            announced=routes(BASE, HOP, v4('10.0.0.0', 8))
            + routes(BASE, IPv4Address('1.2.3.4'), v4('12.1.0.0', 16, family=IPV4_MULTICAST)),
            withdrawn=(v4('11.0.0.0', 8), *IPV6_ROUTES),
            attributes=BASE,
        ),
    ),
    'link_local': Vector(
        body(attributes=ORIGIN + AS_PATH + LOCAL_PREF + reach(2, 1, GLOBAL + LINK_LOCAL, IPV6_NLRI)),
        SESSION,
        Update(
            announced=routes(BASE, IPv6Address('2001:db8::1'), *IPV6_ROUTES),
            attributes=BASE,
            link_local=IPv6Address('fe80::1'),
        ),
        packs=True,
    ),
    'mapped': Vector(
        body(attributes=ORIGIN + AS_PATH + LOCAL_PREF + reach(2, 1, MAPPED, IPV6_NLRI[:10])),
        SESSION,
        Update(announced=routes(BASE, IPv6Address('::ffff:10.0.0.1'), IPV6_ROUTES[0]), attributes=BASE),
        packs=True,
    ),
    'addpath': Vector(
        body(
            withdrawn='00000007080c',
            attributes=ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF,
            nlri='00000001080a' + '00000000100b01',
        ),
        ADDPATH,
        Update(
            announced=routes(BASE, HOP, v4('10.0.0.0', 8, 1), v4('11.1.0.0', 16, 0)),
            withdrawn=(v4('12.0.0.0', 8, 7),),
            attributes=BASE,
        ),
    ),
    'treat_as_withdraw': Vector(
        # a one-octet MED
        body(withdrawn='080b', attributes=ORIGIN + AS_PATH + NEXT_HOP + attribute(0x80, 4, '00'), nlri='080a'),
        SESSION,
        Update(
            withdrawn=(v4('11.0.0.0', 8), v4('10.0.0.0', 8)),
            attributes=Attributes((ORIGINS[IGP],)),
            action=Action.TREAT_AS_WITHDRAW,
            code=Code.MED,
        ),
    ),
    'discard': Vector(
        # a five-octet AGGREGATOR on a 4-octet AS session
        body(attributes=ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF + attribute(0xC0, 7, '0000000102'), nlri='080a'),
        SESSION,
        Update(
            announced=routes(BASE, HOP, v4('10.0.0.0', 8)),
            attributes=BASE,
            action=Action.DISCARD,
            code=Code.AGGREGATOR,
            discarded=(Code.AGGREGATOR,),
        ),
    ),
    'eor_ipv4': Vector('00000000', SESSION, Update(eor=IPV4_UNICAST), packs=True),
    'eor_ipv6': Vector(body(attributes=unreach(2, 1, '')), SESSION, Update(eor=IPV6_UNICAST)),
    'eor_ipv4_multicast': Vector(body(attributes=unreach(1, 2, '')), SESSION, Update(eor=IPV4_MULTICAST)),
    'withdrawals': Vector(
        body(withdrawn='080a100b012001020304'),
        SESSION,
        Update(withdrawn=(v4('10.0.0.0', 8), v4('11.1.0.0', 16), v4('1.2.3.4', 32))),
        packs=True,
    ),
    'asn2': Vector(
        body(
            attributes=ORIGIN + attribute(0x40, 2, '0202fde8fde9') + NEXT_HOP + attribute(0xC0, 8, 'fde80001'),
            nlri='180a0102',
        ),
        ASN2,
        Update(
            announced=routes(
                attributes := Attributes(
                    (ORIGINS[IGP], ASPath.sequence((65000, 65001)), Communities((65000 << 16 | 1,)))
                ),
                HOP,
                v4('10.1.2.0', 24),
            ),
            attributes=attributes,
        ),
    ),
    'asn2_as4_path': Vector(
        # AS_PATH (AS_TRANS 65001) with AS4_PATH (65536 65001): merged (RFC 6793 4.2.3)
        body(
            attributes=ORIGIN
            + attribute(0x40, 2, '02025ba0fde9')
            + NEXT_HOP
            + attribute(0xC0, 17, '0202' + '00010000' + '0000fde9'),
            nlri='180a0102',
        ),
        ASN2,
        Update(
            announced=routes(
                attributes := Attributes((ORIGINS[IGP], ASPath.sequence((65536, 65001)))),
                HOP,
                v4('10.1.2.0', 24),
            ),
            attributes=attributes,
        ),
    ),
    'extended_nexthop': Vector(
        body(attributes=ORIGIN + AS_PATH + LOCAL_PREF + reach(1, 1, GLOBAL + LINK_LOCAL, '180a0102')),
        EXTENDED_NEXTHOP,
        Update(
            announced=routes(BASE, IPv6Address('2001:db8::1'), v4('10.1.2.0', 24)),
            attributes=BASE,
            link_local=IPv6Address('fe80::1'),
        ),
        packs=True,
    ),
    'aggregator': Vector(
        body(attributes=ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF + attribute(0xC0, 7, '0000fde801020304'), nlri='080a'),
        SESSION,
        Update(
            announced=routes(
                attributes := Attributes(
                    (ORIGINS[IGP], LocalPreference(100), Aggregator(65000, IPv4Address('1.2.3.4')))
                ),
                HOP,
                v4('10.0.0.0', 8),
            ),
            attributes=attributes,
        ),
        packs=True,
    ),
    'attributes_only': Vector(
        body(attributes=ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF), SESSION, Update(attributes=BASE)
    ),
    'unreach_only': Vector(
        body(attributes=unreach(2, 1, IPV6_NLRI)), SESSION, Update(withdrawn=IPV6_ROUTES), packs=True
    ),
}
