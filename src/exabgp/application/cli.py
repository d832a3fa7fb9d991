"""`exabgp cli CMD...` (and `exabgp-cli`): send a command to a running daemon and print the answer.

    exabgp cli show neighbor summary
    exabgp cli --pipename exabgp announce route 10.0.0.0/24 next-hop 192.0.2.1
    exabgp cli --socket /run/exabgp/exabgp.sock show adj-rib out

Two ways in:
- 5.0's named pipes (default): `<pipename>.in` and `<pipename>.out` (setting `api.pipename`, or
  --pipename), looked for in 5.0's folders (/run/exabgp/, /run/<uid>/, /run/, /var/run/exabgp/,
  /var/run/<uid>/, /var/run/, then the same under the install root). The daemon reads them when
  `api.cli` is on; create them with `mkfifo`.
- a unix socket of ours (--socket PATH, or the setting `exabgp.cli.socket`), which the daemon
  listens on when that setting names a path.

The answer is printed line by line up to the daemon's `done`; `error` prints 5.0's hint on stderr.
Abbreviations are 5.0's (`exabgp cli s n s` is `show neighbor summary`).
"""

import argparse
import contextlib
import errno
import os
import select
import socket
import sys
import time

from exabgp.reactor.control import find_pipes, pipe_folders
from exabgp.settings import Settings

ANSWER_TIMEOUT = 5.0  # seconds without a line from the daemon before giving up (5.0's)
CLEAR_TIMEOUT = 1.5  # seconds spent emptying what a previous command left in the pipe (5.0's)
DONE = ('done', '{ "answer": "done", "message": "command completed" }')
ERROR = ('error', '{ "answer": "error", "message": "this command does not support json output" }')
SHUTDOWN = ('shutdown', '{ "answer": "shutdown", "message": "exbgp exited" }')


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--pipename', dest='pipename', help='name of the pipes', required=False)
    parser.add_argument('--socket', dest='socket', help='unix socket of the daemon (instead of the pipes)')
    parser.add_argument('command', nargs='*', help='command to run on the daemon')


def _ip_like(word: str) -> bool:
    return word.count('.') == 3 or ':' in word


# 5.0's abbreviations: (short, word, where it applies given the position and the words so far)
ABBREVIATIONS = (
    ('a', 'announce', lambda pos, pre: pos == 0 or _ip_like(pre[-1])),
    ('a', 'attributes', lambda pos, pre: pre[-1] in ('announce', 'withdraw')),
    ('c', 'configuration', lambda pos, pre: True),
    ('e', 'eor', lambda pos, pre: pre[-1] == 'announce'),
    ('e', 'extensive', lambda pos, pre: 'show' in pre),
    ('f', 'flow', lambda pos, pre: pre[-1] in ('announce', 'withdraw')),
    ('f', 'flush', lambda pos, pre: pos == 0 or _ip_like(pre[-1])),
    ('h', 'help', lambda pos, pre: pos == 0),
    ('i', 'in', lambda pos, pre: pre[-1] == 'adj-rib'),
    ('n', 'neighbor', lambda pos, pre: pos == 0 or pre[-1] == 'show'),
    ('r', 'route', lambda pos, pre: pre[-1] in ('announce', 'withdraw')),
    ('rr', 'route-refresh', lambda pos, pre: pre[-1] == 'announce'),
    ('s', 'show', lambda pos, pre: pos == 0),
    ('t', 'teardown', lambda pos, pre: pos == 0 or _ip_like(pre[-1])),
    ('s', 'summary', lambda pos, pre: pos != 0),
    ('o', 'operational', lambda pos, pre: pre[-1] == 'announce'),
    ('o', 'out', lambda pos, pre: pre[-1] == 'adj-rib'),
    ('a', 'adj-rib', lambda pos, pre: pre[-1] in ('clear', 'flush', 'show')),
    ('w', 'withdraw', lambda pos, pre: pos == 0 or _ip_like(pre[-1])),
    ('w', 'watchdog', lambda pos, pre: pre[-1] in ('announce', 'withdraw')),
    ('neighbour', 'neighbor', lambda pos, pre: True),
    ('neigbour', 'neighbor', lambda pos, pre: True),
    ('neigbor', 'neighbor', lambda pos, pre: True),
)


