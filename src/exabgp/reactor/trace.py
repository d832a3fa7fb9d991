"""The troubleshooting lines of one peer's sessions, under 5.0's debug topics.

What each topic prints (5.0's lines and formats; all at DEBUG, as 5.0 logs them):
- `wire` (`log.packets`): every message sent and received, whole, in hex grouped by two octets
  (`sending TCP payload (  57) FFFF FFFF ...`), then its decoded summary (`>> OPEN version=4 ...`,
  `<< UPDATE 2 announced, 0 withdrawn`); UPDATEs from the Adj-RIB-Out leave already packed and are
  summed up per batch (`>> 2 UPDATE(s)`), as 5.0 does, without decoding them again.
- `timer` (`log.timers`): the hold and keepalive timers after each message received or KEEPALIVE
  sent (`receive-timer 30 second(s) left`, `send-timer 10 second(s) left`). 5.0 prints them every
  second from its polling loop; nothing polls here, so they are printed when they change.
- `statistics`: the message counters as they move (`statistics for send-update counter 2`), logged
  by the peer where it counts (`statistics` here is that logger).
- `routes` (`log.routes`): each route a received UPDATE announces or withdraws.
- `parser`: each UPDATE body received, in hex, then each of its path attributes as it is on the
  wire (`attribute origin             flag 0x40 type 0x01 len 0x01 payload 00`).

Invariant: a topic switched off costs one `isEnabledFor` check per batch of events, never a
formatting; `Trace.enabled()` is that check for the whole batch.
"""

import logging
import math
from collections.abc import Iterator, Sequence

from exabgp import logger
from exabgp.bgp.attribute.base import Flag
from exabgp.bgp.attribute.table import ATTRIBUTES
from exabgp.bgp.family import IPV4_UNICAST, Family
from exabgp.bgp.message.header import NAMES, MessageType
from exabgp.bgp.message.update import Update
from exabgp.session.events import Received, Sent
from exabgp.session.session import Session

DEBUG = logging.DEBUG

IPV4_EOR = bytes(4)
# no withdrawn routes, then only an MP_UNREACH_NLRI of 3 octets (AFI and SAFI), its length in one
# octet or, with the extended length flag (as 5.0 and we send it), in two
MP_EOR = (bytes.fromhex('0000 0006 800f 03'), bytes.fromhex('0000 0007 900f 0003'))

wire = logger.get('wire')
timer = logger.get('timer')
statistics = logger.get('statistics')
routes = logger.get('routes')
parser = logger.get('parser')

TOPICS = (wire, timer, routes, parser)


def hexdump(data: bytes) -> str:
    """5.0's `od`: upper-case hex in groups of two octets."""
    text = data.hex().upper()
    return ' '.join(text[index : index + 4] for index in range(0, len(text), 4))


def end_of_rib(body: bytes) -> Family | None:
    """The family of an End-of-RIB UPDATE body (RFC 4724 2), None for any other body: the RIB's
    End-of-RIB leave packed, and are named from their few octets rather than decoded again."""
    if body == IPV4_EOR:
        return IPV4_UNICAST
    if any(len(body) == len(start) + 3 and body.startswith(start) for start in MP_EOR):
        return Family.of(int.from_bytes(body[-3:-1], 'big'), body[-1])
    return None


def attribute_lines(body: bytes) -> Iterator[str]:
    """One line per path attribute of an UPDATE body, read from its octets; the walk stops quietly
    where the body is malformed (the decoder has said why)."""
    if len(body) < 4:
        return
    start = 4 + int.from_bytes(body[:2], 'big')
    end = min(start + int.from_bytes(body[start - 2 : start], 'big'), len(body))
    while start + 3 <= end:
        flag, code = body[start], body[start + 1]
        size = 2 if flag & Flag.EXTENDED_LENGTH else 1
        length = int.from_bytes(body[start + 2 : start + 2 + size], 'big')
        if start + 2 + size + length > end:
            return
        value = body[start + 2 + size : start + 2 + size + length]
        name = _attribute_name(code)
        shown = f' payload {hexdump(value)}' if value else ''
        yield f'attribute {name:<18} flag 0x{flag:02x} type 0x{code:02x} len 0x{length:02x}{shown}'
        start += 2 + size + length


def _attribute_name(code: int) -> str:
    """5.0's name of an attribute in its logs (`as-path`, `mp-reach-nlri`)."""
    entry = ATTRIBUTES.get(code)
    if entry is None:
        return f'unknown-{code}'
    return getattr(entry.cls, 'NAME', None) or entry.name.lower().replace('_', '-')


def payload(prefix: str, data: bytes) -> str:
    return f'{prefix} ({len(data):4d}) {hexdump(data)}'


class Trace:
    """The debug lines of one peer; `who` starts each line (the peer's address)."""

    __slots__ = ('who',)

    def __init__(self, who: str) -> None:
        self.who = who

    @staticmethod
    def enabled() -> bool:
        return any(topic.isEnabledFor(DEBUG) for topic in TOPICS)

    def events(self, events: Sequence[object], session: Session, now: float) -> None:
        """Log what a batch of session events says."""
        who = self.who
        show_wire = wire.isEnabledFor(DEBUG)
        show_timer = timer.isEnabledFor(DEBUG)
        show_routes = routes.isEnabledFor(DEBUG)
        show_parser = parser.isEnabledFor(DEBUG)
        packed = 0
        for event in events:
            if isinstance(event, Sent):
                if show_wire:
                    wire.debug(f'peer {who} {payload("sending TCP payload", event.wire)}')
                    if event.message is not None:
                        wire.debug(f'peer {who} >> {event.message}')
                    elif (family := end_of_rib(event.body)) is not None:
                        wire.debug(f'peer {who} >> EOR {family}')
                    else:
                        packed += 1
                if show_timer and event.kind == MessageType.KEEPALIVE:
                    self._timers(session, now, receive=False)
            elif isinstance(event, Received):
                message = event.message
                if show_wire:
                    name = NAMES.get(message.TYPE, f'type {message.TYPE}').upper()
                    wire.debug(f'peer {who} {payload("received TCP payload", event.header + event.body)}')
                    wire.debug(f'peer {who} << message of type {name}')
                    wire.debug(f'peer {who} << {message}')
                if isinstance(message, Update):
                    if show_parser:
                        parser.debug(f'peer {who} {payload("parsing UPDATE", event.body)}')
                        for line in attribute_lines(event.body):
                            parser.debug(f'peer {who} {line}')
                    if show_routes:
                        self._routes(message)
                if show_timer:
                    self._timers(session, now, receive=True)
        if packed:
            wire.debug(f'peer {who} >> {packed} UPDATE(s)')

    def _timers(self, session: Session, now: float, receive: bool) -> None:
        hold, keepalive = session.timers(now)
        if receive and hold is not None:
            timer.debug(f'peer {self.who} receive-timer {math.ceil(hold)} second(s) left')
        if not receive and keepalive is not None:
            timer.debug(f'peer {self.who} send-timer {math.ceil(keepalive)} second(s) left')

    def _routes(self, update: Update) -> None:
        who = self.who
        if update.eor is not None:
            routes.debug(f'peer {who} received End-of-RIB {update.eor}')
            return
        if not update.withdrawn:
            routes.debug(f'peer {who} withdrawn NLRI none')
        for nlri in update.withdrawn:
            routes.debug(f'peer {who} withdrawn NLRI {nlri}')
        if not update.announced:
            routes.debug(f'peer {who} announced NLRI none')
        for route in update.announced:
            routes.debug(f'peer {who} announced NLRI {route.nlri} next-hop {route.nexthop}')
