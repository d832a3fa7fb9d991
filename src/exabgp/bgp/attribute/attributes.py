"""The path attributes of a route, and the parser of an UPDATE's path attribute field (RFC 4271 4.3, RFC 7606).

Invariants:
- `Attributes` is an immutable, hashable collection of attribute values, at most one per type code,
  iterated in code order. It never holds NEXT_HOP, MP_REACH_NLRI or MP_UNREACH_NLRI: a route carries
  its next hop beside its attributes, and the UPDATE encoder derives those three, so one
  `Attributes` is shared by every route with the same path. Its wire form, JSON and text are
  computed once and cached (the wire form per distinct session encoding).
- `pack` writes the attributes in type code order with ExaBGP 5.0's defaults for what is missing
  (ORIGIN igp; AS_PATH empty on an internal session, the local AS on an external one; LOCAL_PREF 100
  on an internal session) and leaves LOCAL_PREF out on an external session, as 5.0 does. `extra`
  takes attributes already packed (NEXT_HOP, ...) and places each at its code. 5.0 itself sends
  MP_REACH_NLRI / MP_UNREACH_NLRI after every other attribute: to send its bytes, append them.
- `parse_attributes` never raises for any input: it returns a `Parsed` with the attributes it could
  decode, the raw MP_REACH_NLRI / MP_UNREACH_NLRI values for bgp.attribute.mp, and the RFC 7606
  outcome (the worst action met, and for that one the attribute code, a reason and the NOTIFICATION
  subcode and data a session reset sends). It walks the field once, keeps the first of duplicated
  attributes (RFC 7606 3.g), and stops at a framing error (treat-as-withdraw, RFC 7606 4) or a reset.
  It keeps no state of its own: a session reusing the result of a repeated field keeps the `Parsed`
  (`LastParsed`), and one reusing single attributes passes a `memo`, which maps the octets of an
  attribute (flags, code, length, value) decoded cleanly under that session to its value (None: read
  and not kept, as an empty AS_PATH); attributes are immutable, so a hit is the same result.
"""

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from exabgp.bgp.attribute.as4 import reconcile
from exabgp.bgp.attribute.aspath import ASPath
from exabgp.bgp.attribute.base import Action, Attribute, Code, Flag
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.nexthop import NextHop
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.attribute.table import ATTRIBUTES
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.bgp.errors import (
    ATTRIBUTE_FLAGS_ERROR,
    MALFORMED_ATTRIBUTE_LIST,
    OPTIONAL_ATTRIBUTE_ERROR,
    UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
    Malformed,
    PeerError,
    update_error,
)
from exabgp.bgp.negotiated import Negotiated

_NOT_HELD = (Code.NEXT_HOP, Code.MP_REACH_NLRI, Code.MP_UNREACH_NLRI)
_DEFAULT_LOCAL_PREF = LocalPreference(100)
_EMPTY_PATH = ASPath(())


def _session(negotiated: Negotiated) -> tuple[bool, bool, int, int]:
    """What of a session changes how attributes pack."""
    return negotiated.asn4, negotiated.aigp, negotiated.local_as, negotiated.peer_as


