"""Write a model back as configuration text: `parse(dump(config)) == config`.

Invariants:
- Everything is written explicitly (no reliance on defaults), templates are already merged, and
  values are spelled so the parser gives them back unchanged: communities as numbers, extended
  communities in hexadecimal, as-path segments as `[ ]` sequences and `( )` sets, strings quoted
  with escapes when they need it.
- Routes keep their order. A route is written `route PREFIX ...` in a static section when that
  spelling files it under its family (IPv4 multicast for 224.0.0.0/4, unicast otherwise), and in an
  `announce { ipvX { unicast|multicast ... } }` section otherwise.
- The default families (no family section) are written as no family section: two of them (ipv4 rtc,
  ipv6 multicast) can not be written in one.
"""

from base64 import b64encode
from collections.abc import Iterator
from typing import TYPE_CHECKING

from exabgp import lazy
from exabgp.bgp.attribute.aggregation import Aggregator
from exabgp.bgp.attribute.aigp import AIGP
from exabgp.bgp.attribute.aspath import AS_SEQUENCE, ASPath
from exabgp.bgp.attribute.base import Attribute, Code
from exabgp.bgp.attribute.community import Communities, LargeCommunities
from exabgp.bgp.attribute.extended import ExtendedCommunities, IPv6ExtendedCommunities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.reflection import ClusterList, OriginatorID
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.bgp.family import AFI, SAFI, afi_name, safi_name
from exabgp.bgp.nlri import prefix as ip_prefix
from exabgp.bgp.nlri import table
from exabgp.bgp.route import Route
from exabgp.configuration.model import (
    ADDPATH_NAMES,
    EVENTS,
    MESSAGES,
    BMPStation,
    Config,
    Neighbor,
    Operational,
    Process,
)
from exabgp.configuration.route import prefix
from exabgp.configuration.route.grammars import mup, prefixsid, srpolicy

if TYPE_CHECKING:
    from exabgp.bgp.attribute import prefixsid as prefixsid_attribute
    from exabgp.bgp.nlri import mup as mup_nlri
else:
    prefixsid_attribute = lazy.module('exabgp.bgp.attribute.prefixsid')
    mup_nlri = lazy.module('exabgp.bgp.nlri.mup')

_PLAIN = frozenset('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./:_-+=@%!*?~^<>&$')
_ESCAPE = {'\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f'}


def quote(text: str) -> str:
    """`text` as one word: bare when it can be, quoted with escapes otherwise."""
    if text and all(char in _PLAIN for char in text):
        return text
    return '"' + ''.join(_ESCAPE.get(char, char) for char in text) + '"'


def _flag(value: bool) -> str:
    return 'true' if value else 'false'


def _able(value: bool) -> str:
    return 'enable' if value else 'disable'


def dump_process(process: Process) -> str:
    run = ' '.join(quote(word) for word in process.run)
    return (
        f'process {process.name} {{\n'
        f'    run {run};\n'
        f'    encoder {process.encoder};\n'
        f'    respawn {_flag(process.respawn)};\n'
        f'}}\n'
    )


def _segments(path: ASPath) -> str:
    parts = []
    for kind, asns in path.segments:
        inside = ' '.join(str(asn) for asn in asns)
        parts.append(f'[ {inside} ]' if kind == AS_SEQUENCE else f'( {inside} )')
    return ' '.join(parts)


