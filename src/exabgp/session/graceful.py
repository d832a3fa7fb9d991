"""Graceful restart as the receiving speaker (RFC 4724 section 4.2, RFC 8538): what to keep of a
peer's routes when its session ends, and what to drop when it comes back.

Invariants, all decided from values (the OPENs both sides sent and why the session ended):
- Routes are kept (marked stale) only when both OPENs carried the Graceful Restart capability, the
  session was ESTABLISHED, and it ended without a NOTIFICATION; with RFC 8538's N-bit in both OPENs,
  a NOTIFICATION other than Cease/Hard Reset (6/9) keeps them as well (RFC 8538 section 4). We
  stopping the session ourselves is never the peer restarting.
- Only the families the peer listed in its capability and the session negotiated are kept; the
  others are removed at once. A restart time of 0 keeps nothing.
- When the peer comes back, the families it lists with the Forwarding State bit are still waited for
  (their stale routes go at its End-of-RIB); every other stale family is removed at once, all of them
  when its new OPEN has no Graceful Restart capability.
"""

from dataclasses import dataclass

from exabgp.bgp.capability.graceful import FORWARDING_STATE, GracefulRestart
from exabgp.bgp.family import Family
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated
from exabgp.session.events import Reason, Why

NOTIFICATION_BIT = 0x4  # RFC 8538 section 2: the N bit of the restart flags
CEASE = 6
HARD_RESET = 9  # RFC 8538 section 3: Cease subcode that ends graceful restart in any case


@dataclass(frozen=True, slots=True)
class Retention:
    """What to keep of a peer's routes after its session ended."""

    families: frozenset[Family]
    restart_time: int


def _capability(opening: Open | None) -> GracefulRestart | None:
    if opening is None:
        return None
    found = opening.find(GracefulRestart)
    return found[-1] if found else None


def _families(opening: Open | None) -> dict[Family, int]:
    # several TLVs are read as one: the last flags of a family win
    if opening is None:
        return {}
    return {family: flags for found in opening.find(GracefulRestart) for family, flags in found.families}


def retained(sent: Open | None, received: Open | None, negotiated: Negotiated, reason: Reason) -> Retention | None:
    """The routes to keep as stale after an ESTABLISHED session ended for `reason`; None: drop them all."""
    ours = _capability(sent)
    theirs = _capability(received)
    if ours is None or theirs is None or reason.why is Why.STOPPED:
        return None
    if reason.notification is not None:
        both_n = ours.restart_flags & theirs.restart_flags & NOTIFICATION_BIT
        hard = reason.notification.code == CEASE and reason.notification.subcode == HARD_RESET
        if not both_n or hard:
            return None
    elif reason.why is not Why.CONNECTION_LOST:
        return None
    if theirs.restart_time == 0:
        return None
    families = frozenset(family for family in _families(received) if family in negotiated.families)
    if not families:
        return None
    return Retention(families, theirs.restart_time)


def still_waited(received: Open | None, stale: frozenset[Family]) -> frozenset[Family]:
    """Of the `stale` families, those whose routes the peer that came back with `received` kept
    (RFC 4724 4.2: listed with the Forwarding State bit); the others' stale routes go now."""
    theirs = _capability(received)
    if theirs is None:
        return frozenset()
    flags = _families(received)
    return frozenset(family for family in stale if flags.get(family, 0) & FORWARDING_STATE)
