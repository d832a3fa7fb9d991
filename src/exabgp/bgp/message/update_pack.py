"""Building UPDATE messages from routes, with the bytes ExaBGP 5.0 sends (RFC 4271 4.3, RFC 4760,
RFC 7606 5.1, RFC 7911, RFC 8950, RFC 4724 2).

    +-----------------------------------------------------+
    |   Withdrawn Routes Length (2 octets)                |
    |   Withdrawn Routes (variable)                       |
    |   Total Path Attribute Length (2 octets)            |
    |   Path Attributes (variable)                        |
    |   Network Layer Reachability Information (variable) |
    +-----------------------------------------------------+

Invariants (the facts of 5.0.15's Update.messages):
- An UPDATE carries exactly one of: a withdrawn routes field, an NLRI field, an MP_UNREACH_NLRI or
  an MP_REACH_NLRI (RFC 7606 5.1). Withdrawals are sent before announcements.
- IPv4 unicast withdrawals go in the withdrawn routes field, with no path attribute; IPv4 unicast
  announcements with an IPv4 next hop go in the NLRI field, after the path attributes. Every other
  case (other families, IPv4 unicast with an IPv6 next hop) uses MP_UNREACH_NLRI, sent alone, or
  MP_REACH_NLRI, appended after the path attributes (not at its type-code position).
- NEXT_HOP is one of the path attributes, at its code position, whenever the next hop is IPv4,
  whatever the family (so an IPv6 route with an IPv4 next hop carries it too), unless the family's
  row says otherwise (FlowSpec, VPLS: as 5.0 sends them).
- NLRI are sorted as 5.0 sorts them: NLRI with a path identifier first (by identifier), then by
  prefix length, then by prefix octets. Path identifiers are sent when `negotiated.send_path`
  applies, 0 for an NLRI without one.
- Each message holds as many NLRI as `negotiated.msg_size` allows; an MP attribute takes the
  extended length form only past 255 octets. An NLRI that cannot fit in a message of its own is
  logged and left out (for the NLRI field, with every NLRI after it, as 5.0 does).
- Upstream 6.0's order (`negotiated.unreach_first`): MP_UNREACH_NLRI before the path attributes a
  withdrawal carries.
- upstream 6.0's link-local next hop capability, when negotiated with our `local-link-local`:
  a global IPv6 next hop of IPv6 unicast/multicast goes with that address (32 octets).
- End-of-RIB: the 4-octet empty UPDATE for IPv4 unicast; for any other family an MP_UNREACH_NLRI
  with no NLRI, written as 5.0 writes it (flags 0x90, a 2-octet length of 3).
- `nexthop` must be an address: the caller resolves `next-hop self` to the session's address.
"""

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv6Address

from exabgp import logger
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.base import Code, Flag
from exabgp.bgp.attribute.mp import reach_header, unreach_header
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.message.header import HEADER_SIZE, MARKER, MessageType, frame
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.table import NLRI_FIELD, TABLE, sends_nexthop_attribute, without_nexthop
from exabgp.bgp.route import NextHop, Route

log = logger.get('parser')

_EMPTY_LENGTH = b'\x00\x00'
# the two length fields around the path attributes
_FIELDS = 4
_LINK_LOCAL_FAMILIES = (Family(AFI.IPV6, SAFI.UNICAST), Family(AFI.IPV6, SAFI.MULTICAST))
_EOR_IPV4 = frame(MessageType.UPDATE, b'\x00\x00\x00\x00')
_EOR_PREFIX = b'\x00\x00\x00\x07' + bytes((Flag.OPTIONAL | Flag.EXTENDED_LENGTH, Code.MP_UNREACH_NLRI)) + b'\x00\x03'


def eor(family: Family) -> bytes:
    """The End-of-RIB marker for a family (RFC 4724 2), as a whole message."""
    if family == NLRI_FIELD:
        return _EOR_IPV4
    return frame(MessageType.UPDATE, _EOR_PREFIX + unreach_header(family))


