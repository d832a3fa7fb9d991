"""The grammar of a neighbor (or neighbor template) and of its small sections.

A neighbor section fills a `Draft`: 5.0's scope, a nested dict keyed by the keywords as written
('hold-time', 'capability' -> {'graceful-restart': ...}, 'family' -> {'ipv4': [Family, ...]}, 'api' ->
{name: {...}}), plus where each key was set. Templates are merged into it with 5.0's rules (see
`Draft.inherit`) and `resolve` turns it into the model. Keeping 5.0's shape is what makes the
merge behave as 5.0's does, quirks included: a template's scalar wins over the neighbor's own.

A keyword written bare takes its own default (`passive;` is true, `adj-rib-in;` is false,
`software-version;` is false): the tables below hold those, as 5.0's do.
"""

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from exabgp.bgp.family import AFI, Family
from exabgp.bgp.nlri import table
from exabgp.configuration import values
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError, Location, suggest
from exabgp.configuration.model import MESSAGES
from exabgp.configuration.tokenizer import Statement

Parser = Callable[[Cursor], Any]

HOLD_TIME_MAX = 0xFFFF
GRACEFUL_MAX = 0xFFFF
TTL_MAX = 255
MD5_MAX = 80

# family { AFI SAFI; } and add-path { AFI SAFI; }: the pairs 5.0 accepts, from the family table
CONVERT: dict[str, dict[str, Family]] = table.names()

# nexthop { AFI SAFI NHAFI; }
NEXTHOP_FAMILIES: dict[str, dict[str, Family]] = {
    afi: {word: family for word, family in words.items() if table.TABLE[family].nexthop_section}
    for afi, words in table.names(configurable_only=False).items()
}
NEXTHOP_AFIS = {'ipv4': 'ipv6', 'ipv6': 'ipv4'}

# grammar of ExaBGP main (6.0) that 5.0 does not have: a clear error rather than 'invalid keyword'
# tcp-ao { algorithm NAME; }: RFC 5926's two and RFC 8619-style HMAC-SHA-256, upstream 6.0's names
TCP_AO_ALGORITHMS = ('hmac-sha-1-96', 'aes-128-cmac-96', 'hmac-sha-256')
TCP_AO_KEY_MAX = 80
# the sections of a neighbor, offered as suggestions for a misspelt keyword
NEIGHBOR_SECTIONS = (
    'capability',
    'family',
    'add-path',
    'nexthop',
    'api',
    'static',
    'announce',
    'flow',
    'l2vpn',
    'operational',
    'tcp-ao',
)


@dataclass(slots=True)
class Draft:
    """A neighbor or template as written: 5.0's scope dict, the routes, and where things were set."""

    header: Statement
    values: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, Location] = field(default_factory=dict)
    # (template name, where) for each `inherit`
    inherits: list[tuple[str, Location]] = field(default_factory=list)
    routes: list[Any] = field(default_factory=list)
    # (index in routes, Watchdog)
    watchdogs: list[tuple[int, Any]] = field(default_factory=list)
    # family -> where its first route was written
    route_families: dict[Family, Location] = field(default_factory=dict)
    operational: list[Any] = field(default_factory=list)
    # warnings: a keyword written again, overriding its earlier value (5.0 keeps the last silently)
    overridden: list[ConfigError] = field(default_factory=list)

    def set(self, key: str, value: Any, where: Location) -> None:
        self.values[key] = value
        self.marks[key] = where

    def section(self, key: str) -> dict[str, Any]:
        section: dict[str, Any] = self.values.setdefault(key, {})
        return section

    def inherit(self, template: 'Draft') -> None:
        """Merge a template the way 5.0 does: missing keys are copied, lists are extended, dicts
        merged recursively, and a scalar the template sets replaces the neighbor's own."""
        _transfer(template.values, self.values)
        for key, where in template.marks.items():
            # a value the template replaced is now the template's: errors about it point there
            if key not in self.marks or not isinstance(template.values.get(key), list | dict):
                self.marks[key] = where
        offset = len(self.routes)
        self.routes.extend(template.routes)
        self.watchdogs.extend((index + offset, watchdog) for index, watchdog in template.watchdogs)
        for family, where in template.route_families.items():
            self.route_families.setdefault(family, where)
        self.operational.extend(template.operational)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return list(value)
    return value


