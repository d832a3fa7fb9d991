"""The family table: one row per address family ExaBGP 5.0 knows, and everything else derived from it.

BIRD's `bgp_af_table` is the model. A row says what the MP_REACH/MP_UNREACH codec, the UPDATE
packer, the Adj-RIB-Out, the route grammar, the `family`/`add-path`/`nexthop` sections, the
capabilities we offer, dump, `show` and the API parser need to know of a family. Nothing else in
the tree lists families: adding one is its NLRI module, its rows here, and its tests.

Invariants:
- `TABLE` holds the families 5.0 knows, in 5.0's order for a neighbor without a `family` section
  (`DEFAULT`), then the few of ExaBGP 6.0 we build (SR policy): those are `default=False`, so a
  neighbor negotiates them only when its `family` section names them (`all` is 5.0's list), and
  only `exabgp decode` takes them without being told. `module` is None for a family whose NLRI
  module is not built yet. Such a family is named, configured and shown, but never offered in an
  OPEN nor decoded: its MP
  attributes are kept as raw bytes (bgp.attribute.mp) and its routes refused with
  'family X is not supported yet' where they are written.
- The names of a family are 5.0's, the same in the configuration, the JSON and the text API
  (`ipv4 nlri-mpls`); `aliases` are other SAFI words the configuration accepts for it. Where 5.0
  lists decoded routes under another name (`routes_named`: BGP-LS VPN) or writes them in the text
  API by their family alone (`text_as_family`), the row says so; ROUTE_NAMES and FAMILY_TEXT hold it.
- Only IPv4 unicast uses the UPDATE's own NLRI and withdrawn routes fields (RFC 4271); it and
  MCAST-VPN share UPDATEs between routes when `group-updates` is on (5.0's behaviour).
"""

import importlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import Enum

from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri.base import NLRI


class NextHopForm(Enum):
    """How MP_REACH_NLRI carries the next hop (RFC 4760 3, RFC 4364 4.3.2, RFC 4659 3.2.1, RFC 8955 4)."""

    IP = 'ip'  # the address (IPv6: global, optionally then link-local)
    RD_IP = 'rd-ip'  # an 8-octet zero route distinguisher before each address
    NONE = 'none'  # no next hop (length 0)
    ANY = 'any'  # an IPv4 or IPv6 address whatever the AFI, told by its length (L2VPN EVPN, RFC 7432 7)
    OPTIONAL = 'optional'  # an address when the route has one, else length 0 (FlowSpec)
    RD_ANY = 'rd-any'  # a zero route distinguisher then an address of either AFI (BGP-LS VPN, RFC 9552 5.2)


@dataclass(frozen=True, slots=True)
class FamilySpec:
    family: Family
    # 'MODULE:CLASS' of its NLRI codec under exabgp.bgp.nlri, imported when first asked for: a
    # daemon speaking unicast never loads (nor pays the start-up of) the other families' codecs
    module: str | None = None
    nexthop: NextHopForm = NextHopForm.IP
    # RFC 8950: the AFI of next hops we offer to take and send for it with the extended next hop
    # capability; `nexthop_section`: listed in a `nexthop { }` section at all (5.0 accepts more
    # pairs than it offers)
    extended_nexthop: AFI | None = None
    nexthop_section: bool = False
    addpath: bool = False  # offered in ADD-PATH (5.0 packs path identifiers for it)
    configurable: bool = True  # accepted in `family { }` and `add-path { }`
    announce: bool = False  # `announce { AFI { SAFI ... } }` and the API's `announce AFI SAFI ...`
    keywords: frozenset[str] = frozenset()  # route keywords it takes beyond the common ones
    common: bool = True  # its routes take the common keywords (attributes, split, watchdog ...)
    selected_by: tuple[str, ...] = ()  # route keywords that make a `route` statement this family
    precedence: int = 0  # which family wins when keywords of several are written (rd over label)
    nexthop_required: bool = True  # a route being announced must give one
    # keywords a route being announced must write beyond what selects the family (VPN: `label`,
    # as 5.0 refuses a VPN route without one); `route` statements also need a next hop for it
    requires: tuple[str, ...] = ()
    grouped: bool = False  # group-updates packs its routes together
    nlri_field: bool = False  # IPv4 unicast: the UPDATE's NLRI and withdrawn routes fields
    withdraw_attributes: bool = False  # withdrawals carry the route's path attributes (5.0 does)
    # an IPv4 next hop is also sent as the NEXT_HOP attribute (5.0 sends none with a VPLS route)
    nexthop_attribute: bool = True
    aliases: tuple[str, ...] = ()
    show: str = 'inet'  # the `show adj-rib ... inet|flow|l2vpn` selection it belongs to
    # how its routes are written in `announce { AFI { SAFI ... } }` and the API beyond a prefix
    # then its tail (flow rows go by `show`): 'mup', a route type first (configuration.route.mup);
    # 'mvpn', a route type first (configuration.route.mvpn); 'vpls', keywords in any order
    # (configuration.route.vpls); 'sr-policy', its own keywords (configuration.route.srpolicy)
    grammar: str = 'prefix'
    default: bool = True  # a 5.0 family: negotiated without a `family` section, and by `all`
    # the family 5.0 writes next to a route of it it decoded (JSON "announce"/"withdraw", `show
    # adj-rib`) when that is not its own name: 5.0's BGP-LS NLRI say SAFI 71 whatever SAFI carried
    # them, so a BGP-LS VPN route is listed under "bgp-ls bgp-ls"
    routes_named: str = ''
    # 5.0's text API writes its routes as `afi AFI safi SAFI` (its NLRI class has no text form of
    # its own there), announced or withdrawn, with no next hop
    text_as_family: bool = False

    @property
    def name(self) -> str:
        return str(self.family)

    @property
    def built(self) -> bool:
        return self.module is not None

    @property
    def codec(self) -> type[NLRI] | None:
        module = self.module
        if module is None:
            return None
        found = _CODECS.get(module)
        if found is None:
            name, _, attribute = module.partition(':')
            found = _CODECS[module] = getattr(importlib.import_module(f'exabgp.bgp.nlri.{name}'), attribute)
        return found


