"""Cutting a TCP byte stream into BGP messages.

Invariants: bytes are kept in one persistent buffer until a whole message is there, so a message
split over any number of reads, at any delay, comes out intact and never causes a resync or reset.
Each message's header is checked (bgp.message.header.check) as soon as its 19 octets are in; a bad
header raises PeerError and the framer must not be used again. `max_size` grows to 65535 when the
extended message capability is negotiated.
"""

from collections.abc import Iterator

from exabgp.bgp.message.header import HEADER_SIZE, check
from exabgp.bgp.negotiated import STANDARD_SIZE


class Framer:
    __slots__ = ('_buffer', 'max_size')

    def __init__(self, max_size: int = STANDARD_SIZE) -> None:
        self._buffer = bytearray()
        self.max_size = max_size

    def feed(self, data: bytes) -> Iterator[tuple[int, bytes, bytes]]:
        """Add `data`; yield (type, header, body) for every message now complete."""
        buffer = self._buffer
        buffer += data
        start = 0
        end = len(buffer)
        try:
            while end - start >= HEADER_SIZE:
                header = bytes(buffer[start : start + HEADER_SIZE])
                length, kind = check(header, self.max_size)
                if end - start < length:
                    break
                body = bytes(buffer[start + HEADER_SIZE : start + length])
                start += length
                yield kind, header, body
        finally:
            del buffer[:start]

    @property
    def pending(self) -> int:
        """Octets of an incomplete message waiting for the rest."""
        return len(self._buffer)
