"""The daemon: peers, listeners, API processes, the CLI and signals under one asyncio task group.

Invariants:
- Everything runs on one event loop; nothing polls. The loop is uvloop's when asked for and
  installed, the standard one otherwise (`run`).
- Signals (via `loop.add_signal_handler`) keep 5.0's meanings: INT, TERM and HUP stop the daemon (each
  session closed with Cease, or silently under graceful restart), USR1 reloads the configuration,
  USR2 reloads it and restarts the API processes, ALRM does both and starts every session afresh.
- A reload parses the whole new configuration first; if it fails, the error is logged and the
  running configuration stays untouched. Otherwise neighbors are matched by name: unchanged ones
  get the route differences, changed ones are restarted, removed ones stopped, new ones started.
- With `tcp.attempts` set, the daemon exits once every peer has used its attempts (5.0's way for
  the functional tests to end a run).
- The peers are registered before the listeners are bound, so a connection arriving during start-up
  (API processes starting, `tcp.delay`) goes to its peer and waits there; no peer task runs before
  the API processes are started, so they see every event of every session; at shutdown
  the peers stop first (the processes see them go down), then the processes are told and ended.
  The API's `shutdown`, `reload` and `restart` commands do what the signals do (`command`).
"""

import asyncio
import contextlib
import dataclasses
import signal
import time
from collections.abc import Callable
from ipaddress import ip_address

from exabgp import logger
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.model import Config, Neighbor
from exabgp.reactor import tcp
from exabgp.reactor.commands import Commands
from exabgp.reactor.control import Control
from exabgp.reactor.listener import Listeners, matches
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer
from exabgp.reactor.processes import Processes
from exabgp.settings import Settings

log = logger.get('reactor')

Loader = Callable[[], Config]

PEER_DECONFIGURED = 3  # the Cease subcode 5.0 closes sessions with on a restart

SIGNALS = {
    # Ctrl-C: API processes run in their own session and do not see it, the daemon stops them
    signal.SIGINT: 'shutdown',
    signal.SIGTERM: 'shutdown',
    signal.SIGHUP: 'shutdown',
    signal.SIGUSR1: 'reload',
    signal.SIGUSR2: 'full-reload',
    signal.SIGALRM: 'restart',
}


def _key(neighbor: Neighbor) -> str:
    return neighbor.name()


def _same_except_routes(old: Neighbor, new: Neighbor) -> bool:
    keep = {'routes': (), 'watchdogs': (), 'operational': ()}
    return dataclasses.replace(old, **keep) == dataclasses.replace(new, **keep)


