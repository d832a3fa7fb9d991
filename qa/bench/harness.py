"""What every benchmark shares: the daemons under test, their cost read from /proc, a counting BGP
receiver, route and configuration text, and the figures with their spread.

Nothing here imports exabgp: the daemons are judged from outside, as child processes.

Invariants:
- A daemon's figures are its own process's: CPU is user + system of that PID (children excluded:
  API processes and peers are not charged to it), peak RSS is its VmHWM, both read from /proc
  while it still runs (or from wait4's rusage once it has exited).
- `Receiver` answers any OPEN with a mirror of it (same AS, capabilities and hold time, another
  router id) and every KEEPALIVE with one, so any daemon gets a session without configuration; it
  holds the set of IPv4 prefixes announced and not withdrawn, and resolves waiters as soon as that
  set has the size they asked for.
- Prefix `index` is the same text for every daemon and every scenario (`prefix`), so a route
  announced one way can be withdrawn another.
- The 5.0.15 release is found (flag, $ORACLE_EXABGP, /work/oracle/venv) or installed once in a scratch
  venv; nothing is installed in the project's own venv.
"""

import asyncio
import os
import pwd
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
OURS = [sys.executable, os.path.join(ROOT, 'sbin', 'exabgp')]
ORACLE_VENVS = ('/work/oracle/venv', os.path.expanduser('~/.cache/exabgp-bench/exabgp-5.0.15'))
ORACLE_VERSION = '5.0.15'
TICKS = os.sysconf('SC_CLK_TCK')
MARKER = b'\xff' * 16
STOP_GRACE = 20.0


# ------------------------------------------------------------------------------------------ daemons


def oracle(given: str = '') -> str:
    """The `exabgp` command of the 5.0.15 release: `given` (a command or a venv), $ORACLE_EXABGP or
    $ORACLE_VENV (either), an existing venv, or a venv made now with pip (only if none exists)."""
    for candidate in (given, os.environ.get('ORACLE_EXABGP', ''), os.environ.get('ORACLE_VENV', '')):
        if candidate:
            command = os.path.join(candidate, 'bin', 'exabgp') if os.path.isdir(candidate) else candidate
            if not os.path.exists(command):
                raise SystemExit(f'no exabgp at {command}')
            return command
    for venv in ORACLE_VENVS:
        if os.path.exists(os.path.join(venv, 'bin', 'exabgp')):
            return os.path.join(venv, 'bin', 'exabgp')
    venv = ORACLE_VENVS[-1]
    print(f'installing exabgp=={ORACLE_VERSION} in {venv}', flush=True)
    subprocess.run(['python3', '-m', 'venv', venv], check=True)
    subprocess.run([os.path.join(venv, 'bin', 'pip'), 'install', '-q', f'exabgp=={ORACLE_VERSION}'], check=True)
    return os.path.join(venv, 'bin', 'exabgp')


def compile_ours() -> None:
    """Write the bytecode of our sources, as an install does: with PYTHONDONTWRITEBYTECODE set (or
    a fresh checkout) every start of ours would compile 200 modules, 5.0.15's venv never does."""
    subprocess.run(
        [sys.executable, '-m', 'compileall', '-q', os.path.join(ROOT, 'src')], check=True, stdout=subprocess.DEVNULL
    )


def environment(**settings: str) -> dict[str, str]:
    """The environment of a daemon: ours without any exabgp setting, then `settings`."""
    env = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    env.update(
        exabgp_api_cli='false',
        exabgp_log_level='WARNING',
        exabgp_daemon_user=pwd.getpwuid(os.getuid()).pw_name,
    )
    env.update(settings)
    return env


def spawn(command: list[str], env: dict[str, str], log: str) -> subprocess.Popen:
    with open(log, 'ab') as output:
        return subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output)


def stop(process: subprocess.Popen) -> None:
    """End a child we started, by its PID: SIGTERM, SIGKILL after a grace; reap it."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` so far."""
    with open(f'/proc/{pid}/stat') as handle:
        fields = handle.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_mib(pid: int, key: str = 'VmHWM') -> float:
    """A /proc/PID/status memory line in MiB: VmHWM (peak resident) by default, or VmRSS."""
    with open(f'/proc/{pid}/status') as handle:
        for line in handle:
            if line.startswith(key + ':'):
                return int(line.split()[1]) / 1024
    return 0.0


def tail(path: str, lines: int = 15) -> str:
    try:
        with open(path, errors='replace') as handle:
            return ''.join(handle.readlines()[-lines:])
    except OSError:
        return ''


