"""Functional cases in ExaBGP's two formats, read into one model.

5.0 format: `NAME.ci` holds the configuration file names (whitespace separated), `NAME.msg` the
options and steps. main format: one `NAME.ci` holding everything, the files as `option:file:X`.

A line is either an option or a step:

    option:asn:65000                    the peer's ASN in its OPEN
    option:tcp_connections:3            sessions the daemon makes before it exits
    option:bind:ipv6                    the peer listens on ::1
    option:open:send-unknown-capability add capability 66 to the peer's OPEN
    option:open:send-unknown-message    send a message of type 255 after the OPEN
    option:open:inspect-open-message    the daemon's OPEN is checked like any other message
    option:update:send-default-route    send 0.0.0.0/0 after the OPEN
    option:timeout:N                    the case's time limit in seconds
    option:file:NAME                    a configuration file (main)
    option:env:NAME=VALUE               a setting for the daemon (`exabgp_notification_text=true`)

    [C]N:raw:MARKER:LENGTH:TYPE:BODY    a message the daemon must send (hex, colons anywhere)
    [C]N:notification:TEXT              the peer sends a NOTIFICATION (cease) with TEXT as data
    [C]N:signal:NAME                    the peer sends signal NAME to the daemon
    [C]N:cmd:COMMAND                    the API command behind the next raw line (documentation)
    [C]N:json:JSON                      what an API process receives for it (documentation)

N is the group number and C an optional connection letter (A when absent). Groups are ordered by
letter then number; messages inside one group may arrive in any order. Lines starting with '#' and
blank lines are ignored.

Invariants: a parsed Case is immutable; raw expectations are whole messages whose length field
matches their size; every problem is reported as CaseError naming the file and line.
"""

import os
import re
from dataclasses import dataclass, field

RAW = 'raw'
NOTIFICATION = 'notification'
SIGNAL = 'signal'
CMD = 'cmd'
JSON = 'json'
ACTIONS = (NOTIFICATION, SIGNAL)
DOCUMENTATION = (CMD, JSON)
KINDS = (RAW, *ACTIONS, *DOCUMENTATION)

_STEP = re.compile(r'^(?P<letter>[A-Za-z]?)(?P<number>\d+):(?P<kind>[a-z-]+):(?P<payload>.*)$')
_HEX = re.compile(r'^[0-9A-F]*$')

FLAGS = {
    ('bind', 'ipv6'): 'ipv6',
    ('open', 'send-unknown-capability'): 'send_unknown_capability',
    ('open', 'send-unknown-message'): 'send_unknown_message',
    ('open', 'inspect-open-message'): 'inspect_open',
    ('update', 'send-default-route'): 'send_default_route',
}


