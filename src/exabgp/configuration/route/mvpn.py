"""MCAST-VPN routes (RFC 6514) as the configuration and the API write them (5.0's grammar).

    announce { ipv4|ipv6 { mcast-vpn TYPE ...; } }
    announce|withdraw ipv4|ipv6 mcast-vpn TYPE ...                          (the API)

    TYPE: source-ad source IP group IP rd RD
          shared-join rp IP group IP rd RD source-as ASN
          source-join source IP group IP rd RD source-as ASN

then the common route keywords (next hop, path attributes, `name`, `watchdog`, `withdraw`).

Invariants (5.0's):
- The NLRI keywords come first, in this order; the addresses are of the family's AFI.
- A route being announced needs a next hop; a withdrawal does not. `split` is refused (5.0 ignores it).
"""

from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.family import AFI
from exabgp.bgp.nlri.mvpn import ASN_MAX, KEYWORDS, MVPN
from exabgp.bgp.nlri.table import FamilySpec
from exabgp.bgp.route import Route
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.route import qualifiers
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.route.statements import Parsed


def _address(cursor: Cursor, afi: int, name: str) -> bytes:
    cursor.expect_word(name)
    word = cursor.expect(f'the {name} address')
    try:
        return (IPv4Address(word) if afi == AFI.IPV4 else IPv6Address(word)).packed
    except ValueError:
        kind = 'IPv4' if afi == AFI.IPV4 else 'IPv6'
        raise cursor.fail(f"'{word}' is not an {kind} address") from None


def route(builder: Builder, cursor: Cursor, row: FamilySpec, withdraw: bool = False) -> Parsed:
    """`TYPE ... TAIL` (cursor after `mcast-vpn`)."""
    family = row.family
    afi = family.afi
    word = cursor.expect('the mcast-vpn route type (source-ad, shared-join, source-join)')
    if word not in KEYWORDS:
        raise cursor.fail(f"'{word}' is not a mcast-vpn route type (source-ad, shared-join, source-join)")
    code, first = KEYWORDS[word]
    source = _address(cursor, afi, first)
    group = _address(cursor, afi, 'group')
    cursor.expect_word('rd')
    distinguisher = qualifiers.route_distinguisher(cursor)
    source_as = None
    if first == 'rp' or word == 'source-join':
        cursor.expect_word('source-as')
        text = cursor.expect('the source-as')
        if not (text.isdigit() and text.isascii()) or int(text) > ASN_MAX:
            raise cursor.fail(f"expect source-as to be a integer in the range 0-{ASN_MAX}, but received '{text}'")
        source_as = int(text)
    tail = builder.tail(cursor, afi, row)
    if tail.split is not None:
        raise cursor.fail_here("'split' can not be used in a mcast-vpn route")
    if not withdraw and tail.nexthop is None:
        raise cursor.fail_here('missing next-hop')
    nlri = MVPN.make(family, code, distinguisher, source, group, source_as)
    return [Route(nlri, tail.attributes, tail.nexthop)], tail.watchdog, family
