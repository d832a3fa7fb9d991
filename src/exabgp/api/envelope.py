"""What every API encoder shares: the facts an event is stamped with, the neighbor it is about, and
the JSON envelope ExaBGP 5.0 wraps each event in.

Layout of the encoders (pure functions returning the string 5.0 writes for an event):

    envelope.py       Stamp, Peer, hexstring, the JSON envelope, "neighbor" block and
                      "negotiated" member, and the text encoder's packets suffix
    json_messages.py  JSON of BGP messages: open, notification, keepalive, refresh, operational;
                      `encode` dispatches on the message type (UPDATE: json_update.py, one entry)
    json_update.py    JSON of UPDATE and End-of-RIB, with 5.0's `api.compact` as an option
    json_events.py    JSON of session events: state, negotiated, fsm, signal, packets, shutdown
    text_messages.py  the text encoder's lines for the same messages (UPDATE: text_update.py)
    text_update.py    the text encoder's lines for UPDATE and End-of-RIB
    text_events.py    and for the same events

The envelope, spacing included, is 5.0's:

    { "exabgp": "5.0.0", "time": <float>, "host" : "<host>", "pid" : <pid>, "ppid" : <ppid>,
      "counter": <n>, "type": "<type>", ["header": "0x..", "body": "0x..",] <content> }

with, for events about a neighbor, <content>:

    "neighbor": { "address": { "local": "<ip>", "peer": "<ip>" }, "asn": { "local": <as>,
      "peer": <as> }, "router-id": "<id>" , "direction": "<dir>", <members> }

Invariants: nothing here reads the clock, the host or the process: `Stamp` carries them in. A
direction is 5.0's word for it ('send' and 'receive' in a session, 'in' for `exabgp decode`), written
as given. "header" and "body" (the message's octets in hex) appear when the API asked for packets
with its parsed messages, and only then: empty octets mean absent.
"""

import json
from dataclasses import dataclass
from typing import NamedTuple

from exabgp.bgp.family import afi_name
from exabgp.bgp.negotiated import Negotiated, Refresh
from exabgp.version import JSON_VERSION

RECEIVED = ('receive', 'in')

_REFRESH_NAMES = {Refresh.ABSENT: 'absent', Refresh.NORMAL: 'normal', Refresh.ENHANCED: 'enhanced'}


class Stamp(NamedTuple):
    """When and by whom an event is written; `counter` counts the events of one neighbor (None: not
    about a neighbor). A tuple: one is made for every event, and a tuple is made twice as fast."""

    time: float
    host: str
    pid: int
    ppid: int
    counter: int | None = None


@dataclass(frozen=True, slots=True)
class Peer:
    """The neighbor as the API shows it: its configured addresses, ASNs and our router id."""

    local_address: str
    peer_address: str
    local_as: int
    peer_as: int
    router_id: str = ''


def hexstring(data: bytes) -> str:
    return '0x' + data.hex().upper()


def packets_suffix(header: bytes, body: bytes) -> str:
    """What the text encoder appends when the API asked for packets: ` header 0x.. body 0x..`."""
    return (f' header {hexstring(header)}' if header else '') + (f' body {hexstring(body)}' if body else '')


def received(direction: str) -> bool:
    return direction in RECEIVED


def string(value: object) -> str:
    """A JSON value as 5.0's encoder writes a plain one: booleans and integers bare, the rest quoted."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


def envelope(stamp: Stamp, kind: str, content: str, header: bytes = b'', body: bytes = b'') -> str:
    counter = f'"counter": {stamp.counter}, ' if stamp.counter is not None else ''
    packets = (f'"header": "{hexstring(header)}", ' if header else '') + (
        f'"body": "{hexstring(body)}", ' if body else ''
    )
    return (
        f'{{ "exabgp": "{JSON_VERSION}", "time": {stamp.time}, "host" : "{stamp.host}", '
        f'"pid" : {stamp.pid}, "ppid" : {stamp.ppid}, {counter}"type": "{kind}", {packets}{content} }}'
    )


def neighbor(peer: Peer, direction: str, members: str) -> str:
    router_id = f', "router-id": "{peer.router_id}"' if peer.router_id else ''
    way = f', "direction": "{direction}"' if direction else ''
    separator = ', ' if members else ' '
    return (
        f'"neighbor": {{ "address": {{ "local": "{peer.local_address}", "peer": "{peer.peer_address}" }}, '
        f'"asn": {{ "local": {peer.local_as}, "peer": {peer.peer_as} }}{router_id} {way}{separator}{members} }}'
    )


def negotiated_member(negotiated: Negotiated) -> str:
    """The "negotiated" member 5.0 adds to updates and packets when the API asks for it."""
    families = [str(family) for family in negotiated.families]
    nexthop = [f'{family} {afi_name(nexthop)}' for family, nexthop in negotiated.nexthop]
    send = [str(family) for family in negotiated.families if negotiated.send_path(family)]
    receive = [str(family) for family in negotiated.families if negotiated.receive_path(family)]
    members = ', '.join(
        (
            f'"message_size": {negotiated.msg_size}',
            f'"hold_time": {negotiated.hold_time}',
            f'"asn4": {string(negotiated.asn4)}',
            f'"multisession": {string(negotiated.multisession)}',
            f'"operational": {string(negotiated.operational)}',
            f'"refresh": "{_REFRESH_NAMES[negotiated.refresh]}"',
            f'"families": {json.dumps(families)}',
            f'"nexthop": {json.dumps(nexthop)}',
            f'"add_path": {json.dumps({"send": send, "receive": receive})}',
        )
    )
    return f'"negotiated": {{ {members} }} '