# 'MODULE:CLASS' -> the codec, once imported
_CODECS: dict[str, type[NLRI]] = {}


def _row(afi: AFI, safi: SAFI, **values: object) -> FamilySpec:
    # the shared option dicts below mix value types, which mypy can not match to the fields one by
    # one; a misspelt option or a missing field is a TypeError when this module is imported
    return FamilySpec(Family(afi, safi), **values)  # type: ignore[arg-type]


_INET = {'module': 'inet:INET', 'announce': True, 'nexthop_section': True}
_LABELED = {
    'module': 'labeled:Labeled',
    'announce': True,
    'nexthop_section': True,
    'addpath': True,
    'keywords': frozenset(('path-information', 'label')),
    'selected_by': ('label',),
    'precedence': 1,
    'withdraw_attributes': True,
    'aliases': ('labeled-unicast',),
}
_VPN = {'module': 'vpn:VPN', 'announce': True, 'nexthop': NextHopForm.RD_IP, 'nexthop_section': True, 'addpath': True}
_VPN_ROUTE = {
    'selected_by': ('rd', 'route-distinguisher'),
    'precedence': 2,
    'keywords': frozenset(('path-information', 'label', 'rd', 'route-distinguisher')),
    'requires': ('label',),
    'withdraw_attributes': True,
}
# draft-mpmz-bess-mup-safi: 5.0 takes a next hop of either AFI without extended next hop, sends
# the route's attributes with its withdrawal, and reads no other keyword than these three
_MUP = {
    'module': 'mup:MUP',
    'text_as_family': True,
    'announce': True,
    'nexthop': NextHopForm.ANY,
    'keywords': frozenset(('next-hop', 'extended-community', 'bgp-prefix-sid-srv6')),
    'common': False,
    'withdraw_attributes': True,
    'grammar': 'mup',
}
# RFC 8955 4: no next hop, unless the route redirects to one (draft-simpson-idr-flowspec-redirect)
_FLOW = {
    'module': 'flow:Flow',
    'announce': True,
    'nexthop': NextHopForm.OPTIONAL,
    'nexthop_required': False,
    'withdraw_attributes': True,
    'show': 'flow',
}

# RFC 6514: `announce { ipv4 { mcast-vpn TYPE ...; } }` and the API's `announce ipv4 mcast-vpn TYPE
# ...`; 5.0 packs routes of one attribute set together under group-updates, and withdrawals carry
# the route's attributes
_MVPN = {
    'module': 'mvpn:MVPN',
    'announce': True,
    'grouped': True,
    'withdraw_attributes': True,
    'grammar': 'mvpn',
    'text_as_family': True,
}

