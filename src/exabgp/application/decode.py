"""`exabgp decode [-n] [-u] [-o] [-f "AFI SAFI ..."] [-i] [-c CONF] [-d] [-p] HEX`: decode a BGP
message (or NLRI) given in hexadecimal and print the JSON ExaBGP 5.0 prints for it.

What 5.0 does, and so do we: the message is decoded as received from the neighbor of a built-in
configuration (local and peer address 127.0.0.1, router id 10.0.0.2, local and peer AS 65533,
4-octet ASNs), negotiating the families given with `-f` (every family when none is) and ADD-PATH
for all of them with `-i`. HEX may hold colons and spaces. With the 16-octet marker it is a whole
message (header included); without, an UPDATE body. `-n` decodes NLRI of the first family only,
one JSON object a line. The JSON line is the API's, direction "in", counter 1, with this process'
time, host name and pids; `exabgp.api.compact` applies as it does for API processes.

Upstream 6.0's decode (`exabgp.api.version` 4 or 6): the envelope's router id is the peer's
address (127.0.0.1), RFC 8950 extended next hops are negotiated for every family that has them,
so an IPv4 VPN route with an IPv6 next hop decodes (5.0: `invalid payload`), and labels are written
as 6.0 writes them ([label, stack entry]).

With `-c CONF` the message is decoded once for every neighbor of that configuration, in file order,
as received on a session where both sides offer what the neighbor offers (5.0's check: its families,
ADD-PATH, ASN4, extended message), and the JSON names that neighbor; the first neighbor it does not
decode for stops the command (exit code 1). `-f` and `-i` are then ignored, as in 5.0.

Where we differ from 5.0, on purpose:
- anything that is not a decodable message is one line on stderr and exit code 1 (5.0 prints its
  help, a traceback, or `invalid payload` on stdout): odd or non-hex digits, a header length that
  is not the length given, a message that does not decode (with the NOTIFICATION it would cause),
  an MP attribute of a family we have no codec for yet ("family ... is not supported yet"), or of
  a family that was not negotiated (5.0 resets the session over it, we disable the family);
- KEEPALIVE, ROUTE-REFRESH and OPERATIONAL messages are printed (5.0: `unknown type`);
- `-o` makes a body without header an OPEN (5.0 ignores `-o` and `-u`);
- routes an RFC 7606 treat-as-withdraw applies to are shown withdrawn, as a session reports them
  to the API (5.0's decode shows them announced, with the same "error" member).
"""

import argparse
import dataclasses
import os
import socket
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from exabgp import lazy
from exabgp.api import json_messages
from exabgp.api.envelope import Peer, Stamp
from exabgp.application import logs
from exabgp.bgp.attribute.base import Action
from exabgp.bgp.errors import Malformed, PeerError
from exabgp.bgp.family import AFI, Family
from exabgp.bgp.message.header import HEADER_SIZE, MARKER, MessageType, check
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.message.unknown import UnknownMessage
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import EXTENDED_SIZE, Negotiated
from exabgp.bgp.nlri import table
from exabgp.logger import get
from exabgp.settings import Settings

# only `-c CONF` reads a configuration: a plain decode does not load the configuration parser
if TYPE_CHECKING:
    from exabgp.application import validate
    from exabgp.configuration import errors, parser, selfcheck
    from exabgp.configuration.model import Neighbor
else:
    validate = lazy.module('exabgp.application.validate')
    errors = lazy.module('exabgp.configuration.errors')
    parser = lazy.module('exabgp.configuration.parser')
    selfcheck = lazy.module('exabgp.configuration.selfcheck')

log = get('parser')

# the neighbor of 5.0's built-in configuration; upstream 6.0 shows the peer's address as router id
PEER = Peer('127.0.0.1', '127.0.0.1', 65533, 65533, '10.0.0.2')
PEER_SIX = dataclasses.replace(PEER, router_id='127.0.0.1')
ASN = 65533

# every family 5.0 knows, in its order (by AFI, then SAFI), then the 6.0 ones we decode (SR policy)
ALL_FAMILIES = table.DECODED

