"""The functional suite runner (qa/bin/functional).

Modes:
  encoding  start the daemon on a case's configuration against the test peer
  api       the same for cases driven by an API process
  decoding  `exabgp decode` a message and compare its JSON with the expected one
  parsing   `exabgp validate` a configuration file (it must succeed)
  all       the four of them

The daemon is `sbin/exabgp` of this checkout, or `$EXABGP_CMD` to test another one. It is started
as `DAEMON -d -p CONF...` with the environment of ExaBGP's own runner (see workspace), in a new
process group, with the peer listening on a port the system chose. Cases run in parallel (`-j`),
each with a time limit; a daemon that exits before the peer is satisfied fails its case at once.

Main-snapshot reference cases run in upstream 6.0's mode: every command of theirs (the daemon,
`decode`, `validate`) gets `exabgp_api_version=4`, as upstream's runner gives it (6.0's behaviour,
5.0's API commands); the 5.0 snapshot's and our own run in the default, 5.0, mode.

Each case ends as PASS or FAIL against the known-failures list (see known); the run fails when any
case does. Logs of failed cases are written under qa/logs/ (git-ignored) and their paths printed.

Invariants: only processes the runner started are signalled, by process group; temporary
directories are removed; the reference folder is only read.
"""

import argparse
import asyncio
import contextlib
import difflib
import fnmatch
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from qakit import known, suites, workspace
from qakit.case import CaseError, load
from qakit.peer import Outcome, Peer
from qakit.process import Child, run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))))
IGNORED_JSON = ('exabgp', 'host', 'pid', 'ppid', 'time', 'version')
DAEMON_TAIL = 80


@dataclass(frozen=True, slots=True)
class Settings:
    daemon: tuple[str, ...]
    timeout: float
    scripts: str
    logs: str
    verbose: int
    # one-shot commands already started, by what determines their result (see _once)
    memo: dict = field(default_factory=dict)


async def _once(settings: Settings, key: tuple, make) -> tuple[int | None, str, str]:
    """Run a one-shot command once per key: the snapshots share many identical configurations
    and messages, and `validate` or `decode` of the same input gives the same answer."""
    future = settings.memo.get(key)
    if future is None:
        future = asyncio.ensure_future(make())
        settings.memo[key] = future
    return await asyncio.shield(future)


@dataclass(slots=True)
class Result:
    entry: suites.Entry
    passed: bool
    reason: str
    seconds: float = 0.0
    log: list[str] = field(default_factory=list)


def _tail(path: str, count: int) -> list[str]:
    try:
        with open(path, encoding='utf-8', errors='replace') as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    skipped = len(lines) - count
    return ([f'... {skipped} earlier lines in the daemon output'] if skipped > 0 else []) + lines[-count:]


async def _settle(peer: Peer, child: Child, timeout: float) -> Outcome:
    exited = asyncio.ensure_future(child.process.wait())
    try:
        await asyncio.wait({peer.result, exited}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if peer.result.done():
            return peer.result.result()
        if exited.done():
            # messages the daemon wrote before exiting may still be in the peer's sockets
            if peer.busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(peer.idle()), 2.0)
            if peer.result.done():
                return peer.result.result()
            what = 'never connected' if not peer.connections else 'stopped before every expected message arrived'
            return Outcome(False, f'the daemon exited with code {child.returncode}: it {what}', tuple(peer.waiting()))
        return Outcome(False, f'timed out after {timeout:g}s', tuple(peer.waiting()))
    finally:
        exited.cancel()


async def session_case(entry: suites.Entry, settings: Settings) -> Result:
    """An encoding or api case: the daemon against the test peer."""
    try:
        case = load(entry.path, entry.etc)
    except CaseError as exc:
        return Result(entry, False, str(exc))
    directory = None
    child: Child | None = None
    peer: Peer | None = None
    log: list[str] = []
    try:
        if entry.reference:
            directory, configs = workspace.prepare(case.configs, settings.scripts)
        else:
            directory, configs = workspace.make_directory(), case.configs
        peer = Peer(case, signal_daemon=lambda name: child.signal(name) if child else 'the daemon is not started')
        port = await peer.listen()
        daemon_settings = workspace.daemon_settings(port, case.options.tcp_connections, entry.reference)
        env = workspace.environment(daemon_settings | dict(case.options.env))
        command = [*settings.daemon, '-d', '-p', *configs]
        output = os.path.join(directory, 'daemon.log')
        log.append(
            'daemon: ' + ' '.join(f'{k}={shlex.quote(v)}' for k, v in sorted(env.items()) if k.startswith('exabgp_'))
        )
        log.append('        ' + shlex.join(command) + f'   (in {directory})')
        child = await Child.start(command, env, directory, output)
        outcome = await _settle(peer, child, case.options.timeout or settings.timeout)
        await child.stop()
        log.extend(['', *outcome.details, '', 'peer transcript:', *peer.lines, '', 'daemon output:'])
        log.extend(_tail(output, DAEMON_TAIL if not settings.verbose else 100000))
        return Result(entry, outcome.success, outcome.reason, log=log)
    except (workspace.WorkspaceError, OSError) as exc:
        return Result(entry, False, str(exc), log=log)
    finally:
        if child is not None:
            await child.stop()
        if peer is not None:
            await peer.close()
        workspace.cleanup(directory)


