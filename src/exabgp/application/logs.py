"""Logging handlers from the settings: 5.0's destinations, level, topic switches and formats.

Destinations: `stdout` and `stderr` (5.0 writes both to stderr, and so do we, so redirections keep
working the same), `syslog` (the local socket), `host:ADDR` (remote syslog over UDP 514),
`file:PATH` or an absolute path (rotated at 1 MiB, 3 backups). The short format is
`SOURCE(15) MESSAGE`; the long one adds the time and the pid. A message of several lines is
written as one line each, every line with its own prefix.

With `log.format=json` (ours) every record is one JSON object on one line, whatever the destination:
`time` (UTC, RFC 3339 with microseconds), `level`, `topic` (the source), `event` (the record's stable
name, `exabgp.logger.event`, else `<topic>.message`), `peer` when the record is about one, `pid`,
`message`, then the event's fields (never replacing one of these keys).
"""

import datetime
import json
import logging
import os
import sys
import time

from exabgp.logger import ROOT, TOPICS, get, source_of
from exabgp.settings import Settings

# above CRITICAL: a topic switched off logs nothing at any level
OFF = logging.CRITICAL + 10


class Format(logging.Formatter):
    def __init__(self, short: bool) -> None:
        super().__init__()
        self.short = short

    def format(self, record: logging.LogRecord) -> str:
        source = source_of(record)
        message = record.getMessage()
        if record.exc_info:
            message = f'{message}\n{self.formatException(record.exc_info)}'
        if self.short:
            prefix = f'{source:<15}'
        else:
            now = time.strftime('%H:%M:%S', time.localtime(record.created))
            prefix = f'{now} {record.process:<6} {source:<15}'
        return '\n'.join(f'{prefix} {line}' for line in message.split('\n'))


RESERVED = ('time', 'level', 'topic', 'event', 'peer', 'pid', 'message')


class JsonFormat(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        source = source_of(record)
        message = record.getMessage()
        if record.exc_info:
            message = f'{message}\n{self.formatException(record.exc_info)}'
        when = datetime.datetime.fromtimestamp(record.created, datetime.UTC)
        line: dict[str, object] = {
            'time': when.isoformat(timespec='microseconds').replace('+00:00', 'Z'),
            'level': record.levelname,
            'topic': source,
            'event': getattr(record, 'event', None) or f'{source}.message',
        }
        peer = getattr(record, 'peer', None)
        if peer is not None:
            line['peer'] = peer
        line['pid'] = record.process
        line['message'] = message
        fields = getattr(record, 'fields', None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                if key not in RESERVED:
                    line[key] = value
        return json.dumps(line, default=str, separators=(',', ':'))


def _syslog_socket() -> str:
    if sys.platform == 'darwin':
        return '/var/run/syslog'
    return '/dev/log'


def _create(destination: str) -> tuple[logging.Handler, bool | None]:
    """The handler for a destination, and the format it forces (None: the setting's)."""
    if destination in ('stdout', 'stderr'):
        return logging.StreamHandler(sys.stderr), None
    # only here: the module (with socket, pickle, queue) is a tenth of `exabgp decode`'s start-up
    from logging import handlers

    if destination == 'syslog':
        # syslog adds its own time and pid
        return handlers.SysLogHandler(address=_syslog_socket()), True
    if destination.startswith('host:'):
        return handlers.SysLogHandler(address=(destination[5:], 514)), True
    if destination.startswith(('file:', '/', '~')):
        path = destination[5:] if destination.startswith('file:') else destination
        filename = os.path.realpath(os.path.expanduser(path))
        return handlers.RotatingFileHandler(filename, maxBytes=1 << 20, backupCount=3), False
    raise ValueError('stdout, stderr, syslog, host:ADDR, file:PATH or an absolute path')


def handler_for(destination: str, short: bool, structured: bool = False) -> logging.Handler:
    """The handler writing to `destination` (`structured`: JSON lines); an unusable one falls back
    to stderr with a warning."""
    try:
        handler, forced = _create(destination)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f'warning: can not log to {destination!r} ({exc}); logging to stderr\n')
        handler, forced = logging.StreamHandler(sys.stderr), None
    handler.setFormatter(JsonFormat() if structured else Format(short if forced is None else forced))
    return handler


def configure(settings: Settings) -> None:
    """Replace the handlers of the `exabgp` logger tree according to `settings.log`."""
    log = settings.log
    root = logging.getLogger(ROOT)
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.propagate = False
    root.setLevel(logging.getLevelName(log.level) if log.level != 'FATAL' else logging.CRITICAL)
    root.addHandler(handler_for(log.destination, log.short, log.format == 'json'))
    for source, option in TOPICS.items():
        enabled = log.enable and (log.all or getattr(log, option))
        get(source).setLevel(logging.NOTSET if enabled else OFF)
