"""What the interop tests share: our daemon in-process, its configuration, and route comparisons.

Our daemon runs as `exabgp.reactor.daemon.Daemon` on the test's own event loop, with real sockets,
so a test reads the peer's Adj-RIB-In and counts its messages directly (through an `Observer`, the
seam the API processes use). The other implementation runs as a child process (qa/bench/peers.py);
its client is called in a worker thread, so the daemon's timers and sockets keep running meanwhile.
"""

import asyncio
import contextlib
import inspect
import ipaddress
import json
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable

import pytest
from peers import ORIGINS, GoBGP, Route, free_port, missing

from exabgp import settings
from exabgp.bgp.message.header import MessageType
from exabgp.configuration.model import Neighbor
from exabgp.configuration.parser import load_text
from exabgp.reactor.daemon import Daemon
from exabgp.reactor.observer import Observer, PeerView
from exabgp.reactor.peer import Peer
from exabgp.session.events import Sent

OURS = '127.0.0.1'
OUR_AS = 65001


def installed(peer: type, name: str, package: str) -> pytest.MarkDecorator:
    """Skips a test module when `peer`'s programs are missing, saying which and its Debian package."""
    absent = missing(*peer.programs)
    return pytest.mark.skipif(
        bool(absent), reason=f'{name} is not installed (missing {" ".join(absent)}; Debian package {package})'
    )


# where the GoBGP of the family tests listens
GOBGP = '127.0.0.3'


def gobgp_passive(
    port: int, families: Iterable[str], *, asn: int = OUR_AS, hold: int = 9, our_port: int | None = None
) -> str:
    """gobgpd's configuration for the family tests: listening on GOBGP:`port`, waiting for our
    daemon (iBGP from OURS in `asn`) with these gobgpd family names; `our_port` is the port gobgpd
    reaches us on when not 179."""
    remote = '' if our_port is None else f'\n    remote-port = {our_port}'
    listed = ''.join(
        f'\n  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "{name}"'
        for name in families
    )
    return f"""[global.config]
  as = {asn}
  router-id = "10.255.0.3"
  port = {port}
  local-address-list = ["{GOBGP}"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "{OURS}"
    peer-as = {asn}
  [neighbors.transport.config]
    passive-mode = true
    local-address = "{GOBGP}"{remote}
  [neighbors.timers.config]
    hold-time = {hold}
    keepalive-interval = {hold // 3}
    connect-retry = 1{listed}
"""


class Counter(Observer):
    """Counts what happens to the sessions: messages each way by type, sessions up and down."""

    def __init__(self) -> None:
        self.inbound: dict[int, int] = {}  # message type -> count
        self.outbound: dict[int, int] = {}
        self.ups = 0
        self.downs: list[str] = []

    def wants_sent(self, neighbor: Neighbor) -> bool:
        return True

    def up(self, peer: PeerView) -> None:
        self.ups += 1

    def down(self, peer: PeerView, reason: str) -> None:
        self.downs.append(reason)

    def received(self, peer: PeerView, message: object, header: bytes, body: bytes) -> None:
        self.inbound[header[18]] = self.inbound.get(header[18], 0) + 1

    def sent(self, peer: PeerView, sent: Sent) -> None:
        self.outbound[sent.kind] = self.outbound.get(sent.kind, 0) + 1

    def keepalives(self) -> tuple[int, int]:
        return self.inbound.get(MessageType.KEEPALIVE, 0), self.outbound.get(MessageType.KEEPALIVE, 0)


class Errors(logging.Handler):
    """Keeps the error lines logged meanwhile: ours, and asyncio's (a callback or task that failed);
    with a lower `level`, those lines too."""

    sources = ('exabgp', 'asyncio')

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f'{record.name}: {record.getMessage()}')

    def __enter__(self) -> 'Errors':
        for source in self.sources:
            logging.getLogger(source).addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for source in self.sources:
            logging.getLogger(source).removeHandler(self)