def _json_objects(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith('{'):
            with contextlib.suppress(ValueError):
                found.append(json.loads(line))
    return found


def _comparable(value: dict) -> dict:
    return {key: item for key, item in value.items() if key not in IGNORED_JSON}


def _pretty(value: dict) -> list[str]:
    return json.dumps(value, indent=2, sort_keys=True).splitlines()


async def decoding_case(entry: suites.Entry, settings: Settings) -> Result:
    """`exabgp decode` the message; its JSON (less the volatile keys) must be the expected one."""
    with open(entry.path, encoding='utf-8') as handle:
        lines = [line for line in handle.read().splitlines() if line.strip()]
    if len(lines) < 2:
        return Result(entry, False, f'{entry.path}: needs a description line and a hex line')
    words = lines[0].split()
    payload = re.sub(r'[\s:]', '', lines[1])
    command = [*settings.daemon, 'decode']
    if words[0] == 'update' and len(words) >= 3:
        command += ['-f', f'{words[1]} {words[2]}']
    command.append(payload)

    async def decode() -> tuple[int | None, str, str]:
        with tempfile.TemporaryDirectory(prefix='exabgp-qa-') as directory:
            return await run(command, environment, directory, settings.timeout)

    environment = workspace.environment(workspace.mode_settings(entry.reference))
    code, stdout, stderr = await _once(settings, ('decode', entry.reference == 'main', *command), decode)
    log = [f'command: {shlex.join(command)}', f'exit code: {code}', 'stdout:', stdout, 'stderr:', stderr]
    if code != 0:
        return Result(entry, False, f'decode exited with code {code}', log=log)
    decoded = _json_objects(stdout)
    if not decoded:
        return Result(entry, False, 'decode printed no JSON', log=log)
    if len(lines) < 3:
        return Result(entry, True, 'decoded (no expected JSON to compare)', log=log)
    try:
        expected = _comparable(json.loads(lines[2]))
    except ValueError as exc:
        return Result(entry, False, f'{entry.path}: the expected JSON is not JSON: {exc}', log=log)
    received = _comparable(decoded[0])
    if received == expected:
        return Result(entry, True, '', log=log)
    diff = difflib.unified_diff(_pretty(expected), _pretty(received), 'expected', 'decoded', lineterm='')
    return Result(entry, False, 'the decoded JSON differs', log=[*log, 'diff:', *diff])


async def parsing_case(entry: suites.Entry, settings: Settings) -> Result:
    """`exabgp validate` the configuration: it must be accepted."""
    command = [*settings.daemon, 'validate', entry.path]

    async def validate() -> tuple[int | None, str, str]:
        directory = None
        try:
            config = entry.path
            if entry.reference:
                directory, (config,) = workspace.prepare((entry.path,), settings.scripts)
            command[-1] = config
            environment = workspace.environment(workspace.mode_settings(entry.reference))
            return await run(command, environment, directory or ROOT, settings.timeout)
        finally:
            workspace.cleanup(directory)

    try:
        with open(entry.path, 'rb') as handle:
            content = hashlib.sha256(handle.read()).hexdigest()
        code, stdout, stderr = await _once(settings, ('validate', entry.reference, content), validate)
    except (OSError, workspace.WorkspaceError) as exc:
        return Result(entry, False, str(exc))
    log = [f'command: {shlex.join(command)}', f'exit code: {code}', 'stdout:', stdout, 'stderr:', stderr]
    if code == 0:
        return Result(entry, True, '', log=log)
    return Result(entry, False, 'validation failed' if code is not None else 'validation timed out', log=log)


RUNNERS = {'encoding': session_case, 'api': session_case, 'decoding': decoding_case, 'parsing': parsing_case}


async def run_all(entries: list[suites.Entry], settings: Settings, jobs: int, report) -> list[Result]:
    gate = asyncio.Semaphore(jobs)

    async def one(entry: suites.Entry) -> Result:
        async with gate:
            started = time.monotonic()
            try:
                result = await RUNNERS[entry.mode](entry, settings)
            except Exception as exc:  # a kit bug must fail its case, not the whole run
                result = Result(entry, False, f'the runner failed: {exc!r}')
            result.seconds = time.monotonic() - started
            report(result)
            return result

    return list(await asyncio.gather(*(one(entry) for entry in entries)))


def _daemon() -> tuple[tuple[str, ...], bool]:
    command = os.environ.get('EXABGP_CMD')
    if command:
        return tuple(shlex.split(command)), False
    return (sys.executable, os.path.join(ROOT, 'sbin', 'exabgp')), True


def _version(daemon: tuple[str, ...]) -> str:
    try:
        done = subprocess.run(
            [*daemon, 'version'], capture_output=True, text=True, timeout=30, env=workspace.environment({})
        )
    except (OSError, subprocess.TimeoutExpired):
        return ''
    return done.stdout + done.stderr


def _select(entries: list[suites.Entry], patterns: list[str]) -> list[suites.Entry]:
    if not patterns:
        return entries
    return [
        entry
        for entry in entries
        if any(
            fnmatch.fnmatch(entry.id, pattern) or entry.name == pattern or entry.id == pattern for pattern in patterns
        )
    ]


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog='functional', description=__doc__.split('\n\n')[0])
    cli.add_argument('mode', nargs='?', default='all', choices=[*suites.MODES, 'all'])
    cli.add_argument('-j', '--jobs', type=int, default=max(2, 2 * (os.cpu_count() or 1)), help='cases run at once')
    cli.add_argument('--case', action='append', default=[], help='run only this case (id, name or glob); repeatable')
    cli.add_argument('--list', action='store_true', help='list the cases and exit')
    cli.add_argument('-v', '--verbose', action='count', default=0, help='print the log of failed cases (-vv: of all)')
    cli.add_argument('--timeout', type=float, default=30.0, help='time limit of one case, in seconds')
    cli.add_argument('--no-reference', action='store_true', help='skip the reference cases')
    cli.add_argument('--known-failures', help='the known-failures file (default: chosen by daemon)')
    cli.add_argument('--logs', help='where to keep the logs of failed cases (default: qa/logs/TIME)')
    cli.add_argument('--root', default=ROOT, help='the tree whose qa/ and etc/exabgp/ cases run (default: this one)')
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    modes = list(suites.MODES) if args.mode == 'all' else [args.mode]
    root = os.path.abspath(args.root)
    reference = None if args.no_reference else suites.find_reference(root)
    entries = _select(suites.discover(root, modes, reference), args.case)
    daemon, ours = _daemon()
    version = '' if ours or args.known_failures else _version(daemon)
    known_path = known.choose(os.path.join(root, 'qa', 'known-failures'), args.known_failures, ours, version)
    try:
        expected_failures = known.load(known_path) if known_path else {}
    except (OSError, known.KnownError) as exc:
        sys.stderr.write(f'functional: {exc}\n')
        return 2

    if args.list:
        for entry in entries:
            note = expected_failures.get(entry.id)
            print(f'{entry.id}' + (f'    (known failure: {note})' if note else ''))
        return 0

    if args.mode == 'all' and not args.case and reference:
        stale = sorted(set(expected_failures) - {entry.id for entry in entries})
        if stale:
            print(f'warning: {len(stale)} known failures name no case: {" ".join(stale)}')
    logs = args.logs or os.path.join(root, 'qa', 'logs', time.strftime('%Y%m%d-%H%M%S'))
    settings = Settings(daemon, args.timeout, os.path.join(ROOT, 'qa', 'reference-scripts'), logs, args.verbose)
    print(f'daemon: {shlex.join(daemon)}')
    print(f'known failures: {os.path.relpath(known_path) if known_path else "none"}')
    print(f'reference cases: {reference or "none found, skipped"}')
    print(f'{len(entries)} cases, {args.jobs} at a time')
    sys.stdout.flush()

    counts = {'passed': 0, 'failed': 0, 'expected': 0}

    def report(result: Result) -> None:
        fine, note = known.verdict(result.passed, result.entry.id, expected_failures)
        counts['passed' if fine else 'failed'] += 1
        if fine and result.entry.id in expected_failures:
            counts['expected'] += 1
        detail = note or ('' if result.passed else result.reason)
        if note and not result.passed:
            detail = f'{note} ({result.reason})'
        line = f'{"PASS" if fine else "FAIL"}  {result.entry.id:<50} {result.seconds:5.1f}s  {detail}'.rstrip()
        if not fine or args.verbose > 1:
            path = _write_log(logs, result)
            line += f'\n      log: {os.path.relpath(path)}'
            if args.verbose:
                line += '\n' + '\n'.join(f'      | {text}' for text in [result.reason, *result.log])
        print(line)
        sys.stdout.flush()

    started = time.monotonic()
    asyncio.run(run_all(entries, settings, max(1, args.jobs), report))
    extra = f' ({counts["expected"]} of the passes are known failures)' if counts['expected'] else ''
    print(f'{counts["passed"]} passed, {counts["failed"]} failed{extra} in {time.monotonic() - started:.1f}s')
    return 1 if counts['failed'] else 0


def _write_log(directory: str, result: Result) -> str:
    path = os.path.join(directory, *result.entry.id.split('/')) + '.log'
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(f'{result.entry.id}: {"passed" if result.passed else "failed"}: {result.reason}\n')
        handle.write(f'case: {result.entry.path}\n')
        handle.write('\n'.join(result.log) + '\n')
    return path
