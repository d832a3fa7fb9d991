"""Real BGP daemons as peers on loopback: BIRD 2 (`bird`, `birdc`) and GoBGP (`gobgpd`, `gobgp`).

Used by the interop tests (tests/interop) and meant for the benchmarks: each peer writes its
configuration into a directory it is given, runs its daemon as a child process listening on one
loopback address and an unprivileged port, answers what it holds through the daemon's own client,
and is stopped by the PID it started. Nothing here imports exabgp: the peers judge it from outside.

    routes = [Route(prefix, med=5) for prefix in prefixes('10.0.0.0/24', 100_000)]
    bird = Bird(directory, address='127.0.0.2', port=free_port('127.0.0.2'), asn=65003,
                neighbor='127.0.0.1', neighbor_as=65001, routes=routes)
    bird.start()                          # then our daemon connects to 127.0.0.2:bird.port
    bird.count('master4', 'exabgp')       # how many of our routes it holds
    bird.routes_in('master4', 'exabgp')   # and with which attributes
    bird.stop()

    gobgp = GoBGP(directory, address='127.0.0.3', port=..., api_port=free_port('127.0.0.1'), asn=65001,
                  neighbor='127.0.0.1', neighbor_as=65001, routes=routes)
    gobgp.start(); gobgp.received('ipv4'); gobgp.stop()

Invariants:
- A peer listens only where it was told (bird with `strict bind`, gobgpd with its gRPC API on
  127.0.0.1:api_port and pprof off) and is passive by default: our daemon opens the session.
- `stop()` and `kill()` end only the process this object started (by its PID, SIGTERM then SIGKILL
  after a grace, or SIGKILL at once) and reap it; a stopped peer starts again with the same
  configuration (restart tests).
- What a peer announces and what it holds are `Route` values, so a check compares like with like.
- A configuration text of one's own (`config=`) replaces the generated one; the other arguments
  then only say where the daemon listens and answers (and, for bird, which protocol to ask about).
- GoBGP's configuration has no static routes: `GoBGP.announce` feeds them as an MRT TABLE_DUMP_V2
  stream (RFC 6396) to `gobgp mrt inject global` through a FIFO, kept open until gobgpd holds them
  all (the 3.x client drops the tail of what it sent when it exits as soon as its input ends).
"""

import contextlib
import errno
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

START_TIMEOUT = 15.0
STOP_GRACE = 5.0
ORIGINS = ('igp', 'egp', 'incomplete')


class PeerError(RuntimeError):
    """A peer daemon did not start, did not answer, or did not do what it was asked in time."""


@dataclass(frozen=True, slots=True)
class Route:
    """A unicast route as the peers see it. `prefix` is in `ipaddress` normal form; an absent MED or
    LOCAL_PREF is None; communities are (asn, value) pairs in the order they were given."""

    prefix: str
    nexthop: str = ''
    as_path: tuple[int, ...] = ()
    origin: str = 'igp'
    med: int | None = None
    local_pref: int | None = None
    communities: tuple[tuple[int, int], ...] = ()

    @property
    def version(self) -> int:
        return 6 if ':' in self.prefix else 4


SBIN = '/usr/local/sbin:/usr/sbin:/sbin'  # where Debian puts bird, off the PATH of some users


def program(name: str) -> str:
    """The path of the program `name`: on PATH, else in the sbin folders; `name` if nowhere."""
    return shutil.which(name) or shutil.which(name, path=SBIN) or name


def missing(*programs: str) -> list[str]:
    """The programs of `programs` found neither on PATH nor in the sbin folders."""
    return [name for name in programs if program(name) == name]


def free_port(host: str) -> int:
    """A TCP port free on `host` right now (the system's pick)."""
    with socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def prefixes(first: str, count: int) -> Iterator[str]:
    """`count` consecutive prefixes of the length of `first`: 10.0.0.0/24, 10.0.1.0/24, ..."""
    network = ipaddress.ip_network(first)
    start = int(network.network_address)
    size = network.num_addresses
    kind = type(network)
    for index in range(count):
        yield str(kind((start + index * size, network.prefixlen)))


