"""JSON of the BGP messages, as ExaBGP 5.0 writes them to API processes (UPDATE: json_update.py).

Each encoder takes the Stamp, the Peer, the direction, the message value and, when the API asked
for packets with parsed messages, the message's header and body octets. `encode` dispatches on the
message's type code; an OPERATIONAL of a type 5.0 does not decode is not written (None). The UPDATE
encoder alone takes options (5.0's `api.compact` and the "negotiated" member): `encode` passes them
on to it.
"""

from collections.abc import Callable

from exabgp.api.envelope import Peer, Stamp, envelope, hexstring, neighbor, received, string
from exabgp.api.json_update import update
from exabgp.bgp.capability.table import as_json
from exabgp.bgp.family import afi_name, safi_name
from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.operational import Advisory, Operational, Query, Reply
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.table import Message
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated


def open_(stamp: Stamp, peer: Peer, direction: str, message: Open, header: bytes = b'', body: bytes = b'') -> str:
    members = (
        f'"version": {message.version}, "asn": {message.asn}, "hold_time": {message.hold_time}, '
        f'"router_id": "{message.router_id}", "capabilities": {{ {as_json(message.capabilities)} }}'
    )
    return envelope(stamp, 'open', neighbor(peer, direction, f'"open": {{ {members} }}'), header, body)


def notification(
    stamp: Stamp, peer: Peer, direction: str, message: Notification, header: bytes = b'', body: bytes = b''
) -> str:
    data = message.shown(received(direction))
    members = (
        f'"code": {message.code}, "subcode": {message.subcode}, "data": "{hexstring(data)}", '
        f'"message": {string(data.decode("utf-8", "replace"))}'
    )
    return envelope(stamp, 'notification', neighbor(peer, direction, f'"notification": {{ {members} }} '), header, body)


def keepalive(
    stamp: Stamp, peer: Peer, direction: str, message: KeepAlive, header: bytes = b'', body: bytes = b''
) -> str:
    return envelope(stamp, 'keepalive', neighbor(peer, direction, ''), header, body)


def refresh(
    stamp: Stamp, peer: Peer, direction: str, message: RouteRefresh, header: bytes = b'', body: bytes = b''
) -> str:
    family = message.family
    members = (
        f'"afi": "{afi_name(family.afi)}", "safi": "{safi_name(family.safi)}", "subtype": "{message.subtype_name}"'
    )
    return envelope(stamp, 'refresh', neighbor(peer, direction, f'"route-refresh": {{ {members} }}'), header, body)


def _operational_members(message: Operational) -> str | None:
    if isinstance(message, Advisory):
        family = message.family
        text = string(message.text.decode('utf-8', 'replace'))
        return (
            f'"name": "{message.name}", "afi": "{afi_name(family.afi)}", "safi": "{safi_name(family.safi)}", '
            f'"advisory": {text}'
        )
    if isinstance(message, Query):
        family = message.family
        return f'"name": "{message.name}", "afi": "{afi_name(family.afi)}", "safi": "{safi_name(family.safi)}"'
    if isinstance(message, Reply):
        family = message.family
        # 5.0 holds a zero sequence as None, and writes that as the string "None"
        sequence = message.sequence if message.sequence else '"None"'
        return (
            f'"name": "{message.name}", "afi": "{afi_name(family.afi)}", "safi": "{safi_name(family.safi)}", '
            f'"router-id": "{message.router_id}", "sequence": {sequence}, "counter": {message.counter}'
        )
    return None


def operational(
    stamp: Stamp, peer: Peer, direction: str, message: Operational, header: bytes = b'', body: bytes = b''
) -> str | None:
    members = _operational_members(message)
    if members is None:
        return None
    return envelope(stamp, 'operational', neighbor(peer, direction, f'"operational": {{ {members} }}'), header, body)


ENCODERS: dict[int, Callable[..., str | None]] = {
    MessageType.OPEN: open_,
    MessageType.UPDATE: update,
    MessageType.NOTIFICATION: notification,
    MessageType.KEEPALIVE: keepalive,
    MessageType.ROUTE_REFRESH: refresh,
    MessageType.OPERATIONAL: operational,
}


def encode(
    stamp: Stamp,
    peer: Peer,
    direction: str,
    message: Message,
    header: bytes = b'',
    body: bytes = b'',
    *,
    compact: bool = False,
    negotiated: Negotiated | None = None,
    six: bool = False,
) -> str | None:
    """The JSON line for a message, None when 5.0 writes none for it (unknown types included)."""
    if isinstance(message, Update):
        return update(stamp, peer, direction, message, header, body, compact=compact, negotiated=negotiated, six=six)
    encoder = ENCODERS.get(message.TYPE)
    if encoder is None:
        return None
    return encoder(stamp, peer, direction, message, header, body)