_SR_POLICY = {
    'module': 'srpolicy:SRPolicy',
    'announce': True,
    'addpath': True,
    'common': False,
    'nexthop_attribute': False,
    'grammar': 'sr-policy',
    'default': False,
}

ROWS = (
    _row(
        AFI.IPV4,
        SAFI.UNICAST,
        **_INET,
        extended_nexthop=AFI.IPV6,
        addpath=True,
        grouped=True,
        nlri_field=True,
        keywords=frozenset(('path-information',)),
    ),
    _row(AFI.IPV4, SAFI.MULTICAST, **_INET, extended_nexthop=AFI.IPV6, nexthop_required=False),
    _row(AFI.IPV4, SAFI.NLRI_MPLS, **_LABELED, extended_nexthop=AFI.IPV6),
    _row(AFI.IPV4, SAFI.MCAST_VPN, **_MVPN),
    _row(AFI.IPV4, SAFI.MUP, **_MUP),
    _row(AFI.IPV4, SAFI.MPLS_VPN, **_VPN, **_VPN_ROUTE, extended_nexthop=AFI.IPV6),
    # RFC 4684: received only (5.0 neither configures nor announces it)
    _row(AFI.IPV4, SAFI.RTC, module='rtc:RTC', configurable=False, text_as_family=True),
    _row(AFI.IPV4, SAFI.FLOW_IP, **_FLOW),
    _row(AFI.IPV4, SAFI.FLOW_VPN, **_FLOW),
    _row(AFI.IPV6, SAFI.UNICAST, **_INET, addpath=True, keywords=frozenset(('path-information',))),
    _row(AFI.IPV6, SAFI.MULTICAST, **_INET, configurable=False, nexthop_required=False),
    _row(AFI.IPV6, SAFI.NLRI_MPLS, **_LABELED),
    _row(AFI.IPV6, SAFI.MCAST_VPN, **_MVPN),
    _row(AFI.IPV6, SAFI.MUP, **_MUP),
    _row(AFI.IPV6, SAFI.MPLS_VPN, **_VPN, **_VPN_ROUTE),
    _row(AFI.IPV6, SAFI.FLOW_IP, **_FLOW),
    _row(AFI.IPV6, SAFI.FLOW_VPN, **_FLOW),
    # RFC 4761 3.2.2: an IPv4 (or IPv6) next hop; `announce { l2vpn { vpls ... } }` and the API's
    # `announce vpls ...`; withdrawals carry the route's attributes, as 5.0 sends them
    _row(
        AFI.L2VPN,
        SAFI.VPLS,
        module='vpls:VPLS',
        grammar='vpls',
        nexthop=NextHopForm.ANY,
        announce=True,
        withdraw_attributes=True,
        nexthop_attribute=False,
        show='l2vpn',
    ),
    _row(AFI.L2VPN, SAFI.EVPN, module='evpn:EVPN', nexthop=NextHopForm.ANY, show='l2vpn', text_as_family=True),
    # RFC 9552 5.1: the next hop of either AFI (5.0 takes 4 or 16 octets, 12 or 24 with an RD)
    _row(
        AFI.BGP_LS,
        SAFI.BGP_LS,
        module='bgpls:BGPLS',
        nexthop=NextHopForm.ANY,
        nexthop_required=False,
        text_as_family=True,
    ),
    _row(
        AFI.BGP_LS,
        SAFI.BGP_LS_VPN,
        module='bgpls:BGPLS',
        nexthop=NextHopForm.RD_ANY,
        nexthop_required=False,
        routes_named='bgp-ls bgp-ls',
        text_as_family=True,
    ),
    # RFC 9830 (ExaBGP 6.0): `sr-policy ...` in `announce { ipv4|ipv6 { } }`, `static { }` and the
    # API; upstream sends an IPv4 next hop in MP_REACH_NLRI only, and no attribute with a withdrawal
    *(_row(afi, SAFI.SR_POLICY, **_SR_POLICY) for afi in (AFI.IPV4, AFI.IPV6)),
)

TABLE: dict[Family, FamilySpec] = {row.family: row for row in ROWS}

# ---------------------------------------------------------------- derived

