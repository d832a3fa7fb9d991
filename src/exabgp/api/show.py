"""What the `show` commands print, in ExaBGP 5.0's formats, and the answers that end a command.

    show neighbor summary          a title line, then one line per peer
    show neighbor extensive        a block per peer: session, setup, capabilities, families, messages
                                   (and, ours, the API events dropped for a process not reading)
    show neighbor configuration    each configured neighbor written back as a configuration section
    show neighbor [...] json       one JSON list of every peer (5.0 ignores the view when json is asked)
    show adj-rib in|out            `<peer> <afi> <safi> <route>` per route (extensive: the neighbor's
                                   name and the route's attributes)
    show adj-rib in|out json       one JSON object per route (api.show-routes-format v1 or v2)

A route of the Adj-RIB-In kept stale while its peer restarts gracefully (RFC 4724; 5.0 has no
receiving side) is marked, ours: the text line ends with ` stale`, the JSON route has
`"stale": true`. Other routes are written exactly as 5.0 writes them.

Invariants: pure functions of `PeerView` values (the reactor takes the snapshot) and of the
configuration model; every function returns the text 5.0 writes, one string per written line,
spacing included (5.0's padding leaves trailing spaces in the extensive view; they are kept).
"""

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from exabgp.api.json_update import nexthop_text
from exabgp.bgp.family import afi_name, safi_name
from exabgp.bgp.nlri.table import ROUTE_NAMES
from exabgp.bgp.route import Route
from exabgp.configuration.model import ADDPATH_NAMES, Api, Neighbor

DONE = 'done'
ERROR = 'error'
SHUTDOWN = 'shutdown'

SUMMARY_HEADER = 'Peer            AS        up/down state       |     #sent     #recvd'

USAGE = (
    'please specify summary, extensive or configuration',
    'you can filter by peer ip address adding it after the word neighbor',
)

# the capabilities and message kinds `show neighbor` lists, in 5.0's order
CAPABILITIES = (
    'asn4',
    'route-refresh',
    'multi-session',
    'operational',
    'add-path',
    'extended-message',
    'graceful-restart',
)
MESSAGES = ('open', 'notification', 'keepalive', 'update', 'refresh')


@dataclass(frozen=True, slots=True)
class FamilyView:
    """One configured family: negotiated with the peer (None: no OPEN yet), ADD-PATH each way."""

    name: str
    common: bool | None
    send_path: bool | None
    receive_path: bool | None


@dataclass(frozen=True, slots=True)
class PeerView:
    """A peer as `show neighbor` reports it, taken by the reactor at the time of the command."""

    peer_address: str
    local_address: str
    local_as: int | str
    peer_as: int | str | None
    local_id: str
    peer_id: str | None
    local_hold: int
    peer_hold: int | None
    state: str
    # seconds: established for (0 when down), and 5.0's "down for"
    up: int
    down: int
    # (name, ours, theirs): None when unknown
    capabilities: tuple[tuple[str, bool | None, bool | None], ...]
    families: tuple[FamilyView, ...]
    # (kind, sent, received) in MESSAGES order, counted over the current session
    messages: tuple[tuple[str, int, int], ...]
    # events about this peer that an API process did not get (its output was full): ours, not 5.0's
    dropped: int = 0


# ---------------------------------------------------------------- show neighbor


def _enabled(value: bool | None) -> str:
    if value is None:
        return 'n/a'
    return 'enabled' if value else 'disabled'


def _shown(value: object) -> str:
    return 'n/a' if value is None else str(value)


def _addpath(send: bool | None, receive: bool | None) -> str:
    if send and receive:
        return 'send/receive'
    if send:
        return 'send'
    if receive:
        return 'receive'
    return 'disabled'


def _total(view: PeerView) -> tuple[int, int]:
    return sum(sent for _, sent, _ in view.messages), sum(received for _, _, received in view.messages)


def summary(view: PeerView) -> str:
    updates = dict((kind, (sent, received)) for kind, sent, received in view.messages).get('update', (0, 0))
    duration = str(timedelta(seconds=view.up)) if view.up else 'down'
    return (
        f'{view.peer_address:<15} {_shown(view.peer_as):<7} {duration:>9} {view.state.lower():<12} '
        f'{updates[0]:>10} {updates[1]:>10}'
    )


