"""The 5.0 differential test: random but valid configurations and API command streams, run by our
daemon and by the ExaBGP 5.0.15 release, compared.

A seed makes one scenario (`scenario`): one neighbor (internal or external, a random choice of
the families both can announce, ADD-PATH on unicast or not, group-updates on or off) with static
routes of several families and attribute forms, and an API process that, once the session is up,
writes a random stream of commands (announce and withdraw of routes, attributes, flow, vpls and
mup, the same route again, a route replaced by other attributes, the withdrawal of a route never
announced, End-of-RIB, `flush adj-rib out`, `clear adj-rib out`), one at a time, each after the answer of the one before and
a pause (`PACE`), so which UPDATE carries what does not depend on how a read was split.

A run (`run`) starts a recording test peer (qakit.peer in record mode: it mirrors the OPEN and keeps
every message the daemon sends), the daemon on the scenario's configuration, and waits for the
process to have written its last command and the daemon to be quiet. What is compared:
- the wire: the UPDATEs the peer received, in order, each cut into its parts (withdrawn routes,
  path attributes other than MP_REACH/MP_UNREACH, the MP family and next hop, and each NLRI as
  octets): `wire` lists them, an UPDATE per line;
- the JSON the API process received: every line, the volatile members (time, host, pid, ppid,
  counter, the version) removed, keys sorted.

A run's result is a plain dict (`{"wire": [...], "api": [...]}`): recorded from the 5.0.15 release
into qa/differential/SEED.json, it is what CI compares our daemon with, without the release.

Invariants: the same seed always makes the same scenario (random.Random(seed), nothing else);
only loopback is used, the peer on a free port; only processes this module started are signalled.
"""

import asyncio
import contextlib
import difflib
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field

from qakit.case import Case, Options, group_steps
from qakit.peer import Peer

PACE = 0.25  # seconds between an answer and the next command
QUIET = 1.0  # seconds without a new message after the last command before the run ends
TIMEOUT = 30.0  # seconds a whole run may take

LOCAL_AS = 65001

# ---------------------------------------------------------------- generation


@dataclass
class Scenario:
    seed: int
    families: list[str]
    local_as: int
    peer_as: int
    addpath: bool
    group_updates: bool
    static: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def config(self, script: str, commands: str, record: str) -> str:
        families = ''.join(f'        {family};\n' for family in self.families)
        capability = '        add-path send/receive;\n' if self.addpath else ''
        static = ''.join(f'        route {route};\n' for route in self.static)
        flows = ''.join(f'        route flow{n} {{ {flow} }}\n' for n, flow in enumerate(self.flows))
        return (
            f'process differ {{\n    run {sys.executable} {script} {commands} {record};\n    encoder json;\n}}\n\n'
            'neighbor 127.0.0.1 {\n'
            '    router-id 10.0.0.1;\n'
            '    local-address 127.0.0.1;\n'
            f'    local-as {self.local_as};\n'
            f'    peer-as {self.peer_as};\n'
            f'    group-updates {"true" if self.group_updates else "false"};\n'
            f'    family {{\n{families}    }}\n'
            f'    capability {{\n{capability}    }}\n'
            '    api {\n        processes [ differ ];\n        neighbor-changes;\n'
            '        send { parsed; update; }\n    }\n'
            f'    static {{\n{static}    }}\n' + (f'    flow {{\n{flows}    }}\n' if flows else '') + '}\n'
        )


