"""A peer's graceful restarts, as the receiving speaker (RFC 4724 4.2, RFC 8538): the routes it
announced outlive its session while it restarts, and go when it is done or gone.

Invariants:
- After an established session ends, `session.graceful.retained` decides what stays: those routes
  are marked stale in the Adj-RIB-In and the peer's restart time is armed; everything else it had
  announced is removed at once.
- Stale routes are removed, each removal told to the observer as withdrawals of the last session (the
  UPDATEs 5.0's JSON and text show) and logged with the reason: when the restart time runs out, at
  the peer's End-of-RIB for a family, when it comes back without graceful restart (or without the
  Forwarding State bit for a family), and when it drops again before its End-of-RIB.
- A session ending without graceful restart removes every route; the observer hears of them only
  with `process.withdraw-on-down` (5.0 reports the state change alone).
- AFI/SAFI disable (RFC 7606) removes the peer's routes of the family the same way: told to the
  observer as withdrawals.
- When the peer comes back with stale routes left, `stale_time` seconds (`bgp.staletime`, RFC 4724
  4.2's optional local timer; 0: none) cap the wait for its End-of-RIB: the stale routes still
  there when it fires are removed the same way.
- At most one timer (restart time or stale time) is armed; `close` cancels it (the peer is gone, nothing is reported).
"""

import asyncio
import logging
from collections.abc import Callable, Iterable

from exabgp.bgp.family import Family
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.route import Route
from exabgp.reactor.observer import Observer, PeerView
from exabgp.rib.incoming import AdjRibIn
from exabgp.session.events import Reason, Why
from exabgp.session.graceful import retained, still_waited
from exabgp.session.session import Session

HEADER = 19
# a session that could restart gracefully keeps routes when its connection is lost
_LOST = Reason(Why.CONNECTION_LOST)


class Restarts:
    def __init__(
        self,
        rib: AdjRibIn,
        observer: Observer,
        log: logging.LoggerAdapter[logging.Logger],
        view: Callable[[], PeerView],
        withdraw_on_down: bool,
        stale_time: int = 0,
    ) -> None:
        self.rib = rib
        self.observer = observer
        self.log = log
        self.view = view
        self.withdraw_on_down = withdraw_on_down
        self.stale_time = stale_time
        # the established session's: the peer can restart gracefully, so its routes are tracked
        self.tracking = False
        self._negotiated = Negotiated()
        self._timer: asyncio.TimerHandle | None = None

    def established(self, session: Session) -> None:
        """A session is up: stale routes of families the peer did not preserve go now."""
        self._cancel()
        self._negotiated = session.negotiated
        self.tracking = retained(session.sent_open, session.received_open, session.negotiated, _LOST) is not None
        stale = self.rib.stale_families()
        if not stale:
            return
        waited = still_waited(session.received_open, stale)
        if waited != stale:
            why = 'it came back without graceful restart' if not waited else 'it did not preserve them'
            self._removed(self.rib.sweep(stale - waited), why)
        if waited and self.stale_time:
            self._timer = asyncio.get_running_loop().call_later(self.stale_time, self._no_end_of_rib)

    def end_of_rib(self, family: Family) -> None:
        if family in self.rib.stale_families():
            self._removed(self.rib.sweep([family]), f'End-of-RIB {family}')
            if not self.rib.stale_families():
                self._cancel()

    def ended(self, session: Session, reason: Reason | None) -> None:
        """The established session ended: keep what its graceful restart keeps, remove the rest."""
        self.tracking = False
        self._cancel()
        if self.rib.stale_families():
            self._removed(self.rib.sweep(), 'the session ended again before End-of-RIB')
        kept = (
            None if reason is None else retained(session.sent_open, session.received_open, session.negotiated, reason)
        )
        if kept is None:
            routes = self.rib.clear()
            if self.withdraw_on_down:
                self._removed(routes, 'the session ended without graceful restart')
            return
        self._removed(self.rib.remove(set(self._negotiated.families) - kept.families), 'not kept by graceful restart')
        count = self.rib.mark_stale(kept.families)
        families = ', '.join(sorted(str(family) for family in kept.families))
        self.log.info(f'graceful restart: {count} routes of {families} kept as stale for {kept.restart_time}s')
        self._timer = asyncio.get_running_loop().call_later(kept.restart_time, self._expired)

    def disabled(self, families: Iterable[Family]) -> None:
        """RFC 7606 AFI/SAFI disable: the routes the peer announced in these families are deleted
        (RFC 4760 7), stale or not, and the observer hears them withdrawn."""
        chosen = sorted(str(family) for family in families)
        self._removed(self.rib.remove(families), f'{", ".join(chosen)} disabled by an UPDATE error', 'RFC 7606')

    def close(self) -> None:
        self._cancel()

    def _expired(self) -> None:
        self._timer = None
        self._removed(self.rib.sweep(), 'its restart time ran out')

    def _no_end_of_rib(self) -> None:
        self._timer = None
        self._removed(self.rib.sweep(), f'no End-of-RIB within {self.stale_time}s of its return (bgp.staletime)')

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _removed(self, routes: list[Route], why: str, topic: str = 'graceful restart') -> None:
        if not routes:
            return
        self.log.info(f'{topic}: {len(routes)} routes removed, {why}')
        by_family: dict[Family, list[NLRI]] = {}
        for route in routes:
            by_family.setdefault(route.nlri.family, []).append(route.nlri)
        view = self.view()
        for withdrawn in by_family.values():
            self._withdraw(view, withdrawn)

    def _withdraw(self, view: PeerView, withdrawn: Iterable[NLRI]) -> None:
        negotiated = self._negotiated
        for wire in Update(withdrawn=tuple(withdrawn)).messages(negotiated):
            body = wire[HEADER:]
            self.observer.received(view, Update.unpack(body, negotiated), wire[:HEADER], body)
