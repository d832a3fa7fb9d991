"""The benchmark suite: ours, ExaBGP 5.0.15 and BIRD 2 doing the same jobs in the same run, with ratios.

    .venv/bin/python qa/bench/suite.py [SCENARIO ...] [--routes 100000] [--repeat 3]
        [--oracle EXABGP|VENV] [--no-oracle] [--oracle-max 100000] [--no-bird] [--big 1000000]
        [--churn-routes 10000] [--cycles 2] [--per-line 1000] [--idle-seconds 60] [--uvloop]

Scenarios (all by default; see qa/bench/README.md for what each figure means):
  static          N routes from the config's static block to a peer; timed from the daemon's start
                  to the peer holding N (config load, connect, RIB, UPDATEs all included)
  static-big      the same with --big routes (1M): the memory target
  api-lines       N `announce route` commands, one per line, from an API process
  api-batches     N routes in `announce attributes ... nlri` commands of --per-line prefixes
  api-flow        --flow-rules distinct FlowSpec rules, one `announce flow route` per line
  api-flow-gobgp  the same sent to a real gobgpd, done when GoBGP holds them all
  inbound         a BIRD peer sends N routes; an API process with `encoder json` counts them
  inbound-uvloop  the same, ours on the default loop and on uvloop
  churn           --churn-routes routes withdrawn and announced again, --cycles times, one per line
  static-vpn      N VPNv4 routes (1,000 VRFs of 100 prefixes, each its RD, label and route target)
                  from the config's static block, as static
  api-vpn         the same routes in `announce route ... rd ... label ...` lines from an API process
  static-vpn-gobgp, api-vpn-gobgp  the same two sent to a real gobgpd, done when GoBGP holds them all
  inbound-bgpls   --bgpls-nlri link-state NLRI (bgpls.py: an IS-IS topology) sent to the daemon; an
                  API process with `encoder json` counts them: a topology collector
  config-load     `exabgp validate` of N routes with varied attributes (bird: `bird -p`)
  config-flow     `exabgp validate` of a flow block of --flow-rules distinct rules
  decode          `exabgp decode` of one UPDATE: start-up cost of the command line
  idle            CPU over --idle-seconds with one established BIRD peer

The outbound peer is the counting receiver of harness.py by default: BIRD and GoBGP take longer to
ingest 100k routes than ours takes to send them (and reading their count means polling their CLI),
so much of the figure would be theirs. It holds what it is sent, so churn is checked exactly.
`--receiver bird` makes a real BIRD the outbound peer instead (its table polled with birdc).

Each scenario runs --repeat times, the daemons interleaved within each repeat (order rotated), and
the table at the end shows the best run of each with the spread of the others. Figures only.
"""

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time

import bgpls
import harness
from harness import Receiver, Run, Series, prefix
from peers import Bird, GoBGP, Route, free_port, missing, program

TIMEOUT = 1800.0
OURS, ORACLE, BIRD, UVLOOP = 'ours', '5.0.15', 'bird', 'uvloop'
# one UPDATE: ORIGIN IGP, an empty AS_PATH, NEXT_HOP 192.0.2.1, MED 5, and 10.0.0.0/24
_BODY = bytes.fromhex('0000001540010100400200400304c000020180040400000005180a0000')
UPDATE = harness.message(2, _BODY).hex().upper()