_NAMES: dict[int, str] = {
    MessageType.OPEN: 'OPEN',
    MessageType.UPDATE: 'UPDATE',
    MessageType.NOTIFICATION: 'NOTIFICATION',
    MessageType.KEEPALIVE: 'KEEPALIVE',
    MessageType.ROUTE_REFRESH: 'ROUTE-REFRESH',
    MessageType.OPERATIONAL: 'OPERATIONAL',
}


class DecodeError(Exception):
    """What the user is told, on one line, when the payload can not be printed."""


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('-n', '--nlri', help='the data is only the NLRI', action='store_true')
    parser.add_argument('-u', '--update', help='the data is an update message', action='store_true')
    parser.add_argument('-o', '--open', help='the data is an open message', action='store_true')
    parser.add_argument('-d', '--debug', help='log every decoding step', action='store_true')
    parser.add_argument('-p', '--pdb', help='start the python debugger on fault', action='store_true')
    parser.add_argument('-c', '--configuration', help='configuration file describing the session', type=str)
    parser.add_argument('-f', '--family', help='family expected (as "ipv4 unicast")', type=str)
    parser.add_argument('-i', '--path-information', help='decode path-information', action='store_true')
    parser.add_argument('payload', help='the BGP payload in hexadecimal', type=str)


def octets(payload: str) -> bytes:
    """The payload's octets: hexadecimal digits, colons and white space allowed."""
    digits = ''.join(payload.replace(':', '').split())
    if not digits:
        raise DecodeError('the payload is empty')
    if len(digits) % 2:
        raise DecodeError(f'the payload has an odd number of hexadecimal digits ({len(digits)})')
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise DecodeError(f'the payload is not hexadecimal: {payload!r}') from None


def families(text: str | None) -> tuple[Family, ...]:
    """The families `-f` names ("ipv4 unicast ipv6 unicast", ...), in 5.0's order; all when None."""
    if text is None:
        return ALL_FAMILIES
    words = text.split()
    if not words or len(words) % 2:
        raise DecodeError(f'families provided are invalid: {text!r} (expected pairs like "ipv4 unicast")')
    found = set()
    for index in range(0, len(words), 2):
        pair = f'{words[index]} {words[index + 1]}'
        try:
            found.add(Family.parse(pair))
        except KeyError:
            raise DecodeError(f'unknown family {pair!r}') from None
    return tuple(sorted(found))


def negotiated(chosen: tuple[Family, ...], addpath: bool, six: bool = False) -> Negotiated:
    """What 5.0's decode negotiates with itself for its built-in neighbor (6.0's: extended next
    hops too)."""
    paths = frozenset(chosen) if addpath else frozenset()
    nexthop: tuple[tuple[Family, AFI], ...] = ()
    if six:
        rows = ((family, table.TABLE.get(family)) for family in chosen)
        nexthop = tuple((family, row.extended_nexthop) for family, row in rows if row and row.extended_nexthop)
    return Negotiated(
        nexthop=nexthop,
        local_as=ASN,
        peer_as=ASN,
        asn4=True,
        families=chosen,
        addpath_send=paths,
        addpath_receive=paths,
        msg_size=EXTENDED_SIZE,
    )


def _split(data: bytes, is_open: bool) -> tuple[int, bytes]:
    """The message type and body: from the header when there is one."""
    if not data.startswith(MARKER):
        return (MessageType.OPEN if is_open else MessageType.UPDATE), data
    if len(data) < HEADER_SIZE:
        raise DecodeError(f'a {len(data)} octet message is shorter than the {HEADER_SIZE} octet header')
    try:
        length, kind = check(data[:HEADER_SIZE], EXTENDED_SIZE)
    except PeerError as error:
        raise DecodeError(
            f'invalid message header: {error.reason} (NOTIFICATION {error.code}/{error.subcode})'
        ) from None
    if length != len(data):
        raise DecodeError(f'the header gives a length of {length} octets, the payload has {len(data)}')
    return kind, data[HEADER_SIZE:]


def _checked(update: Update) -> Update:
    """An UPDATE we can show whole, or the reason we can not."""
    for attribute in update.unparsed:
        raise DecodeError(f'family {attribute.family} is not supported yet')
    if update.action == Action.DISABLE_FAMILY:
        raise DecodeError(f'{update.reason} (RFC 7606: AFI/SAFI disable)')
    if update.action != Action.NONE:
        log.debug('RFC 7606 %s: %s', update.action.name.lower().replace('_', '-'), update.reason)
    return update


