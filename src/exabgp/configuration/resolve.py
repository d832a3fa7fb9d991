"""From a neighbor's `Draft` (templates merged) to the model's `Neighbor`: 5.0's defaults and checks.

The order of the steps, and what each infers, is 5.0's (configuration/neighbor post):
- local-as and peer-as must be written (`auto` counts); no family section means every known family;
- no local-address means `auto` (then a router-id is needed); an IPv4 peer takes its router-id from the
  local address; an IPv6 peer needs one written;
- capabilities: the section's values over 5.0's defaults; `graceful-restart` written bare takes the
  hold-time; `nexthop` turns itself on when a nexthop section lists something; route-refresh turns
  adj-rib-out on;
- ADD-PATH applies to the add-path section's families that are negotiated, or to all families when
  there is no such section; an RFC 8950 pair is kept only when both its families are negotiated;
- a route may only be of a negotiated family, except IPv4 unicast routes, which 5.0 silently drops.
"""

from ipaddress import IPv4Address
from typing import Any

from exabgp.bgp.family import IPV4_UNICAST, Family
from exabgp.bgp.nlri import table
from exabgp.configuration.errors import ConfigError, Location
from exabgp.configuration.model import (
    ADDPATH_DISABLED,
    EVENTS,
    MESSAGES,
    Api,
    Capabilities,
    Messages,
    Neighbor,
    TcpAo,
)
from exabgp.configuration.neighbor import CAPABILITY, CONVERT, Draft, check_md5, tcp_ao_key


def _sorted(families: list[Family]) -> tuple[Family, ...]:
    return tuple(sorted(set(families), key=lambda family: (int(family.afi), int(family.safi))))


def _families(values: dict[str, Any]) -> tuple[Family, ...]:
    section = values.get('family', {})
    listed = [family for afi in CONVERT for family in section.get(afi, []) if family is not None]
    return _sorted(listed) if listed else _sorted(list(table.DEFAULT))


def _addpath(values: dict[str, Any], families: tuple[Family, ...], mode: int) -> tuple[Family, ...]:
    if not mode:
        return ()
    section = values.get('add-path', {})
    if not section:
        return families
    return _sorted([family for afi in CONVERT for family in section.get(afi, []) if family in families])


def _nexthops(values: dict[str, Any], families: tuple[Family, ...], enabled: bool) -> tuple[tuple[Family, int], ...]:
    if not enabled:
        return ()
    kept: list[tuple[Family, int]] = []
    for pairs in values.get('nexthop', {}).values():
        for family, nhafi in pairs:
            if family not in families or Family(nhafi, family.safi) not in families:
                continue
            if (family, nhafi) not in kept:
                kept.append((family, nhafi))
    return tuple(kept)