def _transfer(source: dict[str, Any], destination: dict[str, Any]) -> None:
    for key, value in source.items():
        if key not in destination:
            destination[key] = _copy(value)
        elif isinstance(value, list):
            destination[key].extend(value)
        elif isinstance(value, dict):
            _transfer(value, destination[key])
        else:
            destination[key] = value


# ---------------------------------------------------------------- neighbor keywords


def peer_range(cursor: Cursor) -> tuple[IPv4Address | IPv6Address, int]:
    """`ADDRESS` or `ADDRESS/LENGTH` (a range of passive peers)."""
    word = cursor.expect('peer address')
    text, _, length = word.partition('/')
    try:
        address = values.ip_text(text)
    except ValueError:
        raise cursor.fail(f"'{word}' is an invalid peer address") from None
    full = 32 if isinstance(address, IPv4Address) else 128
    if not length:
        return address, full
    if not length.isdigit() or not length.isascii() or int(length) > full:
        raise cursor.fail(f"'{word}' is an invalid peer address: the prefix length must be 0 to {full}")
    return address, int(length)


def _inherit(cursor: Cursor) -> list[str]:
    names = cursor.bracketed('template')
    if not names:
        raise cursor.fail('inherit needs at least one template name')
    return names


def _description(cursor: Cursor) -> str:
    word = cursor.next()
    if cursor.more():
        raise cursor.fail_here(f"unexpected '{cursor.peek()}' (quote a description holding spaces)")
    return word


def _router_id(cursor: Cursor) -> IPv4Address:
    return values.ipv4(cursor, 'router-id')


def _hold_time(cursor: Cursor) -> int:
    word = cursor.expect('hold-time')
    if not word.isdigit() or not word.isascii():
        raise cursor.fail(f"'{word}' is an invalid hold-time")
    value = int(word)
    if 0 < value < 3:
        raise cursor.fail('hold-time must be zero or at least 3 seconds')
    if value > HOLD_TIME_MAX:
        raise cursor.fail(f'hold-time must be smaller or equal to {HOLD_TIME_MAX}')
    return value


def _rate_limit(cursor: Cursor) -> int:
    word = cursor.expect("rate-limit (a number of updates per second, or 'disable')").lower()
    if word in ('disable', 'disabled'):
        return 0
    if not word.isdigit() or not word.isascii() or int(word) == 0:
        raise cursor.fail(f"'{word}' is an invalid rate-limit: a number of updates per second, or 'disable'")
    return int(word)


def _local_address(cursor: Cursor) -> IPv4Address | IPv6Address | None:
    if cursor.peek().lower() == 'auto':
        cursor.next()
        return None
    if not cursor.more():
        raise cursor.fail_here("missing local-address (an IP address or 'auto')")
    return values.ip(cursor, 'local-address')


def _word(what: str) -> Parser:
    def parse(cursor: Cursor) -> str:
        return cursor.expect(what)

    return parse


def _port(cursor: Cursor) -> int:
    return values.integer(cursor, 'port', 0, 0xFFFF)


def _ttl(cursor: Cursor) -> int | None:
    word = cursor.expect('ttl').lower()
    if word in ('false', 'disable', 'disabled'):
        return None
    if not word.isdigit() or not word.isascii():
        raise cursor.fail(f"'{word}' is an invalid ttl")
    if int(word) > TTL_MAX:
        raise cursor.fail(f'ttl must be smaller than {TTL_MAX + 1}')
    return int(word)


def _local_link_local(cursor: Cursor) -> IPv6Address:
    """upstream 6.0's `local-link-local ADDRESS;`: our fe80::/10 address, sent after a global IPv6
    next hop when the link-local next hop capability is negotiated."""
    address = values.ip(cursor, 'local-link-local')
    if not isinstance(address, IPv6Address) or not address.is_link_local:
        raise cursor.fail(f"'{address}' is not an IPv6 link-local address (fe80::/10)")
    return address


