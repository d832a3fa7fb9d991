"""`show adj-rib out` lists the next hop a peer is sent: `next-hop self` resolved as the sender does.

These peers have no session: the configured local address (or its absence) decides. The same with a
live session is checked in test_api_processes.py."""

from ipaddress import ip_address

from exabgp import settings
from exabgp.bgp.route import SELF
from exabgp.configuration.parser import load_text
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer
from exabgp.reactor.showing import as_sent

ROUTES = """
    family { ipv4 unicast; ipv6 unicast; }
    static {
        route 10.1.0.0/16 next-hop self;
        route 10.2.0.0/16 next-hop 192.0.2.2;
        route 2001:db8:1::/48 next-hop self;
    }
"""


def shown(address: str, statements: str) -> dict[str, object]:
    text = f'neighbor {address} {{ local-as 65001; peer-as 65002; {statements} {ROUTES} }}'
    (neighbor,) = load_text(text).neighbors
    peer = Peer(neighbor, settings.load({}, ''), Observer())
    return {str(route.nlri.prefix()): route.nexthop for route in as_sent(peer)(list(peer.rib_out.routes()))}


def test_self_is_the_configured_local_address_before_any_session() -> None:
    assert shown('192.0.2.1', 'local-address 192.0.2.7; router-id 10.0.0.1;') == {
        '10.1.0.0/16': ip_address('192.0.2.7'),
        '10.2.0.0/16': ip_address('192.0.2.2'),
        # no IPv6 address on an IPv4 session: nothing is sent for it, and it keeps `self`
        '2001:db8:1::/48': SELF,
    }


def test_an_ipv4_route_on_an_ipv6_session_is_sent_the_router_id() -> None:
    assert shown('2001:db8::1', 'local-address 2001:db8::7; router-id 10.0.0.1;') == {
        '10.1.0.0/16': ip_address('10.0.0.1'),
        '10.2.0.0/16': ip_address('192.0.2.2'),
        '2001:db8:1::/48': ip_address('2001:db8::7'),
    }


def test_self_stays_while_the_local_address_is_unknown() -> None:
    assert shown('192.0.2.1', 'router-id 10.0.0.1;') == {
        '10.1.0.0/16': SELF,
        '10.2.0.0/16': ip_address('192.0.2.2'),
        '2001:db8:1::/48': SELF,
    }
