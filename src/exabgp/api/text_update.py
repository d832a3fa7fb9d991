"""The text encoder's lines for an UPDATE, as ExaBGP 5.0 writes them to API processes.

    neighbor <peer> <direction> update start
    neighbor <peer> <direction> update withdrawn <nlri>
    neighbor <peer> <direction> update announced <nlri> next-hop <ip><attributes>
    neighbor <peer> <direction> update route eor <afi>/<safi> (<afi name> <safi name>)
     header 0x.. body 0x..                                  when the API asked for packets
    neighbor <peer> <direction> update end

Invariants (5.0's, checked against 5.0.15's encoder):
- One line per route, each ending with a newline, in 5.0's order: the withdrawn routes field, the
  NLRI field, then MP_UNREACH_NLRI and MP_REACH_NLRI.
- <nlri> is the NLRI's text form (path identifier included); <attributes> is the attributes' text,
  each item after a space, followed by ` error discard` / ` error treat-as-withdraw` as in the JSON.
- A route of an MP_REACH_NLRI with a link-local next hop has two lines, the global next hop then
  the link-local one; a route without next hop has no `next-hop` item.
- A route of EVPN, MCAST-VPN, MUP, RTC or BGP-LS (table.FAMILY_TEXT) is `afi AFI safi SAFI` and no
  next hop, announced or withdrawn: 5.0's text encoder asks these NLRI for a form they do not have
  and gets their family's.
"""

from collections.abc import Callable, Sequence
from ipaddress import IPv6Address
from typing import TypeVar

from exabgp.api.envelope import Peer, packets_suffix
from exabgp.api.json_update import errors, nexthop_text
from exabgp.bgp.family import afi_name, safi_name
from exabgp.bgp.message.update import Update
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.table import FAMILY_TEXT, NLRI_FIELD
from exabgp.bgp.route import Route

T = TypeVar('T')


def _leading(items: Sequence[T], belongs: Callable[[T], bool]) -> int:
    """How many items at the start of `items` satisfy `belongs`."""
    count = 0
    for item in items:
        if not belongs(item):
            break
        count += 1
    return count


def _in_nlri_field(route: Route) -> bool:
    return route.nlri.family == NLRI_FIELD and not isinstance(route.nexthop, IPv6Address)


def update(peer: Peer, direction: str, message: Update, header: bytes = b'', body: bytes = b'') -> str:
    start = f'neighbor {peer.peer_address} {direction} update'
    lines = [f'{start} start\n']
    if message.eor is not None:
        family = message.eor
        names = f'{afi_name(family.afi)} {safi_name(family.safi)}'
        lines.append(f'{start} route eor {int(family.afi)}/{int(family.safi)} ({names})\n')
    else:
        attributes = str(message.attributes) + ''.join(f' error {error}' for error in errors(message))
        link_local = message.link_local
        local_hop = f' next-hop {nexthop_text(link_local)}' if link_local is not None else ''

        def withdrawn(nlris: Sequence[NLRI]) -> None:
            lines.extend(f'{start} withdrawn {FAMILY_TEXT.get(nlri.family, nlri)}\n' for nlri in nlris)

        def announced(routes: Sequence[Route]) -> None:
            # routes share their next hop object: its text is made once per run of them
            last = shown = None
            for route in routes:
                hop = route.nexthop
                if hop is not last or shown is None:
                    last, shown = hop, (f' next-hop {nexthop_text(hop)}' if hop is not None else '')
                nlri = route.nlri
                named = FAMILY_TEXT.get(nlri.family)
                if hop is None:
                    # 5.0 writes a route without next hop (FlowSpec) without the word 'announced'
                    lines.append(f'{start} {named or nlri} {attributes}\n')
                    continue
                lines.append(f'{start} announced {named or nlri.extensive(shown)}{attributes}\n')
                if link_local is not None and isinstance(hop, IPv6Address):
                    lines.append(f'{start} announced {named or nlri.extensive(local_hop)}{attributes}\n')

        field_withdrawn = _leading(message.withdrawn, lambda nlri: nlri.family == NLRI_FIELD)
        field_announced = _leading(message.announced, _in_nlri_field)
        withdrawn(message.withdrawn[:field_withdrawn])
        announced(message.announced[:field_announced])
        withdrawn(message.withdrawn[field_withdrawn:])
        announced(message.announced[field_announced:])
    if header or body:
        lines.append(f'{packets_suffix(header, body)}\n')
    lines.append(f'{start} end\n')
    return ''.join(lines)
