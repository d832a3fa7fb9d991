"""What two OPENs agree on (`negotiate`) and whether the session may go on (`validate`), with
ExaBGP 5.0's rules.

Invariants:
- `negotiate` never fails: it only intersects. Hold time is the smaller of both; ASN4, extended
  message and operational need the capability on both sides; the peer's AS comes from its ASN4
  capability when its OPEN says AS_TRANS and ASN4 is negotiated; families are the received
  MULTIPROTOCOL families (wire order) that we sent too, none when either side sent none; extended
  next hop likewise; refresh is enhanced when both sent code 70, normal when both sent code 2;
  ADD-PATH sends (receives) a family when we offered to send (receive) it and the peer to receive
  (send) it; multisession is on when both sent the same code (68 or 131); our link-local
  address (upstream 6.0's capability 77) is used only when both sent that capability.
- `validate` returns the PeerError 5.0 answers after the OPEN exchange, or None, checking in 5.0's
  order: peer AS (2/2), BGP identifier 0.0.0.0 or equal to ours on an IBGP session (2/3), hold
  time 1 or 2 (2/6), multisession grouping (2/8 conflict, 2/9 required). The data is 5.0's text.
"""

from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.capability.addpath import RECEIVE, SEND, AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.base import code_name
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.multisession import CiscoMultiSession, MultiSession
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.table import group_json, grouped
from exabgp.bgp.errors import (
    BAD_BGP_IDENTIFIER,
    BAD_PEER_AS,
    OPEN_MESSAGE_ERROR,
    UNACCEPTABLE_HOLD_TIME,
    PeerError,
)
from exabgp.bgp.family import Family
from exabgp.bgp.message.open import AS_TRANS, Open
from exabgp.bgp.negotiated import EXTENDED_SIZE, STANDARD_SIZE, Negotiated, Refresh

MINIMUM_HOLD_TIME = 3  # RFC 4271 4.2: zero, or at least three seconds
GROUPING_CONFLICT = 8  # draft-ietf-idr-bgp-multisession
GROUPING_REQUIRED = 9
UNSET = IPv4Address(0)
LINK_LOCAL_NEXTHOP = 77  # upstream 6.0's link-local next hop capability


def _codes(message: Open) -> set[int]:
    return {capability.code for capability in message.capabilities}


def _peer_as(sent: Open, received: Open) -> int:
    asn4 = received.find(ASN4)
    if received.asn == AS_TRANS and asn4 and sent.find(ASN4):
        return asn4[-1].asn
    return received.asn


def _addpath(sent: Open, received: Open) -> tuple[frozenset[Family], frozenset[Family]]:
    ours = AddPath.merged(sent.find(AddPath))
    theirs = AddPath.merged(received.find(AddPath))
    send = frozenset(family for family in ours if ours[family] & SEND and theirs.get(family, 0) & RECEIVE)
    receive = frozenset(family for family in ours if ours[family] & RECEIVE and theirs.get(family, 0) & SEND)
    return send, receive


def negotiate(
    sent: Open,
    received: Open,
    *,
    aigp: bool = False,
    unreach_first: bool = False,
    link_local: IPv6Address | None = None,
) -> Negotiated:
    ours, theirs = _codes(sent), _codes(received)
    both = ours & theirs

    families: tuple[Family, ...] = ()
    if MultiProtocol.CODE in both:
        offered = {capability.family for capability in sent.find(MultiProtocol)}
        families = tuple(
            capability.family for capability in received.find(MultiProtocol) if capability.family in offered
        )

    nexthop: tuple[tuple[Family, int], ...] = ()
    if ExtendedNextHop.CODE in both:
        offered_pairs = set(ExtendedNextHop.merged(sent.find(ExtendedNextHop)))
        nexthop = tuple(
            pair for pair in ExtendedNextHop.merged(received.find(ExtendedNextHop)) if pair in offered_pairs
        )

    refresh = Refresh.ABSENT
    if 70 in both:
        refresh = Refresh.ENHANCED
    elif 2 in both:
        refresh = Refresh.NORMAL

    addpath_send, addpath_receive = _addpath(sent, received)
    return Negotiated(
        local_as=sent.asn,
        peer_as=_peer_as(sent, received),
        hold_time=min(sent.hold_time, received.hold_time),
        asn4=ASN4.CODE in both,
        families=families,
        nexthop=nexthop,
        addpath_send=addpath_send,
        addpath_receive=addpath_receive,
        msg_size=EXTENDED_SIZE if 6 in both else STANDARD_SIZE,
        refresh=refresh,
        multisession=bool({MultiSession.CODE, CiscoMultiSession.CODE} & both),
        operational=185 in both,
        aigp=aigp,
        unreach_first=unreach_first,
        link_local=link_local if LINK_LOCAL_NEXTHOP in both else None,
    )


