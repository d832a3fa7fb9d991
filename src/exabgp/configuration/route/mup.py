"""MUP routes as 5.0 writes them, in `announce { ipv4|ipv6 { mup ...; } }` and the API's
`announce|withdraw ipv4|ipv6 mup ...` (draft-mpmz-bess-mup-safi).

    mup-isd PREFIX rd RD                                          interwork segment discovery
    mup-dsd ADDRESS rd RD                                         direct segment discovery
    mup-t1st PREFIX rd RD teid N qfi N endpoint ADDRESS [source ADDRESS]   type 1 session transformed
    mup-t2st ADDRESS rd RD teid N/BITS                            type 2 session transformed

then the route's tail: `next-hop`, `extended-community` and `bgp-prefix-sid-srv6`, the only
keywords 5.0 reads there. An IPv4 next hop of an IPv6 route becomes its IPv4-mapped IPv6
address, as in 5.0 (so no NEXT_HOP attribute goes with it).

Invariants: addresses and prefixes are of the section's AFI (5.0 reads them as such); a TEID fits
32 bits, a QFI 8, and a type 2 TEID the BITS (0 to 32) written after it, as 5.0 checks. A route
being announced needs a next hop. Errors are `ConfigError`s at the offending word.
"""

from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.family import AFI
from exabgp.bgp.nlri import rd
from exabgp.bgp.nlri.mup import ARCH_3GPP_5G, DSD, ISD, MUP, NAMES, SIZE, T1ST, TEID_BITS
from exabgp.bgp.nlri.table import FamilySpec
from exabgp.bgp.route import Route
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.route import prefix, qualifiers
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.route.statements import Parsed
from exabgp.configuration.values import ip_text

KINDS = ('mup-isd', 'mup-dsd', 'mup-t1st', 'mup-t2st')
MAPPED = bytes(10) + b'\xff\xff'  # RFC 4291 2.5.5.2


def _prefix(cursor: Cursor, afi: int) -> tuple[bytes, int]:
    word = cursor.expect('prefix')
    try:
        found, packed, length = prefix.parse(word)
    except ValueError as exc:
        raise cursor.fail(str(exc)) from None
    if found != afi:
        raise cursor.fail(f"'{word}' is not an {_name(afi)} prefix")
    return packed, length


def _address(cursor: Cursor, afi: int, what: str) -> bytes:
    word = cursor.expect(what)
    try:
        address = ip_text(word)
    except ValueError:
        address = None
    if address is None or (address.version == 4) != (afi == AFI.IPV4):
        raise cursor.fail(f"'{word}' is not a valid {_name(afi)} {what}")
    return address.packed


def _name(afi: int) -> str:
    return 'IPv4' if afi == AFI.IPV4 else 'IPv6'


def _rd(cursor: Cursor) -> bytes:
    cursor.expect_word('rd')
    return qualifiers.route_distinguisher(cursor)


def _number(cursor: Cursor, keyword: str, bits: int) -> int:
    cursor.expect_word(keyword)
    word = cursor.expect(keyword)
    if not (word.isdigit() and word.isascii()) or int(word) >= 1 << bits:
        raise cursor.fail(f"'{word}' is not a valid {keyword}, a number of {bits} bits")
    return int(word)


def _teid_bits(cursor: Cursor) -> tuple[int, int]:
    cursor.expect_word('teid')
    word = cursor.expect('teid')
    teid, slash, bits = word.partition('/')
    if not slash or not all(part.isdigit() and part.isascii() for part in (teid, bits)):
        raise cursor.fail(f"'{word}' is not a valid teid, expecting <teid>/<length> with a length of 0 to 32")
    if int(bits) > TEID_BITS:
        raise cursor.fail(f"'{word}' is not a valid teid, the length must be 0 to {TEID_BITS}")
    if int(teid) >= 1 << int(bits):
        raise cursor.fail(f"'{word}' is not a valid teid, {teid} does not fit in {bits} bits")
    return int(teid), int(bits)


def nlri(cursor: Cursor, row: FamilySpec) -> MUP:
    """The route type and its fields (cursor on the route type word)."""
    family = row.family
    afi = family.afi
    kind = cursor.expect('MUP route type (mup-isd, mup-dsd, mup-t1st or mup-t2st)')
    if kind == 'mup-isd':
        packed, length = _prefix(cursor, afi)
        return MUP.isd(family, _rd(cursor), packed, length)
    if kind == 'mup-dsd':
        address = _address(cursor, afi, 'address')
        return MUP.dsd(family, _rd(cursor), address)
    if kind == 'mup-t1st':
        packed, length = _prefix(cursor, afi)
        distinguisher = _rd(cursor)
        teid = _number(cursor, 'teid', 32)
        qfi = _number(cursor, 'qfi', 8)
        cursor.expect_word('endpoint')
        endpoint = _address(cursor, afi, 'endpoint')
        source = b''
        if cursor.peek() == 'source':
            cursor.next()
            source = _address(cursor, afi, 'source')
        return MUP.t1st(family, distinguisher, packed, length, teid, qfi, endpoint, source)
    if kind == 'mup-t2st':
        endpoint = _address(cursor, afi, 'endpoint')
        distinguisher = _rd(cursor)
        teid, bits = _teid_bits(cursor)
        return MUP.t2st(family, distinguisher, endpoint, teid, bits)
    raise cursor.fail(f"'{kind}' is not a MUP route type ({', '.join(KINDS)})")


def statement(builder: Builder, cursor: Cursor, row: FamilySpec, withdraw: bool = False) -> Parsed:
    """`mup ROUTE-TYPE FIELDS TAIL` (cursor after `mup`)."""
    made = nlri(cursor, row)
    tail = builder.tail(cursor, row.family.afi, row)
    if not withdraw and tail.nexthop is None:
        raise cursor.fail_here('missing next-hop')
    nexthop = tail.nexthop
    if row.family.afi == AFI.IPV6 and isinstance(nexthop, IPv4Address):
        # 5.0 turns the IPv4 next hop of an IPv6 MUP route into its IPv4-mapped IPv6 address
        nexthop = IPv6Address(MAPPED + nexthop.packed)
    return [Route(made, tail.attributes, nexthop)], tail.watchdog, row.family


def text(route: MUP) -> str:
    """The words writing a route back (configuration dump), from its route type on; `mup:unknown`
    for a route type no configuration writes."""
    if route.arch != ARCH_3GPP_5G or route.code not in NAMES:
        return str(route)
    fields = route.fields()
    distinguisher = rd.text(route.data[:8])
    if route.code == ISD:
        return f'mup-isd {fields["prefix_ip"]}/{fields["prefix_ip_len"]} rd {distinguisher}'
    if route.code == DSD:
        return f'mup-dsd {fields["ip"]} rd {distinguisher}'
    if route.code == T1ST:
        words = (
            f'mup-t1st {fields["prefix_ip"]}/{fields["prefix_ip_len"]} rd {distinguisher} teid {fields["teid"]} '
            f'qfi {fields["qfi"]} endpoint {fields["endpoint_ip"]}'
        )
        return words + (f' source {fields["source_ip"]}' if fields['source_ip_len'] else '')
    bits = fields['endpoint_len'] - SIZE[route.family.afi] * 8
    return f'mup-t2st {fields["endpoint_ip"]} rd {distinguisher} teid {fields["teid"]}/{bits}'
