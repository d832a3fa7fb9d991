"""Fuzz a whole session: mutated OPENs and UPDATEs through `Session.receive_data`, as the reactor feeds it.

    qa/fuzz/run-sessions [--count N] [--seed S] [--state FILE] [--resume] [--quiet]

Unlike fuzz.py, which calls the decoders, this drives the sans-IO session with wire bytes: the
framer, the FSM, OPEN negotiation and validation, the UPDATE decoder with the session's memory of
the last attribute field, RFC 7606 and what the session does with its outcomes. Each input is one
of:

- an OPEN from the peer (a seed OPEN, the variant's own peer OPEN or a random one, mutated) to a
  session that just sent its own, followed by a KEEPALIVE when the OPEN was accepted;
- a message to an ESTABLISHED session (mostly UPDATEs: seeds mutated, well-framed random ones with
  MP attributes of every family built; some other message types), sometimes with its header
  mutated too, sometimes split over several reads or sent in one read with a valid KEEPALIVE.

Sessions are made under a few VARIANTS (every family built with ADD-PATH both ways, extended
message and next hop and graceful restart; two-octet AS; IPv4 unicast only without capabilities).
An established session is reused until it closes, then made again.

The RFC outcomes, and nothing else, are allowed: the session stays up (the UPDATE may carry an RFC
7606 action; once a family is disabled no route of it is received again), or it closes once, last of its events, either on the peer's NOTIFICATION or with a
NOTIFICATION of code 1 to 6 (7 for ROUTE-REFRESH, RFC 7313) queued last. A failure is an exception from the session
or the API encoders, or a broken rule: printed with the variant, the stage and the input in hex.

Inputs come in blocks of BLOCK; block `b` of seed `s` draws from its own generator, so a run can
stop and resume (`--state` keeps the figures after each block, `--resume` goes on from there) and a
failure reported in block b is found again with `--seed s --first-block b --count BLOCK`.
"""

import argparse
import json
import random
import sys
import time
import traceback
from dataclasses import dataclass, field
from ipaddress import IPv4Address

from seeds import Seed, every

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_messages import encode as encode_json
from exabgp.bgp.capability.addpath import AddPath
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.extended import ExtendedMessage
from exabgp.bgp.capability.graceful import GracefulRestart
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.capability.nexthop import ExtendedNextHop
from exabgp.bgp.capability.refresh import EnhancedRouteRefresh, RouteRefresh
from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_UNICAST
from exabgp.bgp.message.header import HEADER_SIZE, MARKER, MessageType, frame
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import table
from exabgp.session.config import SessionConfig
from exabgp.session.events import Closed, Received, Why
from exabgp.session.framer import Framer
from exabgp.session.session import Session
from exabgp.session.state import State
from fuzz import mutate, random_update

BLOCK = 100_000
BUILT = table.built(table.ALL)
KEEPALIVE = frame(MessageType.KEEPALIVE, b'')
STAMP = Stamp(1.5, 'host', 1, 2, 3)
PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.2')
CAPABILITY_CODES = (1, 2, 5, 6, 9, 64, 65, 69, 70, 71, 73, 75, 128, 131, 255)


@dataclass(frozen=True)
class Variant:
    name: str
    ours: tuple  # our capabilities
    theirs: tuple  # the peer's, in its OPEN
    local_as: int = 65000
    peer_as: int = 65001


def _rich() -> tuple:
    return (
        *(MultiProtocol(family) for family in BUILT),
        RouteRefresh(),
        EnhancedRouteRefresh(),
        ExtendedMessage(),
        ExtendedNextHop(((IPV4_UNICAST, AFI.IPV6), (IPV6_UNICAST, AFI.IPV4))),
        GracefulRestart(0x8, 120, tuple((family, 0x80) for family in BUILT)),
    )


def _variants() -> tuple[Variant, ...]:
    rich = _rich()
    addpath = AddPath(tuple((family, 3) for family in BUILT))
    return (
        Variant('every family', (*rich, ASN4(65000)), (*rich, ASN4(65001))),
        Variant('every family, add-path', (*rich, addpath, ASN4(65000)), (*rich, addpath, ASN4(65001))),
        Variant('two-octet AS', rich, rich),
        Variant('ipv4 unicast only', (), ()),
    )


VARIANTS = _variants()


