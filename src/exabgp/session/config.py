"""What a session needs to know about its neighbor, as plain values.

The reactor builds one from the configuration's neighbor (the configuration layer sits above this
one, so the session never sees the configuration model). `build_open` makes our OPEN for a local AS:
it is a function because with `local-as auto` the AS is only known once the peer's OPEN is read.
"""

from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.message.open import Open


@dataclass(frozen=True, slots=True)
class SessionConfig:
    peer: str
    build_open: Callable[[int], Open]
    router_id: IPv4Address
    # None: mirror the peer's AS (read its OPEN before sending ours), as 5.0 does without local-as
    local_as: int | None
    # None: accept any AS from the peer
    peer_as: int | None
    # RFC 4271 8.2.2: the hold timer's large value while the OPEN is awaited, four minutes
    open_wait: float = 240.0
    aigp: bool = False
    # RFC 9687: None picks max(480, 2 x hold time) once the hold time is negotiated
    send_hold: float | None = None
    # report every message we send as a `Sent` event (only when an API process asked for them)
    report_sent: bool = False
    # NOTIFICATION data as 5.0 sends it (English text) rather than as the RFCs define it
    notification_text: bool = False
    # upstream 6.0's behaviour (exabgp.api.version 4 or 6): its MP_UNREACH_NLRI order, its NOTIFICATION texts
    six: bool = False
    # upstream 6.0's `local-link-local`: sent after a global IPv6 next hop once capability 77 is negotiated
    local_link_local: IPv6Address | None = None