def _wait(condition, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise PeerError(f'timed out after {timeout}s waiting for {what}')
        time.sleep(interval)


class Child:
    """One daemon process we started, its output in a log file."""

    def __init__(self, name: str, log: str) -> None:
        self.name = name
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def start(self, argv: list[str]) -> None:
        if self.running:
            raise PeerError(f'{self.name} is already running (pid {self.pid})')
        with open(self.log, 'ab') as output:
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=output, stderr=output)

    def stop(self, grace: float = STOP_GRACE) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGCONT)  # a paused process would not act on SIGTERM
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def pause(self) -> None:
        """Freeze the process (SIGSTOP): its sessions go silent, its sockets stay open."""
        if self.running:
            self.process.send_signal(signal.SIGSTOP)  # type: ignore[union-attr]

    def resume(self) -> None:
        if self.running:
            self.process.send_signal(signal.SIGCONT)  # type: ignore[union-attr]

    def tail(self, lines: int = 20) -> str:
        try:
            with open(self.log, errors='replace') as handle:
                return ''.join(handle.readlines()[-lines:])
        except OSError:
            return ''

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise PeerError(f'{self.name} exited with {self.process.returncode}:\n{self.tail()}')


# ---------------------------------------------------------------------------------------------- BIRD


class Bird:
    """BIRD 2 with one BGP protocol (named `protocol`) towards `neighbor`, announcing `routes` from
    static protocols (blackhole routes carrying the routes' MED, LOCAL_PREF, communities, origin and
    AS_PATH; BIRD sets the next hop itself: its address, `nexthop6` for IPv6). Multihop, so next hops
    need no connected interface (unresolved ones show as unreachable and are still held)."""

    programs = ('bird', 'birdc')

    def __init__(
        self,
        directory: str,
        *,
        address: str,
        port: int,
        asn: int,
        neighbor: str,
        neighbor_as: int,
        neighbor_port: int = 179,
        router_id: str = '10.255.0.2',
        hold_time: int = 90,
        passive: bool = True,
        routes: Iterable[Route] = (),
        nexthop6: str = '2001:db8:ffff::2',
        protocol: str = 'exabgp',
        password: str | None = None,
        config: str | None = None,
    ) -> None:
        self.directory = directory
        self.address = address
        self.port = port
        self.password = password
        self.asn = asn
        self.neighbor = neighbor
        self.neighbor_as = neighbor_as
        self.neighbor_port = neighbor_port
        self.router_id = router_id
        self.hold_time = hold_time
        self.passive = passive
        self.routes = list(routes)
        self.nexthop6 = nexthop6
        self.protocol = protocol
        self.text = config
        self.conf = os.path.join(directory, 'bird.conf')
        self.control = os.path.join(directory, 'bird.ctl')
        self.pidfile = os.path.join(directory, 'bird.pid')
        self.child = Child('bird', os.path.join(directory, 'bird.log'))

    def config(self) -> str:
        """The configuration given, or the one made of the arguments."""
        if self.text is not None:
            return self.text
        lines = [
            f'router id {self.router_id};',
            'log stderr { info, remote, warning, error, auth, fatal, bug };',
            'protocol device {}',
        ]
        for version in (4, 6):
            routes = [route for route in self.routes if route.version == version]
            if routes:
                lines.append(f'protocol static static{version} {{')
                lines.append(f'  ipv{version};')
                lines.extend(f'  route {route.prefix} blackhole{_bird_attributes(route)};' for route in routes)
                lines.append('}')
        lines += [
            f'protocol bgp {self.protocol} {{',
            f'  local {self.address} port {self.port} as {self.asn};',
            f'  neighbor {self.neighbor} port {self.neighbor_port} as {self.neighbor_as};',
            '  strict bind on;',
            f'  passive {"on" if self.passive else "off"};',
            *([f'  password "{self.password}";'] if self.password is not None else []),
            '  multihop;',
            f'  hold time {self.hold_time};',
            '  connect delay time 1;',
            '  connect retry time 1;',
            '  error wait time 1, 5;',
            '  ipv4 { import all; export where source = RTS_STATIC; };',
            f'  ipv6 {{ import all; export where source = RTS_STATIC; next hop address {self.nexthop6}; }};',
            '}',
        ]
        return '\n'.join(lines) + '\n'

    def start(self, timeout: float = START_TIMEOUT) -> None:
        with open(self.conf, 'w') as handle:
            handle.write(self.config())
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.control)
        self.child.start([program('bird'), '-f', '-c', self.conf, '-s', self.control, '-P', self.pidfile])

        def ready() -> bool:
            self.child.check_alive()
            if not os.path.exists(self.control):
                return False
            return 'Daemon is up and running' in self._birdc('show status', check=False)

        _wait(ready, timeout, 'bird to start')

    def stop(self) -> None:
        self.child.stop()

    def kill(self) -> None:
        self.child.kill()

    def birdc(self, command: str) -> str:
        return self._birdc(command, check=True)

    def _birdc(self, command: str, check: bool) -> str:
        result = subprocess.run(
            [program('birdc'), '-s', self.control, *command.split()], capture_output=True, text=True, timeout=30
        )
        if check and result.returncode != 0:
            raise PeerError(f'birdc {command} failed: {result.stderr.strip() or result.stdout.strip()}')
        return result.stdout

    def state(self) -> str:
        """The BGP state of the protocol: Established, Active, Passive, Connect, ..."""
        output = self.birdc(f'show protocols all {self.protocol}')
        found = re.search(r'BGP state:\s+(\S+)', output)
        if found is None:
            raise PeerError(f'no BGP state for {self.protocol} in:\n{output}')
        return found.group(1)

    def established(self) -> bool:
        return self.state() == 'Established'

    def updates_received(self) -> dict[str, int]:
        """Per channel of the BGP protocol (ipv4, ipv6): the route updates it received so far."""
        counts: dict[str, int] = {}
        channel = ''
        for line in self.birdc(f'show protocols all {self.protocol}').splitlines():
            words = line.split()
            if words[:1] == ['Channel']:
                channel = words[1]
            elif words[:2] == ['Import', 'updates:'] and channel:
                counts[channel] = int(words[2])
        return counts

    def count(self, table: str, protocol: str | None = None) -> int:
        """Routes in `table` (master4, master6), only those learned by `protocol` if given."""
        command = f'show route table {table}' + (f' protocol {protocol}' if protocol else '') + ' count'
        output = self.birdc(command)
        found = re.search(r'(\d+) of \d+ routes', output)
        if found is None:
            raise PeerError(f'birdc {command}: unexpected answer:\n{output}')
        return int(found.group(1))

    def routes_in(self, table: str, protocol: str | None = None) -> list[Route]:
        """The routes of `table` with their BGP attributes (`show route all`)."""
        command = f'show route all table {table}' + (f' protocol {protocol}' if protocol else '')
        return parse_bird_routes(self.birdc(command))


