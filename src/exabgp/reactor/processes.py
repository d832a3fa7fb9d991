"""The API processes of a daemon: started, respawned, stopped, and told what happens to their peers.

`Processes` is the reactor's `Observer`. For each event it finds, in the neighbor's `api` bindings,
the processes that asked for it, encodes the event once per encoder (json or text, 5.0's formats,
`exabgp.api`'s encoders) and queues the line in each process's `Output`. It never waits: a process
that does not read loses events by its output's policy (reactor/output.py), nothing else.

Which events go where (5.0's rules):
- `neighbor-changes`: connected, up, down (with 5.0's reason); `negotiated`, `fsm`, `signal`: as named.
- A message received (sent) of kind K (open, update, notification, keepalive, refresh, operational)
  concerns the processes listing K under `receive` (`send`). For those messages, the processes listing
  `packets` get the octets (unless some process asked `consolidate`), those listing K get the parsed
  message when some process asked `parsed` or `consolidate`; with `consolidate` the parsed message
  carries its octets (a sent one only when `packets` is asked too). The "negotiated" member is added
  when some process of the neighbor asked for `negotiated`.
- fsm events follow 5.0's peer rather than the session: ACTIVE and IDLE when a connection is
  attempted, CONNECT once TCP is up, OPENSENT, OPENCONFIRM, ESTABLISHED, then IDLE after "down".

Respawn (5.0's rules): a process that ends is started again when its `respawn` and `api.respawn`
allow, at most RESPAWN_LIMIT times inside one RESPAWN_WINDOW-second window of the wall clock (the
window 5.0 uses: the time with its low six bits cleared); past that, or when `api.terminate` is set,
the daemon stops. A process that ends less than RESPAWN_STEADY seconds after it started is restarted
after a delay, RESPAWN_FIRST seconds and doubled at each such death up to RESPAWN_CEILING (never twice in
the same second), each restart logged with its delay; after more than RESPAWN_LIMIT such deaths in a
row the daemon stops, as 5.0 would, whatever the window. One that ran longer is restarted at once.
At shutdown every process gets 5.0's shutdown message, a moment to read it, SIGTERM,
then SIGKILL.
"""

import asyncio
import os
import signal as signals
import socket
import time
from collections.abc import Callable, Iterable

from exabgp import logger
from exabgp.api import json_events, json_messages, text_events, text_messages
from exabgp.api.envelope import Peer as ApiPeer
from exabgp.api.envelope import Stamp, envelope
from exabgp.bgp.message.header import NAMES, MessageType
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message, unpack_message
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.model import Messages, Neighbor, Process
from exabgp.reactor.observer import Observer, PeerView
from exabgp.reactor.output import DEFAULT_LIMIT
from exabgp.reactor.process import ApiProcess
from exabgp.session.events import Sent
from exabgp.settings import Settings

log = logger.get('processes')

RESPAWN_LIMIT = 5
RESPAWN_WINDOW_MASK = 0xFFFFFF - 0b111111  # 5.0: about a minute, aligned on the wall clock
RESPAWN_STEADY = 10.0  # seconds a process must run for its death to be no sign of a crash loop
RESPAWN_FIRST = 1.0
RESPAWN_CEILING = 60.0
SHUTDOWN_FLUSH = 0.5  # seconds a process has to read the shutdown message

SENT_KINDS = tuple(NAMES.values())

# the "negotiated" member 5.0 writes before both OPENs are in
NOTHING_NEGOTIATED = Negotiated(hold_time=0, families=())

Encoders = tuple[Callable[[Stamp, ApiPeer], str | None], Callable[[ApiPeer], str | None]]


def api_peer(peer: PeerView) -> ApiPeer:
    """The neighbor as the API's envelope shows it."""
    neighbor = peer.neighbor
    negotiated = peer.established
    local_as = neighbor.local_as if neighbor.local_as is not None else (negotiated.local_as if negotiated else 0)
    peer_as = neighbor.peer_as if neighbor.peer_as is not None else (negotiated.peer_as if negotiated else 0)
    router_id = neighbor.router_id or peer.router_id
    return ApiPeer(str(peer.local_address), neighbor.peer(), local_as, peer_as, str(router_id or ''))


