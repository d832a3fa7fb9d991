"""The ROUTE-REFRESH message (RFC 2918 section 3, with RFC 7313's message subtype).

     0       7      15      23      31
    +-------+-------+-------+-------+
    |      AFI      | Subtype | SAFI |
    +-------+-------+-------+-------+

    Subtype: 0 a refresh request, 1 Beginning of Route Refresh, 2 End of Route Refresh.

Invariants: a body that is not exactly 4 octets is 7/1 (Invalid Message Length) and a subtype
above 2 is 7/2, with 5.0's text as data. `subtype_name` is what 5.0 shows: query, begin, end.
"""

from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.errors import INVALID_MESSAGE_LENGTH, ROUTE_REFRESH_MESSAGE_ERROR, PeerError
from exabgp.bgp.family import Family
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.negotiated import Negotiated

QUERY = 0
BEGIN = 1
END = 2
MALFORMED_SUBTYPE = 2

_NAMES = {QUERY: 'query', BEGIN: 'begin', END: 'end'}


@dataclass(frozen=True, slots=True)
class RouteRefresh:
    TYPE: ClassVar[int] = MessageType.ROUTE_REFRESH

    family: Family
    subtype: int = QUERY

    @classmethod
    def unpack(cls, body: bytes, negotiated: Negotiated) -> Self:
        if len(body) != 4:
            # RFC 7313 5: the data is the whole ROUTE-REFRESH message
            whole = frame(cls.TYPE, body)
            raise PeerError.texted(
                ROUTE_REFRESH_MESSAGE_ERROR, INVALID_MESSAGE_LENGTH, 'invalid route-refresh message', whole
            )
        if body[2] not in _NAMES:
            reason = 'invalid route-refresh message subtype'
            raise PeerError.texted(ROUTE_REFRESH_MESSAGE_ERROR, MALFORMED_SUBTYPE, reason, frame(cls.TYPE, body))
        return cls(Family.of(int.from_bytes(body[:2], 'big'), body[3]), body[2])

    def pack(self, negotiated: Negotiated) -> bytes:
        return frame(self.TYPE, self.family.afi.to_bytes(2, 'big') + bytes((self.subtype, self.family.safi)))

    @property
    def subtype_name(self) -> str:
        return _NAMES.get(self.subtype, 'invalid')

    def __str__(self) -> str:
        return 'REFRESH'
