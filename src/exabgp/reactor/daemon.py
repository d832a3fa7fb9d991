"""The daemon: peers, listeners, API processes, the CLI and signals under one asyncio task group.

Invariants:
- Everything runs on one event loop. The loop is uvloop's when asked for and installed, the standard
  one otherwise (application/server.py); which one is logged at start-up. Nothing polls, but for a
  look every `md5_check` seconds at the kernel's TCP MD5 drop counters while a peer is not
  established (a dropped segment gives no event).
- Listening sockets hold the md5 key of every peer that may connect to them (`listening`), and
  follow the configuration on each reload.
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
  the API processes are started, so they see every event of every session. At shutdown the
  processes are told each session is down (5.0's order), then the shutdown; they are ended while
  the sessions are still up, so what they send as they leave (a healthcheck withdraws its routes on
  SIGTERM) is applied and sent; then each peer sends what is pending and closes with Cease.
  The API's `shutdown`, `reload` and `restart` commands do what the signals do (`command`).
- With `metrics.port` set, /metrics, /healthz and /readyz are served from this loop (metrics.py),
  with a probe of the loop lag; reloads are counted by outcome (`health`), commands by client.
- The observer is the API processes, then the exporters the settings ask for (`mrt.dump`); it is
  closed once the loop is done with the peers, so an exporter writes out what it buffered.
- BMP stations of the configuration (reactor/bmp.py) observe every peer, after the API processes;
  the exporter is one of the observers only when the configuration the daemon starts with has a
  station (the daemon without one pays nothing per event for it).
- Under systemd (`notify`): READY=1 once listening with the processes started, STOPPING=1 as the
  shutdown begins, WATCHDOG=1 from a task of the loop while it runs.
"""

import asyncio
import contextlib
import dataclasses
import gc
import signal
import sys
import time
from collections.abc import Callable
from ipaddress import ip_address

from exabgp import logger
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.model import Config, Neighbor
from exabgp.reactor import md5drops, tcp
from exabgp.reactor.bmp import Exporter
from exabgp.reactor.commands import Commands
from exabgp.reactor.control import Control
from exabgp.reactor.listener import Listeners, matches
from exabgp.reactor.metrics import Health, Server
from exabgp.reactor.mrtdump import observers
from exabgp.reactor.notify import Notifier
from exabgp.reactor.observer import Observer, combined
from exabgp.reactor.peer import Peer
from exabgp.reactor.processes import Processes
from exabgp.settings import Settings

log = logger.get('reactor')

Loader = Callable[[], Config]

# the Cease subcodes of RFC 4486 3 a reload sends: a neighbor removed is de-configured (5.0.15
# closes its connection without a NOTIFICATION), one whose settings changed is reset for another
# configuration change (5.0.15: 6/3); 5.0's restart closes every session with 6/3
PEER_DECONFIGURED = 3
OTHER_CONFIGURATION_CHANGE = 6
MD5_CHECK = 30.0  # seconds between two looks at the kernel's TCP MD5 drop counters

SIGNALS = {
    # Ctrl-C: API processes run in their own session and do not see it, the daemon stops them
    signal.SIGINT: 'shutdown',
    signal.SIGTERM: 'shutdown',
    signal.SIGHUP: 'shutdown',
    signal.SIGUSR1: 'reload',
    signal.SIGUSR2: 'full-reload',
    signal.SIGALRM: 'restart',
}


def loop_name(loop: asyncio.AbstractEventLoop) -> str:
    """The event loop we run on, as the start-up log line names it."""
    kind = type(loop)
    if kind.__module__.split('.')[0] == 'uvloop':
        version = getattr(sys.modules.get('uvloop'), '__version__', '')
        return f'uvloop {version}'.rstrip()
    return f'asyncio {kind.__name__} (exabgp.loop.uvloop=true runs on uvloop when installed)'


def md5_peer(neighbor: Neighbor) -> str:
    """Who the neighbor's md5 key is for: its peer address, or its range (the kernel looks keys up
    by the remote address of each segment)."""
    full = 32 if neighbor.peer_address.version == 4 else 128
    if neighbor.peer_prefix == full:
        return str(neighbor.peer_address)
    return f'{neighbor.peer_address}/{neighbor.peer_prefix}'


