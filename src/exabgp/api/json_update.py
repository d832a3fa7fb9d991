"""The UPDATE message as ExaBGP 5.0 writes it to API processes in JSON (text_update.py: the text lines).

JSON (`update`), inside the envelope and "neighbor" block of envelope.py:

    "message": { "update": { "attribute": { <attributes>[, "error": ..] },
                             "announce": { "<afi> <safi>": { "<next-hop>": [ <nlri>, .. ], .. }, .. },
                             "withdraw": { "<afi> <safi>": [ <nlri>, .. ], .. } } }
    "message": { "eor": { "afi" : "<afi>", "safi" : "<safi>" } }          End-of-RIB
    [, "negotiated": { .. } ]                                              when the API asks for it

Invariants (5.0's, checked against 5.0.15's encoders):
- Members and keys appear only when they have content: "attribute" when an attribute or an RFC 7606
  error is there, "announce" and "withdraw" when a route is. Families come in the order their first
  route comes in the message, next hops likewise inside a family, routes in message order. A family
  is keyed by the name 5.0 lists its routes under (table.ROUTE_NAMES: BGP-LS VPN is "bgp-ls bgp-ls").
- The routes of an MP_REACH_NLRI with a link-local next hop are listed twice, under the global
  next hop then under the link-local one (5.0 decodes each NLRI once per next-hop address).
- The RFC 7606 outcome shows as 5.0's "error" members at the end of the attribute object: "discard"
  when an attribute was dropped, then "treat-as-withdraw" when the announced routes were turned into
  withdrawals (those routes are listed under "withdraw", as a 5.0 session writes them).
- `compact` is 5.0's `api.compact`: an IPv4/IPv6 unicast or multicast NLRI without path identifier
  is written as its bare prefix string.
- Pure: the stamp, the neighbor and the options come in; nothing is read from the process.
"""

from ipaddress import IPv6Address

from exabgp.api.envelope import Peer, Stamp, envelope, negotiated_member, neighbor
from exabgp.bgp.attribute.base import Action
from exabgp.bgp.family import Family, afi_name, safi_name
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import labels as stack
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.nlri.table import ROUTE_NAMES
from exabgp.bgp.route import NextHop

_NO_NEXTHOP = 'no-nexthop'


def nexthop_text(nexthop: NextHop) -> str:
    """A next hop as 5.0 writes it (IPv6 through inet_ntop's rules, which `ipaddress` does not follow)."""
    global _last_hop, _last_text
    if nexthop is None:
        return _NO_NEXTHOP
    # a session's decoder shares one address object per next hop, so UPDATE after UPDATE names the
    # same object: its text is remembered (the object is held, so its identity is not reused)
    if nexthop is _last_hop:
        return _last_text
    text = prefix.text(nexthop.packed) if isinstance(nexthop, IPv6Address) else str(nexthop)
    _last_hop, _last_text = nexthop, text
    return text


_last_hop: NextHop = None
_last_text = _NO_NEXTHOP


def _six(text: str, nlri: NLRI) -> str:
    """An NLRI's JSON in upstream 6.0's form (`exabgp.api.version` 4 or 6): the NLRI writes 5.0's
    form; its labels are replaced, once, by 6.0's for the same stack, and an NLRI without labels
    makes its own changes (`NLRI.six`)."""
    labels = getattr(nlri, 'labels', None)
    if not labels:
        return nlri.six(text)
    return text.replace(stack.json(labels), stack.json_six(labels), 1)


def _nlri_json(nlri: NLRI, compact: bool) -> str:
    """An NLRI in the JSON, 5.0's `api.compact` form for plain IP prefixes (the loop below inlines it)."""
    if compact and type(nlri) is INET and nlri.path_id is None:
        return f'"{nlri.prefix()}"'
    return nlri.json()