def _row(name: str, first: object, second: object = '', third: object = '') -> str:
    return f'   {name:<20} {first!s:>15} {second!s:>15} {third!s:<15}'


def extensive(view: PeerView) -> list[str]:
    """The lines of one peer's block (5.0's template, its empty last line included)."""
    since = ('up for', view.up) if view.up else ('down for', view.down)
    duration = _row(since[0], timedelta(seconds=since[1]))
    total = _total(view)
    lines = [
        f'Neighbor {view.peer_address}',
        '',
        '    Session                       Local',
        _row('local', view.local_address),
        _row('state', view.state),
        duration,
        '',
        '    Setup                         Local          Remote',
        _row('AS', view.local_as, _shown(view.peer_as)),
        _row('ID', view.local_id, _shown(view.peer_id)),
        _row('hold-time', view.local_hold, _shown(view.peer_hold)),
        '',
        '    Capability                    Local          Remote',
    ]
    lines.extend(_row(f'{name}:', _enabled(ours), _enabled(theirs)) for name, ours, theirs in view.capabilities)
    lines.extend(('', '    Families                      Local          Remote        Add-Path'))
    # 5.0 passes the ADD-PATH directions crossed in this view (receive, send): kept
    lines.extend(
        f'   {f"{family.name}:":<20} {_enabled(True):>15} {_enabled(family.common):>15} '
        f'{_addpath(family.receive_path, family.send_path):<15}'
        for family in view.families
    )
    lines.extend(('', '    Message Statistic              Sent        Received'))
    lines.extend(_row(f'{kind}:', sent, received) for kind, sent, received in view.messages)
    lines.append(_row('total:', total[0], total[1]))
    if view.dropped:
        lines.extend(('', '    API', _row('events dropped:', view.dropped)))
    lines.append('')
    return lines


def as_dict(view: PeerView) -> dict[str, Any]:
    """A peer as 5.0's JSON `show neighbor` writes it."""
    local: dict[str, Any] = {'capabilities': {}, 'families': {}, 'add-path': {}}
    peer: dict[str, Any] = {'capabilities': {}, 'families': {}, 'add-path': {}}
    formatted: dict[str, Any] = {
        'state': 'up' if view.up else 'down',
        'duration': view.up if view.up else view.down,
        'fsm': view.state,
        'local': local,
        'peer': peer,
        'messages': {'sent': {}, 'received': {}},
        'capabilities': [],
        'families': [],
        'add-path': {},
    }
    for family in view.families:
        local['families'][family.name] = True
        peer['families'][family.name] = family.common
        local['add-path'][family.name] = family.send_path
        peer['add-path'][family.name] = family.receive_path
        if family.common:
            formatted['families'].append(family.name)
        formatted['add-path'][family.name] = _addpath(family.send_path, family.receive_path)
    for name, ours, theirs in view.capabilities:
        local['capabilities'][name] = ours
        peer['capabilities'][name] = theirs
        # 5.0 tests its own capability with a name that is always true: the peer's decides
        if theirs:
            formatted['capabilities'].append(name)
    total = _total(view)
    for kind, sent, received in (*view.messages, ('total', *total)):
        formatted['messages']['sent'][kind] = sent
        formatted['messages']['received'][kind] = received
    local.update({'address': view.local_address, 'as': view.local_as, 'id': view.local_id, 'hold': view.local_hold})
    peer.update({'address': view.peer_address, 'as': view.peer_as, 'id': view.peer_id, 'hold': view.peer_hold})
    return formatted


def neighbors_json(views: Sequence[PeerView]) -> str:
    return json.dumps([as_dict(view) for view in views])


# ---------------------------------------------------------------- show neighbor configuration

_GLOBAL_EVENTS = (
    ('neighbor_changes', 'neighbor-changes'),
    ('negotiated', 'negotiated'),
    ('fsm', 'fsm'),
    ('signal', 'signal'),
)
_DIRECTION_ORDER = ('packets', 'parsed', 'consolidate', 'notification', 'open', 'keepalive', 'update', 'refresh')


