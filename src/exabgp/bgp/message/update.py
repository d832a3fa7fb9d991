"""The UPDATE message (RFC 4271 4.3) decoded with RFC 7606 error handling, and End-of-RIB (RFC 4724 2).

    +-----------------------------------------------------+
    |   Withdrawn Routes Length (2 octets)                |
    |   Withdrawn Routes (variable)                       |   IPv4 unicast prefixes
    |   Total Path Attribute Length (2 octets)            |
    |   Path Attributes (variable)                        |   MP_REACH_NLRI / MP_UNREACH_NLRI inside
    |   Network Layer Reachability Information (variable) |   IPv4 unicast prefixes, next hop NEXT_HOP
    +-----------------------------------------------------+

Invariants:
- An `Update` is a frozen value: the routes it announces (`Route`: NLRI, the shared `Attributes`,
  next hop: NEXT_HOP for the NLRI field, MP_REACH_NLRI's own for its NLRI, whose optional link-local
  next hop is `link_local`), the NLRI it withdraws (withdrawn routes field, then MP_UNREACH_NLRI),
  the path attributes, the MP attributes of families without a codec yet (`unparsed`), and the
  RFC 7606 outcome the session applies and logs: `action` (the worst met), the offending attribute
  `code`, `reason`, `disabled` (the families to stop: AFI/SAFI disable) and `discarded` (the codes
  of the attributes dropped by attribute discard, which 5.0 reports as `"error": "discard"`).
- End-of-RIB is an Update with `eor` set to its family and nothing else: the empty UPDATE for IPv4
  unicast, and an UPDATE holding only an MP_UNREACH_NLRI without NLRI for the others.
- `unpack` raises only `PeerError` (session reset): 1/2 for a body shorter than its two length
  fields, 3/1 when the withdrawn routes or path attribute lengths overrun the message (RFC 7606 4),
  3/10 for a withdrawn routes or NLRI field that does not parse (RFC 7606 5.3), whatever the
  attribute parser resets over, and 3/9 for an MP attribute whose AFI/SAFI cannot be read.
- RFC 7606 5.2: an error costing more than an attribute discard in an UPDATE carrying path
  attributes (other than MP_UNREACH_NLRI) but no reachable NLRI (none in the NLRI field nor in an
  MP_REACH_NLRI; one we could not read may hold some, and is AFI/SAFI disable's)
  resets the session with that error's NOTIFICATION, as the RFC says: such an UPDATE is neither a
  withdrawal nor an End-of-RIB, and its fields can not be trusted to have been read right.
- Treat-as-withdraw (a malformed attribute, or ORIGIN or AS_PATH missing while routes are announced,
  or NEXT_HOP missing for the NLRI field: RFC 7606 3.d) turns every announced route into a withdrawn
  NLRI. LOCAL_PREF is not required, internal session or not: 5.0 accepts UPDATEs without it. An MP
  attribute that cannot be parsed disables its family (see bgp.attribute.mp) and its NLRI are
  dropped; the rest of the UPDATE stands. With several errors the worst action is reported.
- 5.0's JSON lists the routes of an MP_REACH_NLRI with a link-local next hop under both addresses;
  the routes here carry the global one and `link_local` the other, for the encoder to do the same.
- `pack(negotiated)` is the bytes of every message the value needs (update_pack decides the layout).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from typing import ClassVar

from exabgp.bgp.attribute.attributes import EMPTY, Attributes, LastParsed, Parsed, parse_attributes
from exabgp.bgp.attribute.base import Action, Code, Flag, header
from exabgp.bgp.attribute.mp import MPReach, MPUnreach, Unparsable
from exabgp.bgp.errors import (
    BAD_MESSAGE_LENGTH,
    INVALID_NETWORK_FIELD,
    MALFORMED_ATTRIBUTE_LIST,
    MESSAGE_HEADER_ERROR,
    OPTIONAL_ATTRIBUTE_ERROR,
    UPDATE_MESSAGE_ERROR,
    Malformed,
    PeerError,
    update_error,
)
from exabgp.bgp.family import IPV4_UNICAST, Family
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.header import HEADER_SIZE, MessageType
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import Route
from exabgp.bgp.slots import slot_store

_EOR_IPV4_BODY = b'\x00\x00\x00\x00'
_ONLY_UNREACH = frozenset((Code.MP_UNREACH_NLRI,))
# enum members as plain module names: an attribute lookup on an Enum class is several times slower
_RESET = Action.RESET
_DISABLE_FAMILY = Action.DISABLE_FAMILY
_TREAT_AS_WITHDRAW = Action.TREAT_AS_WITHDRAW
_ORIGIN_AS_PATH = (Code.ORIGIN, Code.AS_PATH)
_NEXT_HOP = Code.NEXT_HOP


@dataclass(frozen=True, slots=True)
class Update:
    TYPE: ClassVar[int] = MessageType.UPDATE

    announced: tuple[Route, ...] = ()
    withdrawn: tuple[NLRI, ...] = ()
    attributes: Attributes = EMPTY
    eor: Family | None = None
    link_local: IPv6Address | None = None
    unparsed: tuple[MPReach | MPUnreach, ...] = ()
    action: Action = Action.NONE
    code: int = 0
    reason: str = ''
    disabled: tuple[Family, ...] = ()
    discarded: tuple[int, ...] = ()

    @classmethod
    def unpack(cls, body: bytes, negotiated: Negotiated, last: LastParsed | None = None) -> 'Update':
        """`last`: the session's memory of its last attribute field, to skip parsing a repeated one."""
        if body == _EOR_IPV4_BODY:
            return EOR_IPV4
        size = len(body)
        if size < 4:
            length = (HEADER_SIZE + size).to_bytes(2, 'big')
            raise PeerError(MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH, length, f'UPDATE with a {size} octet body')
        withdrawn_end = 2 + int.from_bytes(body[:2], 'big')
        if withdrawn_end + 2 > size:
            raise PeerError(
                UPDATE_MESSAGE_ERROR,
                MALFORMED_ATTRIBUTE_LIST,
                b'',
                f'the withdrawn routes length {withdrawn_end - 2} overruns the {size} octet UPDATE',
            )
        attributes_end = withdrawn_end + 2 + int.from_bytes(body[withdrawn_end : withdrawn_end + 2], 'big')
        if attributes_end > size:
            raise PeerError(
                UPDATE_MESSAGE_ERROR,
                MALFORMED_ATTRIBUTE_LIST,
                b'',
                f'the path attribute length {attributes_end - withdrawn_end - 2} overruns the {size} octet UPDATE',
            )

        withdrawn: list[NLRI] = []
        body_nlri: list[NLRI] = []
        if withdrawn_end > 2 or attributes_end < size:
            addpath = negotiated.receive_path(IPV4_UNICAST)
            try:
                if withdrawn_end > 2:
                    withdrawn = INET.unpack_all(IPV4_UNICAST, body[2:withdrawn_end], addpath)
                if attributes_end < size:
                    body_nlri = INET.unpack_all(IPV4_UNICAST, body[attributes_end:], addpath)
            except Malformed as error:
                raise PeerError(UPDATE_MESSAGE_ERROR, INVALID_NETWORK_FIELD, b'', error.reason) from None

        field_data = body[withdrawn_end + 2 : attributes_end]
        parsed = last.parse(field_data, negotiated) if last is not None else parse_attributes(field_data, negotiated)
        action = parsed.action
        if action == _RESET:
            raise parsed.error()
        attributes = parsed.attributes
        nexthop = parsed.nexthop.address if parsed.nexthop is not None else None
        # (nlri list, next hop) for the NLRI field and for MP_REACH_NLRI
        announced: list[_Announced] = [(body_nlri, nexthop)] if body_nlri else []
        code, reason = parsed.code, parsed.reason
        link_local = None
        reach_unread = False
        unparsed: tuple[MPReach | MPUnreach, ...] = ()
        disabled: tuple[Family, ...] = ()

        reach, unreach = parsed.mp_reach, parsed.mp_unreach
        if reach is not None or unreach is not None:
            # End-of-RIB: an MP_UNREACH_NLRI without NLRI, and nothing else (RFC 4724 2)
            only = reach is None and not withdrawn and not body_nlri and parsed.present == _ONLY_UNREACH
            if only and unreach is not None and len(unreach) == 3:
                return cls(eor=Family.of(int.from_bytes(unreach[:2], 'big'), unreach[2]))
            decoded = _decode_reach(reach, negotiated) if unreach is None else None
            if type(decoded) is MPReach and not decoded.raw:
                # an MP_REACH_NLRI alone, read whole: nearly every UPDATE of a multiprotocol
                # peer, and what _MP would make of it
                if decoded.nlris:
                    announced.append((decoded.nlris, decoded.nexthop))
                link_local = decoded.link_local
            else:
                mp = _MP(negotiated, withdrawn, announced)
                mp.unreach(unreach)
                mp.reach(reach, decoded)
                if mp.failed > action:
                    action, code, reason = mp.failed, mp.code, mp.reason
                link_local, unparsed, disabled = mp.link_local, tuple(mp.unparsed), tuple(mp.disabled)
                reach_unread = mp.reach_unread

        if action >= _TREAT_AS_WITHDRAW and not announced and not reach_unread and parsed.present - _ONLY_UNREACH:
            raise _unreachable(parsed, action, reason)

        as_withdraw = parsed.action >= _TREAT_AS_WITHDRAW
        if announced and not as_withdraw:
            missing = _missing(parsed.present, nexthop, body_nlri)
            if missing:
                as_withdraw = True
                if action < _TREAT_AS_WITHDRAW:
                    action, code, reason = (
                        _TREAT_AS_WITHDRAW,
                        missing,
                        f'missing mandatory attribute {Code(missing).name}',
                    )
        routes: tuple[Route, ...] = ()
        if as_withdraw:
            for nlris, _ in announced:
                withdrawn.extend(nlris)
        elif announced:
            routes = _routes(announced, attributes)

        update = _NEW(cls)
        _ANNOUNCED(update, routes)
        _WITHDRAWN(update, tuple(withdrawn))
        _ATTRIBUTES(update, attributes)
        _EOR(update, None)
        _LINK_LOCAL(update, link_local)
        _UNPARSED(update, unparsed)
        _ACTION(update, action)
        _CODE(update, code)
        _REASON(update, reason)
        _DISABLED(update, disabled)
        _DISCARDED(update, parsed.discarded)
        return update

    def messages(self, negotiated: Negotiated) -> list[bytes]:
        """Every whole message this value needs, in the order they are to be sent."""
        if self.eor is not None:
            return [update_pack.eor(self.eor)]
        # a withdrawal alone keeps the attributes it came with, for the families 5.0 sends them with
        carried = self.attributes if self.withdrawn and not self.announced and len(self.attributes) else None
        return update_pack.messages(self.announced, self.withdrawn, negotiated, self.link_local, carried)

    def pack(self, negotiated: Negotiated) -> bytes:
        return b''.join(self.messages(negotiated))

    def __str__(self) -> str:
        if self.eor is not None:
            return f'UPDATE End-of-RIB {self.eor}'
        return f'UPDATE {len(self.announced)} announced, {len(self.withdrawn)} withdrawn'


