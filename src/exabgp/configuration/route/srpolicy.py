"""SR policy routes (RFC 9830) as upstream ExaBGP main (6.0) writes them, in `static { }`,
`announce { ipv4|ipv6 { } }` and the API's `announce|withdraw ipv4|ipv6 sr-policy ...`:

    sr-policy distinguisher N color N endpoint IP next-hop IP [SUB-TLV ...]

    SUB-TLV: preference N | priority N | enlp push-ipv4|push-ipv6|push-ipv4-ipv6|no-push|1-4
           | binding-sid mpls LABEL | binding-sid null | srv6-binding-sid IPV6
           | policy-name TEXT | candidate-path-name TEXT
           | segment-list weight N [segment TYPE FIELDS [verification] ...]
    TYPE FIELDS: type-a mpls LABEL
               | type-b srv6 SID [endpoint-behavior BEHAVIOUR LB LN FUN ARG]
               | type-c ipv4 IP algorithm N [sid LABEL]      | type-d ipv6 IP algorithm N [sid LABEL]
               | type-e local-if-id N ipv4 IP [sid LABEL]    | type-f local IP remote IP [sid LABEL]
               | type-g local-if-id N local-ipv6 IP remote-if-id N remote-ipv6 IP [sid LABEL]
               | type-h local IP remote IP [sid LABEL]
               | type-i ipv6 IP algorithm N [sid SID [endpoint-behavior ...]]
               | type-j (type-g's fields) algorithm N [sid SID [endpoint-behavior ...]]
               | type-k local IP remote IP algorithm N [sid SID [endpoint-behavior ...]]

Invariants: the family is the section's (`announce`, the API) or, in `static`, the endpoint's. The
endpoint and next hop are of that family's AFI; numbers fit their fields (distinguisher, color,
preference, weight, interface identifiers 32 bits; priority, algorithm and the four SID structure
lengths 8; endpoint behaviour 16; labels 20). A route being announced needs its next hop; a
withdrawal may leave it and the sub-TLVs out. Sub-TLVs go into one SR Policy tunnel of the tunnel
encapsulation attribute, in the order written (as upstream packs them). Upstream ignores words
after the sub-TLVs; we refuse them, as every other route statement does. Errors are `ConfigError`s
at the offending word.
"""

from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.attribute import tunnel
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.srpolicy import SRPolicy
from exabgp.bgp.route import Route
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.route.statements import Parsed
from exabgp.configuration.values import ip_text

ENLP = {name: value for value, name in tunnel.ENLP_NAMES.items()}
_NONE = Attributes()


def _number(cursor: Cursor, what: str, bits: int) -> int:
    word = cursor.expect(what)
    if not (word.isdigit() and word.isascii()) or int(word) >= 1 << bits:
        raise cursor.fail(f"'{word}' is not a valid {what}, a number of {bits} bits")
    return int(word)


def _field(cursor: Cursor, keyword: str, bits: int) -> int:
    cursor.expect_word(keyword)
    return _number(cursor, keyword, bits)


def _address(cursor: Cursor, what: str, version: int | None = None) -> IPv4Address | IPv6Address:
    word = cursor.expect(what)
    try:
        address = ip_text(word)
    except ValueError:
        raise cursor.fail(f"'{word}' is not a valid {what}") from None
    if version is not None and address.version != version:
        raise cursor.fail(f"'{word}' is not an IPv{version} {what}")
    return address


def _ipv6(cursor: Cursor, what: str) -> IPv6Address:
    address = _address(cursor, what, 6)
    assert isinstance(address, IPv6Address)  # _address checked the version
    return address


def _label(cursor: Cursor, what: str) -> int:
    word = cursor.expect(what)
    if not (word.isdigit() and word.isascii()) or int(word) > tunnel.LABEL_MAX:
        raise cursor.fail(f"'{word}' is not a valid {what}, 0 to {tunnel.LABEL_MAX}")
    return int(word)


def _behaviour(cursor: Cursor) -> bytes | None:
    if cursor.peek() != 'endpoint-behavior':
        return None
    cursor.next()
    word = cursor.expect('endpoint behaviour')
    try:
        value = int(word, 0)
    except ValueError:
        value = -1
    if not 0 <= value <= 0xFFFF:
        raise cursor.fail(f"'{word}' is not a valid endpoint behaviour, a number of 16 bits")
    lengths = [_number(cursor, what, 8) for what in ('lb-length', 'ln-length', 'fun-length', 'arg-length')]
    return tunnel.behaviour(value, *lengths)


