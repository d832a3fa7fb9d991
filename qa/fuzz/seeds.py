"""Valid messages the fuzzer mutates: (type code, body) pairs.

Three sources: messages our own encoders build here (every message type, UPDATEs of several
families, labeled unicast among them, with ADD-PATH, link-local next hops, 2-octet AS paths,
RFC 7606 faults, End-of-RIB), the UPDATE golden vectors of tests/api/update_vectors.py, and, when
shared/reference sits beside the repository, every wire message of its decoding and encoding cases
(both snapshots).
"""

import pathlib
import sys
from collections.abc import Iterator
from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.attribute.aggregation import ATOMIC_AGGREGATE, Aggregator
from exabgp.bgp.attribute.aspath import AS_SET, ASPath
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.community import Communities, LargeCommunities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import EGP, ORIGINS
from exabgp.bgp.attribute.reflection import ClusterList, OriginatorID
from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.hostname import HostName
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.refresh import EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.header import HEADER_SIZE, MARKER, MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.operational import Advisory, Query, Reply
from exabgp.bgp.message.refresh import RouteRefresh as RouteRefreshMessage
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.nlri.labeled import Labeled
from exabgp.bgp.route import Route

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE_CANDIDATES = (ROOT.parent / 'shared' / 'reference', ROOT.parent.parent / 'shared' / 'reference')

Seed = tuple[int, bytes]

_PATH = Attributes(
    (
        ORIGINS[EGP],
        ASPath(((2, (65000, 4200000000)), (AS_SET, (1, 2, 3)))),
        MED(5),
        LocalPreference(200),
        ATOMIC_AGGREGATE,
        Aggregator(65000, IPv4Address('10.0.0.9')),
        Communities((0xFFFFFF01, 65000 << 16 | 7)),
        OriginatorID(IPv4Address('1.1.1.1')),
        ClusterList((IPv4Address('2.2.2.2'), IPv4Address('3.3.3.3'))),
        LargeCommunities(((65000, 1, 2),)),
    )
)
_SESSION = Negotiated(local_as=65000, peer_as=65000, asn4=True, families=(IPV4_UNICAST, IPV4_MULTICAST, IPV6_UNICAST))
_ASN2 = Negotiated(local_as=65000, peer_as=65000, asn4=False)
_ADDPATH = Negotiated(
    local_as=65000,
    peer_as=65000,
    asn4=True,
    families=(IPV4_UNICAST, IPV6_UNICAST),
    addpath_send=frozenset((IPV4_UNICAST, IPV6_UNICAST)),
    addpath_receive=frozenset((IPV4_UNICAST, IPV6_UNICAST)),
)
_LABELED_V4 = Family(AFI.IPV4, SAFI.NLRI_MPLS)
_LABELED_V6 = Family(AFI.IPV6, SAFI.NLRI_MPLS)
_LABELED = Negotiated(
    local_as=65000,
    peer_as=65000,
    asn4=True,
    families=(_LABELED_V4, _LABELED_V6),
    addpath_send=frozenset((_LABELED_V4,)),
    addpath_receive=frozenset((_LABELED_V4,)),
)


def _v4(text: str, length: int, path_id: int | None = None) -> INET:
    return INET.make(IPV4_UNICAST, IPv4Address(text), length, path_id)


def _v6(text: str, length: int, path_id: int | None = None) -> INET:
    return INET.make(IPV6_UNICAST, IPv6Address(text), length, path_id)


def _framed(messages: list[bytes]) -> Iterator[Seed]:
    for message in messages:
        yield message[18], message[HEADER_SIZE:]


def _labeled() -> list[bytes]:
    """Labeled unicast (RFC 8277): a label, a stack with a path identifier, IPv6, the withdrawal 5.0
    sends (the route's attributes and NEXT_HOP with MP_UNREACH_NLRI), the withdrawal compatibility
    value, End-of-RIB."""
    hop = IPv4Address('10.0.0.1')
    ipv4 = [
        Labeled.make(_LABELED_V4, IPv4Address('10.0.0.0').packed, 24, (100,)),
        Labeled.make(_LABELED_V4, IPv4Address('10.0.1.0').packed, 24, (100, 200), 5),
    ]
    ipv6 = [Labeled.make(_LABELED_V6, IPv6Address('2001:db8:1::').packed, 48, (301, 302, 303))]
    return [
        *update_pack.announce(_LABELED_V4, ipv4, _PATH, hop, _LABELED),
        *update_pack.announce(_LABELED_V6, ipv6, _PATH, IPv6Address('2001:db8::1'), _LABELED),
        *update_pack.withdraw(_LABELED_V4, ipv4[:1], _LABELED, _PATH, hop),
        *update_pack.withdraw(_LABELED_V4, [Labeled.make(_LABELED_V4, bytes(4), 0, (0x80000,))], _LABELED),
        *update_pack.withdraw(_LABELED_V6, ipv6, _LABELED),
        update_pack.eor(_LABELED_V4),
        update_pack.eor(_LABELED_V6),
    ]


