"""The Adj-RIB-Out: what we announce to one neighbor, and the changes not yet sent.

Invariants (ExaBGP 5.0's semantics):
- `_routes` holds the routes currently announced, by NLRI index (`nlri.index()`: a labeled prefix
  announced with another label replaces the route held). Announcing a route identical to the one
  held (same attributes and next hop) changes nothing: it is not sent again. Withdrawing always
  queues a withdrawal, even of a route we do not hold, as 5.0 does.
- Pending changes are kept per group (attributes, next hop, family) in arrival order, one change
  per NLRI: a newer change to an NLRI replaces a pending older one. Flushing emits the groups of
  the first attribute set seen, then those of the next (5.0.15's order: a withdrawal of an IPv4
  flow rule follows that of an IPv6 rule with the same actions), each group in turn, withdrawals before announcements, packed by `bgp.message.update_pack`; with
  `group_updates` only the groups of a family whose table row says `grouped` (IPv4 unicast, as in
  5.0) share UPDATEs, every other route gets its own. Withdrawals of a family whose row says
  `withdraw_attributes` carry the attributes of the route they were given (5.0's bytes).
- A new session, a route refresh or `flush adj-rib out` sends the held routes again without copying
  them into the pending groups: `_resend` marks the families to walk. A new session packs them as
  pending changes are packed; a refresh or flush (`_refresh`) sends each route in its own UPDATE,
  family by family in the order 5.0.15 walks them (`refresh_order`), routes in the order held;
  `clear adj-rib out` withdraws them in that order too.
- A route the configuration gives several times with different attributes or next hop is held as
  its last version; the earlier versions go out once, before the held routes, in the first session
  after `hold` (5.0 queues every configured version at load, and later sessions resend only its
  RIB). Each distinct version other than the held one is sent once, and the held one after them
  all, so the peer ends with the route held (5.0 orders them by attribute set, which can leave the
  peer with an earlier version). A change to that NLRI before then forgets its earlier versions.
- Watchdogs: routes announced under a watchdog name can be withdrawn and announced again as a set.
- A route whose next hop the session can not resolve (`next-hop self` of an IPv6 route on an IPv4
  session) is not sent, and never silently: it is listed in `unresolved` for the caller to report.
- Pure: no I/O; `updates()` is a generator, so the caller decides how much to send between awaits.
- The `rib` topic (5.0's `log.rib`) gets `insert ROUTE` and `remove ROUTE` for each change; off,
  it costs one check per change (per table for `hold`).
"""

import logging
from collections.abc import Callable, Hashable, Iterable, Iterator
from ipaddress import IPv4Address, IPv6Address

from exabgp import logger
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.family import Family
from exabgp.bgp.message.update_pack import announce, announce_each, eor, withdraw
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import table
from exabgp.bgp.route import NextHop, Route

log = logger.get('rib')
DEBUG = logging.DEBUG

Resolver = Callable[[NextHop, Family], IPv4Address | IPv6Address | None]
Key = tuple[Attributes, NextHop, Family]