def _md5_password(cursor: Cursor) -> str:
    if not cursor.more():
        raise cursor.fail_here('missing md5-password (the password, quoted or not)')
    word = cursor.glued()
    if not word:
        raise cursor.fail('the md5-password can not be empty')
    return word


def _asn(what: str) -> Parser:
    def parse(cursor: Cursor) -> int | None:
        return values.auto_asn(cursor, what)

    return parse


def _flag(bare: bool) -> Parser:
    def parse(cursor: Cursor) -> bool:
        return values.boolean(cursor, bare)

    return parse


def _auto_flag(bare: bool) -> Parser:
    def parse(cursor: Cursor) -> bool | None:
        return values.auto_boolean(cursor, bare)

    return parse


def _host(what: str) -> Parser:
    def parse(cursor: Cursor) -> str:
        return values.host_name(cursor, what)

    return parse


NEIGHBOR: dict[str, Parser] = {
    'description': _description,
    'host-name': _host('host-name'),
    'domain-name': _host('domain-name'),
    'router-id': _router_id,
    'hold-time': _hold_time,
    'rate-limit': _rate_limit,
    'local-address': _local_address,
    'source-interface': _word('source-interface'),
    'peer-address': peer_range,
    'local-as': _asn('local-as'),
    'peer-as': _asn('peer-as'),
    'passive': _flag(True),
    'listen': _port,
    'connect': _port,
    'outgoing-ttl': _ttl,
    'incoming-ttl': _ttl,
    'md5-password': _md5_password,
    'md5-base64': _auto_flag(False),
    'md5-ip': lambda cursor: values.ip(cursor, 'md5-ip'),
    'group-updates': _flag(True),
    'auto-flush': _flag(True),
    'adj-rib-out': _flag(False),
    'adj-rib-in': _flag(False),
    'manual-eor': _flag(False),
    'local-link-local': _local_link_local,
}


def neighbor_command(draft: Draft, cursor: Cursor) -> None:
    """One `keyword value;` statement of a neighbor or template."""
    keyword = cursor.words[0]
    if keyword == 'inherit':
        where = cursor.statement.location(1)
        draft.inherits.extend((name, where) for name in _inherit(cursor))
        cursor.done()
        return
    parser = NEIGHBOR.get(keyword)
    if parser is None:
        hint = suggest(keyword, [*NEIGHBOR, 'inherit', *NEIGHBOR_SECTIONS])
        raise cursor.fail_at(0, f"invalid keyword '{keyword}' in neighbor{hint}")
    value = parser(cursor)
    cursor.done()
    statement = cursor.statement
    earlier = draft.marks.get(keyword)
    if earlier is not None and keyword in draft.values:
        draft.overridden.append(
            cursor.fail_at(0, f"'{keyword}' is set again, overriding its value of line {earlier.line}")
        )
    draft.set(keyword, value, statement.location(1 if len(statement.words) > 1 else 0))


def check_md5(password: str, base64_encoded: bool | None) -> str:
    """'' when the password is usable, else why not."""
    key = password.encode()
    if base64_encoded:
        try:
            key = base64.b64decode(password, validate=True)
        except (binascii.Error, ValueError):
            return 'invalid MD5 password: not valid base64'
        if not key:
            return 'invalid MD5 password: decodes to an empty key'
    if len(key) > MD5_MAX:
        return f'the MD5 password must be no larger than {MD5_MAX} characters'
    return ''


# ---------------------------------------------------------------- capability { }


def _add_path(cursor: Cursor) -> int:
    word = cursor.expect('add-path (send, receive, send/receive or disable)').lower()
    choices = {'disable': 0, 'disabled': 0, 'receive': 1, 'send': 2, 'send/receive': 3}
    if word in choices:
        return choices[word]
    if word == 'receive/send':
        raise cursor.fail("'receive/send' is written send/receive")
    raise cursor.fail(f"'{word}' is an invalid add-path, options are: send, receive, send/receive, disable")


def _graceful_restart(cursor: Cursor) -> int | bool:
    """Bare: 0, which means the hold-time. `disable`: False. Else the restart time."""
    word = cursor.next().lower()
    if not word:
        return 0
    if word in ('disable', 'disabled'):
        return False
    if not word.isdigit() or not word.isascii():
        raise cursor.fail(f"'{word}' is an invalid graceful-restart time")
    if int(word) > GRACEFUL_MAX:
        raise cursor.fail(f'graceful-restart must be smaller or equal to {GRACEFUL_MAX}')
    return int(word)