def order(nlri: NLRI) -> bytes:
    """5.0's sort key for the NLRI of one family: path identifier (none sorts last), then the prefix."""
    return nlri.order()


def nexthop_attribute(nexthop: IPv4Address | IPv6Address | None) -> tuple[bytes, ...]:
    """NEXT_HOP (well-known transitive, code 3) when the next hop is IPv4, to insert in the attributes."""
    if isinstance(nexthop, IPv4Address):
        return (bytes((Flag.TRANSITIVE, Code.NEXT_HOP, 4)) + nexthop.packed,)
    return ()


def _attribute(code: int, value: bytes) -> bytes:
    if len(value) > 255:
        return bytes((Flag.OPTIONAL | Flag.EXTENDED_LENGTH, code)) + len(value).to_bytes(2, 'big') + value
    return bytes((Flag.OPTIONAL, code, len(value))) + value


def _size(value: int) -> int:
    """Octets an optional attribute with a value of this size takes, header included."""
    return value + 3 if value <= 255 else value + 4


def _chunks(packed: Iterable[bytes], budget: int) -> list[bytes]:
    """Consecutive NLRI joined in blobs of at most `budget` octets; stops at one that cannot fit."""
    found = []
    blob: list[bytes] = []
    used = 0
    for nlri in packed:
        if used + len(nlri) > budget:
            if not blob:
                log.critical('can not pack one NLRI in an UPDATE: it and those after it are not sent')
                break
            found.append(b''.join(blob))
            blob, used = [], 0
        blob.append(nlri)
        used += len(nlri)
    if blob:
        found.append(b''.join(blob))
    return found


def _mp_values(header: bytes, packed: Iterable[bytes], budget: int) -> list[bytes]:
    """MP attribute values (header then NLRI) whose whole attribute fits `budget` octets."""
    found = []
    value = header
    for nlri in packed:
        if _size(len(header) + len(nlri)) > budget:
            log.critical('can not pack one NLRI in an MP attribute: it is not sent')
            continue
        if _size(len(value) + len(nlri)) > budget:
            found.append(value)
            value = header
        value += nlri
    if value != header:
        found.append(value)
    return found


def _sorted_packed(family: Family, nlris: Iterable[NLRI], negotiated: Negotiated) -> list[bytes]:
    addpath = negotiated.send_path(family)
    row = TABLE.get(family)
    # one family, one codec: its unbound method is the cheapest sort key
    key = row.codec.order if row is not None and row.codec is not None else order
    return [nlri.pack(addpath) for nlri in sorted(nlris, key=key)]


def withdraw(
    family: Family,
    nlris: Iterable[NLRI],
    negotiated: Negotiated,
    attributes: Attributes | None = None,
    nexthop: NextHop = None,
) -> list[bytes]:
    """The messages withdrawing these NLRI of one family. For a family whose withdrawals 5.0 sends
    with path attributes (labeled unicast), `attributes` and `nexthop` are those of the route
    (NEXT_HOP included when the next hop is an IPv4 address)."""
    if family not in negotiated.families:
        return []
    packed = _sorted_packed(family, nlris, negotiated)
    if family == NLRI_FIELD:
        budget = negotiated.msg_size - HEADER_SIZE - _FIELDS
        return [
            frame(MessageType.UPDATE, len(blob).to_bytes(2, 'big') + blob + _EMPTY_LENGTH)
            for blob in _chunks(packed, budget)
        ]
    carried = b''
    row = TABLE.get(family)
    if attributes is not None and row is not None and row.withdraw_attributes:
        hop = nexthop if isinstance(nexthop, IPv4Address | IPv6Address) and sends_nexthop_attribute(family) else None
        carried = attributes.pack(negotiated, nexthop_attribute(hop))
    budget = negotiated.msg_size - HEADER_SIZE - _FIELDS - len(carried)
    unreach = (_attribute(Code.MP_UNREACH_NLRI, value) for value in _mp_values(unreach_header(family), packed, budget))
    if negotiated.unreach_first:
        return [frame(MessageType.UPDATE, _EMPTY_LENGTH + _attribute_field(value + carried)) for value in unreach]
    return [frame(MessageType.UPDATE, _EMPTY_LENGTH + _attribute_field(carried + value)) for value in unreach]