class Attributes:
    __slots__ = ('_codes', '_hash', '_json', '_packed', '_text', '_values')

    _values: tuple[Attribute, ...]
    _codes: tuple[int, ...]

    def __init__(self, attributes: Iterable[Attribute] = ()) -> None:
        by_code: dict[int, Attribute] = {}
        for attribute in attributes:
            code = attribute.CODE
            if code in _NOT_HELD:
                raise ValueError(f'attribute {code} is packed by the UPDATE encoder, not held with the attributes')
            if code in by_code:
                raise ValueError(f'attribute {code} given twice')
            by_code[code] = attribute
        self._set(by_code)

    @classmethod
    def _of(cls, by_code: dict[int, Attribute]) -> 'Attributes':
        made = cls.__new__(cls)
        made._set(by_code)
        return made

    def _set(self, by_code: dict[int, Attribute]) -> None:
        codes = tuple(sorted(by_code))
        self._codes = codes
        self._values = tuple(map(by_code.__getitem__, codes))
        self._hash: int | None = None
        # made on the first pack: most received attribute sets are never packed
        self._packed: dict[tuple[bool, bool, int, int], tuple[bytes, tuple[int, ...], tuple[int, ...]]] | None = None
        self._json: str | None = None
        self._text: str | None = None

    def __iter__(self) -> Iterator[Attribute]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __getitem__(self, code: int) -> Attribute:
        index = bisect_right(self._codes, code) - 1
        if index < 0 or self._codes[index] != code:
            raise KeyError(code)
        return self._values[index]

    def get(self, code: int, default: Attribute | None = None) -> Attribute | None:
        try:
            return self[code]
        except KeyError:
            return default

    def codes(self) -> tuple[int, ...]:
        return self._codes

    def with_attribute(self, attribute: Attribute) -> 'Attributes':
        """A copy with `attribute` added, replacing the one of the same code."""
        by_code = dict(zip(self._codes, self._values, strict=True))
        by_code[attribute.CODE] = attribute
        return Attributes(by_code.values())

    def without(self, code: int) -> 'Attributes':
        return Attributes._of({c: value for c, value in zip(self._codes, self._values, strict=True) if c != code})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Attributes):
            return NotImplemented
        return self is other or (self._codes == other._codes and self._values == other._values)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._values)
        return self._hash

    def __repr__(self) -> str:
        return f'Attributes({", ".join(repr(value) for value in self._values)})'

    def pack(self, negotiated: Negotiated, extra: Iterable[bytes] = ()) -> bytes:
        """The path attribute field: these attributes, 5.0's defaults, and `extra` at their codes."""
        key = _session(negotiated)
        if self._packed is None:
            self._packed = {}
        cached = self._packed.get(key)
        if cached is None:
            cached = self._packed[key] = self._pack(negotiated)
        packed, codes, offsets = cached
        if not extra:
            return packed
        pieces = []
        start = 0
        for attribute in sorted(extra, key=lambda raw: raw[1]):
            offset = offsets[bisect_right(codes, attribute[1])]
            pieces.append(packed[start:offset])
            pieces.append(attribute)
            start = offset
        pieces.append(packed[start:])
        return b''.join(pieces)

    def _pack(self, negotiated: Negotiated) -> tuple[bytes, tuple[int, ...], tuple[int, ...]]:
        ibgp = negotiated.ibgp
        chosen = dict(zip(self._codes, self._values, strict=True))
        chosen.setdefault(Code.ORIGIN, ORIGINS[IGP])
        chosen.setdefault(Code.AS_PATH, _EMPTY_PATH if ibgp else ASPath.sequence((negotiated.local_as,)))
        if ibgp:
            chosen.setdefault(Code.LOCAL_PREF, _DEFAULT_LOCAL_PREF)
        else:
            chosen.pop(Code.LOCAL_PREF, None)
        codes = tuple(sorted(chosen))
        chunks = [chosen[code].pack(negotiated) for code in codes]
        # offsets[i] is where the attribute of codes[i] starts; the last one is the end
        offsets = [0]
        for chunk in chunks:
            offsets.append(offsets[-1] + len(chunk))
        return b''.join(chunks), codes, tuple(offsets)

    def json(self) -> str:
        """The inside of 5.0's `"attribute": { ... }` object."""
        if self._json is None:
            self._json = ', '.join([attribute.json_item() for attribute in self._values])
        return self._json

    def json_six(self) -> str:
        """The same in upstream 6.0's form: 5.0's (cached) unless an attribute's JSON differs there."""
        if not any(attribute.SIX for attribute in self._values):
            return self.json()
        return ', '.join(f'"{attribute.NAME}": {attribute.json_six()}' for attribute in self._values)

    def __str__(self) -> str:
        """5.0's text form: every item after a space, so it follows an NLRI's text directly."""
        if self._text is None:
            self._text = ''.join(f' {attribute.text()}' for attribute in self._values)
        return self._text


EMPTY = Attributes()


class Parsed(NamedTuple):
    """What the path attribute field of an UPDATE said, and what RFC 7606 makes of it (a tuple:
    one is made for every UPDATE, and a tuple is made several times faster than a dataclass)."""

    attributes: Attributes
    nexthop: NextHop | None = None
    mp_reach: bytes | None = None
    mp_unreach: bytes | None = None
    action: Action = Action.NONE
    code: int = 0  # the attribute behind `action`, 0 when the field itself is at fault
    reason: str = ''
    subcode: int = 0  # UPDATE message error subcode a reset sends
    data: bytes = b''  # the attribute at fault (type, length, value), when there is one
    five: tuple[int, bytes] | None = None  # what 5.0 sends instead (subcode, data), when it differs
    discarded: tuple[int, ...] = ()  # attributes dropped by attribute discard
    present: frozenset[int] = frozenset()  # codes found in the field

    def error(self) -> PeerError:
        """The NOTIFICATION a session reset sends: RFC 4271 6.3's data for the subcode, and 5.0's
        form (the attribute as data, or its text) as the alternative."""
        return update_error(self.subcode, self.data, self.reason, self.five)

    def error_json(self) -> str:
        """The `"error"` items 5.0 adds to the attribute object of an UPDATE it found faults in."""
        items = []
        if self.discarded:
            items.append('"error": "discard"')
        if self.action == Action.TREAT_AS_WITHDRAW:
            items.append('"error": "treat-as-withdraw"')
        return ', '.join(items)