class Generator:
    """The random choices of one scenario."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.seed = seed
        self.addpath = False

    def pick(self, *choices):
        return self.random.choice(choices)

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability

    # attributes, in the configuration's (and the API's) route syntax
    def attributes(self, ibgp: bool) -> str:
        parts = []
        if self.chance(0.5):
            parts.append(f'origin {self.pick("igp", "egp", "incomplete")}')
        if self.chance(0.5):
            parts.append(f'med {self.random.randint(0, 4000)}')
        if ibgp and self.chance(0.5):
            parts.append(f'local-preference {self.random.randint(0, 500)}')
        if self.chance(0.5):
            path = ' '.join(str(self.random.randint(1, 4_200_000_000)) for _ in range(self.random.randint(1, 4)))
            parts.append(f'as-path [ {path} ]')
        if self.chance(0.5):
            values = ' '.join(
                self.pick(
                    'no-export', 'no-advertise', f'{self.random.randint(1, 65535)}:{self.random.randint(0, 65535)}'
                )
                for _ in range(self.random.randint(1, 3))
            )
            parts.append(f'community [ {values} ]')
        if self.chance(0.3):
            values = ' '.join(
                f'{self.random.randint(1, 4_000_000_000)}:{self.random.randint(0, 99)}:{self.random.randint(0, 99)}'
                for _ in range(self.random.randint(1, 2))
            )
            parts.append(f'large-community [ {values} ]')
        if self.chance(0.3):
            parts.append(f'extended-community [ target:{self.random.randint(1, 65535)}:{self.random.randint(1, 999)} ]')
        if self.chance(0.2):
            parts.append('atomic-aggregate')
        if self.chance(0.2):
            parts.append(f'aggregator ( {self.random.randint(1, 65535)}:192.0.2.{self.random.randint(1, 254)} )')
        if ibgp and self.chance(0.2):
            parts.append(f'originator-id 10.9.9.{self.random.randint(1, 254)}')
        if ibgp and self.chance(0.2):
            parts.append(f'cluster-list [ 10.8.8.{self.random.randint(1, 254)} ]')
        self.random.shuffle(parts)
        return ' '.join(parts)

    def ipv4(self) -> str:
        length = self.pick(16, 20, 24, 28, 32)
        value = (10 << 24) | (self.random.randint(0, 7) << 16) | (self.random.randint(0, 3) << 8)
        value &= (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
        return f'{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}/{length}'

    def ipv6(self) -> str:
        third, length = self.random.randint(0, 7), self.pick(48, 56, 64)
        if length == 48:
            return f'2001:db8:{third:x}::/48'
        fourth = self.random.randint(0, 3) << (8 if length == 56 else 0)
        return f'2001:db8:{third:x}:{fourth:x}::/{length}'

    def route(self, family: str, ibgp: bool) -> str | None:
        """A `route` statement's tail for the family, None for the families written otherwise."""
        afi, safi = family.split()
        prefix = self.ipv4() if afi == 'ipv4' else self.ipv6()
        hop = f'192.0.2.{self.random.randint(1, 9)}' if afi == 'ipv4' else f'2001:db8::{self.random.randint(1, 9)}'
        if self.chance(0.15) and afi == 'ipv4':
            hop = 'self'
        tail = ''
        if safi == 'nlri-mpls':
            tail = f' label {self.random.randint(16, 1000)}'
        elif safi == 'mpls-vpn':
            tail = f' rd 65000:{self.random.randint(1, 3)} label {self.random.randint(16, 1000)}'
        elif safi != 'unicast':
            return None
        if safi == 'unicast' and self.addpath and self.chance(0.5):
            tail += f' path-information 0.0.0.{self.random.randint(1, 3)}'
        attributes = self.attributes(ibgp)
        return f'{prefix} next-hop {hop}{tail}' + (f' {attributes}' if attributes else '')

    def flow(self, afi: str) -> str:
        if afi == 'ipv4':
            match = [f'destination {self.ipv4()}']
            if self.chance(0.5):
                match.append(f'source {self.ipv4()}')
        else:
            match = [f'destination {self.ipv6().rsplit("/", 1)[0]}/64']
        if self.chance(0.6):
            match.append(f'protocol {self.pick("tcp", "udp")}')
            match.append(f'destination-port {self.pick("=80", "=443", ">1024", "=53")}')
        action = self.pick('discard', f'rate-limit {self.random.randint(1, 9) * 1000}', 'redirect 65000:7')
        return ' '.join(match), action

    def vpls(self) -> str:
        return (
            f'rd 65000:{self.random.randint(1, 3)} endpoint {self.random.randint(1, 5)} base '
            f'{self.random.randint(100, 200)} offset {self.random.randint(1, 5)} size 8 '
            f'next-hop 192.0.2.{self.random.randint(1, 9)}'
        )

    def mup(self, afi: str) -> str:
        if afi == 'ipv4':
            return (
                f'mup-isd 172.16.{self.random.randint(0, 9)}.0/24 rd 65000:{self.random.randint(1, 3)} '
                f'next-hop 192.0.2.1 extended-community [ target:65000:1 ]'
            )
        return (
            f'mup-isd 2001:db8:ff{self.random.randint(0, 9)}::/48 rd 65000:{self.random.randint(1, 3)} '
            f'next-hop 2001:db8::2 extended-community [ target:65000:1 ]'
        )