# ------------------------------------------------------------------------------------------ figures


@dataclass(slots=True)
class Run:
    """One measurement of one daemon: wall and CPU seconds, peak RSS in MiB, routes handled (0 when
    routes/s means nothing), and anything else worth a word."""

    wall: float
    cpu: float
    rss: float
    routes: int = 0
    note: str = ''

    @property
    def rate(self) -> float:
        return self.routes / self.wall if self.routes and self.wall else 0.0


@dataclass(slots=True)
class Series:
    """The runs of one daemon in one scenario; the best (least wall) stands for it, the spread says
    how far the others were."""

    runs: list[Run] = field(default_factory=list)
    skipped: str = ''

    @property
    def best(self) -> Run | None:
        return min(self.runs, key=lambda run: run.wall) if self.runs else None

    def spread(self, attribute: str) -> str:
        values = [getattr(run, attribute) for run in self.runs]
        if len(values) < 2:
            return ''
        return f'{min(values):.2f}..{max(values):.2f} (median {statistics.median(values):.2f})'


def line(who: str, run: Run, unit: str = 'routes/s') -> str:
    rate = f'{run.rate:>10,.0f} {unit}' if run.routes else ' ' * (11 + len(unit))
    text = f'  {who:<8} {run.wall:9.3f} s wall {run.cpu:9.3f} s CPU {run.rss:8.1f} MiB peak  {rate}'
    return text + (f'  {run.note}' if run.note else '')


# --------------------------------------------------------------------------------------- routes


def prefix(index: int, length: int = 32) -> str:
    """The index-th route of the benchmarks: /32s from 10.0.0.0, or /24s from 1.0.0.0 (each a
    different route, in address order)."""
    if length == 32:
        return f'{10 + (index >> 16)}.{(index >> 8) & 255}.{index & 255}.0/32'
    address = (1 << 24) + (index << 8)
    return f'{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.0/24'


def neighbor(
    peer: str,
    local: str,
    local_as: int,
    peer_as: int,
    *,
    routes: Iterable[str] = (),
    api: str = '',
    extra: str = '',
    families: Iterable[str] = ('ipv4 unicast',),
) -> str:
    """A 5.0 `neighbor` block (text for ours and 5.0.15 alike) with `routes` in its static block."""
    lines = [
        f'neighbor {peer} {{',
        f'    router-id {local};',
        f'    local-address {local};',
        f'    local-as {local_as};',
        f'    peer-as {peer_as};',
        '    hold-time 180;',
        f'    family {{ {" ".join(family + ";" for family in families)} }}',
    ]
    if extra:
        lines.append(extra)
    if api:
        lines.append(f'    api {{ {api} }}')
    lines.append('    static {')
    text = '\n'.join(lines) + '\n'
    return text + ''.join(f'        {route};\n' for route in routes) + '    }\n}\n'


def process(name: str, run: str, encoder: str = 'json') -> str:
    return f'process {name} {{\n    run {run};\n    encoder {encoder};\n}}\n'


def script(folder: str, name: str, text: str) -> str:
    """An executable Python script in `folder`, run by this interpreter."""
    path = os.path.join(folder, name)
    with open(path, 'w') as handle:
        handle.write(f'#!{sys.executable}\n{text}')
    os.chmod(path, 0o755)
    return path


# A preamble for API scripts: the daemon is the parent, its figures are read at the moments that
# matter and written to a file as 'time cpu peak-rss' lines; stdin at EOF (the daemon gone) ends
# the script, whatever it is doing.
API_PREAMBLE = """import os, sys, threading, time
DAEMON = os.getppid()
TICKS = os.sysconf('SC_CLK_TCK')
def figures():
    with open(f'/proc/{DAEMON}/stat') as handle:
        fields = handle.read().rsplit(')', 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    with open(f'/proc/{DAEMON}/status') as handle:
        peak = next(int(line.split()[1]) for line in handle if line.startswith('VmHWM:')) / 1024
    return f'{time.time()!r} {cpu!r} {peak!r} {DAEMON}'
def note(path):
    with open(path, 'a') as handle:
        handle.write(figures() + chr(10))
def wait_up():
    for line in sys.stdin:
        if '"state": "up"' in line:
            return
    os._exit(0)
def drain():
    while os.read(0, 1 << 16):
        pass
    os._exit(0)
"""


