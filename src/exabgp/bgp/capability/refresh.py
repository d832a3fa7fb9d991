"""Route refresh capabilities: code 2 (RFC 2918), its pre-standard Cisco code 128, and enhanced route
refresh, code 70 (RFC 7313).

All three have an empty value; whatever a peer puts in it is ignored, as 5.0 does. The RFC and Cisco
codes are separate classes so that each value knows which one it came as: 5.0 shows the variant.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.capability.base import EmptyCapability


@dataclass(frozen=True, slots=True)
class RouteRefresh(EmptyCapability):
    CODE: ClassVar[int] = 2

    def json(self) -> str:
        return '{ "name": "route-refresh", "variant": "RFC" }'

    def __str__(self) -> str:
        return 'Route Refresh'


@dataclass(frozen=True, slots=True)
class CiscoRouteRefresh(EmptyCapability):
    CODE: ClassVar[int] = 128

    def json(self) -> str:
        return '{ "name": "route-refresh", "variant": "Cisco" }'

    def __str__(self) -> str:
        return 'Cisco Route Refresh'


@dataclass(frozen=True, slots=True)
class EnhancedRouteRefresh(EmptyCapability):
    CODE: ClassVar[int] = 70

    def json(self) -> str:
        return '{ "name": "enhanced-route-refresh" }'

    def __str__(self) -> str:
        return 'Enhanced Route Refresh'