class AdjRibOut:
    def __init__(self, families: Iterable[Family], group_updates: bool = True) -> None:
        self.families = tuple(families)
        self.group_updates = group_updates
        self._routes: dict[object, Route] = {}
        # attributes -> (next hop, family) -> NLRI -> (route, withdraw?): 5.0 walks its pending
        # changes by attribute set first, then by family, each in the order it first saw them
        self._pending: dict[Attributes, dict[tuple[NextHop, Family], dict[object, tuple[Route, bool]]]] = {}
        # NLRI -> the group its pending change is in
        self._where: dict[object, Key] = {}
        self._resend: set[Family] = set()
        self._refresh = False
        # NLRI -> the configuration's earlier versions of a held route, for the first session
        self._shadowed: dict[object, dict[tuple[Attributes, NextHop | None], Route]] = {}
        self._watchdogs: dict[str, dict[object, Route]] = {}
        self._withdrawn_watchdogs: dict[str, dict[object, Route]] = {}
        # routes left out of the last updates() because their next hop could not be resolved
        self.unresolved: list[Route] = []
        # NLRI put in UPDATEs since the RIB was made, by (family, withdrawn): never reset (metrics)
        self.sent: dict[tuple[Family, bool], int] = {}

    # ------------------------------------------------------------------ changes

    def announce(self, route: Route) -> bool:
        """Queue `route`; False when it is already announced exactly so (nothing to send)."""
        nlri = route.nlri
        index = nlri.index()
        held = self._routes.get(index)
        # an NLRI that is its own index (INET) equals the held one: only the others compare it
        if (
            held is not None
            and held.attributes == route.attributes
            and held.nexthop == route.nexthop
            and (index is nlri or held.nlri == nlri)
        ):
            return False
        if log.isEnabledFor(DEBUG):
            log.debug(f'insert {_text(route)}')
        self._routes[index] = route
        if self._shadowed:
            self._shadowed.pop(index, None)
        self._queue(route, index, False)
        return True

    def hold(self, routes: Iterable[Route]) -> None:
        """Take `routes` as announced without queueing them: the configuration's, which the resend
        every new session starts with sends. Nothing is pending for them, so a big table costs one
        dict entry a route, not three. The packing is the one `announce` gives, but where a route is
        given twice with different attributes: then groups go in the order of their routes as held,
        and the earlier versions are kept for the first session (see the module's invariants)."""
        held = self._routes
        debug = log.isEnabledFor(DEBUG)
        for route in routes:
            if debug:
                log.debug(f'insert {_text(route)}')
            index = route.nlri.index()
            # one lookup for the usual new route: an index is a tuple, hashed again at each lookup
            known = held.setdefault(index, route)
            if known is route or known == route:
                continue
            del held[index]  # a changed route goes where a queued change would: last
            versions = self._shadowed.setdefault(index, {})
            version = (route.attributes, route.nexthop)
            versions.pop(version, None)
            if (known.attributes, known.nexthop) != version:  # 5.0 keeps one route per attribute set
                versions[(known.attributes, known.nexthop)] = known
            held[index] = route

    def withdraw(self, route: Route) -> None:
        if log.isEnabledFor(DEBUG):
            log.debug(f'remove {_text(route)}')
        index = route.nlri.index()
        self._routes.pop(index, None)
        if self._shadowed:
            self._shadowed.pop(index, None)
        self._queue(route, index, True)

    def announce_watched(self, name: str, route: Route, withdrawn: bool) -> None:
        """A route under a watchdog: held back when the watchdog starts withdrawn."""
        if withdrawn:
            self._withdrawn_watchdogs.setdefault(name, {})[route.nlri.index()] = route
            return
        self._watchdogs.setdefault(name, {})[route.nlri.index()] = route
        self.announce(route)

    def has_watchdog(self, name: str) -> bool:
        """Whether some route is under the watchdog `name`, announced or withdrawn."""
        return bool(self._watchdogs.get(name) or self._withdrawn_watchdogs.get(name))

    def watchdog_announce(self, name: str) -> int:
        routes = self._withdrawn_watchdogs.pop(name, {})
        for route in routes.values():
            self.announce(route)
        self._watchdogs.setdefault(name, {}).update(routes)
        return len(routes)

    def watchdog_withdraw(self, name: str) -> int:
        routes = self._watchdogs.pop(name, {})
        for route in routes.values():
            self.withdraw(route)
        self._withdrawn_watchdogs.setdefault(name, {}).update(routes)
        return len(routes)

    def resend(self, families: Iterable[Family] | None = None, refresh: bool = False) -> None:
        """Send every held route of these families (all when None) again at the next flush;
        `refresh` for a route refresh or `flush adj-rib out` (one route per UPDATE, as 5.0)."""
        self._resend.update(self.families if families is None else set(families) & set(self.families))
        self._refresh = self._refresh or refresh

    def withdraw_all(self) -> None:
        """`clear adj-rib out`: every held route withdrawn, family by family in the order 5.0.15
        walks them (`refresh_order`), routes in the order held."""
        by_family: dict[Family, list[Route]] = {}
        for route in self._routes.values():
            by_family.setdefault(route.nlri.family, []).append(route)
        ordered = refresh_order(self.families)
        for family in [*ordered, *(family for family in by_family if family not in ordered)]:
            for route in by_family.get(family, ()):
                self.withdraw(route)

    def clear(self) -> None:
        """Forget everything (`clear adj-rib out`), sending nothing."""
        self._routes.clear()
        self._shadowed.clear()
        self._pending.clear()
        self._where.clear()
        self._resend.clear()
        self._refresh = False

    def _queue(self, route: Route, index: Hashable, withdrawn: bool) -> None:
        key = (route.attributes, route.nexthop, route.nlri.family)
        previous = self._where.get(index)
        if previous is not None and previous != key:
            groups = self._pending[previous[0]]
            group = groups[previous[1:]]
            del group[index]
            if not group:
                del groups[previous[1:]]
                if not groups:
                    del self._pending[previous[0]]
        self._pending.setdefault(key[0], {}).setdefault(key[1:], {})[index] = (route, withdrawn)
        self._where[index] = key

    # ------------------------------------------------------------------ reading

    def pending(self) -> bool:
        """Whether a flush has something to send (a resend of an empty table has not)."""
        return bool(self._pending) or bool(self._resend and self._routes)

    def routes(self, families: Iterable[Family] | None = None) -> Iterator[Route]:
        wanted = None if families is None else set(families)
        for route in self._routes.values():
            if wanted is None or route.nlri.family in wanted:
                yield route

    def __len__(self) -> int:
        return len(self._routes)

    def queued(self) -> int:
        """Changes (announces and withdrawals) waiting for the next flush."""
        return len(self._where)

    # ------------------------------------------------------------------ sending

    def updates(self, negotiated: Negotiated, resolve: Resolver, withdrawals: bool = True) -> Iterator[bytes]:
        """Every pending change as whole UPDATE messages, emptying the pending set as it goes.

        `resolve(nexthop, family)` turns `next-hop self` into the session's address (or None when
        there is none, and the route is then left out and added to `unresolved`). Without `withdrawals`, pending withdrawals
        are dropped instead of sent (5.0 does so for the first flush of a session: the peer holds
        none of our routes yet)."""
        if self._resend and self._refresh:
            yield from self._refreshed(negotiated, resolve)
        elif self._resend:
            families, self._resend = self._resend, set()
            groups: dict[Key, list[Route]] = {}
            shadowed, self._shadowed = self._shadowed, {}
            for versions in shadowed.values():
                for route in versions.values():
                    groups.setdefault((route.attributes, route.nexthop, route.nlri.family), []).append(route)
            for (_, nexthop, family), routes in groups.items():
                if family in families:
                    yield from self._announce(family, routes, nexthop, negotiated, resolve)
            for (_, nexthop, family), routes in self._held_groups(families).items():
                yield from self._announce(family, routes, nexthop, negotiated, resolve)
        while self._pending:
            attributes = next(iter(self._pending))
            pending = self._pending.pop(attributes)
            for changes in pending.values():
                for index in changes:
                    del self._where[index]
            yield from self._flushed(attributes, pending, negotiated, resolve, withdrawals)

    def _held_groups(self, families: set[Family]) -> dict[Key, list[Route]]:
        """The held routes of `families` without a pending change, by (attributes, next hop, family)
        in the order each group is first seen, each group's routes in the order held.

        Routes written alike follow each other (a VRF's routes, a configuration's block): a route
        with the same attributes, next hop and family objects as the one before joins its group
        without building and hashing the key (an address's hash is computed in Python)."""
        groups: dict[Key, list[Route]] = {}
        where = self._where
        attributes: object = None
        nexthop: object = None
        family: object = None
        group: list[Route] = []
        for index, route in self._routes.items():
            if where and index in where:
                continue
            nlri_family = route.nlri.family
            if route.attributes is not attributes or route.nexthop is not nexthop or nlri_family is not family:
                attributes, nexthop, family = route.attributes, route.nexthop, nlri_family
                if family not in families:
                    # the next route of this family is checked again: family no longer matches it
                    family = None
                    continue
                group = groups.setdefault((route.attributes, route.nexthop, nlri_family), [])
            group.append(route)
        return groups

    def _flushed(
        self,
        attributes: Attributes,
        groups: dict[tuple[NextHop, Family], dict[object, tuple[Route, bool]]],
        negotiated: Negotiated,
        resolve: Resolver,
        withdrawals: bool,
    ) -> Iterator[bytes]:
        """The UPDATEs of the pending changes sharing one attribute set, group by group."""
        for (nexthop, family), changes in groups.items():
            removed = [route.nlri for route, withdrawn in changes.values() if withdrawn] if withdrawals else []
            added = [route for route, withdrawn in changes.values() if not withdrawn]
            if removed:
                self._count(family, True, len(removed))
                if self._grouped(family):
                    yield from withdraw(family, removed, negotiated)
                else:
                    hop = resolve(nexthop, family) if nexthop is not None else None
                    for nlri in removed:
                        yield from withdraw(family, (nlri,), negotiated, attributes, hop)
            if added:
                yield from self._announce(family, added, nexthop, negotiated, resolve)

    def _refreshed(self, negotiated: Negotiated, resolve: Resolver) -> Iterator[bytes]:
        """A route refresh or flush: each held route (without a pending change) in its own UPDATE."""
        families, self._resend, self._refresh = self._resend, set(), False
        by_family: dict[Family, list[Route]] = {}
        for index, route in self._routes.items():
            family = route.nlri.family
            if family in families and index not in self._where:
                by_family.setdefault(family, []).append(route)
        for family in refresh_order(self.families):
            for route in by_family.get(family, ()):
                yield from self._announce(family, [route], route.nexthop, negotiated, resolve)

    def end_of_rib(self, negotiated: Negotiated) -> Iterator[bytes]:
        for family in negotiated.families:
            yield eor(family)

    def _count(self, family: Family, withdrawn: bool, count: int) -> None:
        key = (family, withdrawn)
        self.sent[key] = self.sent.get(key, 0) + count

    def _grouped(self, family: Family) -> bool:
        return self.group_updates and table.grouped(family)

    def _announce(
        self, family: Family, routes: list[Route], nexthop: NextHop, negotiated: Negotiated, resolve: Resolver
    ) -> Iterator[bytes]:
        address = resolve(nexthop, family) if nexthop is not None else None
        if address is None and not table.without_nexthop(family):
            self.unresolved.extend(routes)
            return
        self._count(family, False, len(routes))
        attributes = routes[0].attributes
        if self._grouped(family):
            yield from announce(family, [route.nlri for route in routes], attributes, address, negotiated)
            return
        yield from announce_each(family, [route.nlri for route in routes], attributes, address, negotiated)


def refresh_order(families: Iterable[Family]) -> list[Family]:
    """The order 5.0.15 resends families in: it walks a Python set of its (afi, safi) pairs, filled
    in the neighbor's family order. Integers hash to themselves, so that order is fixed: it is the
    set's, reproduced here by building the same set."""
    by_pair = {(int(family.afi), int(family.safi)): family for family in families}
    walked = set()
    for pair in by_pair:
        walked.add(pair)
    return [by_pair[pair] for pair in walked]


def _text(route: Route) -> str:
    hop = '' if route.nexthop is None else f' next-hop {route.nexthop}'
    return f'{route.nlri}{hop}{route.attributes}'