# plain ints: the loop below runs for every attribute of every UPDATE
_OPTIONAL = int(Flag.OPTIONAL)
_TRANSITIVE = int(Flag.TRANSITIVE)
_PARTIAL = int(Flag.PARTIAL)
_EXTENDED_LENGTH = int(Flag.EXTENDED_LENGTH)
_OPTIONAL_TRANSITIVE = _OPTIONAL | _TRANSITIVE
_AS_PATH = int(Code.AS_PATH)
_NEXT_HOP = int(Code.NEXT_HOP)
_MP_REACH = int(Code.MP_REACH_NLRI)
_MP_UNREACH = int(Code.MP_UNREACH_NLRI)
_AS4 = (int(Code.AS4_PATH), int(Code.AS4_AGGREGATOR))


class _Outcome:
    """The worst RFC 7606 action met so far while walking the field; made at the first fault."""

    __slots__ = ('action', 'code', 'data', 'discarded', 'five', 'reason', 'subcode')

    def __init__(self) -> None:
        self.action = Action.NONE
        self.code = 0
        self.reason = ''
        self.subcode = 0
        self.data = b''
        self.five: tuple[int, bytes] | None = None
        self.discarded: list[int] = []

    def record(
        self,
        action: Action,
        code: int,
        reason: str,
        subcode: int = 0,
        data: bytes = b'',
        five: tuple[int, bytes] | None = None,
    ) -> '_Outcome':
        if action == Action.DISCARD:
            self.discarded.append(code)
        if action > self.action:
            self.action = action
            self.code = code
            self.reason = reason
            self.subcode = subcode
            self.data = data
            self.five = five
        return self


_CLEAN = _Outcome()


def _mp_name(code: int) -> str:
    return 'mp-reach-nlri' if code == _MP_REACH else 'mp-unreach-nlri'


# the attributes worth remembering one by one are the small ones (ORIGIN, LOCAL_PREF, MED, NEXT_HOP,
# communities, short AS_PATHs), which a peer repeats from UPDATE to UPDATE when only one attribute
# (a BGP-LS attribute, a long AS_PATH) changes; the memory starts afresh when full
_MEMO_OCTETS = 64
_MEMO_ENTRIES = 2048


class LastParsed:
    """One session's memory of the last attribute field it parsed, and of its small attributes.

    Consecutive UPDATEs from one peer very often carry the same attribute field (only their NLRI
    differ), and `Parsed` is immutable, so the result for equal bytes under the same `Negotiated`
    can be handed out again; when the field differs, its small attributes often do not, and are
    looked up one by one (`parse_attributes`' memo). One per session, never shared: what the bytes
    mean depends on what that session negotiated, so both are forgotten when it changes.
    """

    __slots__ = ('data', 'memo', 'negotiated', 'parsed')

    def __init__(self) -> None:
        self.data = b''
        self.negotiated: Negotiated | None = None
        self.parsed: Parsed | None = None
        self.memo: dict[bytes, Attribute | None] = {}

    def parse(self, data: bytes, negotiated: Negotiated) -> Parsed:
        if negotiated is not self.negotiated:
            self.memo = {}
        elif data == self.data and self.parsed is not None:
            return self.parsed
        parsed = parse_attributes(data, negotiated, self.memo)
        self.data = data if type(data) is bytes else bytes(data)
        self.negotiated = negotiated
        self.parsed = parsed
        return parsed


