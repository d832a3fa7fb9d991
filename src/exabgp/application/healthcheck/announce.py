"""The API commands the healthcheck writes for a state: one line per service address, as 5.0 writes them.

`neighbor <selection> announce route <ip> next-hop <nh> med <metric> [local-preference <lp>]
[community [ c ]] [extended-community [ c ]] [large-community [ c ]] [as-path [ p ]]
[path-information <id>]`, or `... withdraw route <ip> next-hop <nh> [path-information <id>]`.

Invariants: pure text from values (no I/O); the MED starts at the state's metric and grows by
`increase` for each address in order, withdrawn ones included; UP, DOWN and DISABLED announce (DOWN
and DISABLED withdraw instead with `withdraw_on_down`), EXIT withdraws, any other state sends nothing.
"""

from dataclasses import dataclass

from exabgp.application.healthcheck.machine import State


@dataclass(frozen=True, slots=True)
class Advertise:
    """What the routes carry: the options of 5.0's `advertising options` group, as text."""

    ips: tuple[str, ...]
    next_hop: str = 'self'
    neighbors: tuple[str, ...] = ()
    up_metric: int = 100
    down_metric: int = 1000
    disabled_metric: int = 500
    increase: int = 1
    local_preference: int = -1
    community: str | None = None
    extended_community: str | None = None
    large_community: str | None = None
    disabled_community: str | None = None
    as_path: str | None = None
    up_as_path: str | None = None
    down_as_path: str | None = None
    disabled_as_path: str | None = None
    withdraw_on_down: bool = False
    path_id: int | None = None

    def selection(self) -> str:
        # '*' anywhere among the neighbors means all of them, as no --neighbor does
        if not self.neighbors or '*' in self.neighbors:
            return 'neighbor *'
        return ', '.join(f'neighbor {neighbor}' for neighbor in self.neighbors)

    def first_metric(self, target: State) -> int:
        return {State.UP: self.up_metric, State.DOWN: self.down_metric, State.DISABLED: self.disabled_metric}.get(
            target, 0
        )

    def path(self, target: State) -> str | None:
        chosen = {State.UP: self.up_as_path, State.DOWN: self.down_as_path, State.DISABLED: self.disabled_as_path}.get(
            target
        )
        # an empty --up-as-path '' is a choice (no AS_PATH), only an absent one falls back
        return self.as_path if chosen is None else chosen

    def attributes(self, target: State, metric: int) -> str:
        text = f' med {metric}'
        if self.local_preference >= 0:
            text += f' local-preference {self.local_preference}'
        community = self.community
        if target in (State.DOWN, State.DISABLED) and self.disabled_community:
            community = self.disabled_community
        if community:
            text += f' community [ {community} ]'
        if self.extended_community:
            text += f' extended-community [ {self.extended_community} ]'
        if self.large_community:
            text += f' large-community [ {self.large_community} ]'
        path = self.path(target)
        if path:
            text += f' as-path [ {path} ]'
        return text


def lines(advertise: Advertise, target: State) -> tuple[str, ...]:
    """The commands for entering `target`, in address order (empty when the state sends nothing)."""
    if target not in (State.UP, State.DOWN, State.DISABLED, State.EXIT):
        return ()
    withdraw = target is State.EXIT or (advertise.withdraw_on_down and target is not State.UP)
    selection = advertise.selection()
    metric = advertise.first_metric(target)
    # a path ID of 0 is no path ID, as in 5.0
    path_id = f' path-information {advertise.path_id}' if advertise.path_id else ''
    written = []
    for ip in advertise.ips:
        if withdraw:
            written.append(f'{selection} withdraw route {ip} next-hop {advertise.next_hop}{path_id}')
        else:
            written.append(
                f'{selection} announce route {ip} next-hop {advertise.next_hop}'
                f'{advertise.attributes(target, metric)}{path_id}'
            )
        metric += advertise.increase
    return tuple(written)