def _error(code: int, subcode: int, reason: str) -> PeerError:
    # RFC 4271 6.2 gives these OPEN errors no data; 5.0 sends the reason
    return PeerError.texted(code, subcode, reason)


def _multisession(sent: Open, received: Open) -> PeerError | None:
    both = _codes(sent) & _codes(received)
    kind: type[MultiSession] | type[CiscoMultiSession]
    if MultiSession.CODE in both:
        kind = MultiSession
    elif CiscoMultiSession.CODE in both:
        kind = CiscoMultiSession
    elif any(sent.find(variant) for variant in (MultiSession, CiscoMultiSession)):
        return _error(OPEN_MESSAGE_ERROR, GROUPING_REQUIRED, 'multisession is mandatory with this peer')
    else:
        return None

    # an empty Session Id means "the families", the same as one naming MULTIPROTOCOL (section 4)
    ours = set(sent.find(kind)[0].session_ids()) or {MultiProtocol.CODE}
    theirs = set(received.find(kind)[0].session_ids()) or {MultiProtocol.CODE}
    if ours != theirs:
        reason = 'multisession, our peer did not reply with the same sessionid'
        return _error(OPEN_MESSAGE_ERROR, GROUPING_CONFLICT, reason)

    sent_groups, received_groups = grouped(sent.capabilities), grouped(received.capabilities)
    for code in sorted(ours):
        if (
            code not in sent_groups
            or code not in received_groups
            or group_json(sent_groups[code]) != group_json(received_groups[code])
        ):
            reason = f'when checking session id, capability {code_name(code)} did not match'
            return _error(OPEN_MESSAGE_ERROR, GROUPING_CONFLICT, reason)
    return None


def validate(
    sent: Open,
    received: Open,
    *,
    peer_as: int | None,
    local_as: int,
    router_id: IPv4Address | str,
) -> PeerError | None:
    """`peer_as` is the AS the neighbor is configured with (None: any), `local_as` and `router_id` ours."""
    if peer_as is not None and _peer_as(sent, received) != peer_as:
        reason = f'ASN in OPEN ({received.asn}) did not match ASN expected ({peer_as})'
        return _error(OPEN_MESSAGE_ERROR, BAD_PEER_AS, reason)

    if received.router_id == UNSET:
        return _error(OPEN_MESSAGE_ERROR, BAD_BGP_IDENTIFIER, '0.0.0.0 is an invalid router_id')

    if received.asn == local_as and received.router_id == IPv4Address(router_id):
        reason = f'BGP Identifier collision, same router-id ({received.router_id}) on both sides of this IBGP session'
        return _error(OPEN_MESSAGE_ERROR, BAD_BGP_IDENTIFIER, reason)

    if 0 < received.hold_time < MINIMUM_HOLD_TIME:
        return _error(OPEN_MESSAGE_ERROR, UNACCEPTABLE_HOLD_TIME, f'Hold Time is invalid ({received.hold_time})')

    return _multisession(sent, received)


def mismatch(sent: Open, received: Open) -> tuple[tuple[str, Family], ...]:
    """Families only one side announced, as 5.0 logs them: 'exabgp' when we lack it, 'peer' when they do."""
    ours = dict.fromkeys(capability.family for capability in sent.find(MultiProtocol))
    theirs = dict.fromkeys(capability.family for capability in received.find(MultiProtocol))
    return tuple(('peer', family) for family in ours if family not in theirs) + tuple(
        ('exabgp', family) for family in theirs if family not in ours
    )