def parse_attributes(data: bytes, negotiated: Negotiated, memo: dict[bytes, Attribute | None] | None = None) -> Parsed:
    """Decode an UPDATE's path attribute field (without its 2-octet length); `memo`: see above."""
    if type(data) is not bytes:
        data = bytes(data)
    found: dict[int, Attribute] = {}
    present: set[int] = set()
    outcome = _CLEAN
    nexthop: NextHop | None = None
    reach = None
    unreach = None
    offset = 0
    end = len(data)
    external = not negotiated.ibgp

    while offset < end:
        begin = offset
        if end - offset < 3:
            outcome = _fault(outcome).record(
                Action.TREAT_AS_WITHDRAW,
                0,
                f'{end - offset} octets left, too few for an attribute',
                MALFORMED_ATTRIBUTE_LIST,
            )
            break
        flags = data[offset]
        code = data[offset + 1]
        if flags & _EXTENDED_LENGTH:
            if end - offset < 4:
                reason = 'attribute header truncated'
                outcome = _fault(outcome).record(Action.TREAT_AS_WITHDRAW, code, reason, MALFORMED_ATTRIBUTE_LIST)
                break
            length = (data[offset + 2] << 8) + data[offset + 3]
            offset += 4
        else:
            length = data[offset + 2]
            offset += 3
        if offset + length > end:
            reason = f'attribute {code} length {length} overruns the field'
            outcome = _fault(outcome).record(Action.TREAT_AS_WITHDRAW, code, reason, MALFORMED_ATTRIBUTE_LIST)
            break
        offset += length

        if code in present:
            if code in (_MP_REACH, _MP_UNREACH):
                reason = f'multiple attribute for {_mp_name(code)}'
                five = (MALFORMED_ATTRIBUTE_LIST, reason.encode())
                outcome = _fault(outcome).record(Action.RESET, code, reason, MALFORMED_ATTRIBUTE_LIST, b'', five)
                break
            continue
        present.add(code)
        raw = None
        if memo is not None and length <= _MEMO_OCTETS:
            raw = data[begin:offset]
            if raw in memo:
                known = memo[raw]
                if isinstance(known, NextHop):
                    nexthop = known
                elif known is not None:
                    found[code] = known
                continue

        value = data[offset - length : offset]
        entry = ATTRIBUTES.get(code)
        # `claimer` first: `claims` loads what it names, and most entries have none
        if entry is not None and entry.claimer is not None:
            claims = entry.claims
            if claims is not None and not claims(value):
                entry = None
        if entry is None:
            if not flags & _OPTIONAL:
                outcome = _fault(outcome).record(
                    Action.RESET,
                    code,
                    f'unrecognized well-known attribute {code}',
                    UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
                    data[begin:offset],
                )
                break
            if flags & _TRANSITIVE:
                found[code] = Unknown(code, flags | _PARTIAL, value)
            continue

        if entry.when is not None and not entry.when(negotiated):
            continue
        if external and entry.internal:
            reason = f'{entry.name} from an external peer (RFC 7606 7)'
            outcome = _fault(outcome).record(Action.DISCARD, code, reason)
            continue

        expected = entry.flags
        # RFC 7606 3.c: Optional and Transitive must match; a well-known attribute is never Partial
        # (RFC 4271 4.3), while Partial on an optional non-transitive one is let through, as 5.0 does
        if flags & _OPTIONAL_TRANSITIVE != expected or (flags & _PARTIAL and not expected & _OPTIONAL):
            if entry.cls is None:
                reason = (
                    f'invalid flag 0x{flags & ~_PARTIAL:02X} for {_mp_name(code)}, '
                    'RFC 4760 makes it optional non-transitive'
                )
                # RFC 4271 6.3 names the flags error; 5.0 sends an optional attribute error, with text
                five = (OPTIONAL_ATTRIBUTE_ERROR, reason.encode())
                outcome = _fault(outcome).record(
                    Action.RESET, code, reason, ATTRIBUTE_FLAGS_ERROR, data[begin:offset], five
                )
                break
            reason = f'invalid flags 0x{flags:02X} for {entry.name}'
            outcome = _fault(outcome).record(entry.action, code, reason, ATTRIBUTE_FLAGS_ERROR, data[begin:offset])
            continue

        decoder = entry.cls
        if decoder is None:
            if code == _MP_REACH:
                reach = value
            else:
                unreach = value
            continue

        try:
            attribute = decoder.unpack(value, negotiated)
        except Malformed as error:
            outcome = _fault(outcome).record(
                entry.action, code, f'{entry.name}: {error.reason}', error.subcode, data[begin:offset]
            )
            continue

        kept: Attribute | None = attribute
        if isinstance(attribute, NextHop):
            nexthop = attribute
        elif code != _AS_PATH or (isinstance(attribute, ASPath) and attribute.segments):
            # 5.0 keeps no empty AS_PATH: the default packs it back on an internal session
            found[code] = attribute
        else:
            kept = None
        if raw is not None:
            assert memo is not None
            if len(memo) >= _MEMO_ENTRIES:
                memo.clear()
            memo[raw] = kept

    if (_AS4[0] in found or _AS4[1] in found) and outcome.action < Action.TREAT_AS_WITHDRAW:
        for dropped in reconcile(found, negotiated.asn4):
            reason = f'{ATTRIBUTES[dropped].name} from a four-octet speaker (RFC 6793 6)'
            outcome = _fault(outcome).record(Action.DISCARD, dropped, reason)

    return Parsed(
        Attributes._of(found) if found else EMPTY,
        nexthop,
        reach,
        unreach,
        outcome.action,
        outcome.code,
        outcome.reason,
        outcome.subcode,
        outcome.data,
        outcome.five,
        tuple(outcome.discarded),
        frozenset(present),
    )


def _fault(outcome: _Outcome) -> _Outcome:
    """The outcome to record a fault in: a fresh one in place of the shared clean one."""
    return _Outcome() if outcome is _CLEAN else outcome