def session_config(variant: Variant) -> SessionConfig:
    def build(asn: int) -> Open:
        return Open(4, asn, 90, IPv4Address('10.0.0.1'), variant.ours)

    return SessionConfig(
        peer='127.0.0.2',
        build_open=build,
        router_id=IPv4Address('10.0.0.1'),
        local_as=variant.local_as,
        peer_as=variant.peer_as,
    )


def peer_open(variant: Variant) -> bytes:
    return Open(4, variant.peer_as, 90, IPv4Address('10.0.0.2'), variant.theirs).pack(Negotiated())[HEADER_SIZE:]


@dataclass
class Tally:
    inputs: int = 0
    opens: int = 0
    updates: int = 0
    established: int = 0  # OPENs that brought the session up
    resets: int = 0  # inputs answered with a NOTIFICATION
    actions: int = 0  # UPDATEs with an RFC 7606 action, the session staying up
    failures: list[str] = field(default_factory=list)

    def add(self, other: 'Tally') -> None:
        for name in ('inputs', 'opens', 'updates', 'established', 'resets', 'actions'):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)

    def figures(self) -> dict[str, int]:
        found = {name: getattr(self, name) for name in ('inputs', 'opens', 'updates', 'established', 'resets')}
        found['actions'] = self.actions
        found['failures'] = len(self.failures)
        return found


class Broken(Exception):
    """A rule of the session's contract did not hold."""


