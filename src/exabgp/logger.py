"""Topic loggers, as ExaBGP 5.0 names them.

Every log line belongs to a source: a topic that a `log.*` setting switches on or off
(`configuration`, `reactor`, `daemon`, `processes`, `network`, `statistics`, `wire`, `message`,
`rib`, `timer`, `routes`, `parser`), or another name (`welcome`, `cli`, ...) that is always on.
A source is the standard library logger `exabgp.<source>`; the short format prints the source.
This module only names loggers: handlers and levels are set by the application layer, so any layer
may log through it.
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


def source_of(record: logging.LogRecord) -> str:
    name = record.name
    return name[len(ROOT) + 1 :] if name.startswith(f'{ROOT}.') else name


class PeerLog(logging.LoggerAdapter[logging.Logger]):
    """Prefixes every line with the peer it is about, so interleaved sessions stay readable."""

    def __init__(self, logger: logging.Logger, peer: str) -> None:
        super().__init__(logger, {})
        self.peer = peer

    def process(self, msg: object, kwargs: MutableMapping[str, Any]) -> tuple[str, MutableMapping[str, Any]]:
        return f'peer {self.peer} {msg}', kwargs