class Daemon:
    def __init__(
        self,
        settings: Settings,
        load: Loader,
        observer: Observer | None = None,
        reload_after: int | None = None,
        unprivileged: Callable[[], str | None] | None = None,
    ) -> None:
        self.settings = settings
        self.reload_after = reload_after
        # called once the listeners are bound: drops root and saves the pid (the application's)
        self.unprivileged = unprivileged
        self.load = load
        self.processes = Processes(settings, self.stop)
        self.commands = Commands(settings, self)
        self.processes.run_commands = self.commands.run
        self.control = Control(settings, self.commands)
        self.observer = observer or self.processes
        self.config = Config()
        self.peers: dict[str, Peer] = {}
        self.listeners = Listeners(self._dispatch)
        self.exit_code = 0
        self._done = asyncio.Event()
        self._group: asyncio.TaskGroup | None = None
        self._tasks: dict[str, asyncio.Task] = {}
        # peers are registered from the start, and their tasks run once start-up is over
        self._running = False

    # ------------------------------------------------------------------ life

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for number, action in SIGNALS.items():
            loop.add_signal_handler(number, self.signalled, action, number)
        try:
            self.config = self.load()
        except ConfigError as error:
            log.critical(error.report())
            return 1
        log.info('loaded new configuration successfully')
        try:
            async with asyncio.TaskGroup() as group:
                self._group = group
                # the peers exist before the listener: a connection arriving while the processes
                # start finds its peer, and waits in its queue until the peer's task runs
                for neighbor in self.config.neighbors:
                    self._add(neighbor)
                if not await self._listen(self.config):
                    return 1
                # 5.0: with daemon.drop the processes start unprivileged, otherwise as we were
                if self.settings.daemon.drop and not self._drop():
                    return 1
                await self.processes.start(self.config.processes)
                if not self.settings.daemon.drop and not self._drop():
                    return 1
                await self.control.start()
                await self._delay()
                self._running = True
                for key, peer in list(self.peers.items()):
                    self._run(key, peer)
                group.create_task(self._watch_peers())
                if self.reload_after:
                    loop.call_later(self.reload_after, self.signalled, 'reload')
                await self._done.wait()
                await self._shutdown()
        finally:
            for number in SIGNALS:
                loop.remove_signal_handler(number)
            await self.control.close()
            await self.listeners.close()
        return self.exit_code

    async def _delay(self) -> None:
        """tcp.delay: 5.0 connects only once the minutes of the hour are a multiple of it."""
        minutes = self.settings.tcp.delay
        if minutes > 0:
            period = minutes * 60
            wait = period - int(time.time()) % period
            log.info(f'waiting {wait} seconds before connecting (tcp.delay {minutes})')
            await asyncio.sleep(wait)

    def _drop(self) -> bool:
        error = self.unprivileged() if self.unprivileged is not None else None
        if error:
            log.critical(error)
            return False
        return True

    @property
    def dropped(self) -> dict[str, int]:
        """API events each peer's processes did not get (for `show neighbor extensive`)."""
        return self.processes.dropped

    def stop(self, code: int = 0) -> None:
        self.exit_code = code
        self._done.set()

    def signalled(self, action: str, number: int = 0) -> None:
        log.info(f'{action} requested by signal')
        if number:
            self.observer.signal([peer.view() for peer in self.peers.values()], number)
        self.command(action)

    def command(self, action: str) -> None:
        """shutdown, reload, full-reload (processes restarted too) or restart: from a signal or the API."""
        if action == 'shutdown':
            self.stop(0)
        elif action in ('reload', 'full-reload'):
            self.reload(restart_processes=action == 'full-reload')
        elif action == 'restart':
            self.restart()

    async def _shutdown(self) -> None:
        for peer in self.peers.values():
            peer.stop(3)
        tasks = list(self._tasks.values())
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        for task in tasks:
            task.cancel()
        await self.processes.stop()

    async def _watch_peers(self) -> None:
        """With tcp.attempts, end the daemon when the last peer has given up."""
        if not self.settings.tcp.attempts:
            return
        while not self._done.is_set():
            tasks = list(self._tasks.values())
            if not tasks:
                self.stop(0)
                return
            await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED)
            if all(task.done() for task in self._tasks.values()):
                log.info('exiting on peer termination')
                self.stop(0)
                return

    # ------------------------------------------------------------------ peers

    def _add(self, neighbor: Neighbor, generated: bool = False) -> Peer:
        """A peer for `neighbor`, registered (connections are handed to it from now on) and running
        unless the daemon is still starting."""
        peer = Peer(neighbor, self.settings, self.observer, generated=generated)
        if not generated:
            log.debug(f'new peer: {neighbor.name()}')
        key = _key(neighbor) if not generated else f'{_key(neighbor)} {id(peer)}'
        self.peers[key] = peer
        if self._running:
            self._run(key, peer)
        return peer

    def _run(self, key: str, peer: Peer) -> None:
        assert self._group is not None
        self._tasks[key] = self._group.create_task(self._run_peer(key, peer))

    async def _run_peer(self, key: str, peer: Peer) -> None:
        """Run a peer's task; a bug in it is logged and the peer started again after its back-off,
        so it can neither stop the other peers nor lose its own neighbor for good."""
        try:
            while True:
                try:
                    await peer.run()
                    return
                except Exception as exc:
                    log.error(f'peer {peer.neighbor.peer()} failed, starting it again: {exc!r}')
                    if peer.generated or peer.stopping:
                        return
                    await asyncio.sleep(max(1, peer.backoff.failed()))
        finally:
            if self.peers.get(key) is peer:
                del self.peers[key]

    def _dispatch(self, reader, writer, local: str, remote: str) -> bool:
        for peer in list(self.peers.values()):
            neighbor = peer.neighbor
            local_address = None if neighbor.local_address is None else str(neighbor.local_address)
            if not matches(str(neighbor.peer_address), neighbor.peer_prefix, local_address, local, remote):
                continue
            full = 32 if neighbor.peer_address.version == 4 else 128
            if neighbor.peer_prefix != full and not peer.generated:
                single = dataclasses.replace(neighbor, peer_address=ip_address(remote), peer_prefix=full)
                spawned = self._add(single, generated=True)
                spawned.incoming(reader, writer)
                return True
            peer.incoming(reader, writer)
            return True
        return False

    async def _listen(self, config: Config) -> bool:
        wanted: dict[tuple[str, int], list] = {}
        port = self.settings.tcp.port
        for host in self.settings.tcp.bind:
            wanted.setdefault((host, port), [])
        for neighbor in config.neighbors:
            if neighbor.listen and neighbor.local_address is not None:
                wanted.setdefault((str(neighbor.local_address), neighbor.listen), []).append(neighbor)
            elif neighbor.local_address is not None and (host_port := (str(neighbor.local_address), port)) in wanted:
                wanted[host_port].append(neighbor)
        for (host, listen_port), neighbors in wanted.items():
            keys = []
            for neighbor in neighbors:
                if neighbor.md5_password:
                    secret = tcp.md5_key(neighbor.md5_password, neighbor.md5_base64)
                    keys.append((str(neighbor.md5_ip or neighbor.peer_address), secret))
            ttl = max((neighbor.incoming_ttl or 0 for neighbor in neighbors), default=0)
            try:
                await self.listeners.listen(host, listen_port, keys, ttl)
            except tcp.SocketError as error:
                log.critical(str(error))
                return False
        return True

    # ------------------------------------------------------------------ reload

    def _read(self) -> Config | None:
        try:
            return self.load()
        except ConfigError as error:
            log.error(f'reload failed, keeping the running configuration:\n{error.report()}')
            return None

    def restart(self) -> bool:
        """5.0's restart: the configuration read again, the API processes restarted, and every session
        closed with Cease 6/3 and established again on the new configuration (a neighbor whose
        settings changed is started afresh, a removed one stopped, a new one started)."""
        config = self._read()
        if config is None:
            return False
        if self._group is not None:
            self._group.create_task(self.processes.start(config.processes, restart=True))
        new = {_key(neighbor): neighbor for neighbor in config.neighbors}
        for key, peer in list(self.peers.items()):
            neighbor = new.get(key)
            if neighbor is not None and _same_except_routes(peer.neighbor, neighbor):
                peer.reconfigure(neighbor)
                peer.teardown(PEER_DECONFIGURED)
                continue
            peer.stop(PEER_DECONFIGURED, reason='removed' if neighbor is None else 'configuration changed')
            del self.peers[key]
        for key, neighbor in new.items():
            if key not in self.peers:
                self._add(neighbor)
        self.config = config
        log.info('configuration reloaded, every session restarted')
        return True

    def reload(self, restart_processes: bool = False) -> bool:
        config = self._read()
        if config is None:
            return False
        if self._group is not None:
            self._group.create_task(self.processes.start(config.processes, restart=restart_processes))
        old = {_key(neighbor): neighbor for neighbor in self.config.neighbors}
        new = {_key(neighbor): neighbor for neighbor in config.neighbors}
        for key, neighbor in old.items():
            peer = self.peers.get(key)
            if key not in new:
                if peer is not None:
                    peer.stop(3, reason='removed')
                continue
            if peer is None:
                continue
            if _same_except_routes(neighbor, new[key]):
                peer.reconfigure(new[key])
            else:
                peer.stop(6, 'configuration changed')
                with contextlib.suppress(KeyError):
                    del self.peers[key]
                self._add(new[key])
        for key, neighbor in new.items():
            if key not in old:
                self._add(neighbor)
        self.config = config
        log.info('configuration reloaded')
        return True