def expand(words: list[str]) -> str:
    """The command with 5.0's abbreviations written out."""
    written = ['']
    for position, word in enumerate(words):
        for short, full, applies in ABBREVIATIONS:
            if (word == short or (word and full.startswith(word))) and applies(position, written):
                written.append(full)
                break
        else:
            written.append(word)
    return ' '.join(written).strip()


class Answer:
    """Prints the daemon's lines until the end of the answer; `ended` says how it ended."""

    def __init__(self) -> None:
        self.buffer = b''
        self.ended = ''

    def feed(self, data: bytes) -> bool:
        self.buffer += data
        while b'\n' in self.buffer:
            raw, self.buffer = self.buffer.split(b'\n', 1)
            line = raw.decode('utf-8', 'replace')
            if line in DONE:
                self.ended = 'done'
            elif line in ERROR:
                self.ended = 'error'
                sys.stderr.write("ExaBGP returns an error (see ExaBGP's logs for more information)\n")
                sys.stderr.write('use help for a list of available commands\n')
            elif line in SHUTDOWN:
                self.ended = 'shutdown'
                sys.stderr.write('ExaBGP is shutting down, command aborted\n')
            else:
                sys.stdout.write(f'{line}\n')
                continue
            sys.stdout.flush()
            return True
        sys.stdout.flush()
        return False


def _wait_answer(fd: int, answer: Answer) -> int:
    while True:
        ready, _, _ = select.select([fd], [], [], ANSWER_TIMEOUT)
        if not ready:
            sys.stderr.write('\nwarning: no end of command message received\n')
            sys.stderr.write('warning: normal if exabgp.api.ack is set to false otherwise some data may get stuck\n')
            return 0
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            continue
        if not data:
            if not answer.ended:
                sys.stderr.write('the daemon closed the connection before answering\n')
                return 1
            return 0
        if answer.feed(data):
            return 0


def _clear(fd: int) -> None:
    """Empty what an earlier command, whose answer nobody read, left in the pipe."""
    deadline = time.monotonic() + CLEAR_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0)
        if not ready:
            return
        try:
            if not os.read(fd, 65536):
                return
        except BlockingIOError:
            return


def through_pipes(folder: str, pipename: str, command: str) -> int:
    send, receive = f'{folder}{pipename}.in', f'{folder}{pipename}.out'
    reader = os.open(receive, os.O_RDONLY | os.O_NONBLOCK)
    try:
        _clear(reader)
        try:
            writer = os.open(send, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                sys.stderr.write('ExaBGP is not running / using the configured named pipe\n')
            else:
                sys.stderr.write(f'could not communicate with ExaBGP ({exc.strerror})\n')
            return 1
        try:
            os.set_blocking(writer, True)
            os.write(writer, command.encode('utf-8') + b'\n')
        finally:
            os.close(writer)
        if command == 'reset':
            return 0
        return _wait_answer(reader, Answer())
    finally:
        with contextlib.suppress(OSError):
            os.close(reader)


def through_socket(path: str, command: str) -> int:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        try:
            connection.connect(path)
        except OSError as exc:
            sys.stderr.write(f'could not connect to ExaBGP on {path} ({exc.strerror})\n')
            return 1
        connection.sendall(command.encode('utf-8') + b'\n')
        if command == 'reset':
            return 0
        return _wait_answer(connection.fileno(), Answer())


def run(args: argparse.Namespace, settings: Settings) -> int:
    words = list(args.command)
    if not words:
        # API v6 (exabgp.api.version=6) names it `system help`
        words = ['system', 'help'] if settings.api.version == 6 else ['help']
        sys.stdout.write(f'no command provided, sending "{" ".join(words)}"\n')
    command = expand(words)
    if command != ' '.join(words).strip():
        sys.stdout.write(f'command: {command}\n')
    sys.stdout.flush()
    path = args.socket or settings.cli.socket
    if path:
        return through_socket(path, command)
    pipename = args.pipename or settings.api.pipename or 'exabgp'
    folder = find_pipes(settings.root, pipename)
    if folder is None:
        sys.stdout.write(f"could not find ExaBGP's named pipes ({pipename}.in and {pipename}.out) for the cli\n")
        sys.stdout.write('we scanned the following folders (the number is your PID):\n - ')
        sys.stdout.write('\n - '.join(pipe_folders(settings.root, os.getuid())) + '\n')
        return 1
    return through_pipes(folder, pipename, command)