# a neighbor without a `family` section negotiates these, in 5.0's order
DEFAULT: tuple[Family, ...] = tuple(row.family for row in ROWS if row.default)
# `family { all; }`: by AFI, then SAFI
ALL: tuple[Family, ...] = tuple(sorted(DEFAULT, key=lambda family: (int(family.afi), int(family.safi))))
# `exabgp decode` without `-f`: every family of the table, in the same order
DECODED: tuple[Family, ...] = tuple(sorted(TABLE, key=lambda family: (int(family.afi), int(family.safi))))
# the name 5.0 lists a decoded route under, by its family (`routes_named`, else the family's name)
ROUTE_NAMES: dict[Family, str] = {row.family: row.routes_named or row.name for row in ROWS}
# the text API's form of every route of a family whose rows say `text_as_family`
FAMILY_TEXT: dict[Family, str] = {
    row.family: 'afi {} safi {}'.format(*ROUTE_NAMES[row.family].split()) for row in ROWS if row.text_as_family
}
# the family whose routes go in the UPDATE's own NLRI fields
NLRI_FIELD: Family = next(row.family for row in ROWS if row.nlri_field)


def spec(family: Family) -> FamilySpec | None:
    return TABLE.get(family)


def codec(family: Family) -> type[NLRI] | None:
    row = TABLE.get(family)
    return row.codec if row is not None else None


def built(families: Iterable[Family]) -> tuple[Family, ...]:
    """Those of `families` we can decode and encode: the ones we may offer in an OPEN."""
    return tuple(family for family in families if (row := TABLE.get(family)) is not None and row.built)


def without_nexthop(family: Family) -> bool:
    """Its routes may be announced with no next hop at all (FlowSpec)."""
    row = TABLE.get(family)
    return row is not None and row.nexthop in (NextHopForm.NONE, NextHopForm.OPTIONAL)


def sends_nexthop_attribute(family: Family) -> bool:
    """An IPv4 next hop of its routes is also written as the NEXT_HOP path attribute."""
    row = TABLE.get(family)
    return row is not None and row.nexthop_attribute and not without_nexthop(family)


def grouped(family: Family) -> bool:
    row = TABLE.get(family)
    return row is not None and row.grouped


def names(configurable_only: bool = True) -> dict[str, dict[str, Family]]:
    """AFI name -> SAFI word (names and aliases) -> Family, as the `family { }` section reads them."""
    found: dict[str, dict[str, Family]] = {}
    for row in ROWS:
        if configurable_only and not row.configurable:
            continue
        afi, safi = row.name.split()
        words = found.setdefault(afi, {})
        for word in (safi, *row.aliases):
            words[word] = row.family
    return found


def listed(kind: str) -> tuple[Family, ...]:
    """The families `show adj-rib in|out KIND` lists (inet, flow, l2vpn)."""
    return tuple(row.family for row in ROWS if row.show == kind)


def announce_family(afi: int, word: str) -> FamilySpec | None:
    """The row `announce { AFI { WORD ... } }` (or the API's `announce AFI WORD`) writes to."""
    for row in ROWS:
        if row.announce and row.family.afi == afi and word in (row.name.split()[1], *row.aliases):
            return row
    return None


def route_family(afi: int, multicast: bool, written: Collection[str]) -> Family:
    """The family of a `route PREFIX ...` statement: the family selected by the keywords written
    (`rd` makes it VPN, else `label` labeled unicast), else unicast or, for an IPv4 prefix in
    224.0.0.0/4, multicast (5.0's rules)."""
    selecting = SELECTING.intersection(written) if written else None
    if not selecting:
        # the table's own Family value: every route of a big configuration shares it
        return PLAIN[afi, multicast]
    # a big VPN configuration asks this for each route, with a few keyword sets: each is worked out once
    key = (afi, frozenset(selecting))
    if key not in _SELECTED:
        chosen = [row for row in ROWS if row.family.afi == afi and selecting.intersection(row.selected_by)]
        _SELECTED[key] = max(chosen, key=lambda row: row.precedence).family if chosen else None
    found = _SELECTED[key]
    return found if found is not None else PLAIN[afi, multicast]


# (afi, the selecting keywords written) -> the family they select, None for none of this AFI
_SELECTED: dict[tuple[int, frozenset[str]], Family | None] = {}


# (afi, multicast) -> the family of a `route` statement without selecting keywords
PLAIN: dict[tuple[int, bool], Family] = {
    (afi, multicast): TABLE[Family(afi, SAFI.MULTICAST if multicast else SAFI.UNICAST)].family
    for afi in (AFI.IPV4, AFI.IPV6)
    for multicast in (False, True)
}

# every route keyword that selects a family
SELECTING: frozenset[str] = frozenset(word for row in ROWS for word in row.selected_by)
