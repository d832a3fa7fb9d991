"""How long loading a big static configuration takes, and how much memory: ours against 5.0.15.

    python qa/bench/config_load.py [--routes 100000 1000000] [--oracle-max 100000] [--oracle PATH]

Writes one configuration per size in a temporary folder (a neighbor with N `route` lines, /24s in
address order, attributes drawn from a few dozen combinations as a real table has), then loads each
in a child process, once with our `exabgp validate` and once with 5.0.15's, and reports the wall
time and the child's peak resident memory (from wait4's rusage). 5.0.15 needs minutes and gigabytes
for a million routes: sizes above --oracle-max are measured for us only. Prints figures, asserts
nothing.
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
OURS = [sys.executable, str(ROOT / 'sbin' / 'exabgp'), 'validate']
ORACLE = '/work/oracle/venv/bin/exabgp'

HEADER = """\
neighbor 127.0.0.1 {
    router-id 192.0.2.254;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65001;
    family {
        ipv4 unicast;
    }
    static {
"""


def write(path: pathlib.Path, routes: int) -> None:
    with path.open('w') as out:
        out.write(HEADER)
        base = 1 << 24  # 1.0.0.0
        for index in range(routes):
            address = base + (index << 8)
            prefix = f'{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.0/24'
            out.write(
                f'        route {prefix} next-hop 192.0.2.{1 + index % 4} med {index % 10} '
                f'as-path [ 65001 {64512 + index % 3} ] community [ 65000:{index % 5} 65000:100 ];\n'
            )
        out.write('    }\n}\n')


def measure(command: list[str], path: pathlib.Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MiB, exit code) of a child process loading the configuration."""
    env = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    env['exabgp_log_enable'] = 'false'
    start = time.perf_counter()
    child = subprocess.Popen(
        [*command, str(path)], env=env, cwd=path.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux
    return seconds, usage.ru_maxrss // 1024, child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--routes', type=int, nargs='+', default=[100_000, 1_000_000])
    parser.add_argument('--oracle-max', type=int, default=100_000, help='largest size also run with 5.0.15')
    parser.add_argument('--oracle', default=ORACLE, help="5.0.15's exabgp command ('' to skip it)")
    args = parser.parse_args()
    oracle = args.oracle if args.oracle and os.path.exists(args.oracle) else ''

    print(f'{"routes":>10}  {"who":<8} {"seconds":>9} {"peak MiB":>9}  ratio (ours / 5.0.15)')
    with tempfile.TemporaryDirectory() as folder:
        for size in args.routes:
            path = pathlib.Path(folder) / f'routes-{size}.conf'
            write(path, size)
            seconds, peak, code = measure(OURS, path)
            print(f'{size:>10,}  {"ours":<8} {seconds:>9.2f} {peak:>9,}' + ('' if code == 0 else f'  (exit {code})'))
            sys.stdout.flush()
            if oracle and size <= args.oracle_max:
                their_seconds, their_peak, their_code = measure([oracle, 'validate'], path)
                print(
                    f'{size:>10,}  {"5.0.15":<8} {their_seconds:>9.2f} {their_peak:>9,}'
                    + ('' if their_code == 0 else f'  (exit {their_code})')
                    + f'  time {seconds / their_seconds:.3f}, memory {peak / their_peak:.3f}'
                )
                sys.stdout.flush()
            path.unlink()
    return 0


if __name__ == '__main__':
    sys.exit(main())
