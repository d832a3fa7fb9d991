"""The capability table: code -> class, built here and nowhere else, and the functions that use it.

Invariants: `decode` never fails on an unknown code (it keeps it raw, RFC 5492 section 3); it raises
only the PeerError of a known capability's `unpack`. `grouped` gathers the TLVs of an OPEN by code,
codes in first-seen order and TLVs in wire order: the shape 5.0 kept them in; `as_json` and `as_text`
render them as 5.0 does.
"""

from collections.abc import Iterable

from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.base import Capability
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.operational import Operational
from exabgp.bgp.capability.refresh import CiscoRouteRefresh, EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.capability.unknown import UnknownCapability

CAPABILITIES: dict[int, type[Capability]] = {
    cls.CODE: cls
    for cls in (
        MultiProtocol,
        RouteRefresh,
        ExtendedNextHop,
        ExtendedMessage,
        GracefulRestart,
        ASN4,
        MultiSession,
        AddPath,
        EnhancedRouteRefresh,
        HostName,
        SoftwareVersion,
        CiscoRouteRefresh,
        CiscoMultiSession,
        Operational,
    )
}


def decode(code: int, value: bytes) -> Capability:
    cls = CAPABILITIES.get(code)
    if cls is None:
        return UnknownCapability(code, bytes(value))
    return cls.unpack(value)


def grouped(capabilities: Iterable[Capability]) -> dict[int, tuple[Capability, ...]]:
    groups: dict[int, list[Capability]] = {}
    for capability in capabilities:
        groups.setdefault(capability.code, []).append(capability)
    return {code: tuple(items) for code, items in groups.items()}


def group_json(items: tuple[Capability, ...]) -> str:
    return type(items[0]).group_json(items)


def group_text(items: tuple[Capability, ...]) -> str:
    return type(items[0]).group_text(items)


def as_json(capabilities: Iterable[Capability]) -> str:
    """The members of an OPEN's "capabilities" object, as 5.0 writes them."""
    return ', '.join(f'"{code}": {group_json(items)}' for code, items in grouped(capabilities).items())


def as_text(capabilities: Iterable[Capability]) -> str:
    """The capabilities as 5.0 logs them: one entry per code, in code order."""
    groups = grouped(capabilities)
    return ', '.join(group_text(groups[code]) for code in sorted(groups))
