"""upstream 6.0's additions to the codec, each off unless asked for: the link-local next hop
capability (77), and the MP_UNREACH_NLRI order and label JSON of 6.0's mode.

The 5.0 form is checked next to each: without the capability on both sides, or without our
`local-link-local`, the next hop is sent as 5.0 sends it.
"""

import dataclasses
from ipaddress import IPv4Address, IPv6Address

from exabgp.api.json_update import message_json
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.negotiation import negotiate
from exabgp.bgp.capability.unknown import UnknownCapability
from exabgp.bgp.family import AFI, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import labels as stack
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.nlri.labeled import Labeled

OURS = IPv6Address('fe80::1')
SESSION = Negotiated(local_as=65001, peer_as=65001, asn4=True, families=(IPV6_UNICAST,))
LLNH = dataclasses.replace(SESSION, link_local=OURS)
ROUTE = INET.make(IPV6_UNICAST, IPv6Address('2001:db8:1::1'), 128)
PLAIN = Attributes((ORIGINS[IGP],))


def opened(*extra) -> Open:
    return Open(4, 65001, 180, IPv4Address('10.0.0.1'), (MultiProtocol(IPV6_UNICAST), ASN4(65001), *extra))


def sent_nexthop(negotiated: Negotiated, nexthop: IPv6Address) -> tuple[IPv6Address, ...]:
    """The addresses of the MP_REACH_NLRI next hop field, once the message decodes back."""
    (message,) = update_pack.announce(IPV6_UNICAST, [ROUTE], PLAIN, nexthop, negotiated)
    assert [route.nlri for route in Update.unpack(message[19:], negotiated).announced] == [ROUTE]
    start = message.index(bytes.fromhex('000201')) + 3  # AFI 2, SAFI 1, then the next hop length
    field = message[start + 1 : start + 1 + message[start]]
    return tuple(IPv6Address(field[offset : offset + 16]) for offset in range(0, len(field), 16))


def test_link_local_next_hop_needs_the_capability_on_both_sides() -> None:
    capability = UnknownCapability(77)
    assert negotiate(opened(capability), opened(capability), link_local=OURS).link_local == OURS
    assert negotiate(opened(capability), opened(), link_local=OURS).link_local is None
    assert negotiate(opened(), opened(capability), link_local=OURS).link_local is None
    assert negotiate(opened(capability), opened(capability)).link_local is None


def test_a_global_next_hop_goes_with_our_link_local_address() -> None:
    global_hop = IPv6Address('2001:db8::ffff')
    assert sent_nexthop(LLNH, global_hop) == (global_hop, OURS)
    # 5.0: the global address alone
    assert sent_nexthop(SESSION, global_hop) == (global_hop,)


def test_a_link_local_next_hop_is_sent_alone() -> None:
    hop = IPv6Address('fe80::cafe')
    assert sent_nexthop(LLNH, hop) == (hop,)


def test_labels_in_6_0_json_carry_their_stack_entry() -> None:
    assert stack.json((3,)) == '"label": [ [3] ]'
    assert stack.json_six((3,)) == '"label": [ [3, 49] ]'
    # only the last entry has the bottom-of-stack bit
    assert stack.json_six((301, 302)) == '"label": [ [301, 4816], [302, 4833] ]'


def test_api_json_of_a_labeled_route_in_each_mode() -> None:
    family = Family(AFI.IPV4, SAFI.NLRI_MPLS)
    session = Negotiated(local_as=65001, peer_as=65001, asn4=True, families=(family,))
    nlri = Labeled.make(family, IPv4Address('10.0.0.0').packed, 24, (1000,))
    (message,) = update_pack.announce(family, [nlri], PLAIN, IPv4Address('1.2.3.4'), session)
    update = Update.unpack(message[19:], session)
    assert '"label": [ [1000] ]' in message_json(update)
    assert '"label": [ [1000, 16001] ]' in message_json(update, six=True)
    (withdrawal,) = update_pack.withdraw(family, [nlri], session)
    assert '"label": [ [1000, 16001] ]' in message_json(Update.unpack(withdrawal[19:], session), six=True)
