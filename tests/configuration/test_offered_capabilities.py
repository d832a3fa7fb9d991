"""The OPEN capabilities of configured neighbors, byte for byte as 5.0.15 sends them, and the
`validate -n -r` self-check (encode, decode back, compare)."""

from exabgp.bgp.message.open import pack_capabilities
from exabgp.configuration import selfcheck
from exabgp.configuration.capabilities import capabilities
from exabgp.configuration.parser import load_text

HEAD = 'router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 1;'


def neighbor_of(body: str):  # type: ignore[no-untyped-def]
    (neighbor,) = load_text(f'neighbor 127.0.0.1 {{ {HEAD} {body} }}').neighbors
    return neighbor


def test_every_capability_in_5_0_order_and_bytes() -> None:
    neighbor = neighbor_of(
        'host-name h; domain-name d.com;'
        'family { ipv4 unicast; ipv6 unicast; } add-path { ipv4 unicast; } nexthop { ipv4 unicast ipv6; }'
        'capability { multi-session; graceful-restart 120; route-refresh; add-path send/receive;'
        ' software-version enable; operational; nexthop; }'
    )
    # Capabilities().new() of 5.0.15 for the same neighbor settings, packed
    expected = (
        '75020601040001000102060104000200010206410400000001020805060001000100020206450400010103020c400a00780001'
        '01800002018002020200020246000202b90002020600020a4908016805642e636f6d02104b0e0d4578614247502f352e302e31'
        '35020344010002034401010203830100'
    )
    assert pack_capabilities(capabilities(neighbor, '5.0.15')).hex() == expected


def test_default_capabilities() -> None:
    offered = capabilities(neighbor_of('family { ipv4 unicast; }'), '5.0.15')
    assert [capability.CODE for capability in offered] == [1, 65, 6]


def test_graceful_restart_after_a_restart_and_auto_local_as() -> None:
    neighbor = neighbor_of('local-as auto; family { ipv4 unicast; } capability { graceful-restart; }')
    (_, asn4, graceful, _) = capabilities(neighbor, '5.0.15', restarted=True, local_as=65000)
    assert asn4.asn == 65000  # type: ignore[attr-defined]
    assert (graceful.restart_flags, graceful.restart_time) == (8, 180)  # type: ignore[attr-defined]


def test_selfcheck_passes_on_a_rich_configuration() -> None:
    neighbor = neighbor_of(
        'family { ipv4 unicast; ipv6 unicast; ipv4 multicast; } capability { add-path send/receive; route-refresh; }'
        'static {'
        ' route 10.0.0.0/24 next-hop 1.1.1.1 med 5 as-path [ 1 2 ] ( 3 ) community [ 1:1 no-export ]'
        '  large-community 1:2:3 extended-community [ target:1:1 origin:1.2.3.4:5 ] aggregator ( 1:2.2.2.2 )'
        '  originator-id 3.3.3.3 cluster-list [ 4.4.4.4 ] atomic-aggregate path-information 7;'
        ' route 10.0.1.0/24 next-hop self local-preference 50 origin egp;'
        ' route 2001:db8::/32 next-hop 2001:db8::1 attribute [ 0xf0 0xc0 0x01020304 ];'
        ' route 224.0.0.0/8 next-hop 1.1.1.1;'
        '}'
    )
    assert selfcheck.neighbor(neighbor, '5.0.15') == []
    assert selfcheck.routes(neighbor, '5.0.15') == []


def test_selfcheck_accepts_an_ipv6_route_with_an_ipv4_next_hop() -> None:
    # 5.0 sends a 4-octet next hop in the MP_REACH_NLRI and reads it back: so do we
    neighbor = neighbor_of('family { ipv6 unicast; } static { route 2001:db8::/32 next-hop 1.1.1.1; }')
    assert selfcheck.routes(neighbor, '5.0.15') == []


def test_selfcheck_skips_routes_of_families_not_negotiated() -> None:
    assert selfcheck.routes(neighbor_of('family { ipv6 unicast; }'), '5.0.15') == []