def listening(config: Config, bind: list, port: int) -> dict[tuple[str, int], tuple[dict[str, bytes], int]]:
    """The listening sockets, by (host, port), with the md5 keys (by peer) and GTSM minimum TTL
    each needs, as 5.0 sets them: every address of `tcp.bind` on `tcp.port` holds the key of every
    neighbor of its address family; a neighbor with `listen` gets a socket on its `md5-ip` (its
    local address unless set otherwise) and that port, holding its key."""
    wanted: dict[tuple[str, int], tuple[dict[str, bytes], int]] = {}
    owners: dict[tuple[tuple[str, int], str], Neighbor] = {}

    def add(where: tuple[str, int], neighbor: Neighbor, ttl: int) -> None:
        keys, minimum = wanted[where]
        wanted[where] = (keys, max(minimum, ttl))
        if not neighbor.md5_password:
            return
        peer = md5_peer(neighbor)
        secret = tcp.md5_key(neighbor.md5_password, neighbor.md5_base64)
        other = owners.setdefault((where, peer), neighbor)
        if keys.get(peer, secret) != secret:
            log.warning(
                f'neighbors {other.name()} and {neighbor.name()} have different md5 passwords for {peer}, '
                f'the socket listening on {where[0]}:{where[1]} can hold only one: {neighbor.name()} has it'
            )
        keys[peer] = secret

    hosts = [str(host) for host in bind]
    for host in hosts:
        wanted[(host, port)] = ({}, 0)
    for neighbor in config.neighbors:
        local = None if neighbor.local_address is None else str(neighbor.local_address)
        for host in hosts:
            if ip_address(host).version == neighbor.peer_address.version:
                # the minimum TTL only from the neighbors that own the address, as it applies to all
                add((host, port), neighbor, (neighbor.incoming_ttl or 0) if host == local else 0)
        if neighbor.listen and local is not None:
            where = (str(neighbor.md5_ip or neighbor.local_address), neighbor.listen)
            wanted.setdefault(where, ({}, 0))
            add(where, neighbor, neighbor.incoming_ttl or 0)
    return wanted


def _key(neighbor: Neighbor) -> str:
    return neighbor.name()


def _same_except_routes(old: Neighbor, new: Neighbor) -> bool:
    return _routeless(old) == _routeless(new)


def _routeless(neighbor: Neighbor) -> Neighbor:
    return dataclasses.replace(neighbor, routes=(), watchdogs=(), operational=())


