"""The text encoder's lines for the BGP messages, as ExaBGP 5.0 writes them (UPDATE: text_update.py).

Invariants: each line is exactly what 5.0's encoder returns, trailing newline included where it has
one (the process writer adds another, as 5.0's does; 5.0's operational lines have none). Peer text
that could break the one-event-per-line stream goes through `oneline`.
"""

from collections.abc import Callable

from exabgp.api.envelope import Peer, hexstring, packets_suffix, received
from exabgp.api.text_update import update
from exabgp.bgp.capability.table import as_text
from exabgp.bgp.family import afi_name, safi_name
from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.operational import Advisory, Operational, Query, Reply
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.table import Message


def oneline(text: str) -> str:
    """Escape what is not printable (and DEL) as \\xNN, as 5.0 does."""
    if text.isprintable():
        return text
    return ''.join(char if char.isprintable() and char != '\x7f' else f'\\x{ord(char):02x}' for char in text)


def _prefix(peer: Peer, direction: str) -> str:
    return f'neighbor {peer.peer_address} {direction}'


def open_(peer: Peer, direction: str, message: Open, header: bytes = b'', body: bytes = b'') -> str:
    capabilities = oneline(as_text(message.capabilities)).lower()
    return (
        f'{_prefix(peer, direction)} open version {message.version} asn {message.asn} '
        f'hold_time {message.hold_time} router_id {message.router_id} '
        f'capabilities [{capabilities}]{packets_suffix(header, body)}\n'
    )


def notification(peer: Peer, direction: str, message: Notification, header: bytes = b'', body: bytes = b'') -> str:
    data = hexstring(message.shown(received(direction)))
    return (
        f'{_prefix(peer, direction)} notification code {message.code} subcode {message.subcode} '
        f'data {data}{packets_suffix(header, body)}\n'
    )


def keepalive(peer: Peer, direction: str, message: KeepAlive, header: bytes = b'', body: bytes = b'') -> str:
    return f'{_prefix(peer, direction)} keepalive{packets_suffix(header, body)}\n'


def refresh(peer: Peer, direction: str, message: RouteRefresh, header: bytes = b'', body: bytes = b'') -> str:
    family = message.family
    return (
        f'{_prefix(peer, direction)} route-refresh afi {afi_name(family.afi)} safi {safi_name(family.safi)} '
        f'{message.subtype_name}{packets_suffix(header, body)}\n'
    )


def operational(peer: Peer, direction: str, message: Operational, header: bytes = b'', body: bytes = b'') -> str | None:
    if not isinstance(message, Advisory | Query | Reply):
        return None
    family = message.family
    line = f'{_prefix(peer, direction)} operational {message.name} afi {afi_name(family.afi)} safi {safi_name(family.safi)}'
    if isinstance(message, Advisory):
        # 5.0 formats the advisory's octets, so the text shows as a bytes literal: b'...'
        line += f' advisory "{message.text!r}"'
    elif isinstance(message, Reply):
        # 5.0 holds a zero sequence as None
        sequence = message.sequence if message.sequence else None
        line += f' router-id {message.router_id} sequence {sequence} counter {message.counter}'
    return line + packets_suffix(header, body)


ENCODERS: dict[int, Callable[..., str | None]] = {
    MessageType.OPEN: open_,
    MessageType.NOTIFICATION: notification,
    MessageType.UPDATE: update,
    MessageType.KEEPALIVE: keepalive,
    MessageType.ROUTE_REFRESH: refresh,
    MessageType.OPERATIONAL: operational,
}


def encode(peer: Peer, direction: str, message: Message, header: bytes = b'', body: bytes = b'') -> str | None:
    """The text line for a message, None when 5.0 writes none for it (unknown types included)."""
    encoder = ENCODERS.get(message.TYPE)
    if encoder is None:
        return None
    return encoder(peer, direction, message, header, body)