EOR_IPV4 = Update(eor=IPV4_UNICAST)

# the NLRI of the NLRI field or of one MP_REACH_NLRI, with the next hop they were announced with
_Announced = tuple[Sequence[NLRI], IPv4Address | IPv6Address | None]


def _decode_reach(value: bytes | None, negotiated: Negotiated) -> MPReach | Unparsable | None:
    """An MP_REACH_NLRI's value decoded, or why it could not be (None: there is none)."""
    if value is None:
        return None
    try:
        return MPReach.unpack(value, negotiated)
    except Unparsable as error:
        return error


class _MP:
    """Decodes the MP attributes of one UPDATE into its withdrawn and announced lists (RFC 4760),
    keeping the worst RFC 7606 outcome met (AFI/SAFI disable) and what it applies to."""

    __slots__ = (
        'announced',
        'code',
        'disabled',
        'failed',
        'link_local',
        'negotiated',
        'reach_unread',
        'reason',
        'unparsed',
        'withdrawn',
    )

    def __init__(self, negotiated: Negotiated, withdrawn: list[NLRI], announced: list[_Announced]) -> None:
        self.negotiated = negotiated
        self.withdrawn = withdrawn
        self.announced = announced
        self.failed = Action.NONE
        self.code = 0
        self.reason = ''
        self.link_local: IPv6Address | None = None
        self.unparsed: list[MPReach | MPUnreach] = []
        self.disabled: list[Family] = []
        # an MP_REACH_NLRI whose NLRI could not be read (malformed, or a family without a codec):
        # it may announce routes, so the UPDATE is not one without reachable NLRI (RFC 7606 5.2)
        self.reach_unread = False

    def unreach(self, value: bytes | None) -> None:
        if value is None:
            return
        try:
            decoded = MPUnreach.unpack(value, self.negotiated)
        except Unparsable as error:
            self._failed(error, Code.MP_UNREACH_NLRI, value)
            return
        if decoded.raw:
            self.unparsed.append(decoded)
        self.withdrawn.extend(decoded.nlris)

    def reach(self, value: bytes | None, decoded: MPReach | Unparsable | None = None) -> None:
        """`decoded`: what `_decode_reach` already made of `value`, if it was called."""
        if value is None:
            return
        if decoded is None:
            decoded = _decode_reach(value, self.negotiated)
        if not isinstance(decoded, MPReach):
            assert isinstance(decoded, Unparsable)  # value is not None: decoded or refused
            self.reach_unread = True
            self._failed(decoded, Code.MP_REACH_NLRI, value)
            return
        if decoded.raw:
            self.reach_unread = True
            self.unparsed.append(decoded)
        self.link_local = decoded.link_local
        if decoded.nlris:
            self.announced.append((decoded.nlris, decoded.nexthop))

    def _failed(self, error: Unparsable, code: int, value: bytes) -> None:
        """AFI/SAFI disable for an MP attribute we cannot use; a reset when its AFI/SAFI is unreadable."""
        if error.family is None:
            attribute = header(Flag.OPTIONAL, code, len(value)) + value
            raise update_error(error.subcode, attribute, error.reason)
        self.disabled.append(error.family)
        # RFC 7606 3.j: between equal actions the first error found is the one reported
        if self.failed < _DISABLE_FAMILY:
            self.failed, self.code, self.reason = _DISABLE_FAMILY, code, error.reason