class Bench:
    def __init__(self, args: argparse.Namespace, oracle: str) -> None:
        self.args = args
        self.commands = {OURS: harness.OURS, UVLOOP: harness.OURS}
        if oracle:
            self.commands[ORACLE] = [oracle]
        self.bird = not args.no_bird and not missing('bird', 'birdc')
        self.folder = ''

    def settings(self, who: str, **extra: str) -> dict[str, str]:
        if who == UVLOOP:
            extra['exabgp_loop_uvloop'] = 'true'
        return harness.environment(**extra)

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def receiver(self, sender: str = '127.0.0.1', kind: str = '') -> 'Receiver | BirdReceiver | GoBGPReceiver':
        """The outbound peer `kind` (else `--receiver`) names, expecting a session from `sender`."""
        kind = kind or self.args.receiver
        if kind == 'gobgp':
            return GoBGPReceiver(os.path.join(self.folder, 'receiver'), sender)
        if kind == 'gobgp-vpn':
            return GoBGPReceiver(os.path.join(self.folder, 'receiver'), sender, 'l3vpn-ipv4-unicast', 'vpnv4')
        if kind == 'bird':
            return BirdReceiver(os.path.join(self.folder, 'receiver'), sender)
        return Receiver()

    def daemon(self, who: str, port: int, name: str, text: str, **extra: str) -> subprocess.Popen:
        """`who` started on the configuration `text` (written as NAME.conf), connecting to `port`
        and listening nowhere, with the `extra` settings; its output goes to daemon.log."""
        config = self.path(f'{name}.conf')
        with open(config, 'w') as handle:
            handle.write(text)
        return harness.spawn(
            [*self.commands[who], config],
            self.settings(who, exabgp_tcp_port=str(port), exabgp_tcp_bind='', **extra),
            self.path('daemon.log'),
        )

    # ---------------------------------------------------------------------------- outbound

    async def static(self, who: str, count: int, vpn: bool = False, receiver_kind: str = '') -> Run:
        receiver = self.receiver('127.0.0.2' if who == BIRD else '127.0.0.1', receiver_kind)
        port = await receiver.start()
        try:
            if who == BIRD:
                return await self._bird_static(receiver, port, count)
            if vpn:
                routes = (vpn_route(index) for index in range(count))
                text = harness.neighbor(
                    receiver.address, '127.0.0.1', 65000, 65000, routes=routes, families=('ipv4 mpls-vpn',)
                )
            else:
                routes = (f'route {prefix(index)} next-hop 192.0.2.1' for index in range(count))
                text = harness.neighbor(receiver.address, '127.0.0.1', 65000, 65000, routes=routes)
            started = time.time()
            daemon = self.daemon(who, port, 'static', text)
            try:
                done = await self._until(receiver, count, daemon)
                return Run(done - started, harness.cpu_seconds(daemon.pid), harness.memory_mib(daemon.pid), count)
            finally:
                harness.stop(daemon)
        finally:
            receiver.close()

    def _bird_sender(self, receiver: 'Receiver | BirdReceiver', port: int, count: int) -> Bird:
        """BIRD announcing routes 0..count-1 from a static protocol to the receiver (iBGP, from 127.0.0.2)."""
        return Bird(
            self.path(''),
            address='127.0.0.2',
            port=free_port('127.0.0.2'),
            asn=65000,
            neighbor=receiver.address,
            neighbor_as=65000,
            neighbor_port=port,
            passive=False,
            routes=[Route(prefix(index)) for index in range(count)],
        )

    async def _bird_static(self, receiver: 'Receiver | BirdReceiver', port: int, count: int) -> Run:
        bird = self._bird_sender(receiver, port, count)
        started = time.time()
        bird.start()
        ready = time.time()
        try:
            opened = await harness.poll(receiver.connected, 60, 'bird to connect', 0.001)
            done = await receiver.wait(count, TIMEOUT)
            pid = bird.child.pid
            # bird waits a second (`connect delay time`) before it connects: not counted
            wall = (ready - started) + (done - opened)
            return Run(wall, harness.cpu_seconds(pid), harness.memory_mib(pid), count, 'less its connect delay')
        finally:
            bird.stop()

    async def _until(
        self, receiver: 'Receiver | BirdReceiver | GoBGPReceiver', count: int, daemon: subprocess.Popen
    ) -> float:
        waiting = asyncio.ensure_future(receiver.wait(count, TIMEOUT))
        while not waiting.done():
            if daemon.poll() is not None:
                waiting.cancel()
                raise RuntimeError(
                    f'the daemon exited with {daemon.returncode}:\n{harness.tail(self.path("daemon.log"))}'
                )
            await asyncio.wait([waiting], timeout=0.2)
        return waiting.result()

    async def api(
        self, who: str, count: int, per_line: int, flow: bool = False, vpn: bool = False, receiver_kind: str = ''
    ) -> Run:
        notes = self.path('notes')
        if os.path.exists(notes):
            os.unlink(notes)
        body = f"""
wait_up()
threading.Thread(target=drain, daemon=True).start()
def prefix(index):
    return f'{{10 + (index >> 16)}}.{{(index >> 8) & 255}}.{{index & 255}}.0/32'
routes, per_line = {count}, {per_line}
if {vpn}:
    lines = [
        'announce ' + {VPN_ROUTE!r}.format(vrf=index // 100, label=16 + index // 100, net=index % 100)
        for index in range(routes)
    ]
elif {flow}:
    lines = [
        f'announce flow route destination {{prefix(index)}} protocol tcp destination-port =80 rate-limit 9600'
        for index in range(routes)
    ]
elif per_line == 1:
    lines = [f'announce route {{prefix(index)}} next-hop 192.0.2.1' for index in range(routes)]
else:
    lines = [
        'announce attributes next-hop 192.0.2.1 nlri ' + ' '.join(prefix(index) for index in range(start, min(start + per_line, routes)))
        for start in range(0, routes, per_line)
    ]
view = memoryview(''.join(line + chr(10) for line in lines).encode())
note({notes!r})
while view:
    view = view[os.write(1, view[: 1 << 16]):]
while True:
    time.sleep(3600)
"""
        announcer = harness.script(self.folder, 'announcer.py', harness.API_PREAMBLE + body)
        receiver = self.receiver(kind=receiver_kind)
        port = await receiver.start()
        api = 'processes [ announcer ]; neighbor-changes;'
        family = 'ipv4 flow' if flow else 'ipv4 mpls-vpn' if vpn else 'ipv4 unicast'
        text = harness.process('announcer', announcer) + harness.neighbor(
            receiver.address, '127.0.0.1', 65000, 65000, api=api, families=(family,)
        )
        daemon = self.daemon(who, port, 'api', text)
        try:
            done = await self._until(receiver, count, daemon)
            cpu, rss = harness.cpu_seconds(daemon.pid), harness.memory_mib(daemon.pid)
            started, before, _, _ = harness.read_notes(notes)[0]
            return Run(done - started, cpu - before, rss, count)
        finally:
            harness.stop(daemon)
            receiver.close()

    async def churn(self, who: str, count: int, cycles: int) -> Run:
        receiver = self.receiver('127.0.0.2' if who == BIRD else '127.0.0.1')
        port = await receiver.start()
        try:
            if who == BIRD:
                return await self._bird_churn(receiver, port, count, cycles)
            fifo = self.path('go')
            if os.path.exists(fifo):
                os.unlink(fifo)
            os.mkfifo(fifo)
            body = f"""
wait_up()
threading.Thread(target=drain, daemon=True).start()
def prefix(index):
    return f'{{10 + (index >> 16)}}.{{(index >> 8) & 255}}.{{index & 255}}.0/32'
def commands(verb):
    return ''.join(f'{{verb}} route {{prefix(index)}} next-hop 192.0.2.1' + chr(10) for index in range({count})).encode()
def write(data):
    view = memoryview(data)
    while view:
        view = view[os.write(1, view[: 1 << 16]):]
announce, withdraw = commands('announce'), commands('withdraw')
write(announce)
go = open({fifo!r})
for _ in range({cycles}):
    for data in (withdraw, announce):
        go.readline()
        write(data)
while True:
    time.sleep(3600)
"""
            churner = harness.script(self.folder, 'churner.py', harness.API_PREAMBLE + body)
            api = 'processes [ churner ]; neighbor-changes;'
            text = harness.process('churner', churner) + harness.neighbor(
                receiver.address, '127.0.0.1', 65000, 65000, api=api
            )
            daemon = self.daemon(who, port, 'churn', text)
            try:
                await self._until(receiver, count, daemon)
                started, before = time.time(), harness.cpu_seconds(daemon.pid)
                with open(fifo, 'w') as go:
                    for _ in range(cycles):
                        for target in (0, count):
                            go.write('go\n')
                            go.flush()
                            done = await self._until(receiver, target, daemon)
                cpu = harness.cpu_seconds(daemon.pid) - before
                return Run(done - started, cpu, harness.memory_mib(daemon.pid), 2 * count * cycles)
            finally:
                harness.stop(daemon)
        finally:
            receiver.close()

    async def _bird_churn(self, receiver: 'Receiver | BirdReceiver', port: int, count: int, cycles: int) -> Run:
        bird = self._bird_sender(receiver, port, count)
        bird.start()
        try:
            await receiver.wait(count, TIMEOUT)
            pid = bird.child.pid
            started, before = time.time(), harness.cpu_seconds(pid)
            for _ in range(cycles):
                for command, target in (('disable static4', 0), ('enable static4', count)):
                    bird.birdc(command)
                    done = await receiver.wait(target, TIMEOUT)
            cpu = harness.cpu_seconds(pid) - before
            return Run(done - started, cpu, harness.memory_mib(pid), 2 * count * cycles, 'birdc disable/enable')
        finally:
            bird.stop()

    # ----------------------------------------------------------------------------- inbound

    async def inbound(self, who: str, count: int) -> Run:
        routes = [Route(prefix(index)) for index in range(count)]
        address = '127.0.0.2'
        port = free_port(address)
        peer = {'address': address, 'port': port, 'asn': 65002, 'neighbor': '127.0.0.1', 'neighbor_as': 65001}
        if self.args.sender == 'gobgp':
            sender = GoBGP(self.path(''), api_port=free_port('127.0.0.1'), routes=routes, **peer)
        else:
            sender = Bird(self.path(''), routes=routes, **peer)
        sender.start()
        try:
            if who == BIRD:
                return await self._bird_inbound(count, port)
            notes = self.path('notes')
            if os.path.exists(notes):
                os.unlink(notes)
            body = f"""
wait_up()
note({notes!r})
seen = 0
for line in sys.stdin:
    if '"update"' in line:
        # each announced route is one '"nlri"' member before any "withdraw"
        seen += line.split('"withdraw"', 1)[0].count('"nlri"')
    if seen >= {count}:
        note({notes!r})
        break
drain()
"""
            counter = harness.script(self.folder, 'counter.py', harness.API_PREAMBLE + body)
            api = 'processes [ counter ]; neighbor-changes; receive { parsed; update; }'
            text = harness.process('counter', counter) + harness.neighbor(address, '127.0.0.1', 65001, 65002, api=api)
            daemon = self.daemon(who, port, 'inbound', text)
            try:
                await harness.poll(
                    lambda: len(harness.read_notes(notes)) >= 2 or daemon.poll() is not None,
                    TIMEOUT,
                    'the counter',
                    0.05,
                )
                marks = harness.read_notes(notes)
                if len(marks) < 2:
                    raise RuntimeError(
                        f'the daemon exited with {daemon.returncode}:\n{harness.tail(self.path("daemon.log"))}'
                    )
                (start, before, _, _), (end, after, peak, _) = marks[:2]
                return Run(end - start, after - before, peak, count)
            finally:
                harness.stop(daemon)
        finally:
            sender.stop()

    async def inbound_bgpls(self, who: str, count: int) -> Run:
        """A topology collector: `count` link-state NLRI (bgpls.feed) from a peer, to an API process
        with `encoder json` that counts them; timed from it seeing the session up to the last."""
        feeder = bgpls.Feeder(bgpls.feed(count))
        port = await feeder.start()
        notes = self.path('notes')
        if os.path.exists(notes):
            os.unlink(notes)
        # raw reads, not lines: the JSON of 50k NLRI is some 80 MB, which a line loop on a busy
        # machine reads slower than the daemon writes (ours then drops events past process.queue)
        body = f"""
UP, TOKEN = b'"state": "up"', b'"ls-nlri-type"'
data = b''
while UP not in data:
    chunk = os.read(0, 1 << 20)
    if not chunk:
        os._exit(0)
    data += chunk
note({notes!r})
data = data[data.index(UP):]
seen = 0
while True:
    seen += data.count(TOKEN)
    if seen >= {count}:
        break
    tail = data[1 - len(TOKEN):]
    chunk = os.read(0, 1 << 20)
    if not chunk:
        os._exit(0)
    data = tail + chunk
note({notes!r})
drain()
"""
        counter = harness.script(self.folder, 'counter.py', harness.API_PREAMBLE + body)
        api = 'processes [ counter ]; neighbor-changes; receive { parsed; update; }'
        text = harness.process('counter', counter) + harness.neighbor(
            feeder.address, '127.0.0.1', 65000, 65000, api=api, families=('bgp-ls bgp-ls',)
        )
        # the JSON of the feed (some 80 MB) comes faster than a process on a busy machine reads
        # it: past process.queue (32 MiB) ours drops events, by design, where 5.0.15 stops reading
        # the session; here every event must arrive, so ours queues what it must (its peak shows it)
        extra = {'exabgp_process_queue': str(1 << 30)} if who in (OURS, UVLOOP) else {}
        daemon = self.daemon(who, port, 'bgpls', text, **extra)
        try:
            await harness.poll(
                lambda: len(harness.read_notes(notes)) >= 2 or daemon.poll() is not None, TIMEOUT, 'the counter', 0.05
            )
            marks = harness.read_notes(notes)
            if len(marks) < 2:
                raise RuntimeError(
                    f'the daemon exited with {daemon.returncode}:\n{harness.tail(self.path("daemon.log"))}'
                )
            (start, before, _, _), (end, after, peak, _) = marks[:2]
            return Run(end - start, after - before, peak, count)
        finally:
            harness.stop(daemon)
            feeder.close()

    def _bird_in_our_place(self, name: str, port: int, hold_time: int = 90) -> Bird:
        """BIRD started where our daemon would be (127.0.0.1, AS 65001), connecting to the peer on
        127.0.0.2:`port` (AS 65002); its files in the folder `name`."""
        bird = Bird(
            os.path.join(self.folder, name),
            address='127.0.0.1',
            port=free_port('127.0.0.1'),
            asn=65001,
            neighbor='127.0.0.2',
            neighbor_as=65002,
            neighbor_port=port,
            passive=False,
            hold_time=hold_time,
            router_id='10.255.0.9',
        )
        os.makedirs(bird.directory, exist_ok=True)
        bird.start()
        return bird

    async def _bird_inbound(self, count: int, port: int) -> Run:
        bird = self._bird_in_our_place('receiver', port)
        try:
            pid = bird.child.pid
            await harness.poll(bird.established, 60, 'bird to connect', 0.002)
            started, before = time.time(), harness.cpu_seconds(pid)
            done = await harness.poll(lambda: bird.count('master4', 'exabgp') >= count, TIMEOUT, 'bird', 0.01)
            cpu = harness.cpu_seconds(pid) - before
            return Run(done - started, cpu, harness.memory_mib(pid), count, 'polled with birdc')
        finally:
            bird.stop()

    # ------------------------------------------------------------------------------- others

    async def config_load(self, who: str, count: int) -> Run:
        path = self.path(f'load-{count}.conf')
        if who == BIRD:
            path = self.path(f'load-{count}.bird')
        if not os.path.exists(path):
            with open(path, 'w') as handle:
                if who == BIRD:
                    bird = Bird(
                        self.folder,
                        address='127.0.0.1',
                        port=179,
                        asn=65000,
                        neighbor='127.0.0.2',
                        neighbor_as=65001,
                        routes=(_varied(index) for index in range(count)),
                    )
                    handle.write(bird.config())
                else:
                    routes = (_varied(index) for index in range(count))
                    handle.write(
                        harness.neighbor(
                            '127.0.0.1', '127.0.0.1', 65000, 65001, routes=(_exabgp_route(route) for route in routes)
                        )
                    )
        command = [program('bird'), '-p', '-c', path] if who == BIRD else [*self.commands[who], 'validate', path]
        return _child(command, self.settings(who, exabgp_log_enable='false'), count)

    async def config_flow(self, who: str, count: int) -> Run:
        """`validate` a configuration of `count` distinct FlowSpec rules (5.0's flow block)."""
        path = self.path(f'flow-{count}.conf')
        rules = ''.join(
            f'        route r{index} {{ match {{ destination {harness.prefix(index)}; protocol tcp; '
            f'destination-port [ =80 =443 ]; }} then {{ rate-limit 9600; }} }}\n'
            for index in range(count)
        )
        text = harness.neighbor('127.0.0.1', '127.0.0.1', 65000, 65001, families=('ipv4 flow',))
        with open(path, 'w') as handle:
            handle.write(text[: text.rindex('}')] + '    flow {\n' + rules + '    }\n}\n')
        command = [*self.commands[who], 'validate', path]
        return _child(command, self.settings(who, exabgp_log_enable='false'), count)

    async def decode(self, who: str) -> Run:
        return _child([*self.commands[who], 'decode', UPDATE], self.settings(who), 0)

    async def idle(self, who: str, seconds: float) -> Run:
        port = free_port('127.0.0.2')
        partner = Bird(
            self.path(''),
            address='127.0.0.2',
            port=port,
            asn=65002,
            neighbor='127.0.0.1',
            neighbor_as=65001,
            hold_time=180,
        )
        partner.start()
        tested = None
        try:
            if who == BIRD:
                tested = self._bird_in_our_place('tested', port, hold_time=180)
                pid = tested.child.pid
            else:
                tested = self.daemon(who, port, 'idle', harness.neighbor('127.0.0.2', '127.0.0.1', 65001, 65002))
                pid = tested.pid
            await harness.poll(partner.established, 60, 'the session', 0.2)
            await asyncio.sleep(2.0)
            started, before = time.monotonic(), harness.cpu_seconds(pid)
            await asyncio.sleep(seconds)
            used, elapsed = harness.cpu_seconds(pid) - before, time.monotonic() - started
            return Run(elapsed, used, harness.memory_mib(pid), 0, f'{100 * used / elapsed:.2f}% of a core')
        finally:
            if isinstance(tested, Bird):
                tested.stop()
            elif tested is not None:
                harness.stop(tested)
            partner.stop()


