"""Child processes the suite starts: the daemon of a case and one-shot commands.

Every child is started in a new session, so it leads its own process group and takes its
children (API scripts) into it; stopping it signals that group by its id, which is the child's
PID: nothing else on the machine is ever signalled.

Invariants: `stop` is idempotent and returns only once the child is reaped; the group gets
SIGTERM, then SIGKILL after a grace period, and a last SIGKILL sweep for stragglers.
"""

import asyncio
import contextlib
import os
import signal


class Child:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.pid = process.pid

    @classmethod
    async def start(cls, command: list[str], env: dict[str, str], cwd: str, output: str) -> 'Child':
        with open(output, 'ab') as log:
            process = await asyncio.create_subprocess_exec(
                *command,
                env=env,
                cwd=cwd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(process)

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def signal(self, name: str) -> str | None:
        """Send a signal (by name) to the child itself; an error text, or None when sent."""
        number = getattr(signal, name, None)
        if not isinstance(number, signal.Signals):
            return f'unknown signal {name}'
        if self.process.returncode is not None:
            return f'the daemon already exited with code {self.process.returncode}'
        try:
            os.kill(self.pid, number)
        except ProcessLookupError:
            return 'the daemon is gone'
        return None

    def _group(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, number)

    def sweep(self) -> None:
        """Kill what is left of the child's group (API scripts outliving their daemon)."""
        self._group(signal.SIGKILL)

    async def stop(self, grace: float = 2.0) -> None:
        if self.process.returncode is None:
            self._group(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                self._group(signal.SIGKILL)
                await self.process.wait()
        self.sweep()


async def run(command: list[str], env: dict[str, str], cwd: str, timeout: float) -> tuple[int | None, str, str]:
    """Run a command to completion in its own group: (exit code or None on timeout, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        *command,
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    child = Child(process)
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        await child.stop()
        return None, '', ''
    child.sweep()
    return process.returncode, stdout.decode('utf-8', 'replace'), stderr.decode('utf-8', 'replace')
