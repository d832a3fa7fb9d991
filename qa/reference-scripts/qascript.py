"""Helpers for the API scripts of the reference cases (copied next to them, under run/).

An API script talks to the daemon over its stdin/stdout. To be deterministic, whatever the
machine's load, the scripts here never rely on a fixed delay to know where the daemon is:

- `established()` polls `show neighbor summary` until the session is up, so routes are announced
  on a live session (not queued before it, where announce and withdraw would cancel out);
- `command()` waits for the daemon's answer (`done`/`error`) to each command, then pauses a little
  so the UPDATE it causes leaves before the next command changes the same routes;
- `batch()` writes several commands in one write, when a case is about how they combine;
- `finish()` keeps the script alive until the daemon stops: a script that exits is respawned.

A command the daemon refuses is reported on stderr and, when `sentinel` is set, turned into an
announcement of 255.255.255.255/32, which no case expects, so the test peer fails with it.
"""

import json
import os
import select
import sys
import time

PAUSE = 0.3
SENTINEL = 'announce route 255.255.255.255/32 next-hop 255.255.255.255'


class Shutdown(Exception):
    pass


class Api:
    def __init__(self, sentinel: bool = True) -> None:
        self._buffer = b''
        self._eof = False
        self.sentinel = sentinel
        self.received: list[str] = []

    def log(self, text: str) -> None:
        sys.stderr.write(f'{os.path.basename(sys.argv[0])}: {text}\n')
        sys.stderr.flush()

    def write(self, *lines: str) -> None:
        data = ''.join(f'{line}\n' for line in lines).encode()
        while data:
            data = data[os.write(1, data) :]

    def readline(self, timeout: float) -> str | None:
        """One line from the daemon, None when none came in time; Shutdown when it stops."""
        deadline = time.monotonic() + timeout
        while b'\n' not in self._buffer:
            if self._eof:
                raise Shutdown()
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([0], [], [], left)
            if ready:
                chunk = os.read(0, 65536)
                if not chunk:
                    self._eof = True
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b'\n', 1)
        text = line.decode('utf-8', 'replace').strip()
        if text == 'shutdown' or ('"notification"' in text and '"shutdown"' in text):
            raise Shutdown()
        return text

    @staticmethod
    def _answer_of(line: str) -> str | None:
        if line in ('done', 'error'):
            return line
        if line.startswith('{') and '"answer"' in line:
            try:
                return json.loads(line).get('answer')
            except ValueError:
                return None
        return None

    def answer(self, timeout: float = 10.0) -> str | None:
        """The next answer (done or error), keeping other lines in `received`."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.readline(max(0.0, deadline - time.monotonic()))
            if line is None:
                return None
            found = self._answer_of(line)
            if found:
                return found
            self.received.append(line)

    def failed(self, why: str) -> None:
        self.log(why)
        if self.sentinel:
            self.write(SENTINEL)

    def command(self, text: str, pause: float = PAUSE, ack: bool = True, expect: str | None = 'done') -> None:
        """Send one command; with `ack`, wait for its answer, which must be `expect` (None: any)."""
        self.write(text)
        if ack:
            found = self.answer()
            if found is None or (expect is not None and found != expect):
                self.failed(f'{text!r} answered {found!r}')
        time.sleep(pause)

    def silent(self, what: str, timeout: float = 1.0) -> None:
        """No answer may come now (acks are off)."""
        found = self.answer(timeout)
        if found is not None:
            self.failed(f'unexpected answer {found!r} {what}')

    def batch(self, *commands: str, pause: float = PAUSE) -> None:
        self.write(*commands)
        for text in commands:
            found = self.answer()
            if found != 'done':
                self.failed(f'{text!r} answered {found!r}')
        time.sleep(pause)

    def show(self, text: str, timeout: float = 10.0) -> list[str]:
        """The lines a show command prints, up to its answer."""
        self.write(text)
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            line = self.readline(max(0.0, deadline - time.monotonic()))
            if line is None or self._answer_of(line):
                return lines
            lines.append(line)

    def state(self) -> str:
        """The session state `show neighbor summary` reports for the (first) neighbor: its lines
        read `ADDRESS AS UP/DOWN STATE #SENT #RECEIVED` under a `Peer ...` title."""
        for line in self.show('show neighbor summary'):
            words = line.split()
            if len(words) >= 4 and words[0] != 'Peer':
                return words[-3]
        return ''

    def established(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.state() != 'established':
            if time.monotonic() > deadline:
                self.log('the session did not come up')
                return
            time.sleep(0.1)

    def finish(self, limit: float = 120.0) -> None:
        """Stay until the daemon stops (stdin closes or it says shutdown)."""
        deadline = time.monotonic() + limit
        try:
            while time.monotonic() < deadline:
                line = self.readline(deadline - time.monotonic())
                if line is None:
                    return
                self.received.append(line)
        except Shutdown:
            return


def main(body) -> None:
    """Run `body(api)`, then stay until the daemon stops."""
    api = Api()
    try:
        body(api)
        api.finish()
    except (Shutdown, BrokenPipeError, KeyboardInterrupt):
        pass
