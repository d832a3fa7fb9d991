"""The frozen model of a whole configuration: what the reactor, the sessions and the RIBs start from.

Invariants:
- Every value is frozen; templates are resolved (a neighbor holds everything it inherited) and 5.0's
  defaults and inferences are applied (router-id from local-address, graceful-restart time from
  hold-time, adj-rib-out forced on by route-refresh, the families announced by default, ...), so
  nothing downstream needs to know which keyword was written bare and which was absent.
- Routes are `exabgp.bgp.route.Route` values as the codec packs them. Routes that share attributes
  share one `Attributes` object and one next-hop object (interned while loading), which is what keeps a
  million-route configuration small.
- `next-hop self` stays `SELF` in the model: the session resolves it to its local address (5.0 uses the
  router-id for an IPv4 route on an IPv6 session).
- A neighbor with `multi-session` and several families is one `Neighbor` here; the reactor opens one
  session per family as 5.0 does.
"""

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address

from exabgp.bgp.family import Family, afi_name, safi_name
from exabgp.bgp.message.header import NAMES
from exabgp.bgp.route import Route

IP = IPv4Address | IPv6Address

# capability add-path values: what we offer for each family listed under add-path
ADDPATH_DISABLED = 0
ADDPATH_RECEIVE = 1
ADDPATH_SEND = 2
ADDPATH_BOTH = 3
ADDPATH_NAMES = {
    ADDPATH_DISABLED: 'disable',
    ADDPATH_RECEIVE: 'receive',
    ADDPATH_SEND: 'send',
    ADDPATH_BOTH: 'send/receive',
}

# what an API process can ask to be sent, per direction: three forms, then each message kind
MESSAGES = ('parsed', 'packets', 'consolidate', *NAMES.values())
EVENTS = ('neighbor-changes', 'negotiated', 'fsm', 'signal')


@dataclass(frozen=True, slots=True)
class Process:
    """An API process: the command line it runs, how it wants messages encoded, respawned or not."""

    name: str
    run: tuple[str, ...]
    encoder: str = 'text'
    respawn: bool = True


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the neighbor's OPEN offers, once 5.0's defaults and inferences are applied.

    `graceful_restart` is the restart time in seconds, 0 when not announced. `add_path` is one of the
    ADDPATH_* values and applies to the families in `Neighbor.addpath`.
    """

    asn4: bool = True
    route_refresh: bool = False
    graceful_restart: int = 0
    add_path: int = ADDPATH_DISABLED
    multi_session: bool = False
    operational: bool = False
    extended_message: bool = True
    software_version: bool = False
    nexthop: bool = False
    aigp: bool = False
    # upstream 6.0's link-local next hop capability (code 77) and its receiving preference
    link_local_nexthop: bool = False
    link_local_prefer: bool = False


@dataclass(frozen=True, slots=True)
class TcpAo:
    """upstream 6.0's `tcp-ao { }` (RFC 5925): one master key, its id used to send and receive."""

    keyid: int
    algorithm: str
    key: bytes


@dataclass(frozen=True, slots=True)
class Messages:
    """For one direction, the processes receiving each kind of message (5.0's send-X / receive-X)."""

    parsed: tuple[str, ...] = ()
    packets: tuple[str, ...] = ()
    consolidate: tuple[str, ...] = ()
    open: tuple[str, ...] = ()
    update: tuple[str, ...] = ()
    notification: tuple[str, ...] = ()
    keepalive: tuple[str, ...] = ()
    refresh: tuple[str, ...] = ()
    operational: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Api:
    """A neighbor's API bindings, flattened over its `api` sections as 5.0 does.

    `processes` are names, `processes_match` regular expressions (the two are exclusive). Each event
    and message field lists the processes (named in `processes`) that asked for it.
    """

    processes: tuple[str, ...] = ()
    processes_match: tuple[str, ...] = ()
    neighbor_changes: tuple[str, ...] = ()
    negotiated: tuple[str, ...] = ()
    fsm: tuple[str, ...] = ()
    signal: tuple[str, ...] = ()
    send: Messages = field(default_factory=Messages)
    receive: Messages = field(default_factory=Messages)


@dataclass(frozen=True, slots=True)
class Watchdog:
    """The watchdog a route belongs to, and whether it starts withdrawn (`withdraw` keyword)."""

    name: str
    withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class Operational:
    """An operational message (draft-ietf-idr-operational-message) to send once established.

    `kind` is asm, adm, rpcq, rpcp, apcq, apcp, lpcq or lpcp. Advisories carry `advisory`, queries a
    `sequence`, responses a `sequence` and a `counter`.
    """

    kind: str
    family: Family
    advisory: str = ''
    sequence: int = 0
    counter: int = 0
    router_id: IPv4Address | None = None