class Processes(Observer):
    def __init__(self, settings: Settings, stop_daemon: Callable[[int], None]) -> None:
        self.settings = settings
        self.stop_daemon = stop_daemon
        self.limit = settings.process.queue or DEFAULT_LIMIT
        self.configs: dict[str, Process] = {}
        self.running: dict[str, ApiProcess] = {}
        self.run_commands: Callable = _no_commands
        self.stopping = False
        self._respawns: dict[str, tuple[int, int]] = {}
        # per process: its deaths in a row soon after a start, and the delay before the next restart
        self._quick: dict[str, tuple[int, float]] = {}
        self._counters: dict[int, int] = {}
        # events about each peer (by address) some process did not get: `show neighbor extensive`
        self.dropped: dict[str, int] = {}
        # times each process was started again after it ended (metrics)
        self.restarts: dict[str, int] = {}
        self._host = socket.gethostname()
        self._pid = os.getpid()
        self._ppid = os.getppid()
        self._background: set[asyncio.Task] = set()
        # the last peer view an event came with, and the API's form of it (see `_emit`)
        self._view: PeerView | None = None
        self._api = ApiPeer('', '', 0, 0)

    # ------------------------------------------------------------------ life

    async def start(self, configs: Iterable[Process], restart: bool = False) -> None:
        """Run these processes: stop those no longer configured (and all with `restart`), start the others."""
        wanted = {config.name: config for config in configs}
        for name, process in list(self.running.items()):
            if name not in wanted or restart or wanted[name] != process.config:
                del self.running[name]
                await process.stop(None, 0)
        self.configs = wanted
        for config in wanted.values():
            if config.name not in self.running:
                await self._spawn(config)

    async def _spawn(self, config: Process) -> None:
        encoder = config.encoder
        if encoder != 'json' and self.settings.api.version == 6:
            # upstream main's API v6 speaks JSON only, whatever the process asked for
            log.warning(f'process {config.name}: API version 6 is JSON only, encoder {encoder} ignored')
            encoder = 'json'
        process = ApiProcess(
            config, self.settings.api.ack, self.limit, self._marker(encoder), self.run_commands, self._ended
        )
        process.encoder = encoder
        try:
            await process.start()
        except OSError as exc:
            log.error(f'could not start process {config.name}: {exc}')
            return
        self.running[config.name] = process

    def _ended(self, process: ApiProcess) -> None:
        if self.stopping or self.running.get(process.name) is not process:
            return
        del self.running[process.name]
        api = self.settings.api
        if api.terminate:
            log.critical(
                f'process {process.name} ended and api.terminate is set: stopping',
                extra=logger.event('process.ended', process=process.name, action='stop'),
            )
            self.stop_daemon(1)
            return
        if not (api.respawn and process.config.respawn):
            log.info(
                f'process {process.name} ended and is not respawned',
                extra=logger.event('process.ended', process=process.name, action='none'),
            )
            return
        window = int(time.time()) & RESPAWN_WINDOW_MASK
        last, count = self._respawns.get(process.name, (window, 0))
        count = count + 1 if last == window else 1
        self._respawns[process.name] = (window, count)
        loop = asyncio.get_running_loop()
        quick, delay = self._quick.get(process.name, (0, 0.0))
        if loop.time() - process.started < RESPAWN_STEADY:
            quick, delay = quick + 1, min(RESPAWN_CEILING, delay * 2 or RESPAWN_FIRST)
        else:
            quick, delay = 0, 0.0
        self._quick[process.name] = (quick, delay)
        if count > RESPAWN_LIMIT or quick > RESPAWN_LIMIT:
            log.critical(f'Too many death for {process.name} ({RESPAWN_LIMIT}) terminating program')
            self.stop_daemon(1)
            return
        log.info(
            f'process {process.name} ended, restarting it' + (f' in {delay:g} seconds' if delay else ''),
            extra=logger.event('process.ended', process=process.name, action='restart', delay=delay),
        )
        self.restarts[process.name] = self.restarts.get(process.name, 0) + 1
        task = loop.create_task(self._respawn(process.config, delay))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _respawn(self, config: Process, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        # configured again meanwhile (a reload started it) or no longer configured: nothing to do
        if self.stopping or config.name in self.running or self.configs.get(config.name) != config:
            return
        await self._spawn(config)

    async def stop(self) -> None:
        """Shutdown: tell every process, then end them all (concurrently)."""
        self.stopping = True
        # a respawn still under way ends here: nothing of ours outlives the daemon
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        stamp = self._stamp(None)
        processes = list(self.running.values())
        self.running.clear()
        last = {
            'json': json_events.shutdown(stamp),
            # 5.0 writes the text line with its own newline, then the line end every message gets
            'text': text_events.shutdown(self._pid, self._ppid),
        }
        await asyncio.gather(*(process.stop(last[process.encoder], SHUTDOWN_FLUSH) for process in processes))

    # ------------------------------------------------------------------ encoding

    def _stamp(self, peer: PeerView | None) -> Stamp:
        counter = None
        if peer is not None:
            counter = self._counters.get(peer.key, 0) + 1
            self._counters[peer.key] = counter
        return Stamp(time.time(), self._host, self._pid, self._ppid, counter)

    def _marker(self, encoder: str) -> Callable[[int, dict[str, int]], str]:
        def json_marker(total: int, peers: dict[str, int]) -> str:
            counts = ', '.join(f'"{peer}": {count}' for peer, count in peers.items())
            content = f'"notification": "dropped", "dropped": {total}, "peers": {{ {counts} }}'
            return envelope(self._stamp(None), 'notification', content)

        def text_marker(total: int, peers: dict[str, int]) -> str:
            return f'notification dropped {total}' + ''.join(f' peer {peer} {count}' for peer, count in peers.items())

        return json_marker if encoder == 'json' else text_marker

    def _emit(self, peer: PeerView, names: tuple[str, ...], make_json, make_text) -> None:
        """Queue an event for the named processes, encoded at most once per encoder."""
        if not names:
            return
        # a peer hands out one view for a whole batch of events: its API form is made once per view
        if peer is self._view:
            api = self._api
        else:
            api = self._api = api_peer(peer)
            self._view = peer
        lines: dict[str, str | None] = {}
        key = api.peer_address
        for name in names:
            process = self.running.get(name)
            if process is None:
                continue
            encoder = process.encoder
            if encoder not in lines:
                if encoder == 'json':
                    lines[encoder] = make_json(self._stamp(peer), api)
                else:
                    # 5.0's text lines mostly end with a newline, and the writer adds one: kept
                    lines[encoder] = make_text(api)
            line = lines[encoder]
            if line is not None and not process.output.event(line, key):
                self.dropped[key] = self.dropped.get(key, 0) + 1

    # ------------------------------------------------------------------ Observer

    def wants_sent(self, neighbor: Neighbor) -> bool:
        send = neighbor.api.send
        return any(getattr(send, kind) for kind in SENT_KINDS)

    def connected(self, peer: PeerView) -> None:
        self._state(peer, 'connected')

    def up(self, peer: PeerView) -> None:
        self._state(peer, 'up')

    def down(self, peer: PeerView, reason: str) -> None:
        self._state(peer, 'down', reason)

    def _state(self, peer: PeerView, name: str, reason: str = '') -> None:
        self._emit(
            peer,
            peer.neighbor.api.neighbor_changes,
            lambda stamp, api: json_events.state(stamp, api, name, reason),
            lambda api: text_events.state(api, name, reason),
        )

    def fsm(self, peer: PeerView, state: str) -> None:
        self._emit(
            peer,
            peer.neighbor.api.fsm,
            lambda stamp, api: json_events.fsm(stamp, api, state.upper()),
            lambda api: text_events.fsm(api, state),
        )

    def negotiated(self, peer: PeerView, sent: Open, received: Open, negotiated: Negotiated) -> None:
        self._emit(
            peer,
            peer.neighbor.api.negotiated,
            lambda stamp, api: json_events.negotiated(stamp, api, negotiated),
            lambda api: text_events.negotiated(api, negotiated),
        )

    def signal(self, peers: Iterable[PeerView], number: int) -> None:
        name = signals.Signals(number).name if number in signals.Signals.__members__.values() else 'unknown'
        for peer in peers:
            self._emit(
                peer,
                peer.neighbor.api.signal,
                lambda stamp, api: json_events.signal(stamp, api, number, name),
                lambda api: text_events.signal(api, number, name),
            )

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        self._message(peer, 'receive', peer.neighbor.api.receive, message.TYPE, message, header, body)

    def sent(self, peer: PeerView, sent: Sent) -> None:
        self._message(peer, 'send', peer.neighbor.api.send, sent.kind, sent.message, sent.header, sent.body)

    def _message(
        self,
        peer: PeerView,
        direction: str,
        wanted: Messages,
        kind: int,
        message: Message | None,
        header: bytes,
        body: bytes,
    ) -> None:
        """`message` is None for a message we sent already packed: decoded here, and only when a
        process asked for the parsed form."""
        names = getattr(wanted, NAMES.get(kind, ''), ())
        if not names:
            return
        api = peer.neighbor.api
        negotiated = None
        if api.negotiated:
            # 5.0 reports the peer's OPEN before it negotiates anything with it
            opening = kind == MessageType.OPEN and direction == 'receive'
            negotiated = NOTHING_NEGOTIATED if opening else peer.current or NOTHING_NEGOTIATED
        if wanted.packets and not wanted.consolidate:
            self._emit(
                peer,
                wanted.packets,
                lambda stamp, who: json_events.packets(stamp, who, direction, kind, header, body, negotiated),
                lambda who: text_events.packets(who, direction, kind, header, body),
            )
        if wanted.consolidate:
            # 5.0 gives the octets of a sent message only when packets are asked for as well
            octets = (header, body) if direction == 'receive' or wanted.packets else (b'', b'')
        elif wanted.parsed:
            octets = (b'', b'')
        else:
            return
        if message is None:
            message = unpack_message(kind, body, peer.current or Negotiated())
        compact = self.settings.api.compact
        six = self.settings.six
        self._emit(
            peer,
            names,
            lambda stamp, who: json_messages.encode(
                stamp, who, direction, message, *octets, compact=compact, negotiated=negotiated, six=six
            ),
            lambda who: text_messages.encode(who, direction, message, *octets),
        )


async def _no_commands(process: ApiProcess, lines: list[str]) -> None:
    """Until the daemon wires its command runner in, commands are refused."""
    for line in lines:
        log.error(f'process {process.name}: no command runner, ignoring {line!r}')