class CaseError(Exception):
    """A case file that cannot be read: the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Step:
    connection: str
    group: int
    kind: str
    payload: str
    line: int

    @property
    def wire(self) -> bytes:
        """The expected message of a raw step."""
        return bytes.fromhex(self.payload)


@dataclass(frozen=True, slots=True)
class Group:
    connection: str
    number: int
    steps: tuple[Step, ...]

    @property
    def label(self) -> str:
        return f'{self.connection}{self.number}'


@dataclass(frozen=True, slots=True)
class Options:
    asn: int | None = None
    tcp_connections: int = 1
    ipv6: bool = False
    send_unknown_capability: bool = False
    send_unknown_message: bool = False
    inspect_open: bool = False
    send_default_route: bool = False
    timeout: float | None = None
    env: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    path: str
    style: str  # '5.0' or 'main'
    configs: tuple[str, ...]
    options: Options
    groups: tuple[Group, ...]
    comments: tuple[str, ...] = field(default=())

    @property
    def commands(self) -> tuple[Step, ...]:
        """The cmd lines, in group order then file order: what an API script sends."""
        return tuple(step for group in self.groups for step in group.steps if step.kind == CMD)

    @property
    def expects_messages(self) -> bool:
        return any(step.kind in (RAW, *ACTIONS) for group in self.groups for step in group.steps)


def _normalise_raw(payload: str, where: str) -> str:
    text = re.sub(r'[\s:]', '', payload).upper()
    if not text or not _HEX.match(text) or len(text) % 2:
        raise CaseError(f'{where}: raw payload is not an even number of hex digits: {payload!r}')
    size = len(text) // 2
    if size < 19:
        raise CaseError(f'{where}: raw message of {size} octets is shorter than a BGP header')
    declared = int(text[32:36], 16)
    if declared != size:
        raise CaseError(f'{where}: raw message declares length {declared} but holds {size} octets')
    return text


def _option(options: dict, files: list[str], text: str, where: str) -> None:
    parts = text.split(':', 2)
    if len(parts) != 3 or not parts[2]:
        raise CaseError(f'{where}: malformed option {text!r}')
    _, name, value = parts
    value = value.strip()
    if (name, value) in FLAGS:
        options[FLAGS[(name, value)]] = True
        return
    try:
        if name == 'asn':
            options['asn'] = int(value)
            return
        if name == 'tcp_connections':
            options['tcp_connections'] = int(value)
            return
        if name == 'timeout':
            options['timeout'] = float(value)
            return
    except ValueError:
        raise CaseError(f'{where}: option {name} needs a number, not {value!r}') from None
    if name == 'file':
        files.append(value)
        return
    if name == 'env':
        key, equal, setting = value.partition('=')
        if not equal or not key.lower().startswith(('exabgp_', 'exabgp.')):
            raise CaseError(f'{where}: option env needs exabgp_SECTION_OPTION=VALUE, not {value!r}')
        options['env'] = (*options.get('env', ()), (key.strip(), setting.strip()))
        return
    raise CaseError(f'{where}: unknown option {text!r}')


def parse_lines(lines: list[str], source: str) -> tuple[dict, list[str], list[Step], list[str]]:
    """Options, configuration names, steps and comments of the lines of a case file."""
    options: dict = {}
    files: list[str] = []
    steps: list[Step] = []
    comments: list[str] = []
    for number, raw_line in enumerate(lines, 1):
        line = raw_line.strip()
        where = f'{source}:{number}'
        if not line:
            continue
        if line.startswith('#'):
            comments.append(line[1:].strip())
            continue
        if line.startswith('option:'):
            _option(options, files, line, where)
            continue
        match = _STEP.match(line)
        if not match:
            raise CaseError(f'{where}: neither an option nor a step: {line!r}')
        kind = match['kind']
        if kind not in KINDS:
            raise CaseError(f'{where}: unknown step kind {kind!r}')
        payload = match['payload']
        if kind == RAW:
            payload = _normalise_raw(payload, where)
        elif kind == SIGNAL:
            payload = payload.strip().upper()
            if not payload.startswith('SIG'):
                payload = f'SIG{payload}'
        letter = (match['letter'] or 'A').upper()
        steps.append(Step(letter, int(match['number']), kind, payload, number))
    return options, files, steps, comments


def group_steps(steps: list[Step]) -> tuple[Group, ...]:
    """Steps grouped by (connection letter, number), in that order; file order inside a group."""
    grouped: dict[tuple[str, int], list[Step]] = {}
    for step in steps:
        grouped.setdefault((step.connection, step.group), []).append(step)
    return tuple(Group(letter, number, tuple(grouped[(letter, number)])) for letter, number in sorted(grouped))


def _read(path: str) -> list[str]:
    try:
        with open(path, encoding='utf-8') as handle:
            return handle.read().splitlines()
    except OSError as exc:
        raise CaseError(f'{path}: cannot read: {exc.strerror}') from None


def load(path: str, etc: str) -> Case:
    """The case in `path` (a .ci file); configuration names are resolved against `etc`."""
    name = os.path.splitext(os.path.basename(path))[0]
    lines = _read(path)
    message_file = os.path.splitext(path)[0] + '.msg'
    if os.path.exists(message_file):
        style = '5.0'
        files: list[str] = []
        ci_options: list[str] = []
        for token in ' '.join(lines).split():
            (ci_options if token.startswith('option:') else files).append(token)
        options, extra_files, steps, comments = parse_lines(ci_options + _read(message_file), message_file)
        files.extend(extra_files)
    else:
        style = 'main'
        options, files, steps, comments = parse_lines(lines, path)
    if not files:
        raise CaseError(f'{path}: the case names no configuration file')
    configs = tuple(os.path.join(etc, name) for name in files)
    return Case(name, path, style, configs, Options(**options), group_steps(steps), tuple(comments))