def _unreachable(parsed: Parsed, action: Action, reason: str) -> PeerError:
    """RFC 7606 5.2: an UPDATE with path attributes (other than MP_UNREACH_NLRI) but no reachable
    NLRI, neither in its NLRI field nor in an MP_REACH_NLRI (an empty one counts as none), is no
    End-of-RIB nor a plain withdrawal, so its fields can not be trusted to have been read right: an
    error costing more than an attribute discard resets the session, with that error's NOTIFICATION
    (RFC 4271 6.3)."""
    why = f'{reason}, in an UPDATE with path attributes and no reachable NLRI (RFC 7606 5.2)'
    if action == _TREAT_AS_WITHDRAW:
        return update_error(parsed.subcode or MALFORMED_ATTRIBUTE_LIST, parsed.data, why, parsed.five)
    # AFI/SAFI disable of the MP_UNREACH_NLRI: RFC 4760 7's Optional Attribute Error
    return PeerError(UPDATE_MESSAGE_ERROR, OPTIONAL_ATTRIBUTE_ERROR, b'', why)


def _missing(present: frozenset[int], nexthop: IPv4Address | None, body_nlri: Sequence[NLRI]) -> int:
    """The first well-known mandatory attribute an announcing UPDATE lacks (RFC 7606 3.d), or 0.

    ORIGIN and AS_PATH, and NEXT_HOP for the NLRI field (RFC 4760 makes it optional otherwise).
    LOCAL_PREF is not one: 5.0 accepts an internal UPDATE without it (its reference decodings of
    BGP-LS routes on an internal session have none) and RFC 4271 does not make it mandatory.
    """
    for code in _ORIGIN_AS_PATH:
        if code not in present:
            return code
    if body_nlri and nexthop is None:
        return _NEXT_HOP
    return 0


