"""negotiate() and validate() against ExaBGP 5.0's rules.

Every case here was also run through 5.0.15's Negotiated (sent, received, validate(neighbor)) with
the same OPENs and neighbor settings; the expected values are what it computed.
"""

from ipaddress import IPv4Address

import pytest

from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.base import Capability
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.negotiation import mismatch, negotiate, validate
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.operational import Operational
from exabgp.bgp.capability.refresh import CiscoRouteRefresh, EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import EXTENDED_SIZE, STANDARD_SIZE, Refresh

IPV4_VPN = Family(AFI.IPV4, SAFI.MPLS_VPN)
IPV4_LABELLED = Family(AFI.IPV4, SAFI.NLRI_MPLS)

V4, V6 = MultiProtocol(IPV4_UNICAST), MultiProtocol(IPV6_UNICAST)
OURS = (V4, V6, ASN4(65000), RouteRefresh(), EnhancedRouteRefresh())
ROUTER_ID = '10.0.0.9'


def sent(*extra: Capability, asn: int = 65000, hold: int = 180) -> Open:
    return Open(4, asn, hold, IPv4Address('10.0.0.1'), OURS + extra)


def received(*capabilities: Capability, asn: int = 65001, hold: int = 180, rid: str = '10.0.0.2') -> Open:
    return Open(4, asn, hold, IPv4Address(rid), capabilities)


def check(ours: Open, theirs: Open, peer_as: int | None = 65001, local_as: int = 65000):
    error = validate(ours, theirs, peer_as=peer_as, local_as=local_as, router_id=ROUTER_ID)
    if error is None:
        return None
    # RFC 4271 6.2 gives these errors no data: the reason is 5.0's data, sent with notification.text
    assert error.data == b''
    return (error.code, error.subcode, error.chosen(True)[1].decode())


def test_a_plain_session() -> None:
    theirs = received(V6, V4, MultiProtocol(IPV4_MULTICAST), ASN4(65001), RouteRefresh(), hold=90)
    negotiated = negotiate(sent(), theirs)
    assert negotiated.local_as == 65000
    assert negotiated.peer_as == 65001
    assert negotiated.hold_time == 90
    assert negotiated.asn4
    assert negotiated.families == (IPV6_UNICAST, IPV4_UNICAST)  # the peer's order
    assert negotiated.refresh == Refresh.NORMAL
    assert negotiated.msg_size == STANDARD_SIZE
    assert not negotiated.multisession
    assert not negotiated.operational
    assert not negotiated.aigp
    assert check(sent(), theirs) is None


def test_enhanced_refresh_extended_message_and_operational_need_both_sides() -> None:
    theirs = received(V4, ExtendedMessage(), Operational(), CiscoRouteRefresh())
    negotiated = negotiate(sent(ExtendedMessage(), Operational()), theirs)
    assert negotiated.msg_size == EXTENDED_SIZE
    assert negotiated.operational
    assert negotiated.refresh == Refresh.ABSENT  # the Cisco code does not count
    assert negotiate(sent(), theirs).msg_size == STANDARD_SIZE
    enhanced = negotiate(sent(CiscoRouteRefresh()), received(V4, CiscoRouteRefresh(), EnhancedRouteRefresh()))
    assert enhanced.refresh == Refresh.ENHANCED


def test_aigp_is_passed_through() -> None:
    assert negotiate(sent(), received(V4), aigp=True).aigp


def test_no_multiprotocol_on_one_side_means_no_family() -> None:
    assert negotiate(sent(), received()).families == ()
    assert negotiate(Open(4, 65000, 180, IPv4Address('10.0.0.1')), received(V4)).families == ()


def test_duplicated_families_stay_as_5_0_kept_them() -> None:
    assert negotiate(sent(), received(V4, V4)).families == (IPV4_UNICAST, IPV4_UNICAST)


def test_peer_as_comes_from_asn4_when_as_trans() -> None:
    theirs = received(V4, ASN4(4200000000), asn=23456)
    assert negotiate(sent(), theirs).peer_as == 4200000000
    assert check(sent(), theirs, peer_as=4200000000) is None
    assert check(sent(), theirs, peer_as=None) is None
    assert check(sent(), theirs, peer_as=23456) == (2, 2, 'ASN in OPEN (23456) did not match ASN expected (23456)')
    # without ASN4 on our side the 2-octet field is the AS
    ours = Open(4, 65000, 180, IPv4Address('10.0.0.1'), (V4,))
    assert negotiate(ours, theirs).peer_as == 23456
    assert check(ours, theirs, peer_as=23456) is None


def test_bad_peer_as() -> None:
    assert check(sent(), received(V4, asn=65002)) == (2, 2, 'ASN in OPEN (65002) did not match ASN expected (65001)')


def test_bgp_identifier() -> None:
    assert check(sent(), received(V4, rid='0.0.0.0')) == (2, 3, '0.0.0.0 is an invalid router_id')
    collision = received(V4, asn=65000, rid=ROUTER_ID)
    assert check(sent(), collision, peer_as=65000) == (
        2,
        3,
        'BGP Identifier collision, same router-id (10.0.0.9) on both sides of this IBGP session',
    )
    # the same identifier from another AS is fine
    assert check(sent(), received(V4, rid=ROUTER_ID)) is None