def read_notes(path: str) -> list[tuple[float, float, float, int]]:
    """The (time, cpu, peak MiB, daemon pid) lines an API script noted."""
    try:
        with open(path) as handle:
            return [
                (float(a), float(b), float(c), int(d)) for a, b, c, d in (row.split() for row in handle if row.strip())
            ]
    except FileNotFoundError:
        return []


# ----------------------------------------------------------------------------------- BGP receiver


def message(kind: int, body: bytes) -> bytes:
    return MARKER + (19 + len(body)).to_bytes(2, 'big') + bytes((kind,)) + body


def _prefixes(data: bytes, start: int, end: int) -> list[bytes]:
    found = []
    while start < end:
        size = 1 + (data[start] + 7) // 8
        found.append(data[start : start + size])
        start += size
    return found


def _flows(data: bytes, start: int, end: int) -> list[bytes]:
    """The FlowSpec rules of an MP_REACH_NLRI's NLRI field (RFC 8955 4: 1- or 2-octet lengths)."""
    found = []
    while start < end:
        size, head = (data[start], 1) if data[start] < 0xF0 else (int.from_bytes(data[start : start + 2]) & 0xFFF, 2)
        found.append(data[start : start + head + size])
        start += head + size
    return found


def _reached_flows(body: bytes, start: int, end: int) -> list[bytes]:
    """The FlowSpec rules or VPN routes (SAFI 128: length in bits, labels, RD, prefix, so read as
    prefixes) announced in the path attributes body[start:end] (none for others)."""
    while start < end:
        flags, code = body[start], body[start + 1]
        width = 2 if flags & 0x10 else 1
        size = int.from_bytes(body[start + 2 : start + 2 + width])
        value = start + 2 + width
        if code == 14 and body[value + 2] in (133, 134):
            hop = body[value + 3]
            return _flows(body, value + 5 + hop, value + size)
        if code == 14 and body[value + 2] == 128:
            hop = body[value + 3]
            return _prefixes(body, value + 5 + hop, value + size)
        start = value + size
    return []


class Receiver:
    """A passive BGP speaker on loopback that holds the IPv4 unicast prefixes (and FlowSpec rules)
    it is sent (see the module docstring). `wait(count)` returns the time the held set first had
    `count` of them. FlowSpec withdrawals are not read: the flow benchmark only announces."""

    address = '127.0.0.1'

    def __init__(self) -> None:
        self.held: set[bytes] = set()
        self.updates = 0
        self.waiting: list[tuple[int, asyncio.Future]] = []
        self.server: asyncio.Server | None = None
        self.port = 0
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self, host: str = '127.0.0.1') -> int:
        self.server = await asyncio.start_server(self._serve, host, 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    def connected(self) -> bool:
        """Whether a session has sent its first UPDATE."""
        return self.updates > 0

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        for writer in self.writers:
            writer.close()

    async def wait(self, count: int, timeout: float) -> float:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((count, future))
        self._check()
        return await asyncio.wait_for(future, timeout)

    def _check(self) -> None:
        size = len(self.held)
        for entry in [entry for entry in self.waiting if entry[0] == size]:
            self.waiting.remove(entry)
            if not entry[1].done():
                entry[1].set_result(time.time())

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        try:
            while True:
                header = await reader.readexactly(19)
                body = await reader.readexactly(int.from_bytes(header[16:18], 'big') - 19)
                kind = header[18]
                if kind == 1:
                    mirrored = bytearray(body)
                    mirrored[5:9] = bytes((10, 0, 0, 254))
                    writer.write(message(1, bytes(mirrored)) + message(4, b''))
                elif kind == 4:
                    writer.write(message(4, b''))
                elif kind == 2:
                    self._update(body)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def _update(self, body: bytes) -> None:
        self.updates += 1
        withdrawn = int.from_bytes(body[:2], 'big')
        if withdrawn:
            self.held.difference_update(_prefixes(body, 2, 2 + withdrawn))
        attributes = 4 + withdrawn
        start = attributes + int.from_bytes(body[2 + withdrawn : 4 + withdrawn], 'big')
        if start < len(body):
            self.held.update(_prefixes(body, start, len(body)))
        elif start > attributes:
            self.held.update(_reached_flows(body, attributes, start))
        if self.waiting:
            self._check()


async def poll(condition, timeout: float, what: str, interval: float = 0.005) -> float:
    """Wait until `condition()` is true; the time it was first seen so."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f'timed out after {timeout:.0f}s waiting for {what}')
        await asyncio.sleep(interval)
    return time.time()