_NEW = object.__new__
_ROUTE_NLRI = slot_store(Route, 'nlri')
_ROUTE_ATTRIBUTES = slot_store(Route, 'attributes')
_ROUTE_NEXTHOP = slot_store(Route, 'nexthop')


def _routes(announced: list[_Announced], attributes: Attributes) -> tuple[Route, ...]:
    # the frozen dataclass __init__ costs three times the slot stores: this runs once per route
    found: list[Route] = []
    append = found.append
    for nlris, nexthop in announced:
        for nlri in nlris:
            route = _NEW(Route)
            _ROUTE_NLRI(route, nlri)
            _ROUTE_ATTRIBUTES(route, attributes)
            _ROUTE_NEXTHOP(route, nexthop)
            append(route)
    return tuple(found)


# the slot stores of Update, for the same reason (unpack builds one per message)
_ANNOUNCED = slot_store(Update, 'announced')
_WITHDRAWN = slot_store(Update, 'withdrawn')
_ATTRIBUTES = slot_store(Update, 'attributes')
_EOR = slot_store(Update, 'eor')
_LINK_LOCAL = slot_store(Update, 'link_local')
_UNPARSED = slot_store(Update, 'unparsed')
_ACTION = slot_store(Update, 'action')
_CODE = slot_store(Update, 'code')
_REASON = slot_store(Update, 'reason')
_DISABLED = slot_store(Update, 'disabled')
_DISCARDED = slot_store(Update, 'discarded')