class InProcess:
    """Our daemon on the running loop, for `async with`: started with the configuration text,
    stopped (every session closed with a Cease) on exit, which fails if it logged an error."""

    def __init__(self, config: str) -> None:
        self.config = config
        self.counter = Counter()
        self.daemon = Daemon(settings.load({}, ''), lambda: load_text(self.config), self.counter)
        self.task: asyncio.Task | None = None
        self.errors = Errors()

    async def __aenter__(self) -> 'InProcess':
        self.errors.__enter__()
        self.task = asyncio.create_task(self.daemon.run())
        await until(lambda: bool(self.daemon.peers) or self.task.done(), 10, 'our daemon to start its peer')
        if self.task.done():
            raise AssertionError(f'our daemon stopped at once with {self.task.result()}')
        return self

    async def __aexit__(self, kind, value, traceback) -> None:
        assert self.task is not None
        try:
            self.daemon.stop()
            code = await asyncio.wait_for(self.task, 20)
        finally:
            self.errors.__exit__()
        if kind is None:  # else the test's own failure says more
            assert code == 0
            assert self.errors.lines == []

    def reload(self, config: str) -> None:
        """What SIGUSR1 does, with this configuration text."""
        self.config = config
        assert self.daemon.reload()

    @property
    def peer(self) -> Peer:
        (peer,) = self.daemon.peers.values()
        return peer

    def established(self) -> bool:
        return bool(self.daemon.peers) and self.peer.established is not None


class Both(Observer):
    """Two observers see every event: the test's counter and the daemon's API processes (an
    in-process daemon given an observer tells its processes nothing otherwise)."""

    def __init__(self, *observers: Observer) -> None:
        self.observers = observers

    def wants_sent(self, neighbor: Neighbor) -> bool:
        return any(observer.wants_sent(neighbor) for observer in self.observers)


@contextlib.asynccontextmanager
async def passive_gobgp(directory: str, families: Iterable[str]) -> AsyncIterator[GoBGP]:
    """A gobgpd on GOBGP waiting for our daemon (`gobgp_passive`) with these gobgpd family names,
    started in `directory` and stopped on the way out."""
    our_port = free_port(OURS)
    port = free_port(GOBGP)
    peer = GoBGP(
        directory,
        address=GOBGP,
        port=port,
        api_port=free_port('127.0.0.1'),
        asn=OUR_AS,
        neighbor=OURS,
        neighbor_as=OUR_AS,
        neighbor_port=our_port,
        config=gobgp_passive(port, families, our_port=our_port),
    )
    await call(peer.start)
    try:
        yield peer
    finally:
        await call(peer.stop)


def _forward(name: str) -> Callable:
    def method(self: Both, *args: object) -> None:
        for observer in self.observers:
            getattr(observer, name)(*args)

    return method


for _name in ('connected', 'up', 'down', 'fsm', 'negotiated', 'received', 'sent', 'signal'):
    setattr(Both, _name, _forward(_name))


def with_processes(config: str) -> InProcess:
    """Our daemon in-process whose API processes are told what happens, as they are out of process."""
    ours = InProcess(config)
    ours.daemon.observer = Both(ours.counter, ours.daemon.processes)
    return ours


_PROCESS = """\
import os, select, sys

commands = os.open(sys.argv[1], os.O_RDWR)
with open(sys.argv[2], 'a', buffering=1) as record:
    while True:
        for fd in select.select([0, commands], [], [])[0]:
            data = os.read(fd, 65536)
            if fd == 0:
                if not data:
                    sys.exit(0)
                record.write(data.decode())
            else:
                sys.stdout.write(data.decode())
                sys.stdout.flush()
"""


class ApiProcess:
    """A real API process, a script in `directory`: it writes every line the daemon sends it to a
    file, and copies what the test writes to a FIFO to its stdout, as commands."""

    def __init__(self, directory: str, name: str = 'api') -> None:
        self.name = name
        self.fifo = os.path.join(directory, f'{name}.commands')
        self.record = os.path.join(directory, f'{name}.received')
        self.script = os.path.join(directory, f'{name}.py')
        os.mkfifo(self.fifo)
        with open(self.script, 'w') as handle:
            handle.write(_PROCESS)

    def block(self) -> str:
        """Its `process` block for our configuration."""
        return f'process {self.name} {{\n    run {sys.executable} {self.script} {self.fifo} {self.record};\n    encoder json;\n}}\n'

    def command(self, line: str) -> None:
        # O_RDWR: the process holds the FIFO open too, so this never blocks
        descriptor = os.open(self.fifo, os.O_RDWR)
        try:
            os.write(descriptor, (line + '\n').encode())
        finally:
            os.close(descriptor)

    def messages(self) -> list[dict]:
        """The "message" objects of the JSON lines it received so far."""
        if not os.path.exists(self.record):
            return []
        with open(self.record) as handle:
            lines = [json.loads(line) for line in handle if line.startswith('{')]
        return [line['neighbor']['message'] for line in lines if 'message' in line.get('neighbor', {})]

    def updates(self) -> list[dict]:
        """The "update" objects it received so far (End-of-RIB markers left out)."""
        return [message['update'] for message in self.messages() if 'update' in message]


