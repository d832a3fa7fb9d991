#!/usr/bin/env python3
"""Idle cost of an established daemon: CPU over a window, and resident memory.

The daemon under test connects to a partner (our own daemon, passive) on loopback; once the session
is established (seen from the partner's log) the script samples the tested daemon's CPU time from
/proc over `--seconds`, then prints the share of one core used and the RSS. With `--oracle VENV`
the ExaBGP 5.0.15 release is measured the same way in the same run.

    qa/bench/idle.py [--seconds 60] [--oracle /path/to/venv-with-exabgp-5.0.15]
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
OURS = [sys.executable, os.path.join(ROOT, 'sbin', 'exabgp')]
TICKS = os.sysconf('SC_CLK_TCK')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def config(peer: str, local: str, local_as: int, peer_as: int, passive: bool, routes: int) -> str:
    lines = [f'    route 10.{i // 256}.{i % 256}.0/24 next-hop {local};' for i in range(routes)]
    return f"""neighbor {peer} {{
  router-id {local};
  local-address {local};
  local-as {local_as};
  peer-as {peer_as};
  {'passive;' if passive else ''}
  family {{ ipv4 unicast; }}
  static {{
{chr(10).join(lines)}
  }}
}}
"""


def cpu_seconds(pid: int) -> float:
    with open(f'/proc/{pid}/stat') as handle:
        fields = handle.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mib(pid: int) -> float:
    with open(f'/proc/{pid}/status') as handle:
        for line in handle:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0


def start(command: list[str], conf: str, port: int, bind: str, log: str) -> subprocess.Popen:
    environ = {
        **os.environ,
        'exabgp_tcp_port': str(port),
        'exabgp_tcp_bind': bind,
        'exabgp_api_cli': 'false',
        'exabgp_log_level': 'INFO',
    }
    with open(log, 'w') as output:
        return subprocess.Popen([*command, conf], env=environ, stdout=output, stderr=subprocess.STDOUT)


def established(log: str) -> bool:
    with open(log, errors='replace') as handle:
        text = handle.read().lower()
    return 'established' in text or 'connected to' in text


def measure(name: str, command: list[str], seconds: float, routes: int) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        partner_conf = os.path.join(folder, 'partner.conf')
        tested_conf = os.path.join(folder, 'tested.conf')
        with open(partner_conf, 'w') as handle:
            handle.write(config('127.0.0.1', '127.0.0.2', 65002, 65001, True, 0))
        with open(tested_conf, 'w') as handle:
            handle.write(config('127.0.0.2', '127.0.0.1', 65001, 65002, False, routes))
        partner_log = os.path.join(folder, 'partner.log')
        partner = start(OURS, partner_conf, port, '127.0.0.2', partner_log)
        time.sleep(1.0)
        tested = start(command, tested_conf, port, '', os.path.join(folder, 'tested.log'))
        try:
            deadline = time.monotonic() + 60
            while not established(partner_log):
                if time.monotonic() > deadline or tested.poll() is not None:
                    sys.stdout.write(f'{name}: the session did not come up (see the logs)\n')
                    return
                time.sleep(0.2)
            time.sleep(2.0)
            before = cpu_seconds(tested.pid)
            started = time.monotonic()
            time.sleep(seconds)
            used = cpu_seconds(tested.pid) - before
            elapsed = time.monotonic() - started
            share = 100.0 * used / elapsed
            sys.stdout.write(
                f'{name:<12} idle {elapsed:.0f}s: cpu {used:.2f}s = {share:.2f}% of a core, rss {rss_mib(tested.pid):.1f} MiB\n'
            )
        finally:
            for process in (tested, partner):
                process.terminate()
            for process in (tested, partner):
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--seconds', type=float, default=60.0)
    parser.add_argument('--routes', type=int, default=0, help='static routes the tested daemon announces')
    parser.add_argument('--oracle', default=os.environ.get('ORACLE_VENV', ''), help='venv holding exabgp 5.0.15')
    args = parser.parse_args()
    measure('ours', OURS, args.seconds, args.routes)
    if args.oracle:
        measure('5.0.15', [os.path.join(args.oracle, 'bin', 'exabgp')], args.seconds, args.routes)
    else:
        sys.stdout.write(
            '5.0.15: not measured (give --oracle VENV; python3 -m venv VENV && VENV/bin/pip install exabgp==5.0.15)\n'
        )
    return 0


if __name__ == '__main__':
    sys.exit(main())
