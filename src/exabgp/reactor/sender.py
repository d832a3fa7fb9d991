"""Sending the Adj-RIB-Out: route changes become UPDATE bytes handed to the established session.

Invariants:
- The Adj-RIB-Out outlives sessions: changes made while no session is up wait in it. A new session
  gets the whole table, then End-of-RIB for every negotiated family (unless `manual-eor`); in that
  first flush pending withdrawals are dropped, as 5.0 does (the peer holds none of our routes yet).
- Everything goes through the session (`Channel.send`), which writes it and reports each message as
  `Sent` itself: what leaves is counted and shown to the API once, from the bytes that left, and
  nothing packed here is decoded again.
- Messages are written in batches of about BATCH octets with `await drain()` between them, so a slow
  peer slows only its own sender and a big table never starves keepalives (timers run between
  batches). With `rate-limit`, one UPDATE at a time, spaced by 1/rate seconds.
- Messages the API asks for outside the RIB (End-of-RIB, ROUTE-REFRESH, OPERATIONAL) wait in
  `_after` and go out after the next flush of the RIB, so they follow the routes changed before
  them; RFC 7313's Beginning of Route Refresh waits in `_before` and precedes the routes.
- `run` returns when its session leaves ESTABLISHED; one failure is logged and ends that session.
- Stopping (`close_after_routes`) sends what is pending first, then closes the session with the
  Cease given: the routes changed before a stop reach the peer.
- A route the RIB could not send (its next hop does not resolve on this session) is logged as a
  warning naming it and why, once per flush: the API had answered `done` before the session was
  known (commands refuse it when the local address is known).
"""

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import TypeVar

from exabgp import logger
from exabgp.bgp.family import Family
from exabgp.bgp.message.refresh import BEGIN, END, RouteRefresh
from exabgp.bgp.message.table import Message
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.route import Route
from exabgp.reactor.channel import Channel
from exabgp.reactor.neighbor import address, self_unusable
from exabgp.rib.outgoing import AdjRibOut, Resolver
from exabgp.session.state import State

reactor_log = logger.get('reactor')
message_log = logger.get('message')  # 5.0's log.message: route changes on a configuration reload

BATCH = 64 * 1024  # octets of UPDATEs written between two drains

T = TypeVar('T')


class Sender:
    def __init__(self, rib: AdjRibOut) -> None:
        self.rib = rib
        self._changed = asyncio.Event()
        self._before: list[Message | bytes] = []
        self._after: list[Message | bytes] = []
        self._closing: tuple[int, str | None] | None = None
        # set while the established session has been sent everything (the library's `sent()`);
        # cleared by any change, before the task looks at it
        self.idle = asyncio.Event()

    # ------------------------------------------------------------------ what to send

    def wake(self) -> None:
        """Something changed (the RIB, the queues, the session): look again."""
        self.idle.clear()
        self._changed.set()

    def after_routes(self, message: Message | bytes) -> None:
        """A message (a value, or its wire form) to send once the pending routes are out."""
        self._after.append(message)
        self.wake()

    def resend(self, families: Iterable[Family], enhanced: bool) -> None:
        """Send these families of the table again; `enhanced` wraps each in RFC 7313's Beginning
        and End of Route Refresh."""
        chosen = list(families)
        self.rib.resend(chosen, refresh=True)
        if enhanced:
            self._before.extend(RouteRefresh(family, BEGIN) for family in chosen)
            self._after.extend(RouteRefresh(family, END) for family in chosen)
        self.wake()

    def replace(self, old: Iterable[Route], new: Iterable[Route]) -> None:
        """The configuration's routes changed from `old` to `new`: withdraw what went away, announce
        what is new or different."""
        kept = {route.nlri: route for route in new}
        debug = message_log.isEnabledFor(logging.DEBUG)
        for route in old:
            if route.nlri not in kept:
                self.rib.withdraw(route)
                if debug:
                    message_log.debug(f'configuration reloaded: withdraw {route.nlri}')
        for route in kept.values():
            if self.rib.announce(route) and debug:
                message_log.debug(f'configuration reloaded: announce {route.nlri} next-hop {route.nexthop}')
        self.wake()

    def close_after_routes(self, subcode: int, text: str | None) -> None:
        """Send what is pending, then close the established session with Cease `subcode`."""
        self._closing = (subcode, text)
        self._changed.set()

    def session_ended(self) -> None:
        """The established session is gone: what waited for it is dropped, and `run` wakes to end."""
        self._before.clear()
        self._after.clear()
        self._changed.set()

    # ------------------------------------------------------------------ the task

    async def run(self, channel: Channel, resolve: Resolver, rate: int, manual_eor: bool) -> None:
        session = channel.session
        self.rib.resend()
        first = True
        withdrawals = False
        try:
            while session.state is State.ESTABLISHED:
                # read again each time: an RFC 7606 AFI/SAFI disable takes a family out of it
                negotiated = session.negotiated
                self._changed.clear()
                if self._before:
                    await self._write(channel, _take(self._before))
                if self.rib.pending():
                    await self._updates(channel, negotiated, resolve, rate, withdrawals)
                    withdrawals = True
                if first:
                    first = False
                    if not manual_eor:
                        await self._write(channel, list(self.rib.end_of_rib(negotiated)))
                if self._after:
                    await self._write(channel, _take(self._after))
                if session.state is not State.ESTABLISHED:
                    return
                if self._closing is not None:
                    channel.stop(*self._closing)
                    return
                if not self._changed.is_set():
                    self.idle.set()
                await self._changed.wait()
        except Exception as exc:  # one peer's failure must not take the daemon down
            reactor_log.error(f'peer {session.config.peer}: sending updates failed: {exc!r}')
            channel.stop(0, 'internal error while sending updates')

    @staticmethod
    async def _write(channel: Channel, messages: Sequence[Message | bytes]) -> None:
        if not messages or channel.session.state is not State.ESTABLISHED:
            return
        channel.send(messages)
        await channel.drain()

    async def _updates(
        self, channel: Channel, negotiated: Negotiated, resolve: Resolver, rate: int, withdrawals: bool
    ) -> None:
        session = channel.session
        batch: list[Message | bytes] = []
        size = 0
        for wire in self.rib.updates(negotiated, resolve, withdrawals):
            if session.state is not State.ESTABLISHED:
                return
            if rate:
                await self._write(channel, [wire])
                await asyncio.sleep(1.0 / rate)
                continue
            batch.append(wire)
            size += len(wire)
            if size >= BATCH:
                await self._write(channel, _take(batch))
                size = 0
        if batch:
            await self._write(channel, batch)
        self._report_unresolved(channel)

    def _report_unresolved(self, channel: Channel) -> None:
        routes = self.rib.unresolved
        if not routes:
            return
        local = address(channel.writer.get_extra_info('sockname')[0])
        peer = channel.session.config.peer
        for family in dict.fromkeys(route.nlri.family for route in routes):
            chosen = [route for route in routes if route.nlri.family == family]
            why = self_unusable(family, local) or f'the next hop can not be resolved (local address {local})'
            more = f' and {len(chosen) - 1} more' if len(chosen) > 1 else ''
            reactor_log.warning(f'peer {peer}: route {chosen[0].nlri}{more} not sent: {why}')
        routes.clear()


def _take(messages: list[T]) -> list[T]:
    taken = list(messages)
    messages.clear()
    return taken