# families a scenario may add to IPv4 unicast
OPTIONAL = (
    'ipv6 unicast',
    'ipv4 nlri-mpls',
    'ipv6 nlri-mpls',
    'ipv4 mpls-vpn',
    'ipv6 mpls-vpn',
    'ipv4 flow',
    'ipv6 flow',
    'l2vpn vpls',
    'ipv4 mup',
    'ipv6 mup',
)


def scenario(seed: int) -> Scenario:
    g = Generator(seed)
    ibgp = g.chance(0.5)
    peer_as = LOCAL_AS if ibgp else g.pick(65002, 4_200_000_001)
    families = ['ipv4 unicast', *sorted(g.random.sample(OPTIONAL, g.random.randint(0, 4)), key=OPTIONAL.index)]
    g.addpath = g.chance(0.3)
    result = Scenario(seed, families, LOCAL_AS, peer_as, g.addpath, g.chance(0.5))
    routable = [family for family in families if family.split()[1] in ('unicast', 'nlri-mpls', 'mpls-vpn')]
    for _ in range(g.random.randint(0, 4)):
        route = g.route(g.pick(*routable), ibgp)
        if route is not None:
            result.static.append(route)
    for family in families:
        if family.endswith(' flow') and g.chance(0.5):
            match, action = g.flow(family.split()[0])
            result.flows.append(f'match {{ {"; ".join(_flow_block(match))}; }} then {{ {action}; }}')
    announced: list[tuple[str, str, str]] = []  # (family, the route tail, the command) of the process
    for _ in range(g.random.randint(2, 8)):
        kind = g.random.random()
        if announced and kind < 0.2:
            family, tail, _ = announced.pop(g.random.randrange(len(announced)))
            result.commands.append(_withdraw(family, tail))
            continue
        if kind < 0.26:
            result.commands.append(f'announce eor {g.pick(*families)}' if g.chance(0.5) else 'announce eor')
            continue
        if kind < 0.30:
            result.commands.append('flush adj-rib out')
            continue
        if kind < 0.33:
            result.commands.append('clear adj-rib out')
            announced.clear()
            continue
        if announced and kind < 0.40:
            # the same route again: 5.0's Adj-RIB-Out sends nothing
            result.commands.append(g.pick(*announced)[2])
            continue
        if kind < 0.44:
            # a route never announced: 5.0 sends its withdrawal all the same
            result.commands.append(f'withdraw route {g.ipv4()} next-hop 192.0.2.1')
            continue
        replaced = [entry for entry in announced if entry[0].split()[1] in ('unicast', 'nlri-mpls', 'mpls-vpn')]
        if replaced and kind < 0.52:
            # the same prefix (and rd, label) with other attributes: it replaces the route
            family, tail, _ = g.pick(*replaced)
            announced.remove(next(entry for entry in announced if entry[1] == tail))
            words = tail.split()
            kept = [words[0], *_keyword_values(words, ('next-hop', 'rd', 'label', 'path-information'))]
            attributes = g.attributes(ibgp)
            tail = ' '.join(kept) + (f' {attributes}' if attributes else '')
            command = f'announce route {tail}'
            result.commands.append(command)
            announced.append((family, tail, command))
            continue
        family = g.pick(*families)
        afi, safi = family.split()
        if safi == 'flow':
            match, action = g.flow(afi)
            tail = f'{match} {action}'
            command = f'announce flow route {tail}'
        elif safi == 'vpls':
            tail = g.vpls()
            command = f'announce vpls {tail}'
        elif safi == 'mup':
            tail = g.mup(afi)
            command = f'announce {afi} mup {tail}'
        else:
            tail = g.route(family, ibgp) or ''
            command = f'announce route {tail}'
            if g.chance(0.2) and safi == 'unicast':
                prefix, rest = tail.split(' ', 1)
                command = f'announce attributes {rest} nlri {prefix}'
        result.commands.append(command)
        announced.append((family, tail, command))
    return result