def _attribute_field(attributes: bytes) -> bytes:
    return len(attributes).to_bytes(2, 'big') + attributes


def announce_packed(
    family: Family,
    nlris: Iterable[NLRI],
    attributes: bytes,
    nexthop: IPv4Address | IPv6Address | None,
    negotiated: Negotiated,
    link_local: IPv6Address | None = None,
) -> list[bytes]:
    """The messages announcing these NLRI of one family with already packed path attributes
    (NEXT_HOP included when the next hop is IPv4) and their next hop."""
    if family not in negotiated.families:
        return []
    budget = negotiated.msg_size - HEADER_SIZE - _FIELDS - len(attributes)
    if budget <= 0:
        log.critical('the path attributes leave no room for a single NLRI: the routes are not sent')
        return []
    packed = _sorted_packed(family, nlris, negotiated)
    if family == NLRI_FIELD and isinstance(nexthop, IPv4Address):
        prefix = _EMPTY_LENGTH + _attribute_field(attributes)
        return [frame(MessageType.UPDATE, prefix + blob) for blob in _chunks(packed, budget)]
    if link_local is None and _takes_link_local(family, nexthop, negotiated):
        link_local = negotiated.link_local
    header = reach_header(family, nexthop, link_local)
    return [
        frame(MessageType.UPDATE, _EMPTY_LENGTH + _attribute_field(attributes + _attribute(Code.MP_REACH_NLRI, value)))
        for value in _mp_values(header, packed, budget)
    ]


def _takes_link_local(family: Family, nexthop: IPv4Address | IPv6Address | None, negotiated: Negotiated) -> bool:
    """upstream 6.0's link-local next hop capability: a global IPv6 next hop of an IPv6 unicast or
    multicast route is followed by our link-local address."""
    return (
        negotiated.link_local is not None
        and family in _LINK_LOCAL_FAMILIES
        and isinstance(nexthop, IPv6Address)
        and not nexthop.is_link_local
    )


def announce(
    family: Family,
    nlris: Iterable[NLRI],
    attributes: Attributes,
    nexthop: NextHop,
    negotiated: Negotiated,
    link_local: IPv6Address | None = None,
) -> list[bytes]:
    """The messages announcing these NLRI of one family, sharing `attributes` and `nexthop`."""
    packed = _packed_attributes(family, attributes, nexthop, negotiated)
    # _packed_attributes refused anything but an address or None
    address = nexthop if isinstance(nexthop, IPv4Address | IPv6Address) else None
    return announce_packed(family, nlris, packed, address, negotiated, link_local)


def _packed_attributes(family: Family, attributes: Attributes, nexthop: NextHop, negotiated: Negotiated) -> bytes:
    if not isinstance(nexthop, IPv4Address | IPv6Address) and (nexthop is not None or not without_nexthop(family)):
        raise ValueError(f'an announcement needs an IP next hop, not {nexthop!r}')
    # a FlowSpec redirect next hop, a VPLS one, is only in MP_REACH_NLRI: 5.0 sends no NEXT_HOP for it
    return attributes.pack(negotiated, nexthop_attribute(nexthop) if sends_nexthop_attribute(family) else ())


