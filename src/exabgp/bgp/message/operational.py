"""The OPERATIONAL message (draft-ietf-idr-operational-message-00, message type 6), as 5.0 implements
it: advisories (ADM, ASM), prefix count queries (RPCQ, APCQ, LPCQ) and their replies (RPCP, APCP,
LPCP).

    +-------------------------------+-------------------------------+
    | Type (2 octets)               | Length (2 octets)             |
    +-------------------------------+---------------+---------------+
    | AFI (2 octets)                | SAFI (1 octet)|
    +-------------------------------+---------------+
    advisory: the text (UTF-8), Length - 3 octets
    query:    Router ID (4 octets), Sequence (4 octets)
    reply:    Router ID (4 octets), Sequence (4 octets), Counter (4 octets)

Invariants: `Operational.unpack` returns one of the values below or raises PeerError 5/0 with 5.0's
text when the body is too short for its type. Query and reply ignore the Length field, as 5.0 does;
an advisory's text is cut by it. A type 5.0 does not decode becomes `UnknownOperational`, keeping
the body (5.0 ignores those). Every value packs back to its wire form; `__str__` is 5.0's log line.
"""

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, ClassVar

from exabgp.bgp.errors import FSM_ERROR, PeerError
from exabgp.bgp.family import Family, afi_name, safi_name
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.negotiated import Negotiated

ADM, ASM, RPCQ, RPCP, APCQ, APCP, LPCQ, LPCP = range(1, 9)
NAMES = {ADM: 'ADM', ASM: 'ASM', RPCQ: 'RPCQ', RPCP: 'RPCP', APCQ: 'APCQ', APCP: 'APCP', LPCQ: 'LPCQ', LPCP: 'LPCP'}
ADVISORIES = (ADM, ASM)
QUERIES = (RPCQ, APCQ, LPCQ)
REPLIES = (RPCP, APCP, LPCP)

MAXIMUM_ADVISORY = 2048
_FAMILY_END = 7  # type, length, afi, safi
_QUERY_END = 15  # then router id and sequence
_REPLY_END = 19  # then the counter


def _error(reason: str) -> PeerError:
    return PeerError.texted(FSM_ERROR, 0, reason)


def _family(body: bytes) -> Family:
    return Family.of(int.from_bytes(body[4:6], 'big'), body[6])


def _frame(kind: int, payload: bytes) -> bytes:
    return frame(MessageType.OPERATIONAL, kind.to_bytes(2, 'big') + len(payload).to_bytes(2, 'big') + payload)


def _described(name: str, family: Family) -> str:
    return f'operational {name} afi {afi_name(family.afi)} safi {safi_name(family.safi)}'


def _family_octets(family: Family) -> bytes:
    return family.afi.to_bytes(2, 'big') + bytes((family.safi,))


class Operational:
    """What every OPERATIONAL value is; `unpack` decides which one a body holds."""

    __slots__ = ()

    TYPE: ClassVar[int] = MessageType.OPERATIONAL

    if TYPE_CHECKING:
        # the operational type code: a field of most values, computed from the body by
        # UnknownOperational; declared read-only here so that both may provide it (a class
        # attribute here would be taken by the dataclasses below for a default)
        @property
        def kind(self) -> int: ...

    @classmethod
    def unpack(cls, body: bytes, negotiated: Negotiated) -> 'Operational':
        if len(body) < 4:
            raise _error('invalid operational message, not enough data for the header')
        kind = int.from_bytes(body[:2], 'big')
        if kind in ADVISORIES:
            if len(body) < _FAMILY_END:
                raise _error('invalid operational advisory, not enough data for the family')
            length = int.from_bytes(body[2:4], 'big')
            return Advisory(kind, _family(body), bytes(body[_FAMILY_END : length + 4]))
        if kind in QUERIES:
            if len(body) < _QUERY_END:
                raise _error('invalid operational query, not enough data')
            return Query(kind, _family(body), IPv4Address(bytes(body[7:11])), int.from_bytes(body[11:15], 'big'))
        if kind in REPLIES:
            if len(body) < _REPLY_END:
                raise _error('invalid operational counter, not enough data')
            return Reply(
                kind,
                _family(body),
                IPv4Address(bytes(body[7:11])),
                int.from_bytes(body[11:15], 'big'),
                int.from_bytes(body[15:19], 'big'),
            )
        return UnknownOperational(bytes(body))

    def pack(self, negotiated: Negotiated) -> bytes:
        raise NotImplementedError

    @property
    def name(self) -> str:
        return NAMES.get(self.kind, '')

    def __str__(self) -> str:
        return f'operational {self.name}'


@dataclass(frozen=True, slots=True)
class Advisory(Operational):
    kind: int
    family: Family
    text: bytes

    @classmethod
    def from_text(cls, kind: int, family: Family, text: str) -> 'Advisory':
        """An advisory to send: UTF-8, cut to 2048 octets ending in '...' as 5.0 does."""
        octets = text.encode('utf-8')
        if len(octets) > MAXIMUM_ADVISORY:
            octets = octets[: MAXIMUM_ADVISORY - 3] + b'...'
        return cls(kind, family, octets)

    def pack(self, negotiated: Negotiated) -> bytes:
        return _frame(self.kind, _family_octets(self.family) + self.text)

    def __str__(self) -> str:
        return f'{_described(self.name, self.family)} "{self.text!r}"'


@dataclass(frozen=True, slots=True)
class Query(Operational):
    kind: int
    family: Family
    router_id: IPv4Address
    sequence: int

    def pack(self, negotiated: Negotiated) -> bytes:
        payload = _family_octets(self.family) + self.router_id.packed + self.sequence.to_bytes(4, 'big')
        return _frame(self.kind, payload)

    def __str__(self) -> str:
        # 5.0 leaves out a zero sequence, and the router id with it
        if self.sequence:
            return f'{_described(self.name, self.family)} router-id {self.router_id} sequence {self.sequence}'
        return _described(self.name, self.family)


@dataclass(frozen=True, slots=True)
class Reply(Operational):
    kind: int
    family: Family
    router_id: IPv4Address
    sequence: int
    counter: int

    def pack(self, negotiated: Negotiated) -> bytes:
        payload = (
            _family_octets(self.family)
            + self.router_id.packed
            + self.sequence.to_bytes(4, 'big')
            + self.counter.to_bytes(4, 'big')
        )
        return _frame(self.kind, payload)

    def __str__(self) -> str:
        if self.sequence:
            described = f'{_described(self.name, self.family)} router-id {self.router_id} sequence {self.sequence}'
        else:
            described = _described(self.name, self.family)
        return f'{described} counter {self.counter}'


@dataclass(frozen=True, slots=True)
class UnknownOperational(Operational):
    data: bytes

    @property
    def kind(self) -> int:
        return int.from_bytes(self.data[:2], 'big')

    def pack(self, negotiated: Negotiated) -> bytes:
        return frame(self.TYPE, self.data)
