"""The Adj-RIB-In: the routes a neighbor announced to us, kept when `adj-rib-in` is on (and while
the neighbor restarts gracefully).

Invariants: one route per NLRI index (`nlri.index()`: the latest announcement); a withdrawal removes
it. A route is stale (RFC 4724) from `mark_stale` until the peer announces it again or it is
withdrawn; `sweep` removes the stale routes of some families and `clear` every route, both returning
what they removed so the caller can tell whoever listens. Pure: the reactor feeds it decoded UPDATEs.
"""

from collections.abc import Iterable, Iterator

from exabgp.bgp.family import Family
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.route import Route


class AdjRibIn:
    def __init__(self) -> None:
        self._routes: dict[object, Route] = {}
        # index -> family, of the routes kept from a session that ended gracefully
        self._stale: dict[object, Family] = {}

    def update(self, announced: Iterable[Route], withdrawn: Iterable[NLRI]) -> None:
        routes = self._routes
        stale = self._stale
        for nlri in withdrawn:
            index = nlri.index()
            routes.pop(index, None)
            if stale:
                stale.pop(index, None)
        for route in announced:
            index = route.nlri.index()
            routes[index] = route
            if stale:
                stale.pop(index, None)

    def mark_stale(self, families: Iterable[Family]) -> int:
        """Mark every route of `families` stale; returns how many routes are stale now."""
        wanted = set(families)
        for index, route in self._routes.items():
            family = route.nlri.family
            if family in wanted:
                self._stale[index] = family
        return len(self._stale)

    def has_stale(self) -> bool:
        return bool(self._stale)

    def stale_families(self) -> frozenset[Family]:
        return frozenset(self._stale.values())

    def is_stale(self, route: Route) -> bool:
        return route.nlri.index() in self._stale

    def sweep(self, families: Iterable[Family] | None = None) -> list[Route]:
        """Remove the stale routes of `families` (all families when None) and return them."""
        wanted = None if families is None else set(families)
        gone = [index for index, family in self._stale.items() if wanted is None or family in wanted]
        removed = []
        for index in gone:
            del self._stale[index]
            route = self._routes.pop(index, None)
            if route is not None:
                removed.append(route)
        return removed

    def remove(self, families: Iterable[Family]) -> list[Route]:
        """Remove every route of `families`, stale or not, and return them."""
        wanted = set(families)
        gone = [index for index, route in self._routes.items() if route.nlri.family in wanted]
        removed = [self._routes.pop(index) for index in gone]
        for index in gone:
            self._stale.pop(index, None)
        return removed

    def clear(self) -> list[Route]:
        """Remove every route and return them."""
        removed = list(self._routes.values())
        self._routes.clear()
        self._stale.clear()
        return removed

    def routes(self, families: Iterable[Family] | None = None) -> Iterator[Route]:
        wanted = None if families is None else set(families)
        for route in self._routes.values():
            if wanted is None or route.nlri.family in wanted:
                yield route

    def __len__(self) -> int:
        return len(self._routes)
