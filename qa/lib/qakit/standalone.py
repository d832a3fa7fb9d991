"""The command line of the test peer (qa/sbin/bgp), for running a case by hand.

Start it, then the daemon with `exabgp_tcp_port` set to the port it prints (the runner's
environment is shown by `qa/bin/functional -vv --case NAME`). A `signal:` step needs the daemon's
PID: give `--pid`, or `--pid-file` (read when the signal is due, so it may be written after the
peer starts).

Invariants: the exit code is 0 only when every expectation was met.
"""

import argparse
import asyncio
import os
import signal
import sys

from qakit.case import CaseError, load
from qakit.peer import Peer


def _signaller(pid: int | None, pid_file: str | None):
    def send(name: str) -> str | None:
        number = pid
        if number is None and pid_file:
            try:
                with open(pid_file, encoding='utf-8') as handle:
                    number = int(handle.read().split()[0])
            except (OSError, ValueError, IndexError) as exc:
                return f'no PID in {pid_file}: {exc}'
        if number is None:
            return 'no daemon PID given (--pid or --pid-file)'
        try:
            os.kill(number, getattr(signal, name))
        except (AttributeError, OSError) as exc:
            return str(exc)
        return None

    return send


async def serve(args: argparse.Namespace) -> int:
    try:
        case = load(args.case, args.etc or os.path.dirname(os.path.abspath(args.case)))
    except CaseError as exc:
        print(exc)
        return 1
    if args.view:
        for group in case.groups:
            for step in group.steps:
                print(f'{group.label:>4} {step.kind:<12} {step.payload}')
        return 0
    peer = Peer(case, _signaller(args.pid, args.pid_file), echo=print, record=args.record)
    port = await peer.listen(args.port)
    print(f'PORT {port}', flush=True)
    try:
        outcome = await asyncio.wait_for(peer.result, args.timeout) if args.timeout else await peer.result
    except TimeoutError:
        if args.record:
            print('\n'.join(peer.recorded))
            return 0
        print(f'timed out after {args.timeout:g}s')
        print('\n'.join(peer.waiting()))
        return 1
    finally:
        await peer.close()
    if outcome.success:
        print('successful')
        return 0
    print(outcome.reason)
    print('\n'.join(outcome.details))
    return 1


def main(argv: list[str] | None = None) -> int:
    default_port = os.environ.get('exabgp_tcp_port', os.environ.get('exabgp.tcp.port', '1790'))  # noqa: SIM112
    cli = argparse.ArgumentParser(prog='bgp', description='the scripted BGP test peer of the functional suite')
    cli.add_argument('case', help='the case: a main-style .ci, or the .ci of a 5.0 pair (.ci + .msg)')
    cli.add_argument('--port', type=int, default=int(default_port), help='port to listen on (0: any free port)')
    cli.add_argument('--etc', help='where the configuration files are (only shown, never read)')
    cli.add_argument('--pid', type=int, help='the daemon PID, for signal steps')
    cli.add_argument('--pid-file', help='a file holding the daemon PID, for signal steps')
    cli.add_argument('--timeout', type=float, default=0, help='give up after this many seconds (0: never)')
    cli.add_argument('--view', action='store_true', help='print the expectations and exit')
    cli.add_argument(
        '--record', action='store_true', help='check nothing: print what the daemon sends as case lines (use --timeout)'
    )
    args = cli.parse_args(argv)
    try:
        return asyncio.run(serve(args))
    except KeyboardInterrupt:
        return 130


if __name__ == '__main__':
    sys.exit(main())