def attribute_text(attribute: Attribute) -> str:
    """One attribute in the configuration's grammar (not the text API's, which differs)."""
    if isinstance(attribute, Unknown):
        return f'attribute [ 0x{attribute.code:02x} 0x{attribute.flags:02x} 0x{attribute.value.hex()} ]'
    code = attribute.CODE
    if code == Code.ORIGIN:
        return f'origin {attribute}'
    if code == Code.AS_PATH:
        assert isinstance(attribute, ASPath)
        return f'as-path {_segments(attribute)}'
    if code == Code.MED:
        assert isinstance(attribute, MED)
        return f'med {attribute.value}'
    if code == Code.LOCAL_PREF:
        assert isinstance(attribute, LocalPreference)
        return f'local-preference {attribute.value}'
    if code == Code.ATOMIC_AGGREGATE:
        return 'atomic-aggregate'
    if code == Code.AGGREGATOR:
        assert isinstance(attribute, Aggregator)
        return f'aggregator ( {attribute.asn}:{attribute.speaker} )'
    if code == Code.ORIGINATOR_ID:
        assert isinstance(attribute, OriginatorID)
        return f'originator-id {attribute.address}'
    if code == Code.CLUSTER_LIST:
        assert isinstance(attribute, ClusterList)
        return f'cluster-list [ {" ".join(str(cluster) for cluster in attribute.clusters)} ]'
    if code == Code.COMMUNITY:
        assert isinstance(attribute, Communities)
        values = ' '.join(f'{value >> 16}:{value & 0xFFFF}' for value in attribute.communities)
        return f'community [ {values} ]'
    if code == Code.LARGE_COMMUNITY:
        assert isinstance(attribute, LargeCommunities)
        values = ' '.join(f'{a}:{b}:{c}' for a, b, c in attribute.communities)
        return f'large-community [ {values} ]'
    if code == Code.EXTENDED_COMMUNITY:
        assert isinstance(attribute, ExtendedCommunities)
        values = ' '.join(f'0x{value.hex()}' for value in attribute.communities)
        return f'extended-community [ {values} ]'
    if code == Code.IPV6_EXTENDED_COMMUNITY:
        # only flow routes carry them, written as the flow actions building them
        assert isinstance(attribute, IPv6ExtendedCommunities)
        words = []
        for value in attribute.communities:
            address = ip_prefix.text(value[2:18])
            if value[1] == 0x0B:
                words.append(f'redirect [{address}]:{int.from_bytes(value[18:20], "big")}')
            else:
                words.append(f'redirect-to-nexthop-ietf {address}')
        return ' '.join(words)
    if code == Code.AIGP:
        assert isinstance(attribute, AIGP)
        return f'aigp {attribute.metric}'
    if code == Code.BGP_PREFIX_SID:
        assert isinstance(attribute, prefixsid_attribute.PrefixSID)
        return prefixsid.text(attribute)
    raise ValueError(f'no configuration grammar for attribute {code}')


def route_text(route: Route) -> str:
    """`NLRI next-hop X ATTRIBUTES` (without the leading keyword): the NLRI in its configuration
    form, qualifiers (`path-information`, `label`) included."""
    nlri = route.nlri
    # by family first: the modules of families never configured stay unloaded
    safi = nlri.family.safi
    if safi == SAFI.SR_POLICY:
        return srpolicy.text(route)
    parts = [mup.text(nlri) if safi == SAFI.MUP and isinstance(nlri, mup_nlri.MUP) else nlri.configuration()]
    if route.nexthop is not None:
        parts.append(f'next-hop {route.nexthop}')
    parts.extend(attribute_text(attribute) for attribute in route.attributes)
    return ' '.join(parts)


def _form(route: Route) -> str:
    """'static' when `route NLRI` files the route under its own family, else 'ipv4 unicast' and such
    (written in `announce { ipv4 { unicast ...; } }`)."""
    family = route.nlri.family
    row = table.TABLE[family]
    if row.show == 'flow':
        return 'flow'
    if row.grammar in ('mup', 'sr-policy'):
        return f'{afi_name(family.afi)} {safi_name(family.safi)}'
    if row.grammar == 'vpls':
        # a VPLS route's text starts with `vpls`: a statement of the `l2vpn` section
        return 'l2vpn'
    try:
        afi, packed, _ = prefix.parse(route.nlri.prefix())
    except ValueError:
        # no prefix (mcast-vpn): written in its family's own section
        return f'{afi_name(family.afi)} {safi_name(family.safi)}'
    multicast = afi == AFI.IPV4 and 224 <= packed[0] <= 239
    if table.route_family(afi, multicast, row.selected_by[:1]) == family:
        return 'static'
    return f'{afi_name(family.afi)} {safi_name(family.safi)}'