# each keyword of `capability { }` (5.0's name of the capability, but for aigp): its parser, and the
# value 5.0 takes when it is not written (None: decided from the rest of the neighbor)
CAPABILITY: dict[str, tuple[Parser, Any]] = {
    'nexthop': (_flag(True), None),
    'add-path': (_add_path, 0),
    'asn4': (_flag(True), True),
    'graceful-restart': (_graceful_restart, False),
    'multi-session': (_flag(True), False),
    'operational': (_flag(True), False),
    'route-refresh': (_flag(True), False),
    'aigp': (_flag(True), None),
    'extended-message': (_flag(True), True),
    'software-version': (_flag(False), None),
    # upstream 6.0's (draft-ietf-idr-linklocal-capability): 5.0 refuses them
    'link-local-nexthop': (_flag(True), False),
    'link-local-prefer': (_flag(True), False),
}


def capability_command(draft: Draft, cursor: Cursor) -> None:
    keyword = cursor.words[0]
    entry = CAPABILITY.get(keyword)
    if entry is None:
        hint = suggest(keyword, CAPABILITY)
        raise cursor.fail_at(0, f"invalid keyword '{keyword}' in capability{hint}")
    value = entry[0](cursor)
    cursor.done()
    draft.section('capability')[keyword] = value
    draft.marks[f'capability {keyword}'] = cursor.statement.location(0)


# ---------------------------------------------------------------- tcp-ao { } (upstream 6.0, RFC 5925)


def _algorithm(cursor: Cursor) -> str:
    word = cursor.expect('tcp-ao algorithm').lower()
    if word not in TCP_AO_ALGORITHMS:
        raise cursor.fail(f"'{word}' is an invalid tcp-ao algorithm, options are: {', '.join(TCP_AO_ALGORITHMS)}")
    return word


def _ao_password(cursor: Cursor) -> str:
    if not cursor.more():
        raise cursor.fail_here('missing password (the key, quoted or not)')
    word = cursor.glued()
    if not word:
        raise cursor.fail('the tcp-ao password can not be empty')
    return word


TCP_AO: dict[str, Parser] = {
    'keyid': lambda cursor: values.integer(cursor, 'tcp-ao keyid', 0, 255),
    'algorithm': _algorithm,
    'password': _ao_password,
    'base64': _flag(True),
}


def tcp_ao_command(draft: Draft, cursor: Cursor) -> None:
    keyword = cursor.words[0]
    parser = TCP_AO.get(keyword)
    if parser is None:
        raise cursor.fail_at(0, f"invalid keyword '{keyword}' in tcp-ao{suggest(keyword, TCP_AO)}")
    value = parser(cursor)
    cursor.done()
    draft.section('tcp-ao')[keyword] = value
    draft.marks[f'tcp-ao {keyword}'] = cursor.statement.location(0)


def tcp_ao_key(password: str, base64_encoded: bool) -> bytes | str:
    """The key's octets, or why the password is not usable (a str)."""
    key = password.encode()
    if base64_encoded:
        try:
            key = base64.b64decode(password, validate=True)
        except (binascii.Error, ValueError):
            return 'invalid tcp-ao password: not valid base64'
    if not key:
        return 'invalid tcp-ao password: the key is empty'
    if len(key) > TCP_AO_KEY_MAX:
        return f'the tcp-ao key must be no larger than {TCP_AO_KEY_MAX} octets'
    return key


# ---------------------------------------------------------------- family { } and add-path { }