class Fuzzer:
    def __init__(self, corpus: list[Seed]) -> None:
        self.corpus = corpus
        self.opens = [body for kind, body in corpus if kind == MessageType.OPEN]
        self.updates = [body for kind, body in corpus if kind == MessageType.UPDATE]
        self.others = [(kind, body) for kind, body in corpus if kind not in (MessageType.OPEN, MessageType.UPDATE)]
        self.configs = [session_config(variant) for variant in VARIANTS]
        self.peer_opens = [peer_open(variant) for variant in VARIANTS]
        self.live: list[Session | None] = [None] * len(VARIANTS)
        self.now = 0.0

    # ------------------------------------------------------------------ sessions

    def _fresh(self, variant: int) -> Session:
        session = Session(self.configs[variant], outgoing=False)
        session.connection_made(self.now)
        session.data_to_send()
        session.events()
        return session

    def _established(self, variant: int) -> Session:
        session = self.live[variant]
        if session is not None and not session.closed:
            return session
        session = self._fresh(variant)
        session.receive_data(frame(MessageType.OPEN, self.peer_opens[variant]) + KEEPALIVE, self.now)
        session.data_to_send()
        session.events()
        if session.state is not State.ESTABLISHED:
            raise RuntimeError(f'variant {VARIANTS[variant].name} does not establish')
        self.live[variant] = session
        return session

    # ------------------------------------------------------------------ inputs

    def random_open(self, rng: random.Random, variant: int) -> bytes:
        if rng.random() < 0.5:
            return mutate(rng, bytearray(self.peer_opens[variant]), self.corpus)
        if rng.random() < 0.5 and self.opens:
            return mutate(rng, bytearray(rng.choice(self.opens)), self.corpus)
        capabilities = b''
        for _ in range(rng.randrange(8)):
            code = rng.choice(CAPABILITY_CODES)
            value = rng.randbytes(rng.choice((0, 1, 2, 4, 6, 8, rng.randrange(40))))
            capabilities += bytes((code, len(value))) + value
        parameters = bytes((2, len(capabilities))) + capabilities if len(capabilities) < 256 else b''
        if rng.random() < 0.1:
            parameters = rng.randbytes(rng.randrange(20))
        version = rng.choice((4, 4, 4, 3, 5, 0))
        asn = rng.choice((65001, 65001, 23456, 0, 65000, rng.randrange(65536)))
        hold = rng.choice((90, 0, 1, 2, 3, 65535, rng.randrange(65536)))
        identifier = rng.choice((bytes((10, 0, 0, 2)), bytes(4), bytes((10, 0, 0, 1)), rng.randbytes(4)))
        body = bytes((version,)) + asn.to_bytes(2, 'big') + hold.to_bytes(2, 'big') + identifier
        return body + bytes((len(parameters) & 0xFF,)) + parameters

    def random_message(self, rng: random.Random, negotiated: Negotiated) -> tuple[int, bytes]:
        choice = rng.random()
        if choice < 0.55:
            return MessageType.UPDATE, mutate(rng, bytearray(rng.choice(self.updates)), self.corpus)
        if choice < 0.85:
            return MessageType.UPDATE, random_update(rng, negotiated.receive_path(IPV4_UNICAST))
        if choice < 0.95:
            kind, body = rng.choice(self.others)
            return kind, mutate(rng, bytearray(body), self.corpus)
        return rng.choice((0, 1, 2, 2, 3, 4, 5, 6, 7)), rng.randbytes(rng.randrange(64))

    def wire(self, rng: random.Random, kind: int, body: bytes, size: int) -> bytes:
        if len(body) + HEADER_SIZE > size:
            body = body[: size - HEADER_SIZE]
        message = MARKER + (HEADER_SIZE + len(body)).to_bytes(2, 'big') + bytes((kind,)) + body
        if rng.random() < 0.05:
            message = mutate(rng, bytearray(message), self.corpus)
        return message

    @staticmethod
    def feed(rng: random.Random, session: Session, data: bytes, now: float) -> None:
        """The bytes as one read, or split over a few, as TCP may deliver them."""
        if len(data) < 2 or rng.random() < 0.8:
            session.receive_data(data, now)
            return
        cuts = sorted(rng.sample(range(1, len(data)), min(3, len(data) - 1)))
        start = 0
        for cut in (*cuts, len(data)):
            session.receive_data(data[start:cut], now)
            start = cut

    # ------------------------------------------------------------------ checks

    @staticmethod
    def check(session: Session, events: list, queued: bytes) -> bool:
        """The RFC outcomes of one input; returns whether the session closed."""
        closed = [event for event in events if isinstance(event, Closed)]
        if not closed:
            if session.closed:
                raise Broken('the session is IDLE without a Closed event')
            return False
        if len(closed) > 1 or events[-1] is not closed[0]:
            raise Broken('Closed is not the single last event')
        if not session.closed:
            raise Broken('Closed reported but the session is not IDLE')
        reason = closed[0].reason
        if reason.why is Why.NOTIFICATION_RECEIVED:
            if not any(
                isinstance(event, Received) and event.message.TYPE == MessageType.NOTIFICATION for event in events
            ):
                raise Broken('a NOTIFICATION received when none was sent')
            return True
        if reason.why is not Why.NOTIFICATION_SENT or reason.notification is None:
            raise Broken(f'closed without a NOTIFICATION: {reason}')
        notification = reason.notification
        # RFC 4271 6.1-6.7, and RFC 7313 5's ROUTE-REFRESH message error (7)
        if not 1 <= notification.code <= 7:
            raise Broken(f'NOTIFICATION code {notification.code} is not one of the errors the RFCs define')
        if not queued.endswith(notification.pack(session.negotiated)):
            raise Broken('the NOTIFICATION is not the last thing queued')
        # every message queued frames within the size the peer accepts
        list(Framer(session.negotiated.msg_size).feed(queued))
        return True

    def update_seen(self, session: Session, events: list) -> int:
        """Write each UPDATE received as the API would; how many carry an RFC 7606 action. No
        route of a family the session disabled (AFI/SAFI disable) may be in one."""
        actions = 0
        disabled = session.disabled
        for event in events:
            if isinstance(event, Received) and isinstance(event.message, Update):
                if disabled:
                    families = {route.nlri.family for route in event.message.announced}
                    families.update(nlri.family for nlri in event.message.withdrawn)
                    if families & disabled:
                        raise Broken(f'routes of a disabled family received: {families & disabled}')
                    if set(session.negotiated.families) & disabled:
                        raise Broken('a disabled family is still negotiated')
                written = encode_json(STAMP, PEER, 'receive', event.message)
                if written is not None:
                    json.loads(written)
                actions += bool(event.message.action)
        return actions

    # ------------------------------------------------------------------ one input

    def one(self, rng: random.Random, index: int, tally: Tally) -> None:
        variant = index % len(VARIANTS)
        self.now += 0.001
        tally.inputs += 1
        if rng.random() < 0.4:
            tally.opens += 1
            stage, kind, body = 'open', MessageType.OPEN, self.random_open(rng, variant)
            data = b''
            try:
                session = self._fresh(variant)
                data = self.wire(rng, kind, body, 4096)
                self.feed(rng, session, data, self.now)
                if session.state is State.OPENCONFIRM:
                    session.receive_data(KEEPALIVE, self.now)
                    tally.established += session.state is State.ESTABLISHED
                events = session.events()
                closed = self.check(session, events, session.data_to_send())
                tally.resets += closed
            except Exception:
                tally.failures.append(_failure(stage, variant, data))
            return
        tally.updates += 1
        data = b''
        try:
            session = self._established(variant)
            kind, body = self.random_message(rng, session.negotiated)
            data = self.wire(rng, kind, body, session.negotiated.msg_size)
            if rng.random() < 0.1:
                data = KEEPALIVE + data if rng.random() < 0.5 else data + KEEPALIVE
            self.feed(rng, session, data, self.now)
            events = session.events()
            closed = self.check(session, events, session.data_to_send())
            tally.actions += self.update_seen(session, events)
            tally.resets += closed
        except Exception:
            tally.failures.append(_failure('established', variant, data))
            self.live[variant] = None