def _bird_attributes(route: Route) -> str:
    statements = []
    if route.origin != 'igp':
        statements.append(f'bgp_origin = ORIGIN_{route.origin.upper()};')
    if route.med is not None:
        statements.append(f'bgp_med = {route.med};')
    if route.local_pref is not None:
        statements.append(f'bgp_local_pref = {route.local_pref};')
    statements.extend(f'bgp_community.add(({asn},{value}));' for asn, value in route.communities)
    # prepending in reverse leaves the path in the order given
    statements.extend(f'bgp_path.prepend({asn});' for asn in reversed(route.as_path))
    return f' {{ {" ".join(statements)} }}' if statements else ''


_BIRD_ORIGINS = {'IGP': 'igp', 'EGP': 'egp', 'Incomplete': 'incomplete'}


def parse_bird_routes(output: str) -> list[Route]:
    """Routes from `birdc show route all`: a line with the prefix (or indented, another route for
    the previous prefix), then tab-indented `BGP.name: value` lines."""
    routes: list[Route] = []
    fields: dict | None = None
    prefix = ''

    def close() -> None:
        if fields is not None:
            routes.append(Route(**fields))

    for line in output.splitlines():
        if not line.strip() or line.startswith(('BIRD ', 'Table ')):
            continue
        if line.startswith('\t'):
            if fields is None or ': ' not in line:
                continue
            name, value = line.strip().split(': ', 1)
            if name == 'BGP.origin':
                fields['origin'] = _BIRD_ORIGINS.get(value, value)
            elif name == 'BGP.as_path':
                fields['as_path'] = tuple(int(asn) for asn in value.split())
            elif name == 'BGP.next_hop':
                fields['nexthop'] = value.split()[0]
            elif name == 'BGP.med':
                fields['med'] = int(value)
            elif name == 'BGP.local_pref':
                fields['local_pref'] = int(value)
            elif name == 'BGP.community':
                pairs = re.findall(r'\((\d+),(\d+)\)', value)
                fields['communities'] = tuple((int(asn), int(number)) for asn, number in pairs)
            continue
        close()
        if not line[0].isspace():
            prefix = str(ipaddress.ip_network(line.split()[0]))
        fields = {'prefix': prefix}
    close()
    return routes


