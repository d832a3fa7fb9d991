"""What a session tells the reactor: events, in the order they happened.

Invariants: values only (frozen); `Closed` is always the last event of a session and comes exactly
once; `Established` comes at most once, before any `Received` of an UPDATE.
"""

from dataclasses import dataclass
from enum import Enum
from typing import TypeAlias

from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message
from exabgp.bgp.negotiated import Negotiated
from exabgp.session.state import State


@dataclass(frozen=True, slots=True)
class StateChanged:
    old: State
    new: State


@dataclass(frozen=True, slots=True)
class Received:
    """A message from the peer, decoded, with its wire header and body (for the API's packets)."""

    message: Message
    header: bytes
    body: bytes


@dataclass(frozen=True, slots=True)
class Sent:
    """A message we sent, as it went on the wire (only reported when the session is asked to: for
    `show neighbor`'s counts and the API's send options). `message` is the value it was packed from,
    or None for a message handed over already packed (UPDATEs from the Adj-RIB-Out): nothing packed
    is decoded again here; whoever needs the value decodes `body` itself."""

    kind: int
    wire: bytes
    message: Message | None = None

    @property
    def header(self) -> bytes:
        return self.wire[:19]

    @property
    def body(self) -> bytes:
        return self.wire[19:]


@dataclass(frozen=True, slots=True)
class Negotiation:
    """Both OPENs are known and valid: what the session will use."""

    sent: Open
    received: Open
    negotiated: Negotiated


@dataclass(frozen=True, slots=True)
class Established:
    negotiated: Negotiated


class Why(Enum):
    STOPPED = 'stopped'
    NOTIFICATION_SENT = 'notification sent'
    NOTIFICATION_RECEIVED = 'notification received'
    CONNECTION_LOST = 'connection lost'
    SEND_HOLD_EXPIRED = 'send hold timer expired'


@dataclass(frozen=True, slots=True)
class Reason:
    why: Why
    text: str = ''
    notification: Notification | None = None

    def __str__(self) -> str:
        if self.notification is not None:
            return f'{self.why.value} ({self.notification.code},{self.notification.subcode}) {self.text}'.rstrip()
        return f'{self.why.value} {self.text}'.rstrip()


@dataclass(frozen=True, slots=True)
class Closed:
    reason: Reason


# every value `Session.events()` returns
SessionEvent: TypeAlias = StateChanged | Received | Sent | Negotiation | Established | Closed
