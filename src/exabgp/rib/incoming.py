"""The Adj-RIB-In: the routes a neighbor announced to us, kept when `adj-rib-in` is on.

Invariants: one route per NLRI index (`nlri.index()`: the latest announcement); a withdrawal removes it; the whole table
is dropped when the session ends. Pure: the reactor feeds it decoded UPDATEs.
"""

from collections.abc import Iterable, Iterator

from exabgp.bgp.family import Family
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.route import Route


class AdjRibIn:
    def __init__(self) -> None:
        self._routes: dict[object, Route] = {}

    def update(self, announced: Iterable[Route], withdrawn: Iterable[NLRI]) -> None:
        routes = self._routes
        for nlri in withdrawn:
            routes.pop(nlri.index(), None)
        for route in announced:
            routes[route.nlri.index()] = route

    def clear(self) -> None:
        self._routes.clear()

    def routes(self, families: Iterable[Family] | None = None) -> Iterator[Route]:
        wanted = None if families is None else set(families)
        for route in self._routes.values():
            if wanted is None or route.nlri.family in wanted:
                yield route

    def __len__(self) -> int:
        return len(self._routes)
