"""Fuzzing parse_attributes: on any input it returns a Parsed, and what it returns prints and packs.

Nothing but PeerError may escape a decoder; parse_attributes promises more: nothing escapes at all.
"""

import random

from attribute_vectors import AIGP_ON, ASN2, ASN4, EXTENDED, VECTORS
from hypothesis import given, settings
from hypothesis import strategies as st

from exabgp.bgp.attribute.attributes import Parsed, parse_attributes
from exabgp.bgp.negotiated import Negotiated

SESSIONS = (ASN4, ASN2, AIGP_ON, Negotiated(local_as=1, peer_as=2))

SEEDS = [bytes.fromhex(vector.wire) for vector in VECTORS] + [bytes.fromhex('c01008' + e.wire) for e in EXTENDED]
FIELDS = [b''.join(SEEDS[index::7]) for index in range(7)] + [
    bytes.fromhex('40010100400200' + '4003040a000001' + '800e0b0001010401020304001801')
]


def exercise(data: bytes, negotiated: Negotiated) -> Parsed:
    parsed = parse_attributes(data, negotiated)
    parsed.attributes.json()
    str(parsed.attributes)
    parsed.error_json()
    if parsed.action == 4:
        parsed.error()
    for session in SESSIONS:
        parsed.attributes.pack(session, (parsed.nexthop.pack(session),) if parsed.nexthop else ())
    return parsed


def mutate(data: bytes, rng: random.Random) -> bytes:
    mutable = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if choice < 0.5 and mutable:
            mutable[rng.randrange(len(mutable))] = rng.randrange(256)
        elif choice < 0.7 and mutable:
            del mutable[rng.randrange(len(mutable)) :]
        elif choice < 0.85:
            position = rng.randrange(len(mutable) + 1)
            mutable[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
        elif mutable:
            # flags and lengths are where parsers break
            position = rng.randrange(len(mutable))
            mutable[position] = rng.choice((0x00, 0x0F, 0x10, 0x40, 0x50, 0x80, 0x90, 0xC0, 0xD0, 0xE0, 0xFF))
    return bytes(mutable)


def test_mutated_fields() -> None:
    rng = random.Random(7606)
    for _ in range(3000):
        data = mutate(rng.choice(FIELDS), rng)
        exercise(data, rng.choice(SESSIONS))


def test_random_fields() -> None:
    rng = random.Random(4271)
    for _ in range(2000):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
        exercise(data, rng.choice(SESSIONS))


attribute = st.builds(
    lambda flags, code, value: bytes((flags & 0xEF, code, len(value))) + value,
    st.integers(0, 255),
    st.integers(0, 42),
    st.binary(max_size=40),
)


@settings(max_examples=500)
@given(st.lists(attribute, max_size=8).map(b''.join), st.sampled_from(SESSIONS))
def test_well_framed_random_attributes(data: bytes, negotiated: Negotiated) -> None:
    exercise(data, negotiated)


@settings(max_examples=300)
@given(st.binary(max_size=200), st.sampled_from(SESSIONS))
def test_random_bytes(data: bytes, negotiated: Negotiated) -> None:
    exercise(data, negotiated)


def test_a_memo_changes_no_result() -> None:
    """The memo of single attributes gives what a parse without it gives, field after field of
    mutated attributes sharing it (one memo per session, as LastParsed keeps it)."""
    rng = random.Random(9552)
    memos: dict[int, dict] = {id(session): {} for session in SESSIONS}
    hits = 0
    for _ in range(3000):
        data = mutate(rng.choice(FIELDS), rng)
        session = rng.choice(SESSIONS)
        memo = memos[id(session)]
        before = len(memo)
        remembered = parse_attributes(data, session, memo)
        hits += len(memo) == before and bool(remembered.present)
        assert remembered == parse_attributes(data, session)
        assert remembered.attributes.json() == parse_attributes(data, session).attributes.json()
    assert hits > 100  # the memo was used, not only filled


def test_a_session_change_forgets_the_memo() -> None:
    """The same AS_PATH octets are two 2-octet ASNs on one session and one 4-octet ASN on another:
    LastParsed must not hand the first session's value to the second."""
    from exabgp.bgp.attribute.attributes import LastParsed

    path = bytes.fromhex('40020602010000fde8')  # AS_SEQUENCE of one 4-octet 65000, or 2-octet 0 and 65000
    origin = bytes.fromhex('40010100')
    last = LastParsed()
    four = last.parse(origin + path, ASN4).attributes.json()
    two = last.parse(path + origin, ASN2).attributes.json()
    assert four != two
    assert two == parse_attributes(path + origin, ASN2).attributes.json()
    assert four == parse_attributes(origin + path, ASN4).attributes.json()
