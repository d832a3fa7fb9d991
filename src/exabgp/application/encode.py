"""`exabgp encode [-f "AFI SAFI"] [-a ASN] [-z ASN] [-i] [-n] [--no-header] [-c CONF] ROUTE`: the
reverse of `exabgp decode` (upstream 6.0's command; 5.0.15 has none): a route written as in a
`static { }` section becomes the UPDATE, in hexadecimal, a session would send for it.

The route is placed in a built-in configuration, as decode's: neighbor 127.0.0.1 with local
address 127.0.0.1, router id 10.0.0.2, local and peer AS 65533 (`-a`, `-z`), the family of `-f`
(ipv4 unicast when not given), and ADD-PATH for it with `-i`. With `-c` the routes of every
neighbor of that configuration are encoded instead. The session is the one `validate -r` checks
routes against: our OPEN's capabilities met by the same ones (4-octet ASNs, extended message).

Output: one line per route, upper case hexadecimal, in the order the routes are written: the whole
UPDATE (several when it does not fit one message), `--no-header` without its 19-octet header, or
`-n` only the NLRI as it travels (with its path identifier under ADD-PATH). `next-hop self` is the
neighbor's local address. A configuration error is one line on stderr and exit code 1.

`exabgp decode` reads these lines back: `exabgp decode -f "ipv4 unicast" $(exabgp encode "route
10.0.0.0/24 next-hop 192.0.2.1")`.
"""

import argparse
import sys

from exabgp.bgp.message.header import HEADER_SIZE
from exabgp.bgp.message.update_pack import messages
from exabgp.configuration import selfcheck
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.model import Config
from exabgp.configuration.parser import load, load_text
from exabgp.settings import Settings

DEFAULT_ASN = 65533


class EncodeError(Exception):
    """What the user is told, on one line, when there is nothing to encode."""


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        'route', nargs='?', help='the route, as in a static section ("route 10.0.0.0/24 next-hop 1.2.3.4")'
    )
    parser.add_argument('-f', '--family', default='ipv4 unicast', help='the address family ("ipv4 unicast")')
    parser.add_argument('-a', '--local-as', type=int, default=DEFAULT_ASN, dest='local_as', help='our AS')
    parser.add_argument('-z', '--peer-as', type=int, default=DEFAULT_ASN, dest='peer_as', help="the peer's AS")
    parser.add_argument('-i', '--path-information', action='store_true', help='negotiate ADD-PATH for the family')
    parser.add_argument('-n', '--nlri-only', action='store_true', dest='nlri_only', help='print only the NLRI')
    parser.add_argument('--no-header', action='store_true', dest='no_header', help='leave out the 19-octet header')
    parser.add_argument('-c', '--configuration', help='encode the routes of this configuration file')


def template(route: str, family: str, local_as: int, peer_as: int, addpath: bool) -> str:
    """The built-in configuration holding `route`."""
    words = family.split()
    if not words or len(words) % 2:
        raise EncodeError(f'families provided are invalid: {family!r} (expected pairs like "ipv4 unicast")')
    families = ' '.join(f'{words[index]} {words[index + 1]};' for index in range(0, len(words), 2))
    capability = 'capability { add-path send/receive; }' if addpath else ''
    statement = route.strip().rstrip(';')
    return (
        f'neighbor 127.0.0.1 {{ router-id 10.0.0.2; local-address 127.0.0.1; local-as {local_as}; '
        f'peer-as {peer_as}; family {{ {families} }} {capability} static {{ {statement}; }} }}'
    )


def lines(config: Config, version: str, nlri_only: bool = False, no_header: bool = False) -> list[str]:
    """The hexadecimal lines for every route of every neighbor, one route at a time."""
    found = []
    for neighbor in config.neighbors:
        negotiated = selfcheck.session(neighbor, version)
        for route in neighbor.routes:
            route = selfcheck.resolved(route, neighbor)
            if nlri_only:
                found.append(route.nlri.pack(negotiated.send_path(route.nlri.family)).hex().upper())
                continue
            for message in messages([route], [], negotiated):
                found.append((message[HEADER_SIZE:] if no_header else message).hex().upper())
    return found


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.route and not args.configuration:
        sys.stderr.write('exabgp encode: give a route ("route 10.0.0.0/24 next-hop 192.0.2.1") or -c CONFIGURATION\n')
        return 1
    try:
        if args.configuration:
            config = load(args.configuration)
        else:
            text = template(args.route, args.family, args.local_as, args.peer_as, args.path_information)
            config = load_text(text, source='<route>')
    except ConfigError as error:
        sys.stderr.write(f'exabgp encode: {error.message}\n')
        return 1
    except (EncodeError, OSError) as error:
        sys.stderr.write(f'exabgp encode: {error}\n')
        return 1
    found = lines(config, settings.version, args.nlri_only, args.no_header)
    if not found:
        sys.stderr.write('exabgp encode: no route to encode\n')
        return 1
    sys.stdout.write(''.join(f'{line}\n' for line in found))
    return 0
