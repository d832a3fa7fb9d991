"""The message table: type code -> class, built here and nowhere else, `Message` and `unpack_message`.

Invariants: every class in `MESSAGES` has `unpack(body, negotiated)` raising only PeerError; a type
not in the table decodes to `UnknownMessage` keeping its body (the session answers 1/3 for it).
`Message` is every value `unpack_message` returns: the classes of the table and `UnknownMessage`.
Each has `TYPE` (its type code) and `pack(negotiated)` (the whole message, header included).
"""

from typing import TypeAlias

from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.operational import Operational
from exabgp.bgp.message.refresh import RouteRefresh
from exabgp.bgp.message.unknown import UnknownMessage
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated

Known: TypeAlias = Open | Update | Notification | KeepAlive | RouteRefresh | Operational
Message: TypeAlias = Known | UnknownMessage

MESSAGES: dict[int, type[Known]] = {
    MessageType.OPEN: Open,
    MessageType.UPDATE: Update,
    MessageType.NOTIFICATION: Notification,
    MessageType.KEEPALIVE: KeepAlive,
    MessageType.ROUTE_REFRESH: RouteRefresh,
    MessageType.OPERATIONAL: Operational,
}


def unpack_message(kind: int, body: bytes, negotiated: Negotiated) -> Message:
    """The message of type `kind` whose body (after the 19-octet header) is `body`."""
    cls = MESSAGES.get(kind)
    if cls is None:
        return UnknownMessage(kind, bytes(body))
    return cls.unpack(body, negotiated)
