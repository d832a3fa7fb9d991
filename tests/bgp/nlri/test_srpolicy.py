"""SR Policy NLRI (RFC 9830 2.1): wire, JSON and text, the malformed forms, and the configuration and
API grammar that announces it with its tunnel encapsulation attribute.

The wire forms are written out by hand from RFC 9830's layouts (5.0.15 knows no SAFI 73); the JSON
keys and the configuration words are upstream main's.
"""

from ipaddress import IPv4Address, IPv6Address

import pytest

from exabgp.api.command import Routes, parse
from exabgp.bgp.attribute.tunnel import TunnelEncap
from exabgp.bgp.errors import INVALID_NETWORK_FIELD, Malformed
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.srpolicy import SRPolicy
from exabgp.bgp.nlri.table import TABLE, announce_family
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.route import srpolicy
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.tokenizer import tokenize

IPV4 = Family(AFI.IPV4, SAFI.SR_POLICY)
IPV6 = Family(AFI.IPV6, SAFI.SR_POLICY)


def test_ipv4_nlri() -> None:
    wire = bytes.fromhex('6000000001000000c80a000002')
    (nlri,) = SRPolicy.unpack_all(IPV4, wire, False)
    assert (nlri.distinguisher, nlri.color, nlri.endpoint, nlri.path_id) == (1, 200, bytes((10, 0, 0, 2)), None)
    assert nlri.pack(False) == wire
    assert nlri.pack(True) == bytes(4) + wire
    assert nlri.json() == '{"distinguisher": 1, "color": 200, "endpoint": "10.0.0.2"}'
    assert str(nlri) == 'sr-policy distinguisher 1 color 200 endpoint 10.0.0.2'


def test_ipv6_nlri_with_path_identifiers() -> None:
    one = '00000007c0ffffffff0000006420010db8000000000000000000000001'
    two = '00000008c0000000000000006520010db8000000000000000000000002'
    first, second = SRPolicy.unpack_all(IPV6, bytes.fromhex(one + two), True)
    assert first.path_id == 7 and first.distinguisher == 0xFFFFFFFF and second.color == 101
    assert first.json() == '{"distinguisher": 4294967295, "color": 100, "endpoint": "2001:db8::1"}'
    assert first.pack(True).hex() == one
    # the RIB files the same policy under another path identifier apart
    assert first.index() != SRPolicy(IPV6, 0xFFFFFFFF, 100, first.endpoint, 8).index()


@pytest.mark.parametrize(
    ('family', 'wire', 'why'),
    [
        (IPV4, '60000000010000000a0000', 'ends inside'),
        (IPV4, 'c0' + '00' * 24, 'length 192 bits'),
        (IPV6, '60' + '00' * 12, 'length 96 bits'),
        (IPV4, '00', 'length 0 bits'),
    ],
)
def test_malformed(family: Family, wire: str, why: str) -> None:
    with pytest.raises(Malformed, match=why) as caught:
        SRPolicy.unpack_all(family, bytes.fromhex(wire), False)
    assert caught.value.subcode == INVALID_NETWORK_FIELD


def test_every_cut_is_malformed_or_routes() -> None:
    wire = bytes.fromhex('000000016000000001000000c80a000002') * 2
    for cut in range(len(wire) + 1):
        try:
            found = SRPolicy.unpack_all(IPV4, wire[:cut], True)
        except Malformed:
            continue
        assert cut in (0, 17, 34) and len(found) == cut // 17


def test_row() -> None:
    row = TABLE[IPV4]
    assert row.codec is SRPolicy and not row.default and row.announce and not row.nexthop_attribute
    assert announce_family(AFI.IPV6, 'sr-policy') is TABLE[IPV6]


# ---------------------------------------------------------------- the configuration and the API


def _statement(text: str, afi: int | None):
    return srpolicy.statement(Cursor(tokenize(text)), afi)


def test_configuration_builds_the_policy() -> None:
    (routes, watchdog, family) = _statement(
        'sr-policy distinguisher 0 color 100 endpoint 10.0.0.1 next-hop 192.0.2.1 preference 100 '
        'binding-sid mpls 24000 segment-list weight 1 segment type-a mpls 16001',
        None,
    )
    (route,) = routes
    assert family == IPV4 and watchdog is None
    assert route.nexthop == IPv4Address('192.0.2.1')
    (attribute,) = route.attributes
    assert isinstance(attribute, TunnelEncap)
    # RFC 9012 2 / RFC 9830 2.4: tunnel type 15; preference, binding SID, a segment list
    assert attribute.value.hex() == (
        '000f0024'
        '0c06' '0000' '00000064'
        '0d06' '1000' '05dc0100'
        '800011' '00' '0906' '0000' '00000001' '0106' '0000' '03e81100'
    )  # fmt: skip


def test_static_takes_the_family_of_the_endpoint() -> None:
    (route,), _, family = _statement(
        'sr-policy distinguisher 0 color 500 endpoint 2001:db8::1 next-hop 2001:db8::ffff preference 100 '
        'segment-list weight 1 segment type-b srv6 fc00::a segment type-b srv6 fc00::b',
        None,
    )
    assert family == IPV6 and route.nexthop == IPv6Address('2001:db8::ffff')


@pytest.mark.parametrize(
    ('words', 'error'),
    [
        ('distinguisher 0 color 1 endpoint 10.0.0.1', "expected 'next-hop'"),
        ('distinguisher 4294967296 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1', 'a number of 32 bits'),
        ('distinguisher 0 color 1 endpoint 2001::1 next-hop 1.1.1.1', 'not an IPv4 endpoint'),
        ('distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 priority 256', 'a number of 8 bits'),
        ('distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 binding-sid mpls 1048576', '0 to 1048575'),
        ('distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 binding-sid srv6', 'not a binding SID type'),
        ('distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 enlp 5', 'explicit null label policy'),
        ('distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 community 1:1', "unexpected 'community'"),
        (
            'distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 segment-list weight 1 segment type-c ipv4 ::1',
            'not an IPv4 ipv4',
        ),
        (
            'distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 segment-list weight 1 '
            'segment type-b srv6 fc00::1 endpoint-behavior 65536 0 0 0 0',
            'a number of 16 bits',
        ),
    ],
)
def test_configuration_errors(words: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        _statement('sr-policy ' + words, AFI.IPV4)


def test_api_announce_and_withdraw() -> None:
    builder = Builder()
    command = parse(
        'announce ipv4 sr-policy distinguisher 0 color 300 endpoint 10.0.0.3 next-hop 192.0.2.1 preference 300 '
        'segment-list weight 1 segment type-a mpls 16001 segment-list weight 2 segment type-a mpls 16002',
        builder,
    )
    assert isinstance(command, Routes) and not command.withdraw
    (route,) = command.routes
    assert str(route.nlri) == 'sr-policy distinguisher 0 color 300 endpoint 10.0.0.3'
    assert srpolicy.text(route) == (
        'distinguisher 0 color 300 endpoint 10.0.0.3 next-hop 192.0.2.1 preference 300 '
        'segment-list weight 1 segment type-a mpls 16001 segment-list weight 2 segment type-a mpls 16002'
    )
    withdrawn = parse('withdraw ipv4 sr-policy distinguisher 0 color 300 endpoint 10.0.0.3', builder)
    assert isinstance(withdrawn, Routes) and withdrawn.withdraw
    assert withdrawn.routes[0].nlri.index() == route.nlri.index()
    assert withdrawn.routes[0].nexthop is None
    with pytest.raises(ValueError, match="expected 'next-hop'"):
        parse('announce ipv6 sr-policy distinguisher 0 color 1 endpoint 2001::1', builder)
