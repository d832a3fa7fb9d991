"""VPLS routes (RFC 4761) as the configuration and the API write them (5.0's grammar).

    l2vpn { vpls KEYWORD VALUE ...; vpls NAME { KEYWORD VALUE; ... } }
    announce { l2vpn { vpls KEYWORD VALUE ...; } }
    announce|withdraw vpls KEYWORD VALUE ...                          (the API)

Keywords: `rd`/`route-distinguisher`, `endpoint` (VE id), `offset`, `size`, `base` (the label
base), `next-hop`, and the common route keywords (path attributes, `name`, `watchdog`,
`withdraw`). Any order; a keyword written twice keeps its last value, as 5.0's does.

Invariants:
- A route being announced needs every NLRI field and a next hop; a withdrawal needs the NLRI
  fields only (5.0's checks, its messages).
- endpoint, offset and size are 16 bits; the label base 20 bits, and base + size may not pass
  them (5.0 stops `base` at 16 bits in its parser yet checks the 20-bit sum; a label is 20 bits,
  so we take the sum's rule alone).
- `split` means nothing for a VPLS route and is refused (5.0 accepts and ignores it).
"""

from dataclasses import dataclass, field

from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.nlri import table
from exabgp.bgp.nlri.vpls import FIELD_MAX, LABEL_MAX, VPLS
from exabgp.bgp.route import Route
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.model import Watchdog
from exabgp.configuration.route import qualifiers
from exabgp.configuration.route.grammar import COMMON, Builder, Spec

FAMILY: Family = table.TABLE[Family(AFI.L2VPN, SAFI.VPLS)].family
FIELDS = ('endpoint', 'base', 'offset', 'size')
# 5.0's names for a missing field, in the order it checks them
_MISSING = (
    ('endpoint', 'endpoint'),
    ('base', 'base'),
    ('offset', 'offset'),
    ('size', 'size'),
    ('rd', 'route-distinguisher'),
)


@dataclass
class VplsDraft:
    """A VPLS route being read."""

    values: dict[str, int] = field(default_factory=dict)
    rd: bytes | None = None
    spec: Spec = field(default_factory=Spec)


def _number(cursor: Cursor, name: str, limit: int) -> int:
    word = cursor.expect(f'the vpls {name}')
    if not (word.isdigit() and word.isascii()) or int(word) > limit:
        raise cursor.fail(f"'{word}' is an invalid vpls {name} (0 to {limit})")
    return int(word)


def keyword(cursor: Cursor, draft: VplsDraft, word: str) -> None:
    """One keyword of a VPLS route and its value."""
    if word in FIELDS:
        draft.values[word] = _number(cursor, word, LABEL_MAX if word == 'base' else FIELD_MAX)
    elif word in ('rd', 'route-distinguisher'):
        draft.rd = qualifiers.route_distinguisher(cursor)
    elif word == 'split':
        raise cursor.fail("'split' can not be used in a vpls route")
    elif word in COMMON:
        COMMON[word](cursor, draft.spec, AFI.L2VPN)
    else:
        raise cursor.fail(f"invalid keyword '{word}' in a vpls route")


def line(cursor: Cursor, draft: VplsDraft) -> None:
    """The words of a VPLS route written on one line."""
    while cursor.more():
        keyword(cursor, draft, cursor.next())


def finish(draft: VplsDraft, builder: Builder, withdraw: bool = False) -> tuple[Route, Watchdog | None]:
    """The route the draft describes and its watchdog; ValueError when it can not be one."""
    if draft.spec.nexthop is None and not withdraw:
        raise ValueError('vpls nlri next-hop missing')
    for name, text in _MISSING:
        if (draft.rd if name == 'rd' else draft.values.get(name)) is None:
            raise ValueError(f'vpls nlri {text} missing')
    assert draft.rd is not None
    values = draft.values
    nlri = VPLS.make(FAMILY, draft.rd, values['endpoint'], values['offset'], values['size'], values['base'])
    tail = builder.finish(draft.spec)
    return Route(nlri, tail.attributes, tail.nexthop), tail.watchdog