def message_line(
    data: bytes,
    session: Negotiated,
    stamp: Stamp,
    is_open: bool = False,
    compact: bool = False,
    peer: Peer = PEER,
    six: bool = False,
) -> str:
    """The JSON line 5.0 prints for a whole message (or an UPDATE / OPEN body without header)."""
    kind, body = _split(data, is_open)
    name = _NAMES.get(kind, f'type {kind}')
    log.debug('decoding a %d octet %s body', len(body), name)
    try:
        message = unpack_message(kind, body, session)
    except PeerError as error:
        raise DecodeError(
            f'could not decode the {name}: {error.reason} (NOTIFICATION {error.code}/{error.subcode})'
        ) from None
    if isinstance(message, UnknownMessage):
        raise DecodeError(f'unknown message type {kind}')
    if isinstance(message, Update):
        message = _checked(message)
    line = json_messages.encode(stamp, peer, 'in', message, compact=compact, six=six)
    if line is None:
        raise DecodeError(f'ExaBGP 5.0 writes no JSON for this {name} ({message})')
    return line


def nlri_lines(data: bytes, session: Negotiated) -> list[str]:
    """`-n`: the NLRI of the first negotiated family, one JSON object each."""
    family = session.families[0]
    codec = table.codec(family)
    if codec is None:
        raise DecodeError(f'family {family} is not supported yet')
    try:
        found = codec.unpack_all(family, data, session.send_path(family))
    except Malformed as error:
        raise DecodeError(f'could not decode the {family} NLRI: {error.reason}') from None
    return [nlri.json() for nlri in found]


def _stamp() -> Stamp:
    return Stamp(time.time(), socket.gethostname(), os.getpid(), os.getppid(), 1)


def envelope(neighbor: 'Neighbor', session: Negotiated) -> Peer:
    """How the JSON names a configured neighbor (an `auto` local address as 5.0 prints it)."""
    return Peer(
        str(neighbor.local_address),
        neighbor.peer(),
        session.local_as,
        session.peer_as,
        str(neighbor.router_id),
    )


def configured_lines(args: argparse.Namespace, settings: Settings) -> Iterator[str]:
    """`-c CONF`: the lines for each neighbor of the configuration, neighbor by neighbor."""
    data = octets(args.payload)
    try:
        config = parser.load(args.configuration, validate.context(settings))
    except errors.ConfigError as error:
        raise DecodeError(f'{args.configuration} is not a valid configuration:\n{error.report()}') from None
    for neighbor in config.neighbors:
        session = selfcheck.session(neighbor, settings.version)
        log.debug('neighbor %s: families %s', neighbor.peer(), ', '.join(map(str, session.families)))
        try:
            if args.nlri:
                yield from nlri_lines(data, session)
            else:
                peer = envelope(neighbor, session)
                yield message_line(data, session, _stamp(), args.open, settings.api.compact, peer, settings.six)
        except DecodeError as error:
            raise DecodeError(f'neighbor {neighbor.peer()}: {error}') from None


def _lines(args: argparse.Namespace, settings: Settings) -> Iterable[str]:
    if args.configuration:
        return configured_lines(args, settings)
    data = octets(args.payload)
    session = negotiated(families(args.family), args.path_information, settings.six)
    log.debug(
        'families %s, ADD-PATH %s', ', '.join(map(str, session.families)), 'on' if args.path_information else 'off'
    )
    if args.nlri:
        return nlri_lines(data, session)
    six = settings.six
    return [message_line(data, session, _stamp(), args.open, settings.api.compact, PEER_SIX if six else PEER, six)]


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.debug:
        logs.configure(settings.replace({'log.all': True, 'log.level': 'DEBUG'}))
    try:
        for line in _lines(args, settings):
            sys.stdout.write(f'{line}\n')
    except DecodeError as error:
        sys.stderr.write(f'exabgp decode: {error}\n')
        return 1
    except Exception as error:  # a bug: said in one line, unless the debugger was asked for
        if args.pdb:
            import pdb  # only on demand: it costs a start-up what decoding costs

            pdb.post_mortem()
        sys.stderr.write(f'exabgp decode: internal error, please report it with the payload: {error!r}\n')
        return 1
    return 0
