"""`bmp NAME { host ADDRESS; port N; statistics-timeout N; adj-rib-out BOOL; }`: a BMP station
(ours; 5.0 has none).

Invariants: `host` is mandatory and an IP address (the daemon connects to it, it resolves no
name); `port` defaults to 11019 (GoBGP's default: RFC 7854 names none); `statistics-timeout` is
0 (no Statistics Reports) or 1 to 65535 seconds; `adj-rib-out` (RFC 8671: the UPDATEs we send
too) is off unless written, and on when written bare; names are unique. Every neighbor is mirrored to
every station: a station is a monitoring view of the whole speaker, and filters by peer itself.
"""

from exabgp.configuration import values
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError, Location, suggest
from exabgp.configuration.model import BMP_PORT, BMPStation
from exabgp.configuration.tokenizer import Statement

KEYWORDS = ('host', 'port', 'statistics-timeout', 'adj-rib-out')


class BMPSection:
    """Collects one bmp section; `build()` checks it is complete."""

    __slots__ = ('adj_rib_out', 'host', 'name', 'port', 'statistics_timeout')

    def __init__(self, header: Statement) -> None:
        cursor = Cursor(header)
        self.name = values.name(cursor, 'bmp')
        cursor.done()
        self.host: values.IP | None = None
        self.port = BMP_PORT
        self.statistics_timeout = 0
        self.adj_rib_out = False

    def command(self, cursor: Cursor) -> None:
        keyword = cursor.words[0]
        if keyword == 'host':
            self.host = values.ip(cursor, 'BMP station address')
        elif keyword == 'port':
            self.port = values.integer(cursor, 'BMP station port', 1, 65535)
        elif keyword == 'statistics-timeout':
            self.statistics_timeout = values.integer(cursor, 'statistics-timeout', 0, 65535)
        elif keyword == 'adj-rib-out':
            self.adj_rib_out = values.boolean(cursor, True)
        else:
            raise cursor.fail_at(0, f"invalid keyword '{keyword}' in bmp{suggest(keyword, KEYWORDS)}")
        cursor.done()

    def build(self, closing: Location) -> BMPStation:
        if self.host is None:
            raise ConfigError(f"bmp '{self.name}' is missing: host", closing)
        return BMPStation(self.name, self.host, self.port, self.statistics_timeout, self.adj_rib_out)