class FamilySection:
    """One `family { }` or `add-path { }` section: no pair twice, nothing after `all`."""

    __slots__ = ('all', 'key', 'seen')

    def __init__(self, key: str) -> None:
        self.key = key
        self.seen: set[Family] = set()
        self.all = False

    def command(self, draft: Draft, cursor: Cursor) -> None:
        afi = cursor.words[0].lower()
        section = draft.section(self.key)
        if afi == 'all':
            cursor.done()
            if self.all or self.seen:
                raise cursor.fail_at(0, "'all' can not be used with any other family")
            self.all = True
            # 5.0 records 'all' without a family: with no pair listed, every family is used
            section.setdefault('all', []).append(None)
            return
        if afi not in CONVERT:
            raise cursor.fail_at(0, f"invalid keyword '{afi}' in {self.key}")
        if self.all:
            raise cursor.fail_at(0, 'can not add any family once family all is set')
        safi = cursor.expect(f'{afi} subsequent address family').lower()
        family = CONVERT[afi].get(safi)
        if family is None:
            raise cursor.fail(f'invalid afi/safi pair {afi}/{safi}')
        if self.key == 'add-path' and cursor.peek().lower() == 'limit':
            # upstream 6.0's PATHS-LIMIT: at most this many paths per prefix wanted from the peer
            cursor.next()
            limits: dict[Family, int] = draft.values.setdefault('paths-limit', {})
            limits[family] = values.integer(cursor, 'paths-limit', 1, 0xFFFF)
        cursor.done()
        if family in self.seen:
            raise cursor.fail_at(1, f'duplicate afi/safi pair {afi}/{safi}')
        self.seen.add(family)
        section.setdefault(afi, []).append(family)


def nexthop_command(draft: Draft, cursor: Cursor) -> None:
    """`AFI SAFI NEXTHOP-AFI;`: RFC 8950 next hops of another address family."""
    afi = cursor.words[0].lower()
    if afi not in NEXTHOP_AFIS:
        raise cursor.fail_at(0, f"invalid keyword '{afi}' in nexthop")
    safi = cursor.expect(f'{afi} subsequent address family').lower()
    family = NEXTHOP_FAMILIES[afi].get(safi)
    if family is None:
        raise cursor.fail(f'invalid afi/safi pair {afi}/{safi}')
    nhafi = cursor.expect('next-hop address family').lower()
    if nhafi != NEXTHOP_AFIS[afi]:
        raise cursor.fail(f'invalid nexthop afi {nhafi}')
    cursor.done()
    draft.section('nexthop').setdefault(afi, []).append((family, AFI.IPV4 if nhafi == 'ipv4' else AFI.IPV6))


# ---------------------------------------------------------------- api { }


def _processes(cursor: Cursor, what: str, regex: bool) -> list[str]:
    word = cursor.expect(f'{what} list')
    if not cursor.is_punctuation(word, '['):
        raise cursor.fail(f'invalid {what}, it must be a list: [ name ... ]')
    names: list[str] = []
    while True:
        word = cursor.next()
        if word == '':
            raise cursor.fail_here(f"invalid {what}, missing ']'")
        if cursor.is_punctuation(word, ']'):
            return names
        if cursor.is_punctuation(word, ','):
            continue
        if regex:
            try:
                re.compile(word)
            except re.error as exc:
                raise cursor.fail(f"'{word}' is not a valid regular expression ({exc.msg})") from None
        names.append(word)


API: dict[str, Parser] = {
    'processes': lambda cursor: _processes(cursor, 'processes', False),
    'processes-match': lambda cursor: _processes(cursor, 'processes-match', True),
    'neighbor-changes': _flag(True),
    'negotiated': _flag(True),
    'fsm': _flag(True),
    'signal': _flag(True),
}

DIRECTION: dict[str, Parser] = {name: _flag(True) for name in MESSAGES}


def api_command(api: dict[str, Any], marks: dict[str, Location], cursor: Cursor) -> None:
    keyword = cursor.words[0]
    parser = API.get(keyword)
    if parser is None:
        raise cursor.fail_at(0, f"invalid keyword '{keyword}' in api")
    value = parser(cursor)
    cursor.done()
    api[keyword] = value
    marks[keyword] = cursor.statement.location(0)


def direction_command(direction: dict[str, Any], section: str, cursor: Cursor) -> None:
    keyword = cursor.words[0]
    parser = DIRECTION.get(keyword)
    if parser is None:
        raise cursor.fail_at(0, f"invalid keyword '{keyword}' in api {section}")
    value = parser(cursor)
    cursor.done()
    direction[keyword] = value
