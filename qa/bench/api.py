"""How fast routes announced through the API reach a peer, ours next to ExaBGP 5.0.15 in the same run.

    python qa/bench/api.py [--routes 100000] [--per-line 1000] [--oracle EXABGP] [--only ours|oracle]

For each daemon (ours: sbin/exabgp; 5.0.15: --oracle, $ORACLE_EXABGP or /work/oracle/venv/bin/exabgp)
and each way of writing the routes:
- lines:   one `announce route 10.x.y.z/32 next-hop 192.0.2.1` command per line;
- batches: `announce attributes next-hop 192.0.2.1 nlri P1 P2 ...`, --per-line prefixes per command;
an API process waits for the session, notes the time, writes every command as fast as the pipe
takes them (a thread reads the daemon's acknowledgements meanwhile, as 5.0 needs) and a small BGP
receiver here counts the prefixes arriving in UPDATEs. Measured: wall time from the first command to
the last prefix received, and the daemon's CPU time (user + system) over the same span; then the
ratios (5.0.15 / ours). Figures only: nothing is asserted.
"""

import argparse
import asyncio
import os
import pwd
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
MARKER = b'\xff' * 16
TICKS = os.sysconf('SC_CLK_TCK')

ANNOUNCER = """#!{python}
import os, sys, threading, time
def drain():
    while os.read(0, 1 << 16):
        pass
for line in sys.stdin:
    if '"state": "up"' in line:
        break
threading.Thread(target=drain, daemon=True).start()
routes, per_line = {routes}, {per_line}
def prefix(index):
    return f'{{10 + (index >> 16)}}.{{(index >> 8) & 255}}.{{index & 255}}.0/32'
if per_line == 1:
    lines = [f'announce route {{prefix(index)}} next-hop 192.0.2.1' for index in range(routes)]
else:
    lines = [
        'announce attributes next-hop 192.0.2.1 nlri ' + ' '.join(prefix(index) for index in range(start, min(start + per_line, routes)))
        for start in range(0, routes, per_line)
    ]
data = ''.join(line + chr(10) for line in lines).encode()
with open({start!r}, 'w') as out:
    out.write(repr(time.time()))
view = memoryview(data)
while view:
    view = view[os.write(1, view[: 1 << 16]):]
while True:
    time.sleep(3600)
"""

CONFIG = """
process announcer {{
    run {announcer};
    encoder json;
}}
neighbor 127.0.0.1 {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65000;
    hold-time 180;
    family {{ ipv4 unicast; }}
    api {{ processes [ announcer ]; neighbor-changes; }}
}}
"""


def message(kind: int, body: bytes) -> bytes:
    return MARKER + (19 + len(body)).to_bytes(2, 'big') + bytes((kind,)) + body


def announced(body: bytes) -> int:
    """How many IPv4 prefixes the NLRI field of an UPDATE body holds."""
    withdrawn = int.from_bytes(body[:2], 'big')
    start = 2 + withdrawn
    attributes = int.from_bytes(body[start : start + 2], 'big')
    index = start + 2 + attributes
    count = 0
    while index < len(body):
        index += 1 + (body[index] + 7) // 8
        count += 1
    return count


def cpu(pid: int) -> float:
    with open(f'/proc/{pid}/stat') as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Receiver:
    """A BGP peer that mirrors the daemon's OPEN and counts the prefixes it is sent."""

    def __init__(self, wanted: int) -> None:
        self.wanted = wanted
        self.count = 0
        self.done = asyncio.get_running_loop().create_future()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                header = await reader.readexactly(19)
                body = await reader.readexactly(int.from_bytes(header[16:18], 'big') - 19)
                kind = header[18]
                if kind == 1:
                    mirrored = bytearray(body)
                    mirrored[5:9] = bytes((10, 0, 0, 2))
                    writer.write(message(1, bytes(mirrored)) + message(4, b''))
                elif kind == 2:
                    self.count += announced(body)
                    if self.count >= self.wanted and not self.done.done():
                        self.done.set_result(time.time())
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def run(command: list[str], routes: int, per_line: int, folder: str) -> tuple[float, float]:
    receiver = Receiver(routes)
    server = await asyncio.start_server(receiver.serve, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    start_file = os.path.join(folder, 'start')
    if os.path.exists(start_file):
        os.unlink(start_file)
    announcer = os.path.join(folder, 'announcer.py')
    with open(announcer, 'w') as handle:
        handle.write(ANNOUNCER.format(python=sys.executable, routes=routes, per_line=per_line, start=start_file))
    os.chmod(announcer, 0o755)
    config = os.path.join(folder, 'bench.conf')
    with open(config, 'w') as handle:
        handle.write(CONFIG.format(announcer=announcer))
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment.update(
        exabgp_tcp_port=str(port),
        exabgp_tcp_bind='',
        exabgp_api_cli='false',
        exabgp_log_level='WARNING',
        exabgp_daemon_user=pwd.getpwuid(os.getuid()).pw_name,
    )
    daemon = await asyncio.create_subprocess_exec(
        *command, config, env=environment, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        while not os.path.exists(start_file):
            await asyncio.sleep(0.01)
        before = cpu(daemon.pid)
        with open(start_file) as handle:
            started = float(handle.read() or time.time())
        finished = await asyncio.wait_for(receiver.done, 1800)
        return finished - started, cpu(daemon.pid) - before
    finally:
        daemon.terminate()
        try:
            await asyncio.wait_for(daemon.wait(), 20)
        except TimeoutError:
            daemon.kill()
            await daemon.wait()
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--routes', type=int, default=100_000)
    parser.add_argument('--per-line', type=int, default=1000, help='prefixes per `announce attributes` command')
    parser.add_argument('--oracle', default=os.environ.get('ORACLE_EXABGP', '/work/oracle/venv/bin/exabgp'))
    parser.add_argument('--only', choices=('ours', 'oracle'))
    args = parser.parse_args()
    daemons = {'ours': [sys.executable, os.path.join(ROOT, 'sbin', 'exabgp')]}
    if os.path.exists(args.oracle):
        daemons['5.0.15'] = [args.oracle]
    else:
        print(f'no ExaBGP 5.0.15 at {args.oracle} (--oracle): ours only')
    if args.only == 'ours':
        daemons.pop('5.0.15', None)
    elif args.only == 'oracle':
        daemons.pop('ours')
    folder = tempfile.mkdtemp(prefix='exabgp-bench-api-')
    os.chmod(folder, 0o777)
    figures: dict[tuple[str, str], tuple[float, float]] = {}
    try:
        for mode, per_line in (('lines', 1), ('batches', args.per_line)):
            for name, command in daemons.items():
                wall, used = asyncio.run(run(command, args.routes, per_line, folder))
                figures[(name, mode)] = (wall, used)
                print(
                    f'{name:7} {mode:8} {args.routes:,} routes: {wall:8.2f} s wall, {used:8.2f} s CPU, '
                    f'{args.routes / wall:>10,.0f} routes/s',
                    flush=True,
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for mode in ('lines', 'batches'):
        if ('ours', mode) in figures and ('5.0.15', mode) in figures:
            ours, theirs = figures[('ours', mode)], figures[('5.0.15', mode)]
            print(f'{mode:8} 5.0.15 / ours: wall x{theirs[0] / ours[0]:.1f}, CPU x{theirs[1] / ours[1]:.1f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
