"""Prometheus metrics, health and readiness: a small HTTP server on the daemon's loop, and the probe
measuring how late the loop runs its timers.

Invariants:
- Off unless `exabgp.metrics.port` is set; then one asyncio server on `metrics.address`:`port`
  answers `GET /metrics` (text exposition format 0.0.4), `/healthz` and `/readyz`, one request per
  connection (`Connection: close`); any other path is 404, any other method 405. A client that does
  not finish its request within REQUEST_TIMEOUT seconds is dropped.
- A scrape reads counters the peers, their Adj-RIB-Out and the API processes keep anyway: it walks
  no RIB, so its cost grows with peers, families and processes, never with routes.
- Labels are bounded: peer (configured neighbors, and peers made by auto-discovery while they
  last), family, message type, direction, NOTIFICATION code and subcode, process name, state (six
  values). No prefix, next hop or attribute is ever a label.
- Counters (`_total`) never go down for a peer or process that exists: they are kept since it was
  made, not reset with its sessions (which `show neighbor` does).
- The loop lag is how late a timer set every LAG_INTERVAL seconds fires; the probe runs only with
  the server (an idle daemon without metrics arms no timer). Healthy while the last lag measured
  is under LAG_LIMIT seconds; ready once the daemon started its peers and each configured peer
  was attempted (a connection tried, accepted, or, passive, its listener waited on).
"""

import asyncio
import contextlib
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from exabgp import lazy, logger
from exabgp.session.state import State
from exabgp.settings import Settings

if TYPE_CHECKING:
    import platform

    from exabgp.reactor.peer import Peer
    from exabgp.reactor.processes import Processes
else:
    # read by the first /metrics request only
    platform = lazy.module('platform')

log = logger.get('reactor')

LAG_INTERVAL = 1.0  # seconds between two measures of the loop lag
LAG_LIMIT = 5.0  # seconds of lag past which the daemon is not healthy
REQUEST_TIMEOUT = 5.0  # seconds a client has to send its request
REQUEST_LIMIT = 8192  # octets of request line and headers read at most

STATES = tuple(str(state).lower() for state in State)
CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'


class Daemon(Protocol):
    """What the metrics read of the daemon."""

    peers: dict[str, 'Peer']
    processes: 'Processes'
    command_counts: dict[str, list[int]]

    @property
    def started(self) -> bool: ...


class Health:
    """The daemon-wide figures: when it started, how its loop keeps up, how its reloads went."""

    def __init__(self, version: str, loop: str) -> None:
        self.version = version
        self.loop = loop
        self.start_time = time.time()
        self.lag = 0.0
        self.lag_max = 0.0
        self.probing = False
        self.reloads = {'success': 0, 'failure': 0}

    def reloaded(self, success: bool) -> None:
        self.reloads['success' if success else 'failure'] += 1

    async def probe(self, interval: float = LAG_INTERVAL) -> None:
        """Measure the loop lag every `interval` seconds, until cancelled."""
        loop = asyncio.get_running_loop()
        self.probing = True
        try:
            while True:
                expected = loop.time() + interval
                await asyncio.sleep(interval)
                self.lag = max(loop.time() - expected, 0.0)
                self.lag_max = max(self.lag_max, self.lag)
        finally:
            self.probing = False

    async def current_lag(self) -> float:
        """The probe's last measure, or (probe off) how long one turn of the loop takes now."""
        if self.probing:
            return self.lag
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.sleep(0)
        return loop.time() - start

    def healthy(self, lag: float) -> bool:
        return lag < LAG_LIMIT

    def report(self, daemon: Daemon, lag: float) -> dict[str, object]:
        """`show health` and the bodies of /healthz and /readyz."""
        peers = list(daemon.peers.values())
        established = sum(1 for peer in peers if peer.established is not None)
        return {
            'healthy': self.healthy(lag),
            'ready': ready(daemon),
            'loop-lag': round(lag, 6),
            'loop-lag-limit': LAG_LIMIT,
            'uptime': round(time.time() - self.start_time, 3),
            'peers': len(peers),
            'attempted': sum(1 for peer in peers if peer.attempted),
            'established': established,
        }


def ready(daemon: Daemon) -> bool:
    return daemon.started and all(peer.attempted for peer in daemon.peers.values() if not peer.generated)


def _escape(value: str) -> str:
    return value.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def _labels(pairs: Iterable[tuple[str, object]]) -> str:
    inner = ','.join(f'{name}="{_escape(str(value))}"' for name, value in pairs)
    return '{' + inner + '}' if inner else ''


