"""Upstream main's API v6 commands (`exabgp.api.version=6`): target first, answered in JSON.

    daemon shutdown|reload|restart|status
    session ack enable|disable|silence      session sync enable|disable
    session reset|ping [UUID START]|bye
    system help|version|api version
    rib show in|out [IP] [extensive] [inet|flow|l2vpn]
    rib flush out [[peer] IP]               rib clear in|out [[peer] IP]
    peer list                               peer show [IP] [summary|extensive|configuration]
    peer SELECTOR show [summary|extensive|configuration]
    peer SELECTOR teardown [SUBCODE]
    peer SELECTOR announce|withdraw ...     (what follows is 5.0's: route, ipv4, flow, eor, ...)
    # TEXT

    SELECTOR: *  |  IP [KEY VALUE]...  |  [ IP [KEY VALUE]... , IP ... ]
    (KEY: local-ip, local-as, peer-as, router-id, family-allowed)

Invariants:
- A translation layer: a v6 line becomes the 5.0 line meaning the same (`peer 192.0.2.1 announce
  route ...` is `neighbor 192.0.2.1 announce route ...`) and 5.0's parser reads it, so a route or
  a flow means what it means in 5.0. Only the words before the route are rewritten: the rest of
  the line is passed on as written. The 5.0 parser is never slowed: the daemon picks this one
  only in v6 mode.
- `peer *` is no selector: the command reaches the peers of the process, as upstream's `*` does
  (the peers bound to the process); `teardown`, which 5.0 gives no default, gets `neighbor *`.
- Every command that shows something shows it in JSON (upstream answers in JSON in v6); the
  `done`/`error` acknowledgements stay the words they are (upstream keeps them in v6 too).
- The v6 commands with no 5.0 equivalent we build (`daemon status`, `session ping|bye|sync`,
  `system api version`, `peer list`) are values of their own here; those we do not build
  (`peer create|delete`, `system crash|queue-status`, `session sync enable`) are errors saying so.
"""

from dataclasses import dataclass

from exabgp.api import command
from exabgp.api.command import CommandError
from exabgp.configuration.route.grammar import Builder

FILTERS = ('local-ip', 'local-as', 'peer-as', 'router-id', 'family-allowed')


@dataclass(frozen=True, slots=True)
class Status:
    """`daemon status`: version, pid, uptime and the state of every peer."""


@dataclass(frozen=True, slots=True)
class Ping:
    """`session ping [UUID START]`: answered with the daemon's own UUID."""

    client: str


@dataclass(frozen=True, slots=True)
class Bye:
    """`session bye [UUID]`: a client says it leaves; nothing to undo here."""


@dataclass(frozen=True, slots=True)
class ApiVersion:
    """`system api version`: which API this daemon speaks."""


@dataclass(frozen=True, slots=True)
class PeerList:
    """`peer list`: every configured neighbor, its address, AS and state."""


V6Command = Status | Ping | Bye | ApiVersion | PeerList

SIMPLE = {
    ('daemon', 'shutdown'): 'shutdown',
    ('daemon', 'reload'): 'reload',
    ('daemon', 'restart'): 'restart',
    ('session', 'reset'): 'reset',
    ('system', 'help'): 'help',
    ('system', 'version'): 'version',
}

ACK = {'enable': 'enable-ack', 'disable': 'disable-ack', 'silence': 'silence-ack'}

UNBUILT = {
    ('peer', 'create'): 'dynamic neighbors (peer create) are not built',
    ('peer', 'delete'): 'dynamic neighbors (peer delete) are not built',
    ('system', 'crash'): "'system crash' is not built",
    ('system', 'queue-status'): "'system queue-status' is not built",
}


# `system help` in v6: the commands this module reads
HELP = [
    'daemon shutdown',
    'daemon reload',
    'daemon restart',
    'daemon status',
    'session ack enable',
    'session ack disable',
    'session ack silence',
    'session sync disable',
    'session reset',
    'session ping',
    'session bye',
    'system help',
    'system version',
    'system api version',
    'rib show in',
    'rib show out',
    'rib flush out',
    'rib clear in',
    'rib clear out',
    'peer list',
    'peer show',
    'peer <selector> show',
    'peer <selector> teardown',
    'peer <selector> announce route|ipv4|ipv6|flow|vpls|attributes|eor|route-refresh|operational|watchdog',
    'peer <selector> withdraw route|ipv4|ipv6|flow|vpls|attributes|watchdog',
]