class GoBGPReceiver:
    """gobgpd as the outbound peer (the issues' benchmarks): passive on 127.0.0.3, iBGP with the
    sender, one family (`family`, its gobgpd name: FlowSpec by default); a count is reached at the
    first `gobgp global rib -a TABLE summary` (polled every 50 ms) that shows it, so GoBGP's ingest
    is in the figure."""

    address = '127.0.0.3'

    def __init__(
        self, directory: str, sender: str, family: str = 'ipv4-flowspec', table: str = 'ipv4-flowspec'
    ) -> None:
        self.family = family
        self.table = table
        os.makedirs(directory, exist_ok=True)
        self.gobgp = GoBGP(
            directory,
            address=self.address,
            port=free_port(self.address),
            api_port=free_port('127.0.0.1'),
            asn=65000,
            neighbor=sender,
            neighbor_as=65000,
            hold_time=180,
            families=(self.family,),
        )

    async def start(self) -> int:
        self.gobgp.start()
        return self.gobgp.port

    def connected(self) -> bool:
        return self.gobgp.established()

    async def wait(self, count: int, timeout: float) -> float:
        return await harness.poll(lambda: self.gobgp.count(self.table) == count, timeout, 'gobgpd', 0.05)

    def close(self) -> None:
        self.gobgp.stop()