async def until(condition: Callable, timeout: float, what: str, interval: float = 0.1) -> float:
    """Wait until `condition()` (a function, maybe async) is true; return the seconds it took."""
    started = time.monotonic()
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f'timed out after {timeout}s waiting for {what}')
        await asyncio.sleep(interval)


async def call(function: Callable, *args):
    """A peer's client, run in a thread: it blocks, our daemon on this loop must not."""
    return await asyncio.to_thread(function, *args)


def neighbor(
    peer: str,
    peer_as: int,
    port: int,
    routes: Iterable[Route],
    hold_time: int = 9,
    name: str = 'peer',
    listen: int | None = None,
    passive: bool = False,
    extra: str = '',
    local: str = OURS,
) -> str:
    """Our neighbor block towards `peer`:`port` from `local`, announcing `routes` from a static
    block; with `listen`, we also accept its connections on our address and that port; `extra` is
    added as is."""
    statics = '\n'.join(f'        {static_route(route)}' for route in routes)
    extra = (f'\n    listen {listen};' if listen else '') + ('\n    passive true;' if passive else '') + extra
    return f"""
neighbor {peer} {{
    description "{name}";
    router-id 10.255.0.1;
    local-address {local};
    local-as {OUR_AS};
    peer-as {peer_as};
    connect {port};
    hold-time {hold_time};
    adj-rib-in true;{extra}
    family {{
        ipv4 unicast;
        ipv6 unicast;
    }}
    static {{
{statics}
    }}
}}
"""


def static_route(route: Route) -> str:
    words = [f'route {route.prefix} next-hop {route.nexthop}']
    if route.origin != 'igp':
        words.append(f'origin {route.origin}')
    if route.as_path:
        words.append(f'as-path [ {" ".join(str(asn) for asn in route.as_path)} ]')
    if route.med is not None:
        words.append(f'med {route.med}')
    if route.local_pref is not None:
        words.append(f'local-preference {route.local_pref}')
    if route.communities:
        words.append(f'community [ {" ".join(f"{asn}:{value}" for asn, value in route.communities)} ]')
    return ' '.join(words) + ';'


def held(peer: Peer) -> set[Route]:
    """Our Adj-RIB-In for `peer`, as the peers module's routes."""
    routes = set()
    for route in peer.rib_in.routes():
        attributes = route.attributes
        origin = attributes.get(1)
        path = attributes.get(2)
        med = attributes.get(4)
        local_pref = attributes.get(5)
        communities = attributes.get(8)
        routes.add(
            Route(
                prefix=str(ipaddress.ip_network(route.nlri.prefix())),
                nexthop=str(route.nexthop),
                as_path=() if path is None else tuple(asn for _, asns in path.segments for asn in asns),
                origin=ORIGINS[origin.value] if origin is not None else 'igp',
                med=None if med is None else med.value,
                local_pref=None if local_pref is None else local_pref.value,
                communities=()
                if communities is None
                else tuple((value >> 16, value & 0xFFFF) for value in communities.communities),
            )
        )
    return routes


def differences(got: Iterable[Route], wanted: Iterable[Route], shown: int = 3) -> str:
    """'' when the two sets of routes are equal; otherwise a short account of how they differ."""
    got, wanted = set(got), set(wanted)
    if got == wanted:
        return ''
    missing = sorted(wanted - got, key=lambda route: route.prefix)
    extra = sorted(got - wanted, key=lambda route: route.prefix)
    lines = [f'{len(got)} routes held, {len(wanted)} wanted; {len(missing)} missing, {len(extra)} unexpected']
    lines += [f'  missing    {route}' for route in missing[:shown]]
    lines += [f'  unexpected {route}' for route in extra[:shown]]
    return '\n'.join(lines)


def mixed(prefixes: Iterable[str], nexthop: str, own_as: int) -> list[Route]:
    """Routes with a mix of attributes, by position: plain; MED; two communities; EGP origin with
    an AS_PATH of its own and a LOCAL_PREF."""
    routes = []
    for index, prefix in enumerate(prefixes):
        kind = index % 4
        routes.append(
            Route(
                prefix=prefix,
                nexthop=nexthop,
                med=index if kind == 1 else None,
                communities=((own_as, index % 65536), (own_as, 65535)) if kind == 2 else (),
                origin='egp' if kind == 3 else 'igp',
                as_path=(64512, 64513 + index % 100) if kind == 3 else (),
                local_pref=300 if kind == 3 else None,
            )
        )
    return routes