def _api_sections(api: Api) -> str:
    written = ''
    for process in api.processes:
        lines = ['\tapi {\n', f'\t\tprocesses [ {process} ];\n']
        lines.extend(f'\t\t{name};\n' for field, name in _GLOBAL_EVENTS if process in getattr(api, field))
        for direction in ('receive', 'send'):
            messages = getattr(api, direction)
            wanted = [
                f'\t\t\t{name};\n' for name in (*_DIRECTION_ORDER, 'operational') if process in getattr(messages, name)
            ]
            if wanted:
                lines.extend((f'\t\t{direction} {{\n', *wanted, '\t\t}\n'))
        lines.append('\t}\n')
        written += ''.join(lines)
    return written


def _switch(value: bool) -> str:
    return 'enable' if value else 'disable'


def _boolean(value: bool) -> str:
    return 'true' if value else 'false'


def configuration(neighbor: Neighbor) -> list[str]:
    """A configured neighbor written back as 5.0's `show neighbor configuration` does."""
    auto = neighbor.local_address is None
    local = 'auto' if auto else str(neighbor.local_address)
    capability = neighbor.capability
    md5_base64 = 'auto' if neighbor.md5_base64 is None else _boolean(neighbor.md5_base64)
    families = ''.join(f'\n\t\t{afi_name(f.afi)} {safi_name(f.safi)};' for f in neighbor.families)
    nexthops = ''.join(f'\n\t\t{afi_name(f.afi)} {safi_name(f.safi)} {afi_name(afi)};' for f, afi in neighbor.nexthops)
    addpaths = ''.join(f'\n\t\t{afi_name(f.afi)} {safi_name(f.safi)};' for f in neighbor.addpath)
    text = (
        f'neighbor {neighbor.peer()} {{\n'
        f'\tdescription "{neighbor.description}";\n'
        f'\trouter-id {neighbor.router_id};\n'
        f'\thost-name {neighbor.host_name};\n'
        f'\tdomain-name {neighbor.domain_name};\n'
        f'\tlocal-address {local};\n'
        f'\tsource-interface {neighbor.source_interface};\n'
        f'\tlocal-as {"auto" if neighbor.local_as is None else neighbor.local_as};\n'
        f'\tpeer-as {"auto" if neighbor.peer_as is None else neighbor.peer_as};\n'
        f'\thold-time {neighbor.hold_time};\n'
        f'\trate-limit {neighbor.rate_limit or "disable"};\n'
        f'\tmanual-eor {_boolean(neighbor.manual_eor)};\n'
        f'\n\tpassive {_boolean(neighbor.passive)};\n'
        + (f'\n\tlisten {neighbor.listen};\n' if neighbor.listen else '')
        + (f'\n\tconnect {neighbor.connect};\n' if neighbor.connect else '')
        + f'\tgroup-updates {_boolean(neighbor.group_updates)};\n'
        f'\tauto-flush {_boolean(neighbor.auto_flush)};\n'
        f'\tadj-rib-in {_boolean(neighbor.adj_rib_in)};\n'
        f'\tadj-rib-out {_boolean(neighbor.adj_rib_out)};\n'
        + (f'\tmd5-password "{neighbor.md5_password}";\n' if neighbor.md5_password else '')
        + f'\tmd5-base64 {md5_base64};\n'
        + ('' if auto else f'\tmd5-ip "{neighbor.md5_ip or neighbor.local_address}";\n')
        + (f'\toutgoing-ttl {neighbor.outgoing_ttl};\n' if neighbor.outgoing_ttl else '')
        + (f'\tincoming-ttl {neighbor.incoming_ttl};\n' if neighbor.incoming_ttl else '')
        + '\tcapability {\n'
        f'\t\tasn4 {_switch(capability.asn4)};\n'
        f'\t\troute-refresh {_switch(capability.route_refresh)};\n'
        f'\t\tgraceful-restart {capability.graceful_restart or "disable"};\n'
        f'\t\tsoftware-version {_switch(capability.software_version)};\n'
        f'\t\tnexthop {_switch(capability.nexthop)};\n'
        f'\t\tadd-path {ADDPATH_NAMES[capability.add_path]};\n'
        f'\t\tmulti-session {_switch(capability.multi_session)};\n'
        f'\t\toperational {_switch(capability.operational)};\n'
        f'\t\taigp {_switch(capability.aigp)};\n'
        '\t}\n'
        f'\tfamily {{{families}\n\t}}\n'
        f'\tnexthop {{{nexthops}\n\t}}\n'
        f'\tadd-path {{{addpaths}\n\t}}\n'
        f'{_api_sections(neighbor.api)}'
        '}'
    )
    return text.replace('\t', '  ').split('\n')