def _segment(cursor: Cursor) -> tunnel.Built:
    name = cursor.expect('segment type (type-a to type-k)')
    kind = tunnel.SEGMENTS.get(name)
    if kind is None:
        raise cursor.fail(f"'{name}' is not a segment type ({', '.join(tunnel.SEGMENTS)})")
    values = []
    for _, field, keyword in kind.fields:
        if field == 'u32':
            values.append(_field(cursor, keyword, 32).to_bytes(4, 'big'))
            continue
        cursor.expect_word(keyword)
        values.append(_address(cursor, keyword, 4 if field == 'ipv4' else 6).packed)
    algorithm = _field(cursor, 'algorithm', 8) if kind.algorithm else 0
    sid: bytes | int | None = None
    endpoint = None
    if kind.sid == 'label':
        cursor.expect_word('mpls')
        sid = _label(cursor, 'MPLS label')
    elif kind.sid == 'srv6!':
        cursor.expect_word('srv6')
        sid = _address(cursor, 'SRv6 SID', 6).packed
        endpoint = _behaviour(cursor)
    elif cursor.peek() == 'sid':
        cursor.next()
        if kind.sid == 'mpls':
            sid = _label(cursor, 'MPLS SID')
        else:
            sid = _address(cursor, 'SRv6 SID', 6).packed
            endpoint = _behaviour(cursor)
    verify = cursor.peek() == 'verification'
    if verify:
        cursor.next()
    return tunnel.segment(kind, values, algorithm, sid, endpoint, verify)


def _segment_list(cursor: Cursor) -> bytes:
    weight = _field(cursor, 'weight', 32)
    segments = []
    while cursor.peek() == 'segment':
        cursor.next()
        segments.append(_segment(cursor))
    try:
        return tunnel.segment_list(weight, segments)
    except ValueError as error:
        raise cursor.fail(str(error)) from None


def _binding_sid(cursor: Cursor) -> bytes:
    kind = cursor.expect('binding SID type (mpls or null)')
    if kind == 'null':
        return tunnel.binding_sid(None)
    if kind != 'mpls':
        raise cursor.fail(f"'{kind}' is not a binding SID type (mpls or null)")
    return tunnel.binding_sid(_label(cursor, 'binding SID label'))


def _enlp(cursor: Cursor) -> bytes:
    word = cursor.expect('explicit null label policy')
    value = ENLP.get(word, int(word) if word.isdigit() and word.isascii() else 0)
    if value not in tunnel.ENLP_NAMES:
        raise cursor.fail(f"'{word}' is not an explicit null label policy ({', '.join(ENLP)} or 1 to 4)")
    return tunnel.enlp(value)


def _name(cursor: Cursor, kind: int, what: str) -> bytes:
    text = cursor.expect(what)
    if not text:
        raise cursor.fail(f'an empty {what}')
    return tunnel.name(kind, text)


SUBTLVS = {
    'preference': lambda cursor: tunnel.preference(_number(cursor, 'preference', 32)),
    'priority': lambda cursor: tunnel.priority(_number(cursor, 'priority', 8)),
    'enlp': _enlp,
    'binding-sid': _binding_sid,
    'srv6-binding-sid': lambda cursor: tunnel.srv6_binding_sid(_ipv6(cursor, 'SRv6 binding SID')),
    'policy-name': lambda cursor: _name(cursor, tunnel.POLICY_NAME, 'policy name'),
    'candidate-path-name': lambda cursor: _name(cursor, tunnel.CANDIDATE_PATH_NAME, 'candidate path name'),
    'segment-list': _segment_list,
}


def statement(cursor: Cursor, afi: int | None, withdraw: bool = False) -> Parsed:
    """`distinguisher N color N endpoint IP next-hop IP SUB-TLV ...` (cursor after `sr-policy`);
    `afi` None in `static`, where the endpoint tells it."""
    distinguisher = _field(cursor, 'distinguisher', 32)
    color = _field(cursor, 'color', 32)
    cursor.expect_word('endpoint')
    endpoint = _address(cursor, 'endpoint', None if afi is None else (4 if afi == AFI.IPV4 else 6))
    family = Family(AFI.IPV4 if endpoint.version == 4 else AFI.IPV6, SAFI.SR_POLICY)
    nexthop = None
    if cursor.peek() == 'next-hop' or not withdraw:
        cursor.expect_word('next-hop')
        nexthop = _address(cursor, 'next-hop', endpoint.version)
    subs = []
    while cursor.peek() in SUBTLVS:
        subs.append(SUBTLVS[cursor.next()](cursor))
    cursor.done()
    attributes = Attributes((tunnel.TunnelEncap.sr_policy(subs),)) if subs else _NONE
    return [Route(SRPolicy(family, distinguisher, color, endpoint.packed), attributes, nexthop)], None, family


def text(route: Route) -> str:
    """The words writing a route back (configuration dump) after `sr-policy`: its NLRI's fields,
    next hop and policy."""
    words = [str(route.nlri).removeprefix('sr-policy ')]
    if route.nexthop is not None:
        words.append(f'next-hop {route.nexthop}')
    words.extend(str(attribute) for attribute in route.attributes if isinstance(attribute, tunnel.TunnelEncap))
    return ' '.join(words)
