"""Route refresh capabilities: code 2 (RFC 2918), its pre-standard Cisco code 128, and enhanced route
refresh, code 70 (RFC 7313).

All three have an empty value; whatever a peer puts in it is ignored, as 5.0 does. The RFC and Cisco
codes are separate classes so that each value knows which one it came as: 5.0 shows the variant.
"""

from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, tlv


@dataclass(frozen=True, slots=True)
class RouteRefresh(Capability):
    CODE: ClassVar[int] = 2

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        return cls()

    def pack(self) -> bytes:
        return tlv(self.CODE, b'')

    def json(self) -> str:
        return '{ "name": "route-refresh", "variant": "RFC" }'

    def __str__(self) -> str:
        return 'Route Refresh'


@dataclass(frozen=True, slots=True)
class CiscoRouteRefresh(Capability):
    CODE: ClassVar[int] = 128

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        return cls()

    def pack(self) -> bytes:
        return tlv(self.CODE, b'')

    def json(self) -> str:
        return '{ "name": "route-refresh", "variant": "Cisco" }'

    def __str__(self) -> str:
        return 'Cisco Route Refresh'


@dataclass(frozen=True, slots=True)
class EnhancedRouteRefresh(Capability):
    CODE: ClassVar[int] = 70

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        return cls()

    def pack(self) -> bytes:
        return tlv(self.CODE, b'')

    def json(self) -> str:
        return '{ "name": "enhanced-route-refresh" }'

    def __str__(self) -> str:
        return 'Enhanced Route Refresh'