def announce_each(
    family: Family, nlris: Iterable[NLRI], attributes: Attributes, nexthop: NextHop, negotiated: Negotiated
) -> list[bytes]:
    """One message per NLRI, in the order given: what `announce` sends for each NLRI alone (the
    families 5.0 does not group, one FlowSpec rule an UPDATE), the attributes and the MP_REACH_NLRI
    header made once for them all."""
    if family == NLRI_FIELD or family not in negotiated.families:
        return [message for nlri in nlris for message in announce(family, (nlri,), attributes, nexthop, negotiated)]
    packed = _packed_attributes(family, attributes, nexthop, negotiated)
    budget = negotiated.msg_size - HEADER_SIZE - _FIELDS - len(packed)
    if budget <= 0:
        log.critical('the path attributes leave no room for a single NLRI: the routes are not sent')
        return []
    # _packed_attributes refused anything but an address or None
    address = nexthop if isinstance(nexthop, IPv4Address | IPv6Address) else None
    link_local = negotiated.link_local if _takes_link_local(family, address, negotiated) else None
    header = reach_header(family, address, link_local)
    addpath = negotiated.send_path(family)
    # the messages differ only by their NLRI: all that goes before one is made once per NLRI size
    # (b'' when an NLRI of that size can not fit), each message is then that and the NLRI
    heads: dict[int, bytes] = {}
    found = []
    for nlri in nlris:
        wire = nlri.pack(addpath)
        head = heads.get(len(wire))
        if head is None:
            head = heads[len(wire)] = _head_each(packed, header, len(wire), budget)
        if not head:
            log.critical('can not pack one NLRI in an MP attribute: it is not sent')
            continue
        found.append(head + wire)
    return found


def _head_each(attributes: bytes, header: bytes, size: int, budget: int) -> bytes:
    """The octets of a message of `announce_each` before its NLRI of `size` octets: the message
    header, an empty withdrawn routes field, the path attributes and MP_REACH_NLRI up to its NLRI
    (b'' when the NLRI can not fit in `budget`)."""
    value = len(header) + size
    if _size(value) > budget:
        return b''
    if value > 255:
        reach = bytes((Flag.OPTIONAL | Flag.EXTENDED_LENGTH, Code.MP_REACH_NLRI)) + value.to_bytes(2, 'big')
    else:
        reach = bytes((Flag.OPTIONAL, Code.MP_REACH_NLRI, value))
    field = len(attributes) + len(reach) + value
    length = HEADER_SIZE + len(_EMPTY_LENGTH) + 2 + field
    return (
        MARKER
        + length.to_bytes(2, 'big')
        + bytes((MessageType.UPDATE,))
        + _EMPTY_LENGTH
        + field.to_bytes(2, 'big')
        + attributes
        + reach
        + header
    )


def family_order(family: Family) -> str:
    """5.0 emits the families of one UPDATE in the order of this key (its family index)."""
    return f'{family.afi:02x}{family.safi:02x}'


def messages(
    announced: Sequence[Route],
    withdrawn: Sequence[NLRI],
    negotiated: Negotiated,
    link_local: IPv6Address | None = None,
    withdrawn_attributes: Attributes | None = None,
) -> list[bytes]:
    """Every message for these routes and withdrawals, of any families and paths: per family (in
    5.0's family order), the withdrawals, then the routes of each (attributes, next hop) in turn, in
    the order their first NLRI comes in 5.0's NLRI order. 5.0 itself hands its encoder one family
    and one path at a time, which is `withdraw` and `announce`. `withdrawn_attributes`: what the
    withdrawals of a family 5.0 sends with attributes carry."""
    families: dict[Family, tuple[list[NLRI], dict[tuple[Attributes, NextHop], list[NLRI]]]] = {}
    for nlri in withdrawn:
        families.setdefault(nlri.family, ([], {}))[0].append(nlri)
    for route in sorted(announced, key=lambda route: order(route.nlri)):
        paths = families.setdefault(route.nlri.family, ([], {}))[1]
        paths.setdefault((route.attributes, route.nexthop), []).append(route.nlri)
    found = []
    for family in sorted(families, key=family_order):
        removed, added = families[family]
        found.extend(withdraw(family, removed, negotiated, withdrawn_attributes))
        for (attributes, nexthop), nlris in added.items():
            found.extend(announce(family, nlris, attributes, nexthop, negotiated, link_local))
    return found