@pytest.mark.parametrize(
    ('hold', 'error'),
    [(0, None), (1, (2, 6, 'Hold Time is invalid (1)')), (2, (2, 6, 'Hold Time is invalid (2)')), (3, None)],
)
def test_hold_time(hold: int, error) -> None:
    assert check(sent(), received(V4, hold=hold)) == error
    assert negotiate(sent(), received(V4, hold=hold)).hold_time == hold


def test_addpath_per_family_and_direction() -> None:
    ours = sent(AddPath(((IPV4_UNICAST, 3), (IPV6_UNICAST, 1), (IPV4_MULTICAST, 2))))
    theirs = received(V4, V6, AddPath(((IPV4_UNICAST, 3), (IPV6_UNICAST, 2), (IPV4_MULTICAST, 3), (IPV4_VPN, 3))))
    negotiated = negotiate(ours, theirs)
    assert negotiated.addpath_send == {IPV4_UNICAST, IPV4_MULTICAST}
    assert negotiated.addpath_receive == {IPV4_UNICAST, IPV6_UNICAST}
    assert negotiated.send_path(IPV4_MULTICAST)
    assert not negotiated.receive_path(IPV4_VPN)


def test_addpath_one_way_and_out_of_range_values() -> None:
    assert negotiate(sent(AddPath(((IPV4_UNICAST, 2),))), received(V4, AddPath(((IPV4_UNICAST, 1),)))).addpath_send == {
        IPV4_UNICAST
    }
    both = negotiate(sent(AddPath(((IPV4_UNICAST, 7),))), received(V4, AddPath(((IPV4_UNICAST, 3),)), AddPath()))
    assert both.addpath_send == both.addpath_receive == {IPV4_UNICAST}
    assert (
        negotiate(sent(AddPath(((IPV4_UNICAST, 1),))), received(V4, AddPath(((IPV4_UNICAST, 1),)))).addpath_receive
        == set()
    )


def test_extended_next_hop_intersection_in_received_order() -> None:
    ours = sent(ExtendedNextHop(((IPV4_UNICAST, AFI.IPV6), (IPV4_VPN, AFI.IPV6))))
    theirs = received(V4, ExtendedNextHop(((IPV4_VPN, AFI.IPV6), (IPV4_UNICAST, AFI.IPV6), (IPV4_LABELLED, AFI.IPV6))))
    assert negotiate(ours, theirs).nexthop == ((IPV4_VPN, AFI.IPV6), (IPV4_UNICAST, AFI.IPV6))
    assert negotiate(ours, received(V4)).nexthop == ()


MS = MultiSession(0, b'\x01')


@pytest.mark.parametrize(
    ('ours', 'theirs', 'agreed', 'error'),
    [
        ((MS,), (V4, V6, MultiSession()), True, None),
        (
            (MS,),
            (V6, V4, MultiSession()),
            True,
            (2, 8, 'when checking session id, capability multiprotocol did not match'),
        ),
        (
            (MS,),
            (V4, V6, MultiSession(0, b'\x02')),
            True,
            (2, 8, 'multisession, our peer did not reply with the same sessionid'),
        ),
        ((MultiSession(0, b'\x02'),), (V4, V6, RouteRefresh(), MultiSession(0, b'\x02')), True, None),
        (
            (MultiSession(0, b'\x41'),),
            (V4, ASN4(65001), MultiSession(0, b'\x41')),
            True,
            (2, 8, 'when checking session id, capability asn4 did not match'),
        ),
        ((MultiSession(),), (V4, V6), False, (2, 9, 'multisession is mandatory with this peer')),
        ((MultiSession(), CiscoMultiSession()), (V4, V6, CiscoMultiSession()), True, None),
        ((CiscoMultiSession(),), (V4, V6, MultiSession()), False, (2, 9, 'multisession is mandatory with this peer')),
        ((), (V4, MultiSession()), False, None),
    ],
)
def test_multisession(ours, theirs, agreed: bool, error) -> None:
    assert negotiate(sent(*ours), received(*theirs)).multisession is agreed
    assert check(sent(*ours), received(*theirs)) == error


def test_multisession_keeps_the_first_of_several() -> None:
    # 5.0 sent its Session Id as separate one-octet TLVs: the first (flags only) is the one that counts
    theirs = received(V4, V6, MultiSession(), MultiSession(1))
    assert check(sent(MultiSession(), MultiSession(1)), theirs) is None


def test_validation_order_is_5_0s() -> None:
    # every check fails at once: the peer AS is reported first
    theirs = received(MultiSession(0, b'\x02'), asn=65002, hold=1, rid='0.0.0.0')
    assert check(sent(MS), theirs)[:2] == (2, 2)


def test_mismatch_lists_families_one_side_lacks() -> None:
    assert mismatch(sent(), received(V4, MultiProtocol(IPV4_MULTICAST))) == (
        ('peer', IPV6_UNICAST),
        ('exabgp', IPV4_MULTICAST),
    )