class BirdReceiver:
    """BIRD 2 as the outbound peer, the `Receiver` interface over birdc: passive on 127.0.0.3 in the
    sender's AS (iBGP, so it keeps the routes whatever their AS_PATH), importing everything; the time
    a count is reached is the first poll (every 50 ms) that sees it in BIRD's table."""

    address = '127.0.0.3'

    def __init__(self, directory: str, sender: str) -> None:
        os.makedirs(directory, exist_ok=True)
        self.bird = Bird(
            directory,
            address=self.address,
            port=free_port(self.address),
            asn=65000,
            neighbor=sender,
            neighbor_as=65000,
            hold_time=180,
            router_id='10.255.0.3',
        )

    async def start(self) -> int:
        self.bird.start()
        return self.bird.port

    def connected(self) -> bool:
        return self.bird.established()

    async def wait(self, count: int, timeout: float) -> float:
        return await harness.poll(lambda: self.bird.count('master4', 'exabgp') == count, timeout, 'bird', 0.05)

    def close(self) -> None:
        self.bird.stop()


def _varied(index: int) -> Route:
    """A route of a realistic table: attributes from a few dozen combinations."""
    return Route(
        prefix(index, 24),
        nexthop=f'192.0.2.{1 + index % 4}',
        as_path=(65001, 64512 + index % 3),
        med=index % 10,
        communities=((65000, index % 5), (65000, 100)),
    )


