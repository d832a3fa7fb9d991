"""The healthcheck's options: 5.0's long names, short forms, defaults and meaning, and --config files.

Invariants: every option is declared with a suppressed default, so the namespace argparse returns
holds only the options given. `resolve` puts the --config file's options first and the command line's
after them, as 5.0 does by parsing both in one go: a value given on the command line wins, repeated
options (--ip, --neighbor, --execute...) add up, and the defaults (`DEFAULTS`) fill what is left.
"""

import argparse
import ipaddress
import re
from pathlib import Path
from typing import Any, NoReturn

IFNAME = re.compile(r'[a-zA-Z0-9._:-]{1,15}')  # the kernel's interface name, at most 15 characters
EXCLUSIVE = ('silent', 'syslog_facility', 'no_syslog')

DEFAULTS: dict[str, object] = {
    'silent': False,
    'syslog_facility': 'daemon',
    'no_syslog': False,
    'debug': False,
    'no_ack': False,
    'sudo': False,
    'name': None,
    'config': None,
    'pid': None,
    'user': None,
    'group': None,
    'interval': 5,
    'fast': 1,
    'timeout': 5,
    'rise': 3,
    'fall': 3,
    'disable': None,
    'check': None,
    'next_hop': None,
    'ips': None,
    'ip_ifnames': None,
    'local_preference': -1,
    'deaggregate_networks': False,
    'ip_setup': True,
    'ip_dynamic': False,
    'label': None,
    'label_exact_match': False,
    'start_ip': 0,
    'up_metric': 100,
    'down_metric': 1000,
    'disabled_metric': 500,
    'increase': 1,
    'community': None,
    'extended_community': None,
    'large_community': None,
    'disabled_community': None,
    'as_path': None,
    'up_as_path': None,
    'down_as_path': None,
    'disabled_as_path': None,
    'withdraw_on_down': False,
    'path_id': None,
    'neighbors': None,
    'debounce': False,
    'execute': None,
    'up_execute': None,
    'down_execute': None,
    'disabled_execute': None,
}
REPEATED = frozenset({'ips', 'ip_ifnames', 'neighbors', 'execute', 'up_execute', 'down_execute', 'disabled_execute'})


class OptionError(Exception):
    """An option or a configuration line that can not be used; the message names it."""


def neighbor(text: str) -> str:
    """A neighbor's address, or '*' for all of them."""
    if text.strip() == '*':
        return '*'
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f'{text!r} is neither an IP address nor *') from None


def address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'{text!r} is not an IP address') from None


def network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f'{text!r} is not a network ({exc})') from None


def attribute(text: str) -> str:
    """Text put as-is in an API command: one line, so no control character but the tab."""
    for character in text:
        if character != '\t' and (character == '\x7f' or not character.isprintable()):
            raise argparse.ArgumentTypeError(f'{text!r} contains the control character {character!r}')
    return text


def configuration(path: str) -> str:
    """The name of a readable configuration file (read once the command line is known)."""
    try:
        Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise argparse.ArgumentTypeError(f'can not read {path!r}: {exc}') from None
    return path