def _failure(stage: str, variant: int, data: bytes) -> str:
    error = traceback.format_exc(limit=-3).strip().splitlines()
    name = VARIANTS[variant].name
    return f'{stage} failed: variant {variant} ({name}), wire {data.hex()}\n    ' + '\n    '.join(error)


def run_block(fuzzer: Fuzzer, seed: int, block: int, count: int = BLOCK) -> Tally:
    rng = random.Random(f'{seed}:{block}')
    tally = Tally()
    for index in range(count):
        fuzzer.one(rng, index, tally)
    return tally


def run(count: int, seed: int, first_block: int = 0) -> Tally:
    fuzzer = Fuzzer(every())
    tally = Tally()
    block = first_block
    while tally.inputs < count:
        tally.add(run_block(fuzzer, seed, block, min(BLOCK, count - tally.inputs)))
        block += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=1_000_000, help='inputs to try (default 1,000,000)')
    parser.add_argument('--seed', type=int, default=0, help='random seed: the same seed tries the same inputs')
    parser.add_argument('--first-block', type=int, default=0, help=f'start at this block of {BLOCK:,} inputs')
    parser.add_argument('--state', help='a JSON file keeping the figures after each block')
    parser.add_argument('--resume', action='store_true', help='go on from the block --state says is next')
    parser.add_argument('--quiet', action='store_true', help='print the figures only')
    args = parser.parse_args(argv)

    done = Tally()
    elapsed = 0.0
    block = args.first_block
    if args.resume:
        if not args.state:
            parser.error('--resume needs --state')
        with open(args.state) as file:
            saved = json.load(file)
        if saved['seed'] != args.seed:
            parser.error(f'{args.state} is a run of seed {saved["seed"]}')
        block, elapsed = saved['next_block'], saved['seconds']
        for name, value in saved['figures'].items():
            if name != 'failures':
                setattr(done, name, value)
        done.failures = saved['failed']

    fuzzer = Fuzzer(every())
    while done.inputs < args.count:
        start = time.perf_counter()
        tally = run_block(fuzzer, args.seed, block, min(BLOCK, args.count - done.inputs))
        seconds = time.perf_counter() - start
        elapsed += seconds
        block += 1
        done.add(tally)
        if not args.quiet:
            for failure in tally.failures[:20]:
                print(f'block {block - 1}: {failure}', flush=True)
        print(
            f'block {block - 1}: {done.inputs:,} inputs, {tally.inputs / seconds:,.0f} inputs/s, '
            f'{len(done.failures)} failed',
            flush=True,
        )
        if args.state:
            with open(args.state, 'w') as file:
                json.dump(
                    {
                        'seed': args.seed,
                        'next_block': block,
                        'seconds': elapsed,
                        'figures': done.figures(),
                        'failed': [failure.splitlines()[0] for failure in done.failures[:1000]],
                    },
                    file,
                )
    figures = done.figures()
    print(
        f'{done.inputs:,} inputs (seed {args.seed}) in {elapsed:,.1f} s: {done.inputs / max(elapsed, 1e-9):,.0f} '
        f'inputs/s; {figures["opens"]:,} OPENs ({figures["established"]:,} established), {figures["updates"]:,} '
        f'to established sessions ({figures["actions"]:,} RFC 7606 actions), {figures["resets"]:,} answered '
        f'with a NOTIFICATION, {figures["failures"]} failed'
    )
    return 1 if done.failures else 0


if __name__ == '__main__':
    sys.exit(main())