def _routes(neighbor: Neighbor) -> Iterator[str]:
    watched = dict(neighbor.watchdogs)
    current = ''
    for index, route in enumerate(neighbor.routes):
        form = _form(route)
        if form != current:
            if current:
                yield '    }\n' if current in _SECTIONS else '        }\n    }\n'
            if form in _SECTIONS:
                yield f'    {form} {{\n'
            else:
                yield f'    announce {{\n        {form.split()[0]} {{\n'
            current = form
        text = route_text(route)
        watchdog = watched.get(index)
        if watchdog is not None:
            text += f' watchdog {quote(watchdog.name)}' + (' withdraw' if watchdog.withdrawn else '')
        if form == 'flow':
            # the one-line form of a flow route: its words without the leading 'flow'
            yield f'        route {text.removeprefix("flow ")};\n'
        elif form == 'static':
            yield f'        route {text};\n'
        elif form == 'l2vpn':
            yield f'        {text};\n'
        else:
            yield f'            {form.split()[1]} {text};\n'
    if current:
        yield '    }\n' if current in _SECTIONS else '        }\n    }\n'


# the forms written in a section of their own, not in `announce { AFI { } }`
_SECTIONS = ('static', 'flow', 'l2vpn')


def _operational(message: Operational) -> str:
    family = f'afi {afi_name(message.family.afi)} safi {safi_name(message.family.safi)}'
    if message.kind in ('asm', 'adm'):
        detail = f'advisory {quote(message.advisory)}'
    elif message.kind.endswith('q'):
        detail = f'sequence {message.sequence}'
    else:
        detail = f'sequence {message.sequence} counter {message.counter}'
    router_id = f' router-id {message.router_id}' if message.router_id is not None else ''
    return f'        {message.kind} {family} {detail}{router_id};\n'


def _api(neighbor: Neighbor) -> Iterator[str]:
    api = neighbor.api
    for name in api.processes:
        yield '    api {\n'
        yield f'        processes [ {name} ];\n'
        for event in EVENTS:
            if name in getattr(api, event.replace('-', '_')):
                yield f'        {event};\n'
        for direction in ('send', 'receive'):
            messages = getattr(api, direction)
            chosen = [message for message in MESSAGES if name in getattr(messages, message)]
            if chosen:
                yield f'        {direction} {{\n'
                yield from (f'            {message};\n' for message in chosen)
                yield '        }\n'
        yield '    }\n'
    if api.processes_match:
        yield '    api {\n'
        yield f'        processes-match [ {" ".join(quote(pattern) for pattern in api.processes_match)} ];\n'
        yield '    }\n'