def setargs(parser: argparse.ArgumentParser) -> None:
    """Declare 5.0's options on `parser` (the subcommand's, or the one reading a --config file)."""
    hide = argparse.SUPPRESS
    logging = parser.add_mutually_exclusive_group()
    logging.add_argument('--silent', '-s', action='store_true', default=hide, help='no logging on the console')
    logging.add_argument(
        '--syslog-facility',
        '-sF',
        metavar='FACILITY',
        nargs='?',
        const='daemon',
        default=hide,
        help='log to syslog with FACILITY (daemon when not given)',
    )
    logging.add_argument('--no-syslog', action='store_true', default=hide, help='no logging to syslog')
    parser.add_argument('--debug', '-d', action='store_true', default=hide, help='log debug messages (not to syslog)')
    parser.add_argument(
        '--no-ack', '-a', action='store_true', default=hide, help='do not wait for the daemon to answer each command'
    )
    parser.add_argument('--sudo', action='store_true', default=hide, help='run the ip commands with sudo')
    parser.add_argument('--name', '-n', metavar='NAME', default=hide, help='the name of this healthcheck (in syslog)')
    parser.add_argument(
        '--config', '-F', metavar='FILE', type=configuration, default=hide, help='read more options from FILE'
    )
    parser.add_argument('--pid', '-p', metavar='FILE', default=hide, help='write the process id to FILE')
    parser.add_argument('--user', metavar='USER', default=hide, help='run as USER once the addresses are set up')
    parser.add_argument('--group', metavar='GROUP', default=hide, help='run as GROUP once the addresses are set up')

    checking = parser.add_argument_group('checking healthiness')
    checking.add_argument(
        '--interval',
        '-i',
        metavar='N',
        type=float,
        default=hide,
        help='seconds between two checks (0: stop after the first announcement)',
    )
    checking.add_argument(
        '--fast-interval',
        '-f',
        metavar='N',
        type=float,
        dest='fast',
        default=hide,
        help='seconds between two checks while the state is about to change',
    )
    checking.add_argument('--timeout', '-t', metavar='N', type=int, default=hide, help='seconds the check may take')
    checking.add_argument(
        '--rise', metavar='N', type=int, default=hide, help='successes in a row for the service to be up'
    )
    checking.add_argument(
        '--fall', metavar='N', type=int, default=hide, help='failures in a row for the service to be down'
    )
    checking.add_argument('--disable', metavar='FILE', default=hide, help='the service is disabled while FILE exists')
    checking.add_argument(
        '--command',
        '--cmd',
        '-c',
        metavar='CMD',
        dest='check',  # `command` is the subcommand's name in exabgp's namespace
        default=hide,
        help='the shell command checking the service',
    )

    advertising = parser.add_argument_group('advertising options')
    add = advertising.add_argument
    add('--next-hop', '-N', metavar='IP', type=address, default=hide, help='the next-hop (self when not given)')
    add(
        '--ip',
        metavar='IP',
        type=network,
        dest='ips',
        action='append',
        default=hide,
        help='an address or network to advertise',
    )
    add(
        '--ip-ifname',
        metavar='IP%IFNAME',
        dest='ip_ifnames',
        action='append',
        default=hide,
        help='set up this --ip on the interface IFNAME instead of the loopback (192.0.2.1%%eth0)',
    )
    add('--local-preference', metavar='P', type=int, default=hide, help='advertise with the local preference P')
    add(
        '--deaggregate-networks',
        action='store_true',
        dest='deaggregate_networks',
        default=hide,
        help='advertise each address of the --ip networks',
    )
    add('--no-ip-setup', action='store_false', dest='ip_setup', default=hide, help='do not add the missing addresses')
    add(
        '--dynamic-ip-setup',
        action='store_true',
        dest='ip_dynamic',
        default=hide,
        help='remove the addresses when down or disabled, add them again when up',
    )
    add('--label', default=hide, help='the label of the addresses set up (matched as a prefix)')
    add('--label-exact-match', action='store_true', default=hide, help='match the label exactly')
    add('--start-ip', metavar='N', type=int, default=hide, help='the index of the address advertised first')
    add('--up-metric', metavar='M', type=int, default=hide, help='the MED of the first address when up')
    add('--down-metric', metavar='M', type=int, default=hide, help='the MED of the first address when down')
    add('--disabled-metric', metavar='M', type=int, default=hide, help='the MED of the first address when disabled')
    add('--increase', metavar='M', type=int, default=hide, help='added to the MED for each further address')
    add('--community', metavar='COMMUNITY', type=attribute, default=hide, help='advertise with these communities')
    add(
        '--extended-community',
        metavar='EXTENDEDCOMMUNITY',
        type=attribute,
        default=hide,
        help='advertise with these extended communities',
    )
    add(
        '--large-community',
        metavar='LARGECOMMUNITY',
        type=attribute,
        default=hide,
        help='advertise with these large communities',
    )
    add(
        '--disabled-community',
        metavar='DISABLEDCOMMUNITY',
        type=attribute,
        default=hide,
        help='the communities when down or disabled',
    )
    add('--as-path', metavar='ASPATH', type=attribute, default=hide, help='advertise with this AS path')
    add('--up-as-path', metavar='ASPATH', type=attribute, default=hide, help='the AS path when up')
    add('--down-as-path', metavar='ASPATH', type=attribute, default=hide, help='the AS path when down')
    add('--disabled-as-path', metavar='ASPATH', type=attribute, default=hide, help='the AS path when disabled')
    add(
        '--withdraw-on-down',
        action='store_true',
        default=hide,
        help='withdraw the routes when down or disabled (instead of a higher MED)',
    )
    add('--path-id', metavar='PATHID', type=int, default=hide, help='advertise with this path ID (ADD-PATH)')
    add(
        '--neighbor',
        metavar='NEIGHBOR',
        type=neighbor,
        dest='neighbors',
        action='append',
        default=hide,
        help='advertise to this neighbor only (* for all, the default)',
    )
    add(
        '--debounce',
        action='store_true',
        default=hide,
        help='advertise only when the state changes, not after each check',
    )

    reporting = parser.add_argument_group('reporting')
    add = reporting.add_argument
    add(
        '--execute',
        metavar='CMD',
        action='append',
        default=hide,
        help='run CMD at each state change ($STATE is the state)',
    )
    add('--up-execute', metavar='CMD', action='append', default=hide, help='run CMD when the service goes up')
    add('--down-execute', metavar='CMD', action='append', default=hide, help='run CMD when the service goes down')
    add('--disabled-execute', metavar='CMD', action='append', default=hide, help='run CMD when the service is disabled')