class Daemon:
    def __init__(
        self,
        settings: Settings,
        load: Loader,
        observer: Observer | None = None,
        reload_after: int | None = None,
        unprivileged: Callable[[], str | None] | None = None,
        notify: Notifier | None = None,
    ) -> None:
        self.settings = settings
        self.reload_after = reload_after
        # called once the listeners are bound: drops root and saves the pid (the application's)
        self.unprivileged = unprivileged
        self.notify = notify or Notifier()
        self.load = load
        self.processes = Processes(settings, self.stop)
        self.commands = Commands(settings, self)
        self.processes.run_commands = self.commands.run
        self.control = Control(settings, self.commands)
        self.observer = observer or combined([self.processes, *observers(settings)])
        self.bmp = Exporter()
        self.config = Config()
        self.peers: dict[str, Peer] = {}
        self.listeners = Listeners(self._dispatch, settings.notification.text)
        self.exit_code = 0
        self._done = asyncio.Event()
        self._group: asyncio.TaskGroup | None = None
        self._tasks: dict[str, asyncio.Task] = {}
        # peers are registered from the start, and their tasks run once start-up is over
        self._running = False
        self.md5_check = MD5_CHECK
        self.health = Health(settings.version, '')
        self.metrics = Server(settings, self, self.health)
        # per client name: [commands, commands answered with an error]
        self.command_counts: dict[str, list[int]] = self.commands.counts

    @property
    def started(self) -> bool:
        """The start-up is over: the peers run."""
        return self._running

    # ------------------------------------------------------------------ life

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        log.info(f'event loop: {loop_name(loop)}')
        self.health.loop = type(loop).__module__.split('.')[0]
        for number, action in SIGNALS.items():
            loop.add_signal_handler(number, self.signalled, action, number)
        try:
            self.config = self.load()
        except ConfigError as error:
            log.critical(error.report())
            return 1
        log.info('loaded new configuration successfully')
        if self.config.bmp:
            self.observer = combined([self.observer, self.bmp])
        # what start-up made (modules, the configuration, its routes) lives as long as the daemon:
        # out of the collector's generations, later full collections do not walk it again
        gc.freeze()
        try:
            async with asyncio.TaskGroup() as group:
                self._group = group
                self.bmp.start(group, self.config.bmp)
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
                if not await self.metrics.start():
                    return 1
                if self.metrics.enabled:
                    group.create_task(self.health.probe())
                self.notify.ready()
                watchdog = group.create_task(self.notify.keep_alive())
                await self._delay()
                self._running = True
                for key, peer in list(self.peers.items()):
                    self._run(key, peer)
                group.create_task(self._watch_peers())
                group.create_task(self._watch_md5())
                if self.reload_after:
                    loop.call_later(self.reload_after, self.signalled, 'reload')
                await self._done.wait()
                self.notify.stopping()
                await self._shutdown()
                watchdog.cancel()
        finally:
            for number in SIGNALS:
                loop.remove_signal_handler(number)
            await self.control.close()
            await self.metrics.close()
            await self.listeners.close()
            self.notify.close()
            self.observer.close()
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

    async def health_report(self) -> dict[str, object]:
        return self.health.report(self, await self.health.current_lag())

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
            peer.report_stopping()
        await self.processes.stop()
        for peer in self.peers.values():
            peer.stop(3)
        tasks = list(self._tasks.values())
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        for task in tasks:
            task.cancel()
        await self.bmp.stop()

    async def _watch_md5(self) -> None:
        """Every `md5_check` seconds while a peer is not established, look at the kernel's TCP MD5
        drop counters (it gives no event for a dropped segment): if they moved, warn on each peer
        that may be the cause, those with a password for a bad or missing signature, those
        without for a signed segment nobody has a key for."""
        watch = md5drops.Watch()
        if not watch.last:
            return  # no counters here (not Linux)
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._done.wait(), self.md5_check)
                return
            waiting = [peer for peer in self.peers.values() if peer.established is None]
            drops = watch.since() if waiting else {}
            if not drops:
                continue
            for peer in waiting:
                neighbor = peer.neighbor
                if neighbor.md5_password:
                    peer.log.warning(
                        f'not established, and the kernel dropped TCP segments for MD5 meanwhile: '
                        f'{md5drops.explain(drops)}; check the md5-password on both sides'
                    )
                elif not neighbor.md5_password and 'TCPMD5Unexpected' in drops:
                    peer.log.warning(
                        'not established, and the kernel dropped TCP segments for MD5 meanwhile: '
                        f'{md5drops.explain({"TCPMD5Unexpected": drops["TCPMD5Unexpected"]})}; '
                        'if this peer signs its segments, set its md5-password'
                    )

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

    async def _listen(self, config: Config, starting: bool = True) -> bool:
        """Open the listening sockets the configuration asks for, each with the md5 keys of the
        peers that may connect to it, and close those it no longer asks for. At start a socket
        that cannot be set up stops the daemon; on a reload it is logged and the rest goes on."""
        done = True
        try:
            wanted = listening(config, self.settings.tcp.bind, self.settings.tcp.port)
            for (host, port), (keys, ttl) in wanted.items():
                try:
                    await self.listeners.listen(host, port, keys, ttl)
                except tcp.SocketError as error:
                    if starting:
                        raise
                    log.error(str(error))
                    done = False
        except tcp.SocketError as error:
            (log.critical if starting else log.error)(str(error))
            return False
        self.listeners.keep(set(wanted))
        return done

    # ------------------------------------------------------------------ reload

    def _relisten(self, config: Config) -> None:
        """After a reload: the listening sockets and their md5 keys follow the new configuration
        (as 5.0 does on each reload)."""
        if self._group is not None:
            self._group.create_task(self._listen(config, starting=False))

    def _read(self) -> Config | None:
        try:
            return self.load()
        except ConfigError as error:
            log.error(
                f'reload failed, keeping the running configuration:\n{error.report()}',
                extra=logger.event('config.reload', outcome='failure', error=error.report()),
            )
            return None

    def restart(self) -> bool:
        """5.0's restart: the configuration read again, the API processes restarted, and every session
        closed with Cease 6/3 and established again on the new configuration (a neighbor whose
        settings changed is started afresh, a removed one stopped, a new one started)."""
        config = self._read()
        self.health.reloaded(config is not None)
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
        self._relisten(config)
        self.bmp.configure(config.bmp)
        log.info(
            'configuration reloaded, every session restarted', extra=logger.event('config.reload', outcome='success')
        )
        return True

    def reload(self, restart_processes: bool = False) -> bool:
        config = self._read()
        self.health.reloaded(config is not None)
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
                    peer.stop(PEER_DECONFIGURED, reason='removed')
                continue
            if peer is None:
                continue
            if _same_except_routes(neighbor, new[key]):
                peer.reconfigure(new[key])
            else:
                peer.stop(OTHER_CONFIGURATION_CHANGE, 'configuration changed')
                with contextlib.suppress(KeyError):
                    del self.peers[key]
                self._add(new[key])
        for key, neighbor in new.items():
            if key not in old:
                self._add(neighbor)
        self.config = config
        self._relisten(config)
        self.bmp.configure(config.bmp)
        log.info('configuration reloaded', extra=logger.event('config.reload', outcome='success'))
        return True