class _Line:
    """The words of a line read one at a time; what is left stays the text as written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def peek(self) -> str:
        rest = self.text[self.at :].lstrip()
        return rest.split(None, 1)[0] if rest else ''

    def next(self) -> str:
        rest = self.text[self.at :]
        stripped = rest.lstrip()
        if not stripped:
            return ''
        word = stripped.split(None, 1)[0]
        self.at += len(rest) - len(stripped) + len(word)
        return word

    def rest(self) -> str:
        return self.text[self.at :].strip()

    def bracket(self) -> str:
        """What is between `[` (next) and its `]`, which are consumed."""
        start = self.text.index('[', self.at)
        end = self.text.find(']', start)
        if end < 0:
            raise CommandError("the peer selection misses its ']'")
        self.at = end + 1
        return self.text[start + 1 : end]


def parse(line: str, builder: Builder) -> command.Command | V6Command:
    """The command a v6 line holds; `CommandError` says why when it holds none."""
    found = translate(line)
    if isinstance(found, str):
        return command.parse(found, builder)
    return found


def translate(line: str) -> str | V6Command:
    """The 5.0 line a v6 line means, or the v6-only command it is."""
    text = line.strip()
    if not text or text.startswith('#'):
        return text
    words = _Line(text)
    target = words.next()
    if target == 'peer' and words.peek() not in ('list', 'show', 'create', 'delete'):
        return _peer(words)
    action = words.next()
    key = (target, action)
    if key in SIMPLE:
        return _joined(SIMPLE[key], words.rest())
    if key in UNBUILT:
        raise CommandError(UNBUILT[key])
    if target == 'daemon' and action == 'status':
        return _alone(Status(), words, 'daemon status')
    if target == 'session':
        return _session(action, words)
    if target == 'system' and action == 'api':
        if words.next() != 'version':
            raise CommandError("the command is 'system api version'")
        if words.rest():
            raise CommandError('the API version is chosen by exabgp.api.version, not by a command')
        return ApiVersion()
    if target == 'rib':
        return _rib(action, words)
    if target == 'peer' and action == 'list':
        return _alone(PeerList(), words, 'peer list')
    if target == 'peer' and action == 'show':
        return _joined('show neighbor json', words.rest())
    if target in ('daemon', 'session', 'system', 'rib', 'peer'):
        raise CommandError(f"unknown command '{target} {action}'")
    raise CommandError(f"unknown command '{target}' (API version 6: daemon, session, system, rib or peer first)")


def _joined(head: str, rest: str) -> str:
    return f'{head} {rest}' if rest else head


def _alone(value: V6Command, words: _Line, name: str) -> V6Command:
    if words.rest():
        raise CommandError(f"unexpected '{words.peek()}' after '{name}'")
    return value


def _session(action: str, words: _Line) -> str | V6Command:
    if action == 'ack':
        mode = words.next()
        if mode not in ACK:
            raise CommandError("the command is 'session ack enable|disable|silence'")
        return _joined(ACK[mode], words.rest())
    if action == 'sync':
        mode = words.next()
        if mode == 'disable' and not words.rest():
            # what we always do: `done` once the routes are in the RIB
            return '# session sync disable'
        if mode == 'enable':
            raise CommandError("'session sync enable' is not built: done means in the RIB, not on the wire")
        raise CommandError("the command is 'session sync enable|disable'")
    if action == 'ping':
        return Ping(words.next())
    if action == 'bye':
        return Bye()
    raise CommandError(f"unknown command 'session {action}'")


def _rib(action: str, words: _Line) -> str:
    direction = words.next()
    if action == 'show':
        if direction not in ('in', 'out'):
            raise CommandError("the command is 'rib show in|out'")
        # json before the rest: 5.0 shows the extensive form only when it is the last word
        return _joined(f'show adj-rib {direction} json', words.rest())
    if action not in ('flush', 'clear'):
        raise CommandError(f"unknown command 'rib {action}'")
    if direction not in (('out',) if action == 'flush' else ('in', 'out')):
        raise CommandError("the command is 'rib flush out' or 'rib clear in|out'")
    if words.peek() == 'peer':
        words.next()
    address = words.next()
    if words.rest():
        raise CommandError(f"unexpected '{words.peek()}' after 'rib {action} {direction}'")
    selector = f'neighbor {address} ' if address else ''
    return f'{selector}{action} adj-rib {direction}'


def _peer(words: _Line) -> str:
    """`peer SELECTOR ACTION ...`: 5.0's `neighbor ...` prefix, then the action as written."""
    first = words.peek()
    if not first:
        raise CommandError("the command is 'peer SELECTOR announce|withdraw|teardown|show ...'")
    if first == '*':
        words.next()
        selectors: list[list[str]] = []
    elif first.startswith('['):
        selectors = [_selector(part.split()) for part in words.bracket().split(',')]
    else:
        address = words.next()
        items = [address]
        while words.peek() in FILTERS:
            key = words.next()
            value = words.next()
            if not value:
                raise CommandError(f"a value is missing after '{key}'")
            items += [key, value]
        selectors = [_selector(items)]
    action = words.next()
    rest = words.rest()
    if action == 'show':
        if len(selectors) > 1:
            raise CommandError("'peer [ ... ] show' shows one peer or every peer (peer * show)")
        limit = selectors[0][0] if selectors else ''
        return ' '.join(part for part in ('show neighbor json', limit, rest) if part)
    if action == 'teardown':
        prefix = _prefix(selectors) or 'neighbor *'
        # upstream's default: Cease, Administrative Shutdown (RFC 4486)
        return f'{prefix} teardown {rest or "2"}'
    if action in ('announce', 'withdraw'):
        prefix = _prefix(selectors)
        return f'{prefix} {action} {rest}'.strip()
    if not action:
        raise CommandError('the command is missing after the peer selection')
    raise CommandError(f"unknown command 'peer ... {action}' (show, teardown, announce or withdraw)")


def _selector(items: list[str]) -> list[str]:
    if not items:
        raise CommandError('an empty peer selection')
    if len(items) % 2 != 1 or any(key not in FILTERS for key in items[1::2]):
        raise CommandError(f'a peer selection is an address then KEY VALUE pairs ({", ".join(FILTERS)})')
    if not ('.' in items[0] or ':' in items[0]):
        raise CommandError(f"'{items[0]}' is not a peer address")
    return items


def _prefix(selectors: list[list[str]]) -> str:
    return ' , '.join('neighbor ' + ' '.join(items) for items in selectors)