# ---------------------------------------------------------------- show adj-rib

# which routes of the Adj-RIB-In are stale (RFC 4724), None when none is
Stale = Callable[[Route], bool] | None


def route_text(route: Route, extensive: bool) -> str:
    """A route as `show adj-rib` writes it: the NLRI, its next hop, and with `extensive` the attributes."""
    nexthop = route.nexthop
    text = route.nlri.extensive('' if nexthop is None else f' next-hop {nexthop_text(nexthop)}')
    return text + str(route.attributes) if extensive else text


def rib_text(who: str, routes: Sequence[Route], extensive: bool, stale: Stale = None) -> Iterator[str]:
    """`who` is the peer address, or with `extensive` the neighbor's name; a route kept from a
    graceful restart (`stale` says which) ends with the word `stale`."""
    for route in routes:
        mark = ' stale' if stale is not None and stale(route) else ''
        yield f'{who} {ROUTE_NAMES.get(route.nlri.family, route.nlri.family)} {route_text(route, extensive)}{mark}'


def rib_json_v1(
    address: str, routes: Sequence[Route], neighbor: dict[str, Any] | None, stale: Stale = None
) -> Iterator[str]:
    """5.0's v1 form: for each route of a chunk, the peer with the routes of the chunk so far; a
    route kept from a graceful restart has `"stale": true` (a key 5.0 never writes)."""
    value: dict[str, Any] = {address: {'routes': []}}
    if neighbor is not None:
        value[address].update(neighbor)
    listed = value[address]['routes']
    for route in routes:
        item: dict[str, object] = {
            'prefix': route.nlri.prefix(),
            'family': str(ROUTE_NAMES.get(route.nlri.family, route.nlri.family)),
        }
        if stale is not None and stale(route):
            item['stale'] = True
        listed.append(item)
        yield json.dumps(value)


def rib_json_v2(
    address: str, routes: Sequence[Route], neighbor: dict[str, Any] | None, stale: Stale = None
) -> Iterator[str]:
    """5.0's v2 form: one object per route, the route as a dict of its NLRI and attributes; a route
    kept from a graceful restart has `"stale": true` in its `route` (a key 5.0 never writes)."""
    value: dict[str, Any] = {'peer': {'address': address}}
    if neighbor is not None:
        value.update(neighbor)
    for route in routes:
        afi, safi = str(ROUTE_NAMES.get(route.nlri.family, route.nlri.family)).split()
        nexthop = None if route.nexthop is None else nexthop_text(route.nexthop)
        value['route'] = {
            'nlri': {
                'prefix': route.nlri.prefix(),
                'nexthop': nexthop,
                'family': {'afi': afi, 'safi': safi},
                **route.nlri.details(),
            },
            'attributes': json.loads(f'{{ {route.attributes.json()} }}'),
        }
        if stale is not None and stale(route):
            value['route']['stale'] = True
        yield json.dumps(value)


# ---------------------------------------------------------------- help

HELP_NEIGHBOR = (
    'announce attribute',
    'announce attributes',
    'announce eor',
    'announce flow',
    'announce ipv4',
    'announce ipv6',
    'announce operational',
    'announce route',
    'announce route-refresh',
    'announce watchdog',
    'announce vpls',
    'clear adj-rib',
    'crash',
    'flush adj-rib out',
    'teardown',
    'withdraw attribute',
    'withdraw attributes',
    'withdraw flow',
    'withdraw ipv4',
    'withdraw ipv6',
    'withdraw route',
    'withdraw vpls',
    'withdraw watchdog',
)
HELP_OTHERS = (
    '# ',
    'disable-ack ',
    'enable-ack ',
    'help ',
    'reload ',
    'reset ',
    'restart ',
    'show adj-rib in [ extensive ] ',
    'show adj-rib out [ extensive ] ',
    'show neighbor [ summary | extensive | configuration ] ',
    'shutdown ',
    'silence-ack ',
    'version ',
)


def help_lines() -> list[str]:
    commands = sorted([*HELP_OTHERS, *(f'[neighbor <ip> [filters]] {command}' for command in HELP_NEIGHBOR)])
    return [
        '',
        'available API commands are listed here:',
        '=======================================',
        '',
        'filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]',
        '',
        'command are:',
        '------------',
        '',
        *commands,
        '',
    ]