def _lines(neighbor: Neighbor) -> Iterator[str]:
    yield f'neighbor {neighbor.peer()} {{\n'
    yield f'    description {quote(neighbor.description) if neighbor.description else chr(34) * 2};\n'
    yield f'    router-id {neighbor.router_id};\n'
    yield f'    local-address {neighbor.local_address if neighbor.local_address is not None else "auto"};\n'
    yield f'    local-as {neighbor.local_as if neighbor.local_as is not None else "auto"};\n'
    yield f'    peer-as {neighbor.peer_as if neighbor.peer_as is not None else "auto"};\n'
    yield f'    hold-time {neighbor.hold_time};\n'
    if neighbor.host_name is not None:
        yield f'    host-name {neighbor.host_name};\n'
    if neighbor.domain_name is not None:
        yield f'    domain-name {neighbor.domain_name};\n'
    if neighbor.source_interface is not None:
        yield f'    source-interface {quote(neighbor.source_interface)};\n'
    yield f'    passive {_flag(neighbor.passive)};\n'
    yield f'    listen {neighbor.listen};\n'
    yield f'    connect {neighbor.connect};\n'
    if neighbor.outgoing_ttl is not None:
        yield f'    outgoing-ttl {neighbor.outgoing_ttl};\n'
    if neighbor.incoming_ttl is not None:
        yield f'    incoming-ttl {neighbor.incoming_ttl};\n'
    if neighbor.md5_password is not None:
        yield f'    md5-password {quote(neighbor.md5_password)};\n'
    base64 = 'auto' if neighbor.md5_base64 is None else _flag(neighbor.md5_base64)
    yield f'    md5-base64 {base64};\n'
    if neighbor.md5_ip is not None and neighbor.md5_ip != neighbor.local_address:
        yield f'    md5-ip {neighbor.md5_ip};\n'
    yield f'    rate-limit {neighbor.rate_limit or "disable"};\n'
    yield f'    group-updates {_flag(neighbor.group_updates)};\n'
    yield f'    auto-flush {_flag(neighbor.auto_flush)};\n'
    yield f'    adj-rib-in {_flag(neighbor.adj_rib_in)};\n'
    yield f'    adj-rib-out {_flag(neighbor.adj_rib_out)};\n'
    yield f'    manual-eor {_flag(neighbor.manual_eor)};\n'
    # upstream 6.0's, written only when set: a 5.0 configuration dumps as it did
    if neighbor.local_link_local is not None:
        yield f'    local-link-local {neighbor.local_link_local};\n'
    if neighbor.tcp_ao is not None:
        ao = neighbor.tcp_ao
        yield '    tcp-ao {\n'
        yield f'        keyid {ao.keyid};\n'
        yield f'        algorithm {ao.algorithm};\n'
        yield f'        password {b64encode(ao.key).decode()};\n'
        yield '        base64 true;\n'
        yield '    }\n'
    capability = neighbor.capability
    yield '    capability {\n'
    yield f'        asn4 {_able(capability.asn4)};\n'
    yield f'        route-refresh {_able(capability.route_refresh)};\n'
    yield f'        graceful-restart {capability.graceful_restart or "disable"};\n'
    yield f'        add-path {ADDPATH_NAMES[capability.add_path]};\n'
    yield f'        multi-session {_able(capability.multi_session)};\n'
    yield f'        operational {_able(capability.operational)};\n'
    yield f'        extended-message {_able(capability.extended_message)};\n'
    yield f'        software-version {_able(capability.software_version)};\n'
    yield f'        nexthop {_able(capability.nexthop)};\n'
    yield f'        aigp {_able(capability.aigp)};\n'
    if capability.link_local_nexthop:
        yield '        link-local-nexthop enable;\n'
    if capability.link_local_prefer:
        yield '        link-local-prefer enable;\n'
    yield '    }\n'
    if set(neighbor.families) != set(table.DEFAULT):
        yield '    family {\n'
        yield from (f'        {family};\n' for family in neighbor.families)
        yield '    }\n'
    # no add-path section means every family (some of which can not be written in one)
    if capability.add_path and (neighbor.addpath != neighbor.families or neighbor.paths_limit):
        yield '    add-path {\n'
        if neighbor.addpath:
            limits = dict(neighbor.paths_limit)
            yield from (
                f'        {family}{f" limit {limits[family]}" if family in limits else ""};\n'
                for family in neighbor.addpath
            )
        else:
            # 5.0 reads `all` in an add-path section as no family at all
            yield '        all;\n'
        yield '    }\n'
    if neighbor.nexthops:
        yield '    nexthop {\n'
        yield from (f'        {family} {afi_name(nhafi)};\n' for family, nhafi in neighbor.nexthops)
        yield '    }\n'
    yield from _api(neighbor)
    yield from _routes(neighbor)
    if neighbor.operational:
        yield '    operational {\n'
        yield from (_operational(message) for message in neighbor.operational)
        yield '    }\n'
    yield '}\n'


def dump_neighbor(neighbor: Neighbor) -> str:
    return ''.join(_lines(neighbor))


def dump_bmp(station: BMPStation) -> str:
    timeout = f'    statistics-timeout {station.statistics_timeout};\n' if station.statistics_timeout else ''
    out = '    adj-rib-out true;\n' if station.adj_rib_out else ''
    return f'bmp {station.name} {{\n    host {station.host};\n    port {station.port};\n{timeout}{out}}}\n'


def dump(config: Config) -> str:
    parts = [dump_process(process) for process in config.processes]
    parts.extend(dump_bmp(station) for station in config.bmp)
    parts.extend(dump_neighbor(neighbor) for neighbor in config.neighbors)
    return '\n'.join(parts)
