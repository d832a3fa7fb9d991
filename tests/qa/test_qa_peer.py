"""The test peer on real loopback sockets, against a scripted fake daemon."""

import asyncio

from qakit import wire
from qakit.case import Case, Options, group_steps, parse_lines
from qakit.peer import Peer

DAEMON_OPEN = bytes.fromhex(
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003101'
    + '04FDE900B40A00000114'
    + '0206010400010001'
    + '020641040000FDE9'
    + '02020600'
)


def update(last: int) -> bytes:
    return wire.frame(wire.UPDATE, b'\x00\x05\x20\x0a\x00\x00' + bytes([last]) + b'\x00\x00')


def make_case(*lines: str, **options) -> Case:
    _, _, steps, _ = parse_lines(list(lines), 'case.ci')
    return Case('test', 'case.ci', 'main', ('x.conf',), Options(**options), group_steps(steps))


class Daemon:
    """The daemon side of a session: connect, send an OPEN, then whatever the test says."""

    def __init__(self, port: int, own_open: bytes = DAEMON_OPEN):
        self.port = port
        self.own_open = own_open

    async def __aenter__(self):
        self.reader, self.writer = await asyncio.open_connection('127.0.0.1', self.port)
        self.writer.write(self.own_open)
        return self

    async def __aexit__(self, *exc):
        self.writer.close()

    async def read(self) -> bytes:
        header = await asyncio.wait_for(self.reader.readexactly(19), 5)
        return header + await self.reader.readexactly(int.from_bytes(header[16:18], 'big') - 19)

    async def read_kind(self, kind: int) -> bytes:
        while True:
            message = await self.read()
            if message[18] == kind:
                return message

    def send(self, *messages: bytes) -> None:
        self.writer.write(b''.join(messages))


async def run(peer: Peer, script) -> None:
    port = await peer.listen()
    try:
        async with Daemon(port) as daemon:
            await script(daemon)
            await asyncio.wait_for(asyncio.shield(peer.result), 5)
    finally:
        await peer.close()


def raw(label: str, message: bytes) -> str:
    return f'{label}:raw:{message.hex()}'


async def test_success_with_any_order_inside_groups():
    peer = Peer(make_case(raw('1', update(1)), raw('1', update(2)), raw('2', update(3))))

    async def script(daemon):
        reply = await daemon.read_kind(wire.OPEN)
        assert reply[27] == DAEMON_OPEN[27] + 1
        await daemon.read_kind(wire.KEEPALIVE)
        daemon.send(wire.keepalive(), update(2), wire.keepalive(), update(1), update(3))

    await run(peer, script)
    assert peer.result.result().success


async def test_failure_reports_the_group_and_both_messages():
    peer = Peer(make_case(raw('1', update(1)), raw('2', update(3))))

    async def script(daemon):
        await daemon.read_kind(wire.KEEPALIVE)
        daemon.send(update(3))

    await run(peer, script)
    outcome = peer.result.result()
    assert not outcome.success
    assert 'group A1' in outcome.reason
    details = '\n'.join(outcome.details)
    assert '10.0.0.3/32' in details and '10.0.0.1/32' in details


async def test_notification_action():
    peer = Peer(make_case('A1:notification:closing session because we can'))

    async def script(daemon):
        notification = await daemon.read_kind(wire.NOTIFICATION)
        assert notification[19:21] == b'\x06\x00'
        assert notification[21:] == b'closing session because we can'

    await run(peer, script)
    assert peer.result.result().success


async def test_signal_action_goes_through_the_callback():
    sent = []
    peer = Peer(make_case(raw('A1', update(1)), 'A2:signal:SIGUSR1', raw('A3', update(2))), signal_daemon=sent.append)

    async def script(daemon):
        await daemon.read_kind(wire.KEEPALIVE)
        daemon.send(update(1))
        await asyncio.sleep(0.1)
        assert sent == ['SIGUSR1']
        daemon.send(update(2))

    await run(peer, script)
    assert peer.result.result().success


async def test_route_refresh_is_answered_with_the_routes_received():
    refresh = wire.frame(wire.ROUTE_REFRESH, b'\x00\x01\x00\x01')
    eor = wire.frame(wire.UPDATE, b'\x00\x00\x00\x00')
    peer = Peer(make_case(raw('1', eor), raw('1', update(1)), raw('2', refresh), raw('3', update(2))))

    async def script(daemon):
        await daemon.read_kind(wire.KEEPALIVE)
        daemon.send(eor, update(1), refresh)
        assert await daemon.read_kind(wire.UPDATE) == update(1)
        daemon.send(update(2))

    await run(peer, script)
    assert peer.result.result().success


async def test_open_options():
    peer = Peer(
        make_case(
            raw('1', DAEMON_OPEN),
            raw('2', update(1)),
            asn=65002,
            send_unknown_capability=True,
            send_unknown_message=True,
            send_default_route=True,
            inspect_open=True,
        )
    )

    async def script(daemon):
        reply = await daemon.read_kind(wire.OPEN)
        assert int.from_bytes(reply[20:22], 'big') == 65002
        assert wire.capabilities(reply[19:])[-1][0] == wire.UNKNOWN_CAPABILITY
        assert (await daemon.read())[18] == wire.KEEPALIVE
        assert (await daemon.read())[18] == wire.UNKNOWN_TYPE
        assert await daemon.read() == wire.default_route()
        daemon.send(update(1))

    await run(peer, script)
    assert peer.result.result().success


async def test_inspected_open_must_match():
    other_open = DAEMON_OPEN[:20] + b'\x01' + DAEMON_OPEN[21:]
    peer = Peer(make_case(raw('1', other_open), inspect_open=True))

    async def script(daemon):
        await daemon.read_kind(wire.OPEN)

    await run(peer, script)
    outcome = peer.result.result()
    assert not outcome.success
    assert 'unexpected OPEN' in outcome.reason


async def test_waiting_reports_what_is_missing():
    peer = Peer(make_case(raw('1', update(1)), raw('1', update(2))))
    port = await peer.listen()
    try:
        async with Daemon(port) as daemon:
            await daemon.read_kind(wire.KEEPALIVE)
            daemon.send(update(2))
            await asyncio.sleep(0.1)
    finally:
        await peer.close()
    assert not peer.result.done()
    waiting = '\n'.join(peer.waiting())
    assert 'group A1' in waiting and '10.0.0.1/32' in waiting and '10.0.0.2' not in waiting
