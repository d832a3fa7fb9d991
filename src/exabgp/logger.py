"""Topic loggers, as ExaBGP 5.0 names them.

Every log line belongs to a source: a topic that a `log.*` setting switches on or off
(`configuration`, `reactor`, `daemon`, `processes`, `network`, `statistics`, `wire`, `message`,
`rib`, `timer`, `routes`, `parser`), or another name (`welcome`, `cli`, ...) that is always on.
A source is the standard library logger `exabgp.<source>`; the short format prints the source.
This module only names loggers: handlers and levels are set by the application layer, so any layer
may log through it.

Structured logs (`exabgp.log.format=json`) read three attributes a record may carry: `event` (a
stable name, `peer.state`, `update.error`, ...: `event()` builds the `extra` that sets it, with the
event's fields), `peer` (the peer's address: `PeerLog` sets it) and `fields`. Text logs ignore them,
so naming an event never changes 5.0's lines.
"""

import logging
from collections.abc import MutableMapping
from typing import Any

ROOT = 'exabgp'

# source -> the `log.*` setting that switches it on (5.0 spells a few differently)
TOPICS = {
    'reactor': 'reactor',
    'daemon': 'daemon',
    'processes': 'processes',
    'configuration': 'configuration',
    'network': 'network',
    'statistics': 'statistics',
    'wire': 'packets',
    'message': 'message',
    'rib': 'rib',
    'timer': 'timers',
    'routes': 'routes',
    'parser': 'parser',
}


def get(source: str) -> logging.Logger:
    return logging.getLogger(f'{ROOT}.{source}')


def event(name: str, **fields: object) -> dict[str, object]:
    """The `extra` of a log call that is a named event: `log.info(text, extra=event('peer.state', state='up'))`."""
    return {'event': name, 'fields': fields}


def source_of(record: logging.LogRecord) -> str:
    name = record.name
    return name[len(ROOT) + 1 :] if name.startswith(f'{ROOT}.') else name


class PeerLog(logging.LoggerAdapter[logging.Logger]):
    """Prefixes every line with the peer it is about, so interleaved sessions stay readable."""

    def __init__(self, logger: logging.Logger, peer: str) -> None:
        super().__init__(logger, {})
        self.peer = peer
        # the address alone, for structured logs (`peer` may add the ASN)
        self.address = peer.split(' ', 1)[0]

    def process(self, msg: object, kwargs: MutableMapping[str, Any]) -> tuple[str, MutableMapping[str, Any]]:
        extra = kwargs.get('extra')
        kwargs['extra'] = {'peer': self.address} if extra is None else {**extra, 'peer': self.address}
        return f'peer {self.peer} {msg}', kwargs
