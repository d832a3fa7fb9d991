"""The service addresses on the machine: which are there, adding the missing ones, removing ours.

Addresses live on the loopback (`lo`, `lo0` outside Linux) unless --ip-ifname binds one to another
interface. On Linux they are read from `ip -o address show dev IF` (ifconfig does not show them
all), elsewhere from `ifconfig IF`; loopback addresses (127.0.0.0/8, ::1) are never service
addresses. With a label, only the addresses whose label is `IF:LABEL...` (or exactly `IF:LABEL`)
count. The parsing and the commands are pure functions; `present`, `add` and `remove` run them.
"""

import ipaddress
import logging
import re
import subprocess
import sys
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

logger = logging.getLogger('healthcheck')

# `ip -o` prints one address a line: `1: lo    inet 10.0.0.1/32 scope global lo:web\  valid_lft ...`
IP_LINE = re.compile(r'\d+:\s+\S+\s+inet6?\s+(?P<ip>[0-9a-fA-F.:]+)/(?P<mask>\d+)\s')
# ifconfig: `inet 10.0.0.1 netmask 0xffffffff` (BSD) or `inet6 ::2 prefixlen 128`
IFCONFIG_LINE = re.compile(
    r'inet6?\s+(?:alias\s+)?(?P<ip>[0-9a-fA-F.:]+)(?:%\S+)?\s+(?:netmask 0x(?P<netmask>[0-9a-fA-F]+)|prefixlen (?P<mask>\d+))'
)
LINUX = sys.platform.startswith('linux')
LOOPBACK = 'lo' if LINUX else 'lo0'


def _order(ip: Network) -> tuple[int, Network]:
    return ip.version, ip


def interface(ip: Network, bound: dict) -> str:
    return bound.get(ip) or LOOPBACK


def _label(line: str, interfaces: Iterable[str]) -> str | None:
    for name in interfaces:
        found = re.search(rf'\s{re.escape(name)}:([^\\\s]+)', line)
        if found:
            return found.group(1)
    return None


def parse(
    output: str,
    interfaces: Iterable[str],
    label: str | None,
    label_only: bool,
    exact: bool,
    linux: bool = LINUX,
) -> list[Network]:
    """The service addresses listed in `output` (of `ip -o address show` when `linux`, else of
    `ifconfig`): with a label, only the labelled ones; without one, all of them unless `label_only`."""
    interfaces = tuple(interfaces)
    found: list[Network] = []
    for line in output.splitlines():
        line = line.strip()
        matched = (IP_LINE if linux else IFCONFIG_LINE).match(line)
        if not matched:
            continue
        if matched.group('mask'):
            mask = int(matched.group('mask'))
        else:
            mask = bin(int(matched.group('netmask'), 16)).count('1')
        try:
            ip = ipaddress.ip_network(f'{matched.group("ip")}/{mask}')
        except ValueError:
            continue  # an address with host bits under its mask is not a service address
        if ip.is_loopback:
            continue
        if label:
            # ifconfig shows no labels: a labelled search finds nothing there
            given = _label(line, interfaces) if linux else None
            if given is not None and (given == label if exact else given.startswith(label)):
                found.append(ip)
        elif not label_only or label is None:
            found.append(ip)
    return found


def every_address(networks: Iterable[Network]) -> set[Network]:
    """Each address of the networks, as a host network (/32 or /128)."""
    return {ipaddress.ip_network(ip) for net in networks for ip in net}


def command(verb: str, ip: Network, ifname: str, label: str | None, sudo: bool) -> list[str]:
    """`ip address add|delete IP dev IF [label IF:LABEL]`, under sudo when asked."""
    words = ['ip', 'address', verb, str(ip), 'dev', ifname]
    if label:
        words += ['label', f'{ifname}:{label}']
    return ['sudo', *words] if sudo else words


def present(bound: dict, label: str | None, label_only: bool, exact: bool) -> list[Network]:
    """The service addresses on the loopback and the --ip-ifname interfaces."""
    interfaces = sorted({LOOPBACK, *bound.values()})
    output = []
    for name in interfaces:
        shown = ['ip', '-o', 'address', 'show', 'dev', name] if LINUX else ['ifconfig', name]
        result = subprocess.run(shown, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        output.append(result.stdout.decode('ascii', 'ignore'))
    found = parse('\n'.join(output), interfaces, label, label_only, exact)
    logger.debug('System addresses (%s) detected: %s', ', '.join(interfaces), [str(ip) for ip in found])
    return found


def add(ips: Iterable[Network], bound: dict, label: str | None, exact: bool, sudo: bool) -> None:
    """Add the addresses missing; an address `ip` says is already there (exit code 2) is fine."""
    for ip in sorted(every_address(ips) - set(present(bound, label, False, exact)), key=_order):
        words = command('add', ip, interface(ip, bound), label, sudo)
        logger.debug('Setup %s IP address %s', interface(ip, bound), ip)
        code = subprocess.run(words, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode
        if code == 2 and not sudo:
            continue
        if code:
            raise subprocess.CalledProcessError(code, words)


def remove(ips: Iterable[Network], bound: dict, label: str | None, exact: bool, sudo: bool) -> None:
    """Remove the addresses that are there and ours (labelled, when there is a label)."""
    for ip in sorted(every_address(ips) & set(present(bound, label, True, exact)), key=_order):
        words = command('delete', ip, interface(ip, bound), label, sudo)
        logger.debug('Remove %s IP address %s', interface(ip, bound), ip)
        code = subprocess.run(words, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode
        if code:
            logger.warning(
                'Unable to remove %s IP address %s - is healthcheck running as root?', interface(ip, bound), ip
            )