class _Reader(argparse.ArgumentParser):
    """A parser for the lines of a --config file: its errors are raised, not printed."""

    def error(self, message: str) -> NoReturn:
        raise OptionError(message)


def _tokens(line: str) -> list[str]:
    # `name = value` is `--name value`; a bare `name` is the flag `--name`
    return [part.strip() for part in f'--{line}'.split('=', 1)]


def read_configuration(path: str, text: str) -> dict[str, object]:
    """The options given by a configuration file's text (comments and blank lines skipped)."""
    reader = _Reader(prog='exabgp healthcheck', add_help=False)
    setargs(reader)
    given = argparse.Namespace()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        try:
            reader.parse_args(_tokens(line), namespace=given)
        except OptionError as exc:
            raise OptionError(f'{path} line {number} ({line!r}): {exc}') from None
    return vars(given)


def ip_ifnames(pairs: list[str] | None, ips: list) -> dict:
    """--ip-ifname IP%IFNAME values as {network: interface name}; each IP must be one of the --ip."""
    bound = {}
    for pair in pairs or []:
        parts = pair.split('%')
        if len(parts) != 2:
            raise OptionError(f'--ip-ifname {pair!r}: expected IP%IFNAME')
        try:
            ip = ipaddress.ip_network(parts[0])
        except ValueError as exc:
            raise OptionError(f'--ip-ifname {pair!r}: {exc}') from None
        if ip not in (ips or []):
            raise OptionError(f'--ip-ifname {pair!r}: {ip} is not one of the --ip given')
        if not IFNAME.fullmatch(parts[1]):
            raise OptionError(f'--ip-ifname {pair!r}: {parts[1]!r} is not an interface name')
        bound[ip] = parts[1]
    return bound


def resolve(given: dict[str, Any]) -> argparse.Namespace:
    """All the options: the --config file's, then `given` (the command line's) over them, then the
    defaults; --ip-ifname checked against --ip."""
    # option name -> value, of the type argparse gives that option
    options: dict[str, Any] = {}
    path = given.get('config')
    if isinstance(path, str):
        try:
            text = Path(path).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise OptionError(f'--config: can not read {path!r}: {exc}') from None
        options.update(read_configuration(path, text))
    for name, value in given.items():
        if name not in DEFAULTS:
            continue
        if name in REPEATED and name in options:
            options[name] = [*options[name], *value]
        else:
            options[name] = value
    chosen = [name for name in EXCLUSIVE if name in options]
    if len(chosen) > 1:
        spelled = ' and '.join('--' + name.replace('_', '-') for name in chosen)
        raise OptionError(f'{spelled} can not be used together')
    for name, default in DEFAULTS.items():
        options.setdefault(name, default)
    options['ip_ifnames'] = ip_ifnames(options['ip_ifnames'], options['ips'])
    return argparse.Namespace(**options)
