"""The family table and the lists derived from it: the default families in 5.0's order, the names
the `family { }` section reads, the rows the announce forms write to, which family a `route`
statement is, and the families we can offer."""

import pytest

from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.nlri import table
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.nlri.labeled import Labeled

IPV4_LABELED = Family(AFI.IPV4, SAFI.NLRI_MPLS)
IPV6_LABELED = Family(AFI.IPV6, SAFI.NLRI_MPLS)

# the multiprotocol capabilities of the OPEN 5.0.15 sends for a neighbor without a `family`
# section, in order (recorded with qa/sbin/bgp --record)
OPEN_5_0 = [
    (1, 1), (1, 2), (1, 4), (1, 5), (1, 85), (1, 128), (1, 132), (1, 133), (1, 134),
    (2, 1), (2, 2), (2, 4), (2, 5), (2, 85), (2, 128), (2, 133), (2, 134),
    (25, 65), (25, 70), (16388, 71), (16388, 72),
]  # fmt: skip


def test_default_is_the_order_5_0_offers() -> None:
    assert [(int(family.afi), int(family.safi)) for family in table.DEFAULT] == OPEN_5_0
    assert len(set(table.DEFAULT)) == len(table.DEFAULT)
    # the rest of the table: the 6.0 families, negotiated only when a `family` section names them
    assert [str(family) for family in table.TABLE if family not in table.DEFAULT] == [
        'ipv4 sr-policy',
        'ipv6 sr-policy',
    ]
    assert not any(table.TABLE[family].default for family in table.TABLE if family not in table.DEFAULT)


def test_decode_takes_every_family_of_the_table() -> None:
    assert set(table.DECODED) == set(table.TABLE)
    keys = [(int(family.afi), int(family.safi)) for family in table.DECODED]
    assert keys == sorted(keys)
    assert (1, 73) in keys and (1, 73) not in [(int(family.afi), int(family.safi)) for family in table.ALL]


def test_all_is_sorted_by_afi_then_safi() -> None:
    assert sorted(table.ALL) == sorted(table.DEFAULT)
    keys = [(int(family.afi), int(family.safi)) for family in table.ALL]
    assert keys == sorted(keys)


def test_built_families_are_the_ones_with_a_codec() -> None:
    built = table.built(table.DEFAULT)
    assert {IPV4_UNICAST, IPV4_MULTICAST, IPV4_LABELED, IPV6_UNICAST, IPV6_MULTICAST, IPV6_LABELED} <= set(built)
    assert built == tuple(family for family in table.DEFAULT if table.TABLE[family].codec is not None)
    unbuilt = Family.of(3, 1)  # no row: every family 5.0 knows is built
    assert table.built((unbuilt, IPV6_LABELED)) == (IPV6_LABELED,)
    assert table.codec(IPV4_UNICAST) is INET and table.codec(IPV6_LABELED) is Labeled
    assert table.codec(unbuilt) is None
    assert table.spec(Family.of(3, 1)) is None and table.codec(Family.of(3, 1)) is None


def test_names_are_5_0s_words() -> None:
    names = table.names()
    assert list(names) == ['ipv4', 'ipv6', 'l2vpn', 'bgp-ls']
    assert names['ipv4']['nlri-mpls'] == IPV4_LABELED
    assert names['ipv6']['nlri-mpls'] == IPV6_LABELED
    # not accepted in a `family { }` section by 5.0.15 ("invalid afi/safi pair")
    assert 'rtc' not in names['ipv4'] and 'multicast' not in names['ipv6']
    everything = table.names(configurable_only=False)
    assert everything['ipv4']['rtc'] == Family(AFI.IPV4, SAFI.RTC)
    assert everything['ipv6']['multicast'] == IPV6_MULTICAST
    assert {str(family) for words in everything.values() for family in words.values()} == {
        str(family) for family in table.TABLE
    }
    assert names['ipv4']['sr-policy'] == Family(AFI.IPV4, SAFI.SR_POLICY)


def test_only_ipv4_unicast_uses_the_nlri_field_and_it_and_mcast_vpn_group() -> None:
    assert table.NLRI_FIELD == IPV4_UNICAST
    # 5.0 packs mcast-vpn routes of one attribute set together (the conf-mvpn reference case)
    mvpn = [Family(AFI.IPV4, SAFI.MCAST_VPN), Family(AFI.IPV6, SAFI.MCAST_VPN)]
    assert [family for family in table.DEFAULT if table.grouped(family)] == [IPV4_UNICAST, *mvpn]
    assert not table.grouped(Family.of(3, 1))


def test_labeled_rows() -> None:
    for family in (IPV4_LABELED, IPV6_LABELED):
        row = table.TABLE[family]
        assert row.name == f'{family.afi.label} nlri-mpls'
        assert row.built and row.announce and row.addpath and row.withdraw_attributes
        assert row.keywords == {'path-information', 'label'} and row.selected_by == ('label',)
    # RFC 8950: an IPv4 labeled route may take an IPv6 next hop, as IPv4 unicast
    assert table.TABLE[IPV4_LABELED].extended_nexthop == AFI.IPV6
    assert table.TABLE[IPV6_LABELED].extended_nexthop is None


@pytest.mark.parametrize(
    ('afi', 'word', 'family'),
    [
        (AFI.IPV4, 'unicast', IPV4_UNICAST),
        (AFI.IPV4, 'multicast', IPV4_MULTICAST),
        (AFI.IPV4, 'nlri-mpls', IPV4_LABELED),
        (AFI.IPV6, 'nlri-mpls', IPV6_LABELED),
        (AFI.IPV6, 'multicast', IPV6_MULTICAST),
        (AFI.IPV4, 'flow', Family(AFI.IPV4, SAFI.FLOW_IP)),
        (AFI.IPV6, 'mpls-vpn', Family(AFI.IPV6, SAFI.MPLS_VPN)),
        (AFI.IPV4, 'rtc', None),
        (AFI.IPV4, 'evpn', None),
        (AFI.L2VPN, 'vpls', Family(AFI.L2VPN, SAFI.VPLS)),
        (AFI.IPV4, 'vpls', None),
        (AFI.IPV4, 'nonsense', None),
    ],
)
def test_announce_family(afi, word, family) -> None:
    row = table.announce_family(afi, word)
    assert (row.family if row is not None else None) == family


@pytest.mark.parametrize(
    ('afi', 'multicast', 'written', 'family'),
    [
        (AFI.IPV4, False, (), IPV4_UNICAST),
        (AFI.IPV4, True, (), IPV4_MULTICAST),
        (AFI.IPV4, False, ('med', 'path-information'), IPV4_UNICAST),
        (AFI.IPV4, False, ('label',), IPV4_LABELED),
        # label wins over the multicast range (5.0: `route 224.0.6.0/24 ... label 5` is nlri-mpls)
        (AFI.IPV4, True, ('label',), IPV4_LABELED),
        (AFI.IPV6, False, ('label',), IPV6_LABELED),
        # rd makes it VPN whatever else is written
        (AFI.IPV4, False, ('label', 'rd'), Family(AFI.IPV4, SAFI.MPLS_VPN)),
        (AFI.IPV6, False, ('route-distinguisher',), Family(AFI.IPV6, SAFI.MPLS_VPN)),
    ],
)
def test_route_family_precedence(afi, multicast, written, family) -> None:
    assert table.route_family(afi, multicast, written) == family


def test_selecting_keywords() -> None:
    assert {'label', 'rd', 'route-distinguisher'} == table.SELECTING
