"""Settings: ExaBGP 5.0's `exabgp.env` options, read once and frozen.

Invariants:
- Every option of ExaBGP 5.0 exists here with the same section, name, default and parsing.
- A value comes from, in order: the environment variable `exabgp.SECTION.OPTION`, then
  `exabgp_SECTION_OPTION`, then the ini file's `[exabgp.SECTION]` OPTION, then the default.
- `exabgp.tcp.connections` (an environment alias) always wins over `tcp.attempts`; `exabgp.tcp.once`
  from the environment sets `tcp.attempts` to 1 or 0 when neither attempts nor connections is set
  in the environment.
- The mapping of the environment is a parameter: nothing here reads `os.environ`. The caller (the
  application layer) builds one `Settings` and passes it down; there is no global copy.
- A bad value raises `SettingError` naming the option, the value and what is allowed.
"""

from __future__ import annotations

import configparser
import dataclasses
import ipaddress
import os
import pwd
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from exabgp.version import RELEASE

APPLICATION = 'exabgp'
ENVFILE_VARIABLE = 'EXABGP_ENVFILE'
ROOT_VARIABLE = 'EXABGP_ROOT'
VERSION_VARIABLE = 'exabgp_version'

LOG_LEVELS = ('FATAL', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG', 'NOTSET')
_TRUE = ('1', 'yes', 'on', 'enable', 'true')
_FALSE = ('', '0', 'no', 'off', 'disable', 'false')


class SettingError(ValueError):
    """A setting has a value its type does not allow."""

    def __init__(self, name: str, value: str, allowed: str) -> None:
        super().__init__(f'invalid value for {name}: {value!r} ({allowed})')
        self.name = name
        self.value = value
        self.allowed = allowed


def _unquote(text: str) -> str:
    return text.strip().strip('\'"')


@dataclass(frozen=True, slots=True)
class Kind:
    """How one type of setting is read from text and written back, as 5.0 shows it."""

    allowed: str
    read: Callable[[str], Any]
    write: Callable[[Any], str]
    # `exabgp env -e` quotes the raw value itself for these, rather than using `write`
    quoted: bool = False


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError


def _integer(text: str) -> int:
    return int(text.strip())


def _real(text: str) -> float:
    return float(text.strip())


def _user(text: str) -> str:
    name = _unquote(text)
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise ValueError from None
    return name


def _umask(text: str) -> int:
    value = int(_unquote(text), 8)
    if not 0 <= value <= 0o777:
        raise ValueError
    return value


def _level(text: str) -> str:
    level = _unquote(text).upper()
    if level not in LOG_LEVELS:
        raise ValueError
    return level


def _ip_list(text: str) -> tuple[str, ...]:
    return tuple(str(ipaddress.ip_address(part)) for part in _unquote(text).split())


def _choice(*choices: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        value = _unquote(text).lower()
        if value not in choices:
            raise ValueError
        return value

    return read


def _quote(value: Any) -> str:
    return f"'{value}'"


BOOLEAN = Kind('one of 1 yes on enable true, or 0 no off disable false', _boolean, lambda v: str(v).lower())
INTEGER = Kind('an integer', _integer, str)
REAL = Kind('a number', _real, str)
STRING = Kind('any text', _unquote, _quote, quoted=True)
USER = Kind('a user name known to this system', _user, _quote, quoted=True)
UMASK = Kind('an octal mask such as 0137', _umask, lambda v: f"'{oct(v)}'")
LEVEL = Kind(f'one of {" ".join(LOG_LEVELS)}', _level, str)
IP_LIST = Kind('space separated IP addresses', _ip_list, lambda v: _quote(' '.join(v)))
ENCODER = Kind('text or json', _choice('text', 'json'), str)
ROUTES_FORMAT = Kind('v1 or v2', _choice('v1', 'v2'), str)
LOG_FORMAT = Kind('text or json', _choice('text', 'json'), str)
API_VERSION = Kind('4, 5 or 6', lambda text: int(_choice('4', '5', '6')(text)), str)


@dataclass(frozen=True, slots=True)
class Option:
    kind: Kind
    default: str
    help: str


# The order of sections and options is the order `exabgp env -e` prints them in, as 5.0 does.
SPEC: dict[str, dict[str, Option]] = {
    'profile': {
        'enable': Option(BOOLEAN, 'false', 'profile the daemon'),
        'file': Option(STRING, '', 'where the profile is written, nothing meaning stdout; never overwritten'),
    },
    'pdb': {
        'enable': Option(BOOLEAN, 'false', 'start the python debugger when the daemon fails'),
    },
    'daemon': {
        'pid': Option(STRING, '', 'file to write our pid to'),
        'user': Option(USER, 'nobody', 'user to drop privileges to'),
        'daemonize': Option(BOOLEAN, 'false', 'run in the background'),
        'drop': Option(BOOLEAN, 'true', 'drop privileges before starting processes'),
        'umask': Option(UMASK, '0137', 'umask of the daemon, so of its log files'),
    },
    'log': {
        'enable': Option(BOOLEAN, 'true', 'log at all'),
        'level': Option(LEVEL, 'INFO', 'lowest syslog priority logged'),
        'destination': Option(
            STRING, 'stdout', 'where logs go: stdout, stderr, syslog, host:<address> (remote syslog), file:<path>'
        ),
        'all': Option(BOOLEAN, 'false', 'log every topic'),
        'configuration': Option(BOOLEAN, 'true', 'log configuration parsing and commands'),
        'reactor': Option(BOOLEAN, 'true', 'log signals and reloads'),
        'daemon': Option(BOOLEAN, 'true', 'log pid changes and forks'),
        'processes': Option(BOOLEAN, 'true', 'log the handling of API processes'),
        'network': Option(BOOLEAN, 'true', 'log TCP connections and session states'),
        'statistics': Option(BOOLEAN, 'true', 'log packet statistics'),
        'packets': Option(BOOLEAN, 'false', 'log the BGP messages sent and received'),
        'rib': Option(BOOLEAN, 'false', 'log changes to locally configured routes'),
        'message': Option(BOOLEAN, 'false', 'log route changes on configuration reload'),
        'timers': Option(BOOLEAN, 'false', 'log keepalive timers'),
        'routes': Option(BOOLEAN, 'false', 'log received routes'),
        'parser': Option(BOOLEAN, 'false', 'log BGP message parsing details'),
        'short': Option(BOOLEAN, 'true', 'short log lines, without time and pid'),
        # ours (printed after 5.0's lines, see OUR_OPTIONS)
        'format': Option(LOG_FORMAT, 'text', "log lines as 5.0's text, or one JSON object a line (json)"),
    },
    'tcp': {
        'once': Option(BOOLEAN, 'false', 'one connection attempt per peer (deprecated: use tcp.attempts)'),
        'attempts': Option(INTEGER, '0', 'connection attempts per peer before exiting, 0 for no limit'),
        'delay': Option(INTEGER, '0', 'announce routes only when the minute of the hour is a multiple of this'),
        'bind': Option(IP_LIST, '', 'space separated addresses to listen on, none to not listen'),
        'port': Option(INTEGER, '179', 'port to listen on and to connect to'),
        'acl': Option(BOOLEAN, '', 'unused, kept for compatibility'),
    },
    'bgp': {
        'passive': Option(BOOLEAN, 'false', 'make every peer passive'),
        'openwait': Option(INTEGER, '240', 'seconds to wait for an OPEN once TCP is established (RFC 4271 8.2.2)'),
        'sendhold': Option(
            INTEGER, '0', 'seconds a peer may leave us unable to write (RFC 9687), 0: 480 or twice the hold time'
        ),
        'staletime': Option(
            INTEGER,
            '360',
            'seconds a peer back from a graceful restart has to send End-of-RIB before its stale routes go '
            '(RFC 4724 4.2), 0 for no limit',
        ),
    },
    'cache': {
        'attributes': Option(BOOLEAN, 'true', 'cache attributes'),
        'nexthops': Option(BOOLEAN, 'true', 'cache next-hops (deprecated: always done)'),
    },
    'api': {
        'ack': Option(BOOLEAN, 'true', 'acknowledge API commands with done or error'),
        'chunk': Option(INTEGER, '1', 'lines written before yielding when showing routes'),
        'show-routes-format': Option(ROUTES_FORMAT, 'v1', 'JSON format of show adj-rib (v1 or v2)'),
        'encoder': Option(ENCODER, 'json', 'default encoder for API processes (text or json)'),
        'compact': Option(BOOLEAN, 'false', 'shorter JSON for IPv4/IPv6 unicast NLRI'),
        'respawn': Option(BOOLEAN, 'true', 'restart API processes that die'),
        'terminate': Option(BOOLEAN, 'false', 'stop the daemon when an API process dies'),
        'cli': Option(BOOLEAN, 'true', 'create the named pipes of the cli'),
        'pipename': Option(STRING, 'exabgp', 'base name of the cli named pipes'),
        # ours (printed after 5.0's lines, see OUR_OPTIONS): upstream main (6.0) names it so
        'version': Option(
            API_VERSION,
            '5',
            "5: ExaBGP 5.0's behaviour; 4 or 6: upstream 6.0's (its decode, MP_UNREACH order, texts)",
        ),
    },
    'reactor': {
        'speed': Option(REAL, '1.0', 'kept for compatibility: our reactor does not poll'),
    },
    # 5.0's internal options: read like the others, never printed by `exabgp env`
    'debug': {
        'pdb': Option(BOOLEAN, 'false', 'start the python debugger on errors'),
        'memory': Option(BOOLEAN, 'false', 'report memory use on exit'),
        'configuration': Option(BOOLEAN, 'false', 'raise on configuration errors'),
        'selfcheck': Option(BOOLEAN, 'false', 'check the configuration by re-encoding it'),
        'route': Option(STRING, '', 'decode this route using the configuration'),
        'defensive': Option(BOOLEAN, 'false', 'inject faults on purpose'),
        'rotate': Option(BOOLEAN, 'false', 'rotate configuration files on reload'),
    },
    # ours, not 5.0's: printed by `exabgp env` after all of 5.0's, so its lines stay 5.0's and in 5.0's order
    'loop': {
        'uvloop': Option(BOOLEAN, 'false', 'run the daemon on uvloop when it is installed'),
    },
    'process': {
        'queue': Option(
            INTEGER, '33554432', 'octets of events queued for an API process before events are dropped (gap line)'
        ),
        'withdraw-on-down': Option(
            BOOLEAN,
            'false',
            'tell API processes, as withdrawals, that the routes of a session ended without GR are gone',
        ),
    },
    'cli': {
        'socket': Option(STRING, '', 'unix socket the daemon accepts cli commands on (none when empty)'),
    },
    'metrics': {
        'address': Option(STRING, '127.0.0.1', 'address the /metrics, /healthz and /readyz HTTP server listens on'),
        'port': Option(INTEGER, '0', 'port of the /metrics, /healthz and /readyz HTTP server, 0 for none (off)'),
    },
    'notification': {
        'text': Option(BOOLEAN, 'false', 'NOTIFICATION data as 5.0 sends it (English text), not as the RFCs define it'),
    },
    'mrt': {
        'dump': Option(
            STRING,
            '',
            'file receiving every BGP message and FSM change as MRT BGP4MP_ET records (strftime pattern, UTC; '
            '.gz for gzip); none when empty',
        ),
        'rotate': Option(INTEGER, '0', 'seconds between two files of the mrt dump (0: one file), aligned on the epoch'),
    },
    'configuration': {
        'strict': Option(BOOLEAN, 'false', 'refuse a configuration with warnings, as validate --strict does'),
    },
}

HIDDEN_SECTIONS = ('debug',)
OUR_SECTIONS = ('loop', 'process', 'cli', 'metrics', 'notification', 'configuration', 'mrt')
# ours, in 5.0's sections: `exabgp env -e` prints them after 5.0's lines; the ini form keeps them in
# their section (a second `[exabgp.log]` would make 5.0 refuse the file)
OUR_OPTIONS = (('log', 'format'), ('bgp', 'sendhold'), ('bgp', 'staletime'), ('api', 'version'))
# the sections `exabgp env` prints: 5.0's, then ours
FIVE_SECTIONS = tuple(section for section in SPEC if section not in HIDDEN_SECTIONS + OUR_SECTIONS)


def attribute(option: str) -> str:
    return option.replace('-', '_')


class Section:
    """One section's options, frozen, as attributes named like the options (dashes as underscores).
    A class per section made with `type()`: `make_dataclass` costs ~0.4 ms a section at every start
    of every command, this ~20 us."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, **values: Any) -> None:
        if set(values) != set(self.__slots__):
            raise TypeError(f'{type(self).__name__} takes {", ".join(self.__slots__)}, not {", ".join(values)}')
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f'cannot assign to field {name!r}')

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f'cannot delete field {name!r}')

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Section) and type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        inner = ', '.join(f'{name}={getattr(self, name)!r}' for name in self.__slots__)
        return f'{type(self).__name__}({inner})'

    def replace(self, **changes: Any) -> Section:
        return type(self)(**({name: getattr(self, name) for name in self.__slots__} | changes))


def _section_class(section: str) -> type[Section]:
    slots = tuple(attribute(name) for name in SPEC[section])
    return type(f'{section.capitalize()}Settings', (Section,), {'__slots__': slots})


_SECTIONS = {section: _section_class(section) for section in SPEC}


@dataclass(frozen=True, slots=True)
class Settings:
    """All options, one frozen object per section (`settings.tcp.port`), plus where they came from."""

    profile: Any
    pdb: Any
    daemon: Any
    log: Any
    tcp: Any
    bgp: Any
    cache: Any
    api: Any
    reactor: Any
    debug: Any
    loop: Any
    process: Any
    cli: Any
    metrics: Any
    notification: Any
    configuration: Any
    mrt: Any
    version: str = RELEASE
    env_file: str = ''
    root: str = ''

    @property
    def six(self) -> bool:
        """Upstream 6.0's behaviour where it differs from 5.0's (`exabgp.api.version` 4 or 6, as
        upstream main reads that setting; 5, the default, is 5.0's)."""
        return bool(self.api.version != 5)

    def value(self, name: str) -> Any:
        section, option = name.split('.', 1)
        return getattr(getattr(self, section), attribute(option))

    def replace(self, values: Mapping[str, Any]) -> Settings:
        """A copy with `{'section.option': value}` changed (command line flags use this)."""
        changes: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            section, option = name.split('.', 1)
            if option not in SPEC.get(section, {}):
                raise KeyError(name)
            changes.setdefault(section, {})[attribute(option)] = value
        return dataclasses.replace(
            self, **{section: getattr(self, section).replace(**kw) for section, kw in changes.items()}
        )


def parse(section: str, option: str, text: str) -> Any:
    spec = SPEC[section][option]
    try:
        return spec.kind.read(text)
    except (ValueError, TypeError):
        raise SettingError(f'{APPLICATION}.{section}.{option}', text, spec.kind.allowed) from None


def default_root(argv0: str, environ: Mapping[str, str]) -> str:
    """The installation root: EXABGP_ROOT, or the folder above the `bin`/`sbin` holding the program."""
    root = environ.get(ROOT_VARIABLE, '') or os.path.dirname(argv0)
    root = os.path.normpath(os.path.abspath(root))
    if os.path.basename(root) in ('bin', 'sbin'):
        root = os.path.dirname(root)
    return root


def default_env_file(root: str, environ: Mapping[str, str]) -> str:
    return environ.get(ENVFILE_VARIABLE, '') or os.path.join(root, 'etc', APPLICATION, f'{APPLICATION}.env')


def _read_ini(path: str) -> configparser.RawConfigParser:
    ini = configparser.RawConfigParser(allow_no_value=True)
    if path and os.path.isfile(path):
        try:
            ini.read(path)
        except configparser.Error as exc:
            raise SettingError(f'env file {path}', str(exc).splitlines()[0], 'an ini file') from None
    return ini


def _raw(section: str, option: str, environ: Mapping[str, str], ini: configparser.RawConfigParser) -> str:
    dotted = f'{APPLICATION}.{section}.{option}'
    for name in (dotted, dotted.replace('.', '_')):
        if name in environ:
            return environ[name]
    ini_section = f'{APPLICATION}.{section}'
    if ini.has_option(ini_section, option):
        value = ini.get(ini_section, option)
        # an option written without '=' has no value: 5.0 then uses the default
        if value is not None:
            return _unquote(value)
    return SPEC[section][option].default


def _environ_value(name: str, environ: Mapping[str, str]) -> str:
    dotted = f'{APPLICATION}.{name}'
    return environ.get(dotted) or environ.get(dotted.replace('.', '_'), '')


def load(environ: Mapping[str, str], env_file: str, root: str = '') -> Settings:
    """Build the settings from an environment mapping and an ini file (which may not exist)."""
    ini = _read_ini(env_file)
    values = {
        section: {option: parse(section, option, _raw(section, option, environ, ini)) for option in options}
        for section, options in SPEC.items()
    }

    connections = _environ_value('tcp.connections', environ)
    once = _environ_value('tcp.once', environ)
    if connections:
        try:
            values['tcp']['attempts'] = int(connections)
        except ValueError:
            raise SettingError(f'{APPLICATION}.tcp.connections', connections, INTEGER.allowed) from None
    elif once and not _environ_value('tcp.attempts', environ):
        values['tcp']['attempts'] = 1 if values['tcp']['once'] else 0

    sections = {
        section: _SECTIONS[section](**{attribute(option): value for option, value in options.items()})
        for section, options in values.items()
    }
    return Settings(**sections, version=environ.get(VERSION_VARIABLE, RELEASE), env_file=env_file, root=root)


def _changed(settings: Settings, section: str, option: str) -> bool:
    spec = SPEC[section][option]
    current: object = getattr(getattr(settings, section), attribute(option))
    default: object = spec.kind.read(spec.default)
    return current != default


def _printed() -> Iterator[tuple[str, str, Option]]:
    for section in FIVE_SECTIONS:
        for option, spec in SPEC[section].items():
            if (section, option) not in OUR_OPTIONS:
                yield section, option, spec
    for section, option in OUR_OPTIONS:
        yield section, option, SPEC[section][option]
    for section in OUR_SECTIONS:
        for option, spec in SPEC[section].items():
            yield section, option, spec


def ini_lines(settings: Settings, diff: bool = False) -> Iterator[str]:
    """`exabgp env`: ini form, sections and options sorted, each section headed by a blank line;
    5.0's sections first (the lines 5.0 prints), ours after them."""
    for section in (*sorted(FIVE_SECTIONS), *sorted(OUR_SECTIONS)):
        header = f'\n[{APPLICATION}.{section}]'
        # our options of a 5.0 section last in it: 5.0's lines keep their order
        for option in sorted(SPEC[section], key=lambda name: ((section, name) in OUR_OPTIONS, name)):
            if diff and not _changed(settings, section, option):
                continue
            if header:
                yield header
                header = ''
            value = getattr(getattr(settings, section), attribute(option))
            yield f'{option} = {SPEC[section][option].kind.write(value)}'


def env_lines(settings: Settings, diff: bool = False) -> Iterator[str]:
    """`exabgp env -e`: one `exabgp.section.option=value` per line, in definition order (5.0's, then ours)."""
    for section, option, spec in _printed():
        if diff and not _changed(settings, section, option):
            continue
        value = getattr(getattr(settings, section), attribute(option))
        written = f"'{value}'" if spec.kind.quoted else spec.kind.write(value)
        yield f'{APPLICATION}.{section}.{option}={written}'


def help_lines() -> Iterator[str]:
    """One line per option with its default, shown under the command line's help."""
    for section, option, spec in _printed():
        default = f"'{spec.default}'" if spec.kind.quoted or spec.kind is LEVEL else spec.default
        name = f'{APPLICATION}.{section}.{option}'
        yield f'{name:<34} {spec.help}. default ({default})'
