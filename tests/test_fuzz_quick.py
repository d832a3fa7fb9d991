"""A quick run of qa/fuzz (the long ones are `qa/fuzz/run` and `qa/fuzz/run-sessions`): a few
thousand random and mutated messages under every session variant; only PeerError may leave a
decoder, what decodes must encode, and a session fed them reaches only the RFC outcomes."""

import pathlib
import random
import sys

FUZZ = pathlib.Path(__file__).resolve().parents[1] / 'qa' / 'fuzz'
sys.path.insert(0, str(FUZZ))

import flow  # noqa: E402
import seeds  # noqa: E402
import sessions  # noqa: E402

import fuzz  # noqa: E402
from exabgp.bgp.message.table import unpack_message  # noqa: E402


def test_quick_fuzz_finds_nothing():
    tally = fuzz.run(4000, seed=7)
    assert tally.failures == []
    assert tally.inputs == 4000
    # the inputs reach past the framing checks often enough to mean something
    assert tally.decoded > 800


def test_the_seeds_cover_every_message_type():
    corpus = seeds.every()
    assert {kind for kind, _ in corpus} == {1, 2, 3, 4, 5, 6}
    # our own are valid: each decodes under the session variant with every family
    for kind, body in seeds.built():
        if kind != 2:
            unpack_message(kind, body, fuzz.VARIANTS[3])


def test_a_crash_is_reported_with_its_input():
    # no session at all: the UPDATE decoder fails on it, which is what a bug looks like to the fuzzer
    tally = fuzz.Tally()
    fuzz.exercise(2, bytes.fromhex('0000000000'), None, False, tally, 9)
    assert tally.refused == 0 and tally.decoded == 0
    assert len(tally.failures) == 1
    assert 'decoding failed: type 2, session variant 9, body 0000000000' in tally.failures[0]
    assert 'AttributeError' in tally.failures[0]


def test_quick_flow_nlri_fuzz_finds_nothing():
    decoded, refused, failures = flow.run(3000, seed=5)
    assert failures == []
    assert decoded > 200 and refused > 200


def test_quick_session_fuzz_finds_nothing():
    # qa/fuzz/run-sessions, a few thousand inputs: OPENs and UPDATEs through Session.receive_data
    tally = sessions.run(3000, seed=11)
    assert tally.failures == []
    assert tally.inputs == 3000
    # both stages are reached: OPENs that establish, UPDATEs with RFC 7606 actions on live sessions
    assert tally.established > 50 and tally.actions > 50


def test_a_broken_session_rule_is_reported_with_its_input():
    # a session that raises on any input: the fuzzer reports it with the wire bytes, and goes on
    fuzzer = sessions.Fuzzer(seeds.every())
    tally = sessions.Tally()
    fuzzer.configs = [None] * len(sessions.VARIANTS)  # no configuration: every session fails to start
    rng = random.Random(0)
    for index in range(8):
        fuzzer.one(rng, index, tally)
    assert len(tally.failures) == 8
    assert 'failed: variant' in tally.failures[0] and 'AttributeError' in tally.failures[0]