def built() -> Iterator[Seed]:
    """Messages of every type, made by our encoders."""
    hop = IPv4Address('10.0.0.1')
    updates = [
        (Update(announced=(Route(_v4('10.0.0.0', 8), _PATH, hop), Route(_v4('11.1.0.0', 16), _PATH, hop))), _SESSION),
        (Update(announced=(Route(_v4('10.1.0.0', 16), _PATH, hop),)), _ASN2),
        (
            Update(
                announced=(Route(_v6('2001:db8::', 32), _PATH, IPv6Address('2001:db8::1')),),
                link_local=IPv6Address('fe80::1'),
            ),
            _SESSION,
        ),
        (
            Update(
                announced=(
                    Route(_v4('10.2.0.0', 16, 1), _PATH, hop),
                    Route(_v6('2001:db8:1::', 48, 2), _PATH, IPv6Address('2001:db8::2')),
                ),
                withdrawn=(_v4('10.3.0.0', 16, 3), _v6('2001:db8:2::', 48, 4)),
            ),
            _ADDPATH,
        ),
        (Update(withdrawn=(_v4('10.4.0.0', 16), _v6('2001:db8:3::', 48))), _SESSION),
        (Update(eor=IPV4_UNICAST), _SESSION),
        (Update(eor=IPV6_UNICAST), _SESSION),
        (Update(eor=IPV4_MULTICAST), _SESSION),
    ]
    for value, negotiated in updates:
        yield from _framed(value.messages(negotiated))
    yield from _framed(_labeled())
    rich = Open(
        4,
        23456,
        90,
        IPv4Address('10.0.0.1'),
        (
            MultiProtocol(IPV4_UNICAST),
            MultiProtocol(IPV6_UNICAST),
            RouteRefresh(),
            EnhancedRouteRefresh(),
            ExtendedMessage(),
            ExtendedNextHop(((IPV4_UNICAST, AFI.IPV6),)),
            GracefulRestart(8, 120, ((IPV4_UNICAST, 0x80),)),
            ASN4(4200000000),
            AddPath(((IPV4_UNICAST, 3), (IPV6_UNICAST, 1))),
            HostName('host', 'example.com'),
            SoftwareVersion('ExaBGP/5.0.0'),
        ),
    )
    family = IPV4_UNICAST
    others = [
        rich,
        Notification(6, 2, b'\x04bye!'),
        Notification(3, 1, b'\x40\x01\x01\x05'),
        KeepAlive(),
        RouteRefreshMessage(family, 0),
        RouteRefreshMessage(IPV6_UNICAST, 1),
        Advisory(1, family, b'maintenance'),
        Query(3, family, IPv4Address('1.2.3.4'), 7),
        Reply(4, family, IPv4Address('1.2.3.4'), 7, 9),
    ]
    for message in others:
        yield from _framed([message.pack(_SESSION)])  # type: ignore[attr-defined]


def golden() -> Iterator[Seed]:
    """The UPDATE golden vectors of the API tests."""
    folder = ROOT / 'tests' / 'api'
    if not (folder / 'update_vectors.py').is_file():
        return
    sys.path.insert(0, str(folder))
    try:
        from update_vectors import VECTORS
    finally:
        sys.path.remove(str(folder))
    for vector in VECTORS.values():
        yield MessageType.UPDATE, bytes.fromhex(vector.wire)


def _message(text: str) -> Seed | None:
    try:
        data = bytes.fromhex(''.join(text.replace(':', '').split()))
    except ValueError:
        return None
    if data.startswith(MARKER):
        return (data[18], data[HEADER_SIZE:]) if len(data) >= HEADER_SIZE else None
    return MessageType.UPDATE, data


def reference() -> Iterator[Seed]:
    """Every wire message of the reference cases, when the folder is there."""
    folder = next((path for path in REFERENCE_CANDIDATES if path.is_dir()), None)
    if folder is None:
        return
    for path in sorted(folder.glob('*/qa/decoding/*')):
        lines = path.read_text(errors='replace').splitlines()
        if len(lines) > 1 and (seed := _message(lines[1])) is not None:
            yield seed
    for path in sorted(folder.glob('*/qa/*/*')):
        if path.suffix not in ('.msg', '.ci'):
            continue
        for line in path.read_text(errors='replace').splitlines():
            _, found, raw = line.partition(':raw:')
            if found and (seed := _message(raw)) is not None:
                yield seed


def own() -> Iterator[Seed]:
    """Every wire message of our own decoding and encoding cases (qa/decoding, qa/encoding)."""
    for path in sorted((ROOT / 'qa' / 'decoding').glob('*')):
        lines = path.read_text(errors='replace').splitlines()
        if len(lines) > 1 and (seed := _message(lines[1])) is not None:
            yield seed
    for path in sorted((ROOT / 'qa').glob('*/*.ci')):
        for line in path.read_text(errors='replace').splitlines():
            _, found, raw = line.partition(':raw:')
            if found and (seed := _message(raw)) is not None:
                yield seed


def every() -> list[Seed]:
    """All seeds, without duplicates, in a stable order."""
    return list(dict.fromkeys([*built(), *golden(), *own(), *reference()]))