# --------------------------------------------------------------------------------------------- GoBGP


class GoBGP:
    """gobgpd with one neighbor, its gRPC API on 127.0.0.1:`api_port`. `routes` are put in its
    global RIB at each start (gobgpd keeps nothing across restarts), `announce` adds more; gobgpd
    sends them to the neighbor (with its AS prepended and itself as next hop on eBGP, as they are on
    iBGP, with LOCAL_PREF 100 when they have none)."""

    programs = ('gobgpd', 'gobgp')

    def __init__(
        self,
        directory: str,
        *,
        address: str,
        port: int,
        api_port: int,
        asn: int,
        neighbor: str,
        neighbor_as: int,
        neighbor_port: int = 179,
        router_id: str = '10.255.0.3',
        hold_time: int = 90,
        passive: bool = True,
        routes: Iterable[Route] = (),
        password: str | None = None,
        config: str | None = None,
        families: tuple[str, ...] = ('ipv4-unicast', 'ipv6-unicast'),
    ) -> None:
        self.directory = directory
        self.address = address
        self.port = port
        self.password = password
        self.families = families
        self.api_port = api_port
        self.routes = list(routes)
        self.text = config
        self.asn = asn
        self.neighbor = neighbor
        self.neighbor_as = neighbor_as
        self.neighbor_port = neighbor_port
        self.router_id = router_id
        self.hold_time = hold_time
        self.passive = passive
        self.conf = os.path.join(directory, 'gobgpd.toml')
        self.child = Child('gobgpd', os.path.join(directory, 'gobgpd.log'))

    def config(self) -> str:
        """The configuration given (TOML), or the one made of the arguments."""
        if self.text is not None:
            return self.text
        keepalive = max(1, self.hold_time // 3)
        families = ''.join(
            f'\n  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "{name}"'
            for name in self.families
        )
        password = '' if self.password is None else f'\n    auth-password = "{self.password}"'
        return f"""[global.config]
  as = {self.asn}
  router-id = "{self.router_id}"
  port = {self.port}
  local-address-list = ["{self.address}"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "{self.neighbor}"
    peer-as = {self.neighbor_as}{password}
  [neighbors.transport.config]
    passive-mode = {str(self.passive).lower()}
    local-address = "{self.address}"
    remote-port = {self.neighbor_port}
  [neighbors.timers.config]
    hold-time = {self.hold_time}
    keepalive-interval = {keepalive}
    connect-retry = 1{families}
"""

    def start(self, timeout: float = START_TIMEOUT) -> None:
        with open(self.conf, 'w') as handle:
            handle.write(self.config())
        self.child.start(
            [
                program('gobgpd'),
                '-f',
                self.conf,
                '-p',
                '-l',
                'info',
                '--api-hosts',
                f'127.0.0.1:{self.api_port}',
                '--pprof-disable',
            ]
        )

        def ready() -> bool:
            self.child.check_alive()
            return self._gobgp(['global'], check=False).returncode == 0

        _wait(ready, timeout, 'gobgpd to start')
        if self.routes:
            self.announce(self.routes)

    def stop(self) -> None:
        self.child.stop()

    def kill(self) -> None:
        self.child.kill()

    def gobgp(self, *args: str) -> str:
        return self._gobgp(list(args), check=True).stdout

    def _gobgp(self, args: list[str], check: bool) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [program('gobgp'), '-p', str(self.api_port), *args], capture_output=True, text=True, timeout=60
        )
        if check and result.returncode != 0:
            raise PeerError(f'gobgp {" ".join(args)} failed: {result.stderr.strip() or result.stdout.strip()}')
        return result

    def established(self) -> bool:
        answer = json.loads(self.gobgp('-j', 'neighbor', self.neighbor))
        return answer.get('state', {}).get('session_state') == 6  # ESTABLISHED in gobgp's API

    def messages_received(self) -> dict[str, int]:
        """The messages received from the neighbor so far, by kind (update, keepalive, ...)."""
        answer = json.loads(self.gobgp('-j', 'neighbor', self.neighbor))
        return answer.get('state', {}).get('messages', {}).get('received', {})

    def count(self, family: str = 'ipv4') -> int:
        """Prefixes in the global RIB of `family` (ipv4, ipv6, ipv4-flowspec, ...): ours and the
        neighbor's (a FlowSpec rule is one destination)."""
        # an empty table answers {}
        return json.loads(self.gobgp('-j', 'global', 'rib', '-a', family, 'summary')).get('num_destination', 0)

    def received(self, family: str = 'ipv4') -> list[Route]:
        """What the neighbor sent us (its Adj-RIB-In here), with the attributes."""
        answer = json.loads(self.gobgp('-j', 'neighbor', self.neighbor, 'adj-in', '-a', family) or '{}')
        return [parse_gobgp_path(prefix, path) for prefix, paths in answer.items() for path in paths]

    def holds(self, route: Route) -> bool:
        """Whether the global RIB has `route`'s prefix from gobgpd itself (not from the neighbor)."""
        family = 'ipv6' if route.version == 6 else 'ipv4'
        answer = json.loads(self.gobgp('-j', 'global', 'rib', '-a', family, route.prefix) or '{}')
        return any('neighbor-ip' not in path for paths in answer.values() for path in paths)

    def announce(self, routes: Iterable[Route], timeout: float = 60.0) -> None:
        """Put `routes` in the global RIB, and return once gobgpd holds them all: it applies one
        injection stream in order, so it holds them all once it holds the last of each family."""
        routes = list(routes)
        if not routes:
            return
        last = {route.version: route for route in routes}
        fifo = os.path.join(self.directory, 'inject.mrt')
        with contextlib.suppress(FileNotFoundError):
            os.unlink(fifo)
        os.mkfifo(fifo)
        inject = subprocess.Popen(
            [program('gobgp'), '-p', str(self.api_port), 'mrt', 'inject', 'global', fifo],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output: list[bytes] = []
        reader = threading.Thread(target=lambda: output.append(inject.stdout.read()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        try:
            # closing our end is gobgp's EOF, which must wait until gobgpd has everything (see the
            # module docstring)
            with os.fdopen(_open_writer(fifo, inject, timeout), 'wb') as handle:
                handle.write(mrt_table(routes, self.asn, self.address, self.router_id))
                handle.flush()

                def done() -> bool:
                    if inject.poll() is not None:
                        raise PeerError(f'gobgp mrt inject exited early: {b"".join(output).decode(errors="replace")}')
                    return all(self.holds(route) for route in last.values())

                _wait(done, timeout, f'gobgpd to hold {len(routes)} injected routes', interval=0.1)
            inject.wait(timeout)
        finally:
            if inject.poll() is None:
                inject.kill()
                inject.wait()
            reader.join(5)
            os.unlink(fifo)


def _open_writer(fifo: str, reader: subprocess.Popen, timeout: float) -> int:
    """Our end of `fifo` once `reader` opened its own (a plain open would wait forever for a reader
    that died first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: nobody reads yet
                raise
        else:
            os.set_blocking(descriptor, True)
            return descriptor
        if reader.poll() is not None or time.monotonic() > deadline:
            raise PeerError(f'gobgp did not open {fifo} (exit code {reader.returncode})')
        time.sleep(0.01)


def parse_gobgp_path(prefix: str, path: dict) -> Route:
    """A route from one path of gobgp's JSON (`gobgp -j ... rib`): attributes by type code."""
    fields: dict = {'prefix': str(ipaddress.ip_network(prefix))}
    for attribute in path.get('attrs', ()):
        code = attribute.get('type')
        if code == 1:
            fields['origin'] = ORIGINS[attribute['value']]
        elif code == 2:
            fields['as_path'] = tuple(asn for segment in attribute.get('as_paths', ()) for asn in segment['asns'])
        elif code == 3:
            fields['nexthop'] = attribute['nexthop']
        elif code == 4:
            fields['med'] = attribute['metric']
        elif code == 5:
            fields['local_pref'] = attribute['value']
        elif code == 8:
            fields['communities'] = tuple((value >> 16, value & 0xFFFF) for value in attribute['communities'])
        elif code == 14:
            fields['nexthop'] = attribute['nexthop']
    return Route(**fields)


# ----------------------------------------------------------------------------------------------- MRT

MRT_TABLE_DUMP_V2 = 13
PEER_INDEX_TABLE = 1
RIB_IPV4_UNICAST = 2
RIB_IPV6_UNICAST = 4


def _mrt(subtype: int, body: bytes) -> bytes:
    return struct.pack('!IHHI', 0, MRT_TABLE_DUMP_V2, subtype, len(body)) + body


def _attribute(flags: int, code: int, value: bytes) -> bytes:
    if len(value) > 255:
        return struct.pack('!BBH', flags | 0x10, code, len(value)) + value
    return struct.pack('!BBB', flags, code, len(value)) + value


def _attributes(route: Route) -> bytes:
    well_known, optional = 0x40, 0x80
    data = _attribute(well_known, 1, bytes([ORIGINS.index(route.origin)]))
    path = struct.pack(f'!BB{len(route.as_path)}I', 2, len(route.as_path), *route.as_path) if route.as_path else b''
    data += _attribute(well_known, 2, path)
    network = ipaddress.ip_network(route.prefix)
    if network.version == 4:
        data += _attribute(well_known, 3, ipaddress.IPv4Address(route.nexthop or '0.0.0.0').packed)
    else:
        nexthop = ipaddress.IPv6Address(route.nexthop or '::').packed
        # gobgp reads the whole MP_REACH_NLRI layout here, not RFC 6396's next-hop-only form
        data += _attribute(optional, 14, struct.pack('!HBB', 2, 1, 16) + nexthop + b'\x00')
    if route.med is not None:
        data += _attribute(optional, 4, struct.pack('!I', route.med))
    if route.local_pref is not None:
        data += _attribute(well_known, 5, struct.pack('!I', route.local_pref))
    if route.communities:
        packed = b''.join(struct.pack('!HH', asn, value) for asn, value in route.communities)
        data += _attribute(optional | well_known, 8, packed)
    return data


def mrt_table(routes: Iterable[Route], asn: int, address: str, router_id: str) -> bytes:
    """An MRT TABLE_DUMP_V2 dump (RFC 6396 section 4.3) of `routes`, all from one peer (`asn`,
    `address`): the PEER_INDEX_TABLE, then one RIB record per route with four-octet AS numbers."""
    peer_ip = ipaddress.ip_address(address)
    peer_type = 0x02 | (0x01 if peer_ip.version == 6 else 0)  # AS4, IPv6 address
    identifier = ipaddress.IPv4Address(router_id).packed
    peer = struct.pack('!B', peer_type) + identifier + peer_ip.packed + struct.pack('!I', asn)
    chunks = [_mrt(PEER_INDEX_TABLE, identifier + struct.pack('!HH', 0, 1) + peer)]
    for sequence, route in enumerate(routes):
        network = ipaddress.ip_network(route.prefix)
        subtype = RIB_IPV4_UNICAST if network.version == 4 else RIB_IPV6_UNICAST
        packed = network.network_address.packed[: (network.prefixlen + 7) // 8]
        attributes = _attributes(route)
        entry = struct.pack('!HIH', 0, 0, len(attributes)) + attributes
        body = struct.pack('!IB', sequence, network.prefixlen) + packed + struct.pack('!H', 1) + entry
        chunks.append(_mrt(subtype, body))
    return b''.join(chunks)