def _keyword_values(words: list[str], keywords: tuple[str, ...]) -> list[str]:
    """`KEYWORD VALUE` pairs of `words` for these keywords, in the order written."""
    return [f'{word} {words[index + 1]}' for index, word in enumerate(words[:-1]) if word in keywords]


def _flow_block(match: str) -> list[str]:
    """`destination X source Y protocol tcp ...` as the block form's statements."""
    words = match.split()
    return [f'{words[index]} {words[index + 1]}' for index in range(0, len(words), 2)]


def _withdraw(family: str, tail: str) -> str:
    afi, safi = family.split()
    if safi == 'flow':
        return f'withdraw flow route {tail}'
    if safi == 'vpls':
        return f'withdraw vpls {tail}'
    if safi == 'mup':
        return f'withdraw {afi} mup {tail}'
    return f'withdraw route {tail}'


# ---------------------------------------------------------------- the API process

PROCESS = r'''
import json, os, select, sys, time
commands = json.load(open(sys.argv[1]))
record = open(sys.argv[2], 'w')
buffered = b''


def lines(timeout):
    """The whole lines stdin gives within `timeout` seconds (os.read: nothing hides in a buffer)."""
    global buffered
    end = time.monotonic() + timeout
    found = []
    while time.monotonic() < end:
        ready, _, _ = select.select([0], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        data = os.read(0, 65536)
        if not data:
            sys.exit(0)
        buffered += data
        while b'\n' in buffered:
            line, buffered = buffered.split(b'\n', 1)
            text = line.decode()
            record.write(text + '\n')
            record.flush()
            found.append(text)
        if 'done' in found or 'error' in found:
            break
    return found


deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    if any('"state": "up"' in line for line in lines(0.5)):
        break
lines(PACE)
for command in commands:
    record.write('command ' + command + '\n')
    sys.stdout.write(command + '\n')
    sys.stdout.flush()
    found = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and 'done' not in found and 'error' not in found:
        found += lines(deadline - time.monotonic())
    lines(PACE)
lines(QUIET)
record.write('finished\n')
record.flush()
while True:
    lines(3600)
'''


# ---------------------------------------------------------------- running


def environment(port: int) -> dict[str, str]:
    found = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    found.update(
        exabgp_tcp_port=str(port),
        exabgp_tcp_bind='',
        exabgp_tcp_connections='1',
        exabgp_version='5.0.0-0+test',
        exabgp_api_cli='false',
        exabgp_api_ack='true',
        exabgp_log_destination='stderr',
        exabgp_daemon_user=_user(),
    )
    return found


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