def _announced(update: Update, compact: bool, six: bool = False) -> str:
    """The inside of "announce": routes grouped by family, then by next hop, in message order."""
    families: dict[Family, dict[str, list[str]]] = {}
    link_local = update.link_local
    local_text = nexthop_text(link_local) if link_local is not None else ''
    # consecutive routes nearly always share family and next hop: remember the last group
    last_family = last_nexthop = None
    group: dict[str, list[str]] = {}
    listed: list[str] = []
    hop = ''
    for route in update.announced:
        nlri = route.nlri
        family = nlri.family
        nexthop = route.nexthop
        if family is not last_family or nexthop is not last_nexthop:
            hop = nexthop_text(nexthop)
            group = families.setdefault(family, {})
            listed = group.setdefault(hop, [])
            last_family, last_nexthop = family, nexthop
        if type(nlri) is INET:
            text = f'"{nlri.prefix()}"' if compact and nlri.path_id is None else nlri.json()
        else:
            text = nlri.json() if nexthop is None else nlri.json_at(hop)
            if six:
                text = _six(text, nlri)
        listed.append(text)
        if link_local is not None and isinstance(nexthop, IPv6Address):
            group.setdefault(local_text, []).append(text)
    # plain loops: this runs for every UPDATE, and nearly always for one family and one next hop
    parts = []
    for family, by_nexthop in families.items():
        hops = []
        for hop, nlris in by_nexthop.items():
            hops.append(f'"{hop}": [ {", ".join(nlris)} ]')
        parts.append(f'"{ROUTE_NAMES.get(family, family)}": {{ {", ".join(hops)} }}')
    return ', '.join(parts)


def _withdrawn(update: Update, compact: bool, six: bool = False) -> str:
    families: dict[Family, list[str]] = {}
    for nlri in update.withdrawn:
        text = _nlri_json(nlri, compact)
        families.setdefault(nlri.family, []).append(_six(text, nlri) if six else text)
    return ', '.join(
        f'"{ROUTE_NAMES.get(family, family)}": [ {", ".join(nlris)} ]' for family, nlris in families.items()
    )


def errors(update: Update) -> tuple[str, ...]:
    """The RFC 7606 outcomes 5.0 lists under the name "error", in its order."""
    found: tuple[str, ...] = ('discard',) if update.discarded else ()
    if update.action == Action.TREAT_AS_WITHDRAW:
        found += ('treat-as-withdraw',)
    return found


def eor_json(family: Family) -> str:
    return f'{{ "eor": {{ "afi" : "{afi_name(family.afi)}", "safi" : "{safi_name(family.safi)}" }} }}'


def message_json(update: Update, compact: bool = False, six: bool = False) -> str:
    """The value of the "message" member: the "update" object, or the "eor" one (`six`: labels as
    upstream 6.0 writes them)."""
    if update.eor is not None:
        return eor_json(update.eor)
    attributes = update.attributes
    items = [attributes.json_six() if six else attributes.json()] if len(attributes) else []
    if update.discarded or update.action:
        items.extend([f'"error": "{error}"' for error in errors(update)])
    members = [f'"attribute": {{ {", ".join(items)} }}'] if items else []
    if update.announced:
        members.append(f'"announce": {{ {_announced(update, compact, six)} }}')
    if update.withdrawn:
        members.append(f'"withdraw": {{ {_withdrawn(update, compact, six)} }}')
    return f'{{ "update": {{ {", ".join(members)} }} }}'


def update(
    stamp: Stamp,
    peer: Peer,
    direction: str,
    message: Update,
    header: bytes = b'',
    body: bytes = b'',
    *,
    compact: bool = False,
    negotiated: Negotiated | None = None,
    six: bool = False,
) -> str:
    """The JSON line of an UPDATE; `negotiated` adds the "negotiated" member, as 5.0's API option does."""
    content = f'"message": {message_json(message, compact, six)}'
    if negotiated is not None:
        content += ', ' + negotiated_member(negotiated)
    return envelope(stamp, 'update', neighbor(peer, direction, content), header, body)