@dataclass(frozen=True, slots=True)
class Neighbor:
    peer_address: IP
    # the length of the peer range: 32 (or 128) for a single peer; shorter ones accept any peer inside
    peer_prefix: int
    local_address: IP | None  # None: `auto`, learnt from the TCP connection
    router_id: IPv4Address | None
    local_as: int | None  # None: `auto`
    peer_as: int | None  # None: `auto`
    hold_time: int = 180
    description: str = ''
    host_name: str | None = None
    domain_name: str | None = None
    source_interface: str | None = None
    passive: bool = False
    listen: int = 0
    connect: int = 0
    outgoing_ttl: int | None = None
    incoming_ttl: int | None = None
    md5_password: str | None = None
    md5_base64: bool | None = False  # None: `auto`
    # 5.0's md5-ip: the address we connect from and a `listen` socket is bound to (the key itself is
    # always for the peer's address); the local address unless set, None when that is `auto`
    md5_ip: IP | None = None
    rate_limit: int = 0
    group_updates: bool = True
    auto_flush: bool = True
    adj_rib_in: bool = True
    adj_rib_out: bool = True
    manual_eor: bool = False
    capability: Capabilities = field(default_factory=Capabilities)
    families: tuple[Family, ...] = ()
    # RFC 8950: (nlri family, next-hop afi) pairs offered in the extended next hop capability
    nexthops: tuple[tuple[Family, int], ...] = ()
    addpath: tuple[Family, ...] = ()
    api: Api = field(default_factory=Api)
    routes: tuple[Route, ...] = ()
    # (index in routes, watchdog) for the routes under a watchdog
    watchdogs: tuple[tuple[int, Watchdog], ...] = ()
    operational: tuple[Operational, ...] = ()
    # upstream 6.0's: our fe80::/10 address, sent after a global IPv6 next hop (capability 77)
    local_link_local: IPv6Address | None = None
    tcp_ao: TcpAo | None = None
    # upstream 6.0's PATHS-LIMIT (`add-path { AFI SAFI limit N; }`): (family, paths) of ADD-PATH families
    paths_limit: tuple[tuple[Family, int], ...] = ()

    @property
    def auto_discovery(self) -> bool:
        return self.local_address is None

    def peer(self) -> str:
        """The peer address as 5.0 prints it: the address alone, or address/length for a range."""
        full = 32 if isinstance(self.peer_address, IPv4Address) else 128
        if self.peer_prefix == full:
            return str(self.peer_address)
        return f'{self.peer_address}/{self.peer_prefix}'

    def name(self) -> str:
        """5.0's neighbor name, the key API commands and JSON use to tell neighbors apart."""
        if self.capability.multi_session:
            session = '/'.join(f'{afi_name(family.afi)}-{safi_name(family.safi)}' for family in self.families)
        else:
            session = 'in-open'
        local = 'auto' if self.local_address is None else str(self.local_address)
        local_as = 'auto' if self.local_as is None else str(self.local_as)
        peer_as = 'auto' if self.peer_as is None else str(self.peer_as)
        return (
            f'neighbor {self.peer()} local-ip {local} local-as {local_as} peer-as {peer_as} '
            f'router-id {self.router_id} family-allowed {session}'
        )

    def announced(self) -> list[Route]:
        """The routes to announce when the session comes up: all but those of a withdrawn watchdog."""
        withdrawn = {index for index, watchdog in self.watchdogs if watchdog.withdrawn}
        if not withdrawn:
            return list(self.routes)
        return [route for index, route in enumerate(self.routes) if index not in withdrawn]

    def watched(self) -> dict[str, tuple[list[Route], list[Route]]]:
        """watchdog name -> (routes announced at start, routes withdrawn at start)."""
        groups: dict[str, tuple[list[Route], list[Route]]] = {}
        for index, watchdog in self.watchdogs:
            announced, withdrawn = groups.setdefault(watchdog.name, ([], []))
            (withdrawn if watchdog.withdrawn else announced).append(self.routes[index])
        return groups


# GoBGP's default BMP station port (RFC 7854 names none)
BMP_PORT = 11019


@dataclass(frozen=True, slots=True)
class BMPStation:
    """`bmp NAME { host ADDRESS; port N; statistics-timeout N; adj-rib-out BOOL; }` (ours, 5.0 has
    no BMP): a BMP station the daemon connects to and mirrors every neighbor to. `statistics_timeout`
    is the seconds between two Statistics Reports, 0 for none; `adj_rib_out` adds what we send
    (RFC 8671) to what we receive."""

    name: str
    host: IP
    port: int = BMP_PORT
    statistics_timeout: int = 0
    adj_rib_out: bool = False


@dataclass(frozen=True, slots=True)
class Config:
    """A whole configuration: its processes, neighbors and BMP stations, in the order written."""

    processes: tuple[Process, ...] = ()
    neighbors: tuple[Neighbor, ...] = ()
    bmp: tuple[BMPStation, ...] = ()

    def process(self, name: str) -> Process | None:
        for process in self.processes:
            if process.name == name:
                return process
        return None