def _exabgp_route(route: Route) -> str:
    communities = ' '.join(f'{asn}:{value}' for asn, value in route.communities)
    path = ' '.join(str(asn) for asn in route.as_path)
    return (
        f'route {route.prefix} next-hop {route.nexthop} med {route.med} as-path [ {path} ] community [ {communities} ]'
    )


# A fresh interpreter starts the command and reports its wait4 figures: Linux carries the peak RSS
# of the process that forks over exec into the child's ru_maxrss, and this suite grows (the
# receiver's sets), so its own children would show its size. The launcher's own RSS (~8 MiB) is
# the floor of what can be seen this way.
LAUNCHER = """import os, sys, time
started = time.perf_counter()
quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


# the index-th VPNv4 route: VRF index // 100 (its RD, label and route target) and its prefix
# index % 100; the same 100 prefixes in every VRF, as customers' address plans overlap
VPN_ROUTE = (
    'route 10.{net}.0.0/24 rd 65000:{vrf} label {label} next-hop 192.0.2.1 extended-community [ target:65000:{vrf} ]'
)


def vpn_route(index: int) -> str:
    return VPN_ROUTE.format(vrf=index // 100, label=16 + index // 100, net=index % 100)


def _child(command: list[str], env: dict[str, str], routes: int) -> Run:
    """Run a command to its end: wall, CPU and peak RSS from wait4 (in a launcher, see above)."""
    launcher = [sys.executable, '-I', '-S', '-c', LAUNCHER, shutil.which(command[0]) or command[0], *command[1:]]
    result = subprocess.run(launcher, env=env, capture_output=True, text=True, check=True)
    wall, cpu, peak, code = result.stdout.split()
    return Run(float(wall), float(cpu), int(peak) / 1024, routes, '' if code == '0' else f'exit {code}')


SCENARIOS = (
    'static',
    'static-big',
    'api-lines',
    'api-batches',
    'api-flow',
    'api-flow-gobgp',
    'inbound',
    'inbound-uvloop',
    'churn',
    'static-vpn',
    'api-vpn',
    'static-vpn-gobgp',
    'api-vpn-gobgp',
    'inbound-bgpls',
    'config-load',
    'config-flow',
    'decode',
    'idle',
)


# the scenarios whose figure is a running daemon's: --uvloop runs ours on uvloop in them too
LOOPED = (
    'static',
    'static-big',
    'api-lines',
    'api-batches',
    'api-flow',
    'api-flow-gobgp',
    'inbound',
    'churn',
    'static-vpn',
    'api-vpn',
    'static-vpn-gobgp',
    'api-vpn-gobgp',
    'inbound-bgpls',
    'idle',
)


def plan(bench: Bench, name: str) -> tuple[list[str], object]:
    """The daemons a scenario compares and the coroutine function measuring one of them."""
    args = bench.args
    everyone = [OURS, ORACLE, BIRD]
    table = {
        'static': (everyone, lambda who: bench.static(who, args.routes)),
        'static-big': (everyone, lambda who: bench.static(who, args.big)),
        'api-lines': ([OURS, ORACLE], lambda who: bench.api(who, args.routes, 1)),
        'api-batches': ([OURS, ORACLE], lambda who: bench.api(who, args.routes, args.per_line)),
        'api-flow': ([OURS, ORACLE], lambda who: bench.api(who, args.flow_rules, 1, flow=True)),
        'api-flow-gobgp': (
            [OURS, ORACLE],
            lambda who: bench.api(who, args.flow_rules, 1, flow=True, receiver_kind='gobgp'),
        ),
        'inbound': (everyone, lambda who: bench.inbound(who, args.routes)),
        'inbound-uvloop': ([OURS, UVLOOP], lambda who: bench.inbound(who, args.routes)),
        'churn': (everyone, lambda who: bench.churn(who, args.churn_routes, args.cycles)),
        'static-vpn': ([OURS, ORACLE], lambda who: bench.static(who, args.routes, vpn=True)),
        'api-vpn': ([OURS, ORACLE], lambda who: bench.api(who, args.routes, 1, vpn=True)),
        'static-vpn-gobgp': (
            [OURS, ORACLE],
            lambda who: bench.static(who, args.routes, vpn=True, receiver_kind='gobgp-vpn'),
        ),
        'api-vpn-gobgp': (
            [OURS, ORACLE],
            lambda who: bench.api(who, args.routes, 1, vpn=True, receiver_kind='gobgp-vpn'),
        ),
        'inbound-bgpls': ([OURS, ORACLE], lambda who: bench.inbound_bgpls(who, args.bgpls_nlri)),
        'config-load': (everyone, lambda who: bench.config_load(who, args.routes)),
        'config-flow': ([OURS, ORACLE], lambda who: bench.config_flow(who, args.flow_rules)),
        'decode': ([OURS, ORACLE], lambda who: _decode_many(bench, who)),
        'idle': (everyone, lambda who: bench.idle(who, args.idle_seconds)),
    }
    daemons, measure = table[name]
    if args.uvloop and name in LOOPED and UVLOOP not in daemons:
        daemons = [OURS, UVLOOP, *daemons[1:]]
    return daemons, measure


async def _decode_many(bench: Bench, who: str) -> Run:
    runs = [await bench.decode(who) for _ in range(5)]
    best = min(runs, key=lambda run: run.wall)
    best.note = f'best of 5 ({max(run.wall for run in runs):.3f} s worst)'
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('scenarios', nargs='*', metavar='SCENARIO', help=' '.join(SCENARIOS))
    parser.add_argument('--routes', type=int, default=100_000)
    parser.add_argument('--big', type=int, default=1_000_000, help='routes of static-big')
    parser.add_argument('--churn-routes', type=int, default=10_000)
    parser.add_argument(
        '--flow-rules', type=int, default=10_000, help='FlowSpec rules of api-flow, api-flow-gobgp and config-flow'
    )
    parser.add_argument('--bgpls-nlri', type=int, default=50_000, help='link-state NLRI of inbound-bgpls')
    parser.add_argument('--cycles', type=int, default=2)
    parser.add_argument('--per-line', type=int, default=1000, help='prefixes per `announce attributes` command')
    parser.add_argument('--idle-seconds', type=float, default=60.0)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument(
        '--oracle',
        default='',
        help='the exabgp 5.0.15 command or its venv (else $ORACLE_EXABGP, a known venv, or one made now)',
    )
    parser.add_argument('--no-oracle', action='store_true', help='measure ours (and bird) only')
    parser.add_argument(
        '--oracle-max',
        type=int,
        default=100_000,
        help='5.0.15 is skipped for more routes than this (static-big: quoted, 4.6 GB)',
    )
    parser.add_argument('--oracle-repeat', type=int, default=0, help='runs of 5.0.15 per scenario (default: --repeat)')
    parser.add_argument('--no-bird', action='store_true')
    parser.add_argument('--uvloop', action='store_true', help='also run ours on uvloop in every daemon scenario')
    parser.add_argument(
        '--receiver', choices=('counter', 'bird'), default='counter', help='the outbound peer (see above)'
    )
    parser.add_argument('--sender', choices=('gobgp', 'bird'), default='gobgp', help='the peer sending routes inbound')
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f'no scenario {", ".join(sorted(unknown))}: choose among {", ".join(SCENARIOS)}')
    harness.compile_ours()
    bench = Bench(args, '' if args.no_oracle else harness.oracle(args.oracle))
    results: dict[str, dict[str, Series]] = {}
    for name in args.scenarios or SCENARIOS:
        daemons, measure = plan(bench, name)
        series = results[name] = {who: Series() for who in daemons}
        size = {
            'static-big': args.big,
            'churn': args.churn_routes,
            'api-flow': args.flow_rules,
            'api-flow-gobgp': args.flow_rules,
            'config-flow': args.flow_rules,
            'inbound-bgpls': args.bgpls_nlri,
        }.get(name, args.routes)
        if ORACLE in series and (ORACLE not in bench.commands or size > args.oracle_max):
            series[ORACLE].skipped = (
                'not run' if ORACLE not in bench.commands else f'skipped above --oracle-max {args.oracle_max:,}'
            )
        if BIRD in series and not bench.bird:
            series[BIRD].skipped = 'not run'
        print(f'{name}:', flush=True)
        for repeat in range(args.repeat):
            order = daemons[repeat % len(daemons) :] + daemons[: repeat % len(daemons)]
            for who in order:
                if series[who].skipped or (who == ORACLE and args.oracle_repeat and repeat >= args.oracle_repeat):
                    continue
                bench.folder = tempfile.mkdtemp(prefix='exabgp-bench-')
                os.chmod(bench.folder, 0o755)
                try:
                    run = asyncio.run(measure(who))
                except (RuntimeError, TimeoutError, OSError) as exc:
                    print(f'  {who:<8} failed: {exc}', flush=True)
                    continue
                finally:
                    shutil.rmtree(bench.folder, ignore_errors=True)
                series[who].runs.append(run)
                print(harness.line(who, run, 'routes/s'), flush=True)
    summary(results)
    return 0


def summary(results: dict[str, dict[str, Series]]) -> None:
    print('\nbest of each (spread of wall over the runs); ratios are other / ours: above 1, ours is better')
    for name, series in results.items():
        print(f'{name}:')
        ours = series[OURS].best
        for who, found in series.items():
            best = found.best
            if best is None:
                print(f'  {who:<8} {found.skipped or "no run"}')
                continue
            text = harness.line(who, best)
            if who != OURS and ours is not None:
                cpu = f'{best.cpu / ours.cpu:.2f}' if ours.cpu else '-'
                text += f'  | x{best.wall / ours.wall:.2f} wall, x{cpu} CPU, x{best.rss / ours.rss:.2f} RSS'
            if found.spread('wall'):
                text += f'  [wall {found.spread("wall")}]'
            print(text)
    sys.stdout.flush()


if __name__ == '__main__':
    sys.exit(main())