async def run(command: list[str], chosen: Scenario, keep: str | None = None) -> dict:
    """What `command` (the daemon, as a list of words) sends and tells its process for `chosen`."""
    folder = tempfile.mkdtemp(prefix='differential-')
    try:
        return await _run(command, chosen, folder)
    finally:
        if keep:
            shutil.copytree(folder, keep, dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


async def _run(command: list[str], chosen: Scenario, folder: str) -> dict:
    script = os.path.join(folder, 'process.py')
    with open(script, 'w') as handle:
        handle.write(f'PACE = {PACE}\nQUIET = {QUIET}\n{PROCESS}')
    commands = os.path.join(folder, 'commands.json')
    with open(commands, 'w') as handle:
        json.dump(chosen.commands, handle)
    record = os.path.join(folder, 'record.txt')
    config = os.path.join(folder, 'differential.conf')
    with open(config, 'w') as handle:
        handle.write(chosen.config(script, commands, record))
    asn = None if chosen.peer_as == chosen.local_as else chosen.peer_as
    case = Case('differential', config, 'main', (config,), Options(asn=asn), group_steps([]))
    peer = Peer(case, record=True)
    port = await peer.listen(0)
    with open(os.path.join(folder, 'daemon.log'), 'wb') as log:
        daemon = await asyncio.create_subprocess_exec(
            *command, config, env=environment(port), stdout=log, stderr=asyncio.subprocess.STDOUT
        )
        try:
            await _finished(record, peer, daemon)
            # what was sent up to now: the daemons' ways of stopping are not compared
            sent = list(peer.recorded)
        finally:
            if daemon.returncode is None:
                daemon.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(daemon.wait(), 10)
                except TimeoutError:
                    daemon.kill()
                    await daemon.wait()
            await peer.close()
    api = []
    with contextlib.suppress(FileNotFoundError), open(record) as handle:
        for line in handle:
            line = line.rstrip('\n')
            if line == 'finished':
                break
            api.append(normal(line))
    return {'wire': [parts(bytes.fromhex(line[6:].replace(':', ''))) for line in sent], 'api': api}


async def _finished(record: str, peer: Peer, daemon: asyncio.subprocess.Process) -> None:
    """Until the process wrote its last command and the daemon was quiet, or the time ran out."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and daemon.returncode is None:
        with contextlib.suppress(FileNotFoundError), open(record) as handle:
            if 'finished\n' in handle.read():
                return
        await asyncio.sleep(0.1)


VOLATILE = ('exabgp', 'time', 'host', 'pid', 'ppid', 'counter')


def normal(line: str) -> str:
    """An API line without what changes from run to run (and between the two daemons' versions)."""
    if not line.startswith('{'):
        return line
    try:
        document = json.loads(line)
    except ValueError:
        return line
    for key in VOLATILE:
        document.pop(key, None)
    return json.dumps(document, sort_keys=True)


# ---------------------------------------------------------------- the wire, cut into parts

MP_REACH, MP_UNREACH = 14, 15


def parts(message: bytes) -> str:
    """A message as one line: an UPDATE as its withdrawn routes, its attributes (MP ones cut into
    family, next hop and NLRI), anything else as its hex."""
    if message[18] != 2:
        return f'type {message[18]} {message[19:].hex()}'
    body = message[19:]
    withdrawn_length = int.from_bytes(body[:2], 'big')
    withdrawn = body[2 : 2 + withdrawn_length]
    attributes_length = int.from_bytes(body[2 + withdrawn_length : 4 + withdrawn_length], 'big')
    start = 4 + withdrawn_length
    attributes = body[start : start + attributes_length]
    nlri = body[start + attributes_length :]
    shown = []
    if withdrawn:
        shown.append(f'withdrawn {withdrawn.hex()}')
    index = 0
    while index < len(attributes):
        flags, code = attributes[index], attributes[index + 1]
        if flags & 0x10:
            length, head = int.from_bytes(attributes[index + 2 : index + 4], 'big'), 4
        else:
            length, head = attributes[index + 2], 3
        value = attributes[index + head : index + head + length]
        if code == MP_REACH:
            hop = value[3]
            shown.append(
                f'mp-reach {value[:3].hex()} next-hop {value[4 : 4 + hop].hex()} nlri {value[5 + hop :].hex()}'
            )
        elif code == MP_UNREACH:
            shown.append(f'mp-unreach {value[:3].hex()} nlri {value[3:].hex()}')
        else:
            shown.append(f'attribute {attributes[index : index + head + length].hex()}')
        index += head + length
    if nlri:
        shown.append(f'nlri {nlri.hex()}')
    return ' | '.join(shown)


# ---------------------------------------------------------------- comparing


def compare(expected: dict, found: dict) -> list[str]:
    """The differences between two runs' results, one line each (empty when they agree)."""
    problems = []
    for what in ('wire', 'api'):
        left, right = expected.get(what, []), found.get(what, [])
        if left == right:
            continue
        diff = list(difflib.unified_diff(left, right, '5.0.15', 'ours', lineterm='', n=1))
        problems.append(f'{what} differs:')
        problems.extend(f'  {line}' for line in diff[2:])
    return problems