def _unique(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def flatten_api(apis: dict[str, dict[str, Any]]) -> Api:
    """Merge the neighbor's api sections: each event or message lists the processes asking for it.

    A process is listed once, and every list follows the order of `processes`: what 5.0 does with
    these lists is test membership, so neither repetition nor order carries meaning."""
    processes: list[str] = []
    matches: list[str] = []
    wanted: dict[str, set[str]] = {}
    for api in apis.values():
        names = api.get('processes', [])
        processes.extend(names)
        matches.extend(api.get('processes-match', []))
        for event in EVENTS:
            if api.get(event, False):
                wanted.setdefault(event, set()).update(names)
        for direction in ('send', 'receive'):
            section = api.get(direction, {})
            for message in MESSAGES:
                if section.get(message, False):
                    wanted.setdefault(f'{direction} {message}', set()).update(names)
    order = _unique(processes)

    def chosen(key: str) -> tuple[str, ...]:
        names = wanted.get(key, set())
        return tuple(name for name in order if name in names)

    return Api(
        processes=order,
        processes_match=_unique(matches),
        neighbor_changes=chosen('neighbor-changes'),
        negotiated=chosen('negotiated'),
        fsm=chosen('fsm'),
        signal=chosen('signal'),
        send=Messages(**{message: chosen(f'send {message}') for message in MESSAGES}),
        receive=Messages(**{message: chosen(f'receive {message}') for message in MESSAGES}),
    )


def neighbor(draft: Draft, passive_setting: bool) -> Neighbor:
    """Build a neighbor, or raise ConfigError at the statement the problem is about."""
    values = draft.values
    marks = draft.marks
    header: Location = draft.header.location(0)

    def where(key: str) -> Location:
        return marks.get(key, header)

    missing = [option for option in ('local-as', 'peer-as') if option not in values]
    if missing:
        raise ConfigError(f'incomplete neighbor, missing {", ".join(missing)}', header)

    if 'peer-address' not in values:
        raise ConfigError('incomplete neighbor, missing peer-address', header)
    peer_address, peer_prefix = values['peer-address']
    local_address = values.get('local-address')
    router_id = values.get('router-id')
    if router_id is None and isinstance(peer_address, IPv4Address) and local_address is not None:
        router_id = local_address

    families = _families(values)

    written = values.get('capability', {})
    capability = {key: written.get(key, default) for key, (_, default) in CAPABILITY.items()}
    if capability['nexthop'] is None and values.get('nexthop'):
        capability['nexthop'] = True
    addpath = _addpath(values, families, capability['add-path'])
    nexthops = _nexthops(values, families, bool(capability['nexthop']))

    hold_time = values.get('hold-time', 180)
    listen = values.get('listen', 0)
    if local_address is None and listen > 0:
        raise ConfigError('incomplete neighbor, missing local-address (needed to listen)', where('listen'))
    if router_id is None:
        raise ConfigError('incomplete neighbor, missing router-id', header)

    graceful = capability['graceful-restart']
    if graceful is not False and graceful == 0:
        graceful = hold_time

    if local_address is not None and local_address.version != peer_address.version:
        raise ConfigError('local-address and peer-address must be of the same family', where('local-address'))

    passive = values.get('passive', False)
    full = 32 if peer_address.version == 4 else 128
    if peer_prefix < full and not (passive or passive_setting):
        raise ConfigError('can only use ip ranges for the peer address with passive neighbors', header)

    md5_password = values.get('md5-password')
    md5_base64 = values.get('md5-base64', False)
    if md5_password:
        problem = check_md5(md5_password, md5_base64)
        if problem:
            raise ConfigError(problem, where('md5-password'))

    tcp_ao = _tcp_ao(values.get('tcp-ao'), header)
    if tcp_ao is not None and md5_password:
        raise ConfigError('md5-password and tcp-ao can not be used together (RFC 5925 7.6)', where('md5-password'))

    for family, location in draft.route_families.items():
        if family not in families and family != IPV4_UNICAST:
            raise ConfigError(
                f'trying to announce a route of family {family} when the family is not announced to the peer',
                location,
            )

    routes = draft.routes
    watchdogs = draft.watchdogs
    if IPV4_UNICAST in draft.route_families and IPV4_UNICAST not in families:
        routes, watchdogs = _drop_family(routes, watchdogs, IPV4_UNICAST)

    adj_rib_out = values.get('adj-rib-out', True)
    if capability['route-refresh']:
        adj_rib_out = True

    return Neighbor(
        peer_address=peer_address,
        peer_prefix=peer_prefix,
        local_address=local_address,
        router_id=router_id,
        local_as=values['local-as'],
        peer_as=values['peer-as'],
        hold_time=hold_time,
        description=values.get('description', ''),
        host_name=values.get('host-name'),
        domain_name=values.get('domain-name'),
        source_interface=values.get('source-interface'),
        passive=passive,
        listen=listen,
        connect=values.get('connect', 0),
        outgoing_ttl=values.get('outgoing-ttl'),
        incoming_ttl=values.get('incoming-ttl'),
        md5_password=md5_password,
        md5_base64=md5_base64,
        # 5.0: ignored (None) with an `auto` local address, the local address when not given
        md5_ip=None if local_address is None else values.get('md5-ip', local_address),
        rate_limit=values.get('rate-limit', 0),
        group_updates=values.get('group-updates', True),
        auto_flush=values.get('auto-flush', True),
        adj_rib_in=values.get('adj-rib-in', True),
        adj_rib_out=adj_rib_out,
        manual_eor=values.get('manual-eor', False),
        capability=Capabilities(
            asn4=bool(capability['asn4']),
            route_refresh=bool(capability['route-refresh']),
            graceful_restart=int(graceful or 0),
            add_path=capability['add-path'] or ADDPATH_DISABLED,
            multi_session=bool(capability['multi-session']),
            operational=bool(capability['operational']),
            extended_message=bool(capability['extended-message']),
            software_version=bool(capability['software-version']),
            nexthop=bool(capability['nexthop']),
            aigp=bool(capability['aigp']),
            link_local_nexthop=bool(capability['link-local-nexthop']),
            link_local_prefer=bool(capability['link-local-prefer']),
        ),
        families=families,
        nexthops=nexthops,
        addpath=addpath,
        api=flatten_api(values.get('api', {})),
        routes=tuple(routes),
        watchdogs=tuple(watchdogs),
        operational=tuple(message for message in draft.operational if message.family in families),
        local_link_local=values.get('local-link-local'),
        tcp_ao=tcp_ao,
        paths_limit=tuple(
            (family, limit) for family, limit in values.get('paths-limit', {}).items() if family in addpath
        ),
    )


def _tcp_ao(written: dict[str, Any] | None, header: Location) -> TcpAo | None:
    if written is None:
        return None
    for keyword in ('keyid', 'algorithm', 'password'):
        if keyword not in written:
            raise ConfigError(f'incomplete tcp-ao, missing {keyword}', header)
    key = tcp_ao_key(written['password'], written.get('base64', False))
    if isinstance(key, str):
        raise ConfigError(key, header)
    return TcpAo(written['keyid'], written['algorithm'], key)


def _drop_family(routes: list[Any], watchdogs: list[tuple[int, Any]], family: Family) -> tuple[list[Any], list[Any]]:
    kept: list[Any] = []
    moved: dict[int, int] = {}
    for index, route in enumerate(routes):
        if route.nlri.family == family:
            continue
        moved[index] = len(kept)
        kept.append(route)
    return kept, [(moved[index], watchdog) for index, watchdog in watchdogs if index in moved]