class Exposition:
    """Metric families written in the text format: HELP and TYPE once, then the samples."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(
        self, name: str, kind: str, help_text: str, samples: Iterable[tuple[Iterable[tuple[str, object]], float]]
    ) -> None:
        self.lines.append(f'# HELP {name} {help_text}')
        self.lines.append(f'# TYPE {name} {kind}')
        for labels, value in samples:
            self.lines.append(f'{name}{_labels(labels)} {_number(value)}')

    def text(self) -> str:
        return '\n'.join(self.lines) + '\n'


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def render(daemon: Daemon, health: Health) -> str:
    """Every metric, in the text exposition format."""
    now = time.time()
    out = Exposition()
    out.family(
        'exabgp_build_info',
        'gauge',
        'The version of the daemon, of Python and the event loop it runs on',
        [((('version', health.version), ('python', platform.python_version()), ('loop', health.loop)), 1)],
    )
    out.family(
        'exabgp_start_time_seconds',
        'gauge',
        'When the daemon started, in seconds since the epoch',
        [((), health.start_time)],
    )
    out.family(
        'exabgp_event_loop_lag_seconds', 'gauge', 'How late the last timer of the lag probe fired', [((), health.lag)]
    )
    out.family(
        'exabgp_event_loop_lag_max_seconds',
        'gauge',
        'The largest loop lag measured since start',
        [((), health.lag_max)],
    )
    out.family(
        'exabgp_reloads_total',
        'counter',
        'Configuration reloads, by outcome',
        [((('outcome', outcome),), count) for outcome, count in health.reloads.items()],
    )
    out.family(
        'exabgp_healthy', 'gauge', 'Whether the loop lag is under its limit', [((), int(health.healthy(health.lag)))]
    )
    out.family('exabgp_ready', 'gauge', 'Whether every configured peer was attempted', [((), int(ready(daemon)))])
    _peers(out, list(daemon.peers.values()), now)
    _processes(out, daemon)
    return out.text()


def _peers(out: Exposition, peers: list['Peer'], now: float) -> None:
    named = [(peer.neighbor.peer(), peer) for peer in peers]

    def each(values) -> list[tuple[tuple[tuple[str, object], ...], float]]:
        return [sample for name, peer in named for sample in values(name, peer)]

    def state(name: str, peer: 'Peer') -> Iterator[tuple[tuple[tuple[str, object], ...], float]]:
        current = str(peer.state()).lower()
        for value in STATES:
            yield (('peer', name), ('state', value)), int(value == current)

    out.family('exabgp_peer_state', 'gauge', 'The state of the peer (1 for the one it is in)', each(state))
    out.family(
        'exabgp_peer_state_seconds',
        'gauge',
        'Seconds since the FSM of one of the peer sessions last moved',
        each(lambda name, peer: [((('peer', name),), round(now - peer.reporter.totals.changed, 3))]),
    )
    out.family(
        'exabgp_peer_transitions_total',
        'counter',
        'Sessions that reached (up) and left (down) ESTABLISHED',
        each(
            lambda name, peer: [
                ((('peer', name), ('direction', 'up')), peer.reporter.totals.ups),
                ((('peer', name), ('direction', 'down')), peer.reporter.totals.downs),
            ]
        ),
    )
    out.family(
        'exabgp_peer_messages_total',
        'counter',
        'BGP messages received and sent, by type',
        each(
            lambda name, peer: [
                ((('peer', name), ('direction', direction), ('type', kind)), count)
                for (direction, kind), count in sorted(peer.reporter.totals.messages.items())
            ]
        ),
    )
    out.family(
        'exabgp_peer_notifications_total',
        'counter',
        'NOTIFICATION messages received and sent, by code and subcode',
        each(
            lambda name, peer: [
                ((('peer', name), ('direction', direction), ('code', code), ('subcode', subcode)), count)
                for (direction, code, subcode), count in sorted(peer.reporter.totals.notifications.items())
            ]
        ),
    )
    out.family(
        'exabgp_peer_prefixes_received_total',
        'counter',
        'NLRI in received UPDATEs, by family and action',
        each(
            lambda name, peer: [
                (
                    (('peer', name), ('family', str(family)), ('action', 'withdrawn' if withdrawn else 'announced')),
                    count,
                )
                for (family, withdrawn), count in sorted(peer.reporter.totals.prefixes.items(), key=_by_family)
            ]
        ),
    )
    out.family(
        'exabgp_peer_prefixes_sent_total',
        'counter',
        'NLRI put in UPDATEs sent from the Adj-RIB-Out, by family and action',
        each(
            lambda name, peer: [
                (
                    (('peer', name), ('family', str(family)), ('action', 'withdrawn' if withdrawn else 'announced')),
                    count,
                )
                for (family, withdrawn), count in sorted(peer.rib_out.sent.items(), key=_by_family)
            ]
        ),
    )
    out.family(
        'exabgp_peer_adj_rib_out_routes',
        'gauge',
        'Routes in the Adj-RIB-Out',
        each(lambda name, peer: [((('peer', name),), len(peer.rib_out))]),
    )
    out.family(
        'exabgp_peer_adj_rib_out_pending',
        'gauge',
        'Adj-RIB-Out changes waiting to be sent',
        each(lambda name, peer: [((('peer', name),), peer.rib_out.queued())]),
    )
    out.family(
        'exabgp_peer_adj_rib_in_routes',
        'gauge',
        'Routes in the Adj-RIB-In (kept with adj-rib-in enabled)',
        each(lambda name, peer: [((('peer', name),), len(peer.rib_in))]),
    )


def _by_family(item: tuple[tuple[object, bool], int]) -> tuple[str, bool]:
    (family, withdrawn), _ = item
    return str(family), withdrawn


def _processes(out: Exposition, daemon: Daemon) -> None:
    processes = daemon.processes
    running = processes.running
    names = sorted(set(processes.configs) | set(running))

    def per(value) -> list[tuple[tuple[tuple[str, object], ...], float]]:
        return [((('process', name),), value(name)) for name in names]

    def output(name: str, attribute: str) -> int:
        process = running.get(name)
        return 0 if process is None else getattr(process.output, attribute)

    out.family('exabgp_process_up', 'gauge', 'Whether the API process runs', per(lambda name: int(name in running)))
    out.family(
        'exabgp_process_queue_bytes',
        'gauge',
        'Octets queued for the API process',
        per(lambda name: output(name, 'size')),
    )
    out.family(
        'exabgp_process_dropped_events_total',
        'counter',
        'Events the API process did not get (its queue was full), since it started',
        per(lambda name: output(name, 'dropped')),
    )
    out.family(
        'exabgp_process_restarts_total',
        'counter',
        'Times the API process was started again after it ended',
        per(lambda name: processes.restarts.get(name, 0)),
    )
    counts = daemon.command_counts
    out.family(
        'exabgp_process_commands_total',
        'counter',
        'Commands received from the API process (cli: the CLI)',
        [((('process', name),), count[0]) for name, count in sorted(counts.items())],
    )
    out.family(
        'exabgp_process_command_errors_total',
        'counter',
        'Commands of the API process answered with an error',
        [((('process', name),), count[1]) for name, count in sorted(counts.items())],
    )


class Server:
    """The HTTP server of /metrics, /healthz and /readyz (see the module's invariants)."""

    def __init__(self, settings: Settings, daemon: Daemon, health: Health) -> None:
        self.address = settings.metrics.address or '127.0.0.1'
        self.port = settings.metrics.port
        self.daemon = daemon
        self.health = health
        self._server: asyncio.Server | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.port)

    async def start(self) -> bool:
        if not self.enabled:
            return True
        try:
            self._server = await asyncio.start_server(self._serve, self.address, self.port)
        except OSError as exc:
            log.critical(f'can not serve metrics on {self.address}:{self.port}: {exc}')
            return False
        bound = self._server.sockets[0].getsockname()
        self.port = bound[1]
        log.info(f'metrics, healthz and readyz on http://{self.address}:{self.port}/')
        return True

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b'\r\n\r\n'), REQUEST_TIMEOUT)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        if len(request) > REQUEST_LIMIT:
            status, body, kind = '431 Request Header Fields Too Large', 'request too large\n', 'text/plain'
        else:
            status, body, kind = await self._answer(request.split(b'\r\n', 1)[0].decode('latin-1'))
        data = body.encode()
        head = f'HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n'
        with contextlib.suppress(ConnectionError):
            writer.write(head.encode() + data)
            await writer.drain()
        writer.close()

    async def _answer(self, line: str) -> tuple[str, str, str]:
        parts = line.split(' ')
        if len(parts) != 3:
            return '400 Bad Request', 'bad request\n', 'text/plain'
        method, target, _ = parts
        path = target.split('?', 1)[0]
        if path not in ('/metrics', '/healthz', '/readyz'):
            return '404 Not Found', 'not found: /metrics, /healthz or /readyz\n', 'text/plain'
        if method != 'GET':
            return '405 Method Not Allowed', 'GET only\n', 'text/plain'
        if path == '/metrics':
            return '200 OK', render(self.daemon, self.health), CONTENT_TYPE
        lag = await self.health.current_lag()
        report = self.health.report(self.daemon, lag)
        good = report['healthy'] if path == '/healthz' else report['ready']
        text = ''.join(f'{key} {_word(value)}\n' for key, value in report.items())
        return ('200 OK' if good else '503 Service Unavailable'), text, 'text/plain'


def _word(value: object) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)
