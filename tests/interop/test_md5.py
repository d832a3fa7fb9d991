"""TCP MD5 (RFC 2385) against real routers on loopback: BIRD 2 and GoBGP, which look a key up by the
address of the other side, as every router does.

Each way: our daemon connecting to a passive router, and the router connecting to our listener;
IPv4 (we are 127.0.0.1, the router 127.0.0.2 or .3, so a key installed for our own address instead
of the peer's cannot pass) and IPv6 on ::1 with BIRD; the password as text and as base64
(`md5-base64 true`). A wrong or missing password must not establish, and must be logged at the
default level with the kernel's drop counters (the segments are dropped silently otherwise).

Skipped when BIRD or GoBGP is not installed, or the kernel has no TCP MD5 (no root is needed).
"""

import logging
import socket

import pytest
from peers import Bird, GoBGP, free_port, missing

from exabgp.reactor import md5drops, peer, tcp
from interop import OUR_AS, OURS, Errors, InProcess, call, neighbor, until

PASSWORD = 'secret'
BASE64 = 'c2VjcmV0'  # `secret`
BIRD_AS = 65003
HOLD = 9


def md5_supported() -> bool:
    try:
        with socket.socket() as sock:
            tcp.set_md5(sock, '127.0.0.1', b'probe')
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not md5_supported(), reason='this kernel has no TCP MD5 signatures (TCP_MD5SIG)')

no_bird = pytest.mark.skipif(
    bool(missing(*Bird.programs)),
    reason=f'BIRD is not installed (missing {" ".join(missing(*Bird.programs))}; Debian package bird2)',
)
no_gobgp = pytest.mark.skipif(
    bool(missing(*GoBGP.programs)),
    reason=f'GoBGP is not installed (missing {" ".join(missing(*GoBGP.programs))}; Debian package gobgpd)',
)

# (our address, the router's)
IPV4 = (OURS, '127.0.0.2')
IPV6 = ('::1', '::1')


def password_lines(password: str, base64: bool) -> str:
    return f'\n    md5-password "{password}";' + ('\n    md5-base64 true;' if base64 else '')


def make_bird(directory: str, addresses: tuple[str, str], password: str | None, our_port: int, passive: bool) -> Bird:
    ours, theirs = addresses
    return Bird(
        directory,
        address=theirs,
        port=free_port(theirs),
        asn=BIRD_AS,
        neighbor=ours,
        neighbor_as=OUR_AS,
        neighbor_port=our_port,
        hold_time=HOLD,
        passive=passive,
        password=password,
    )


def our_config(addresses: tuple[str, str], port: int, password: str | None, base64: bool, listen: int | None) -> str:
    ours, theirs = addresses
    extra = password_lines(password, base64) if password is not None else ''
    return neighbor(theirs, BIRD_AS, port, [], HOLD, listen=listen, passive=bool(listen), extra=extra, local=ours)


class Warnings(Errors):
    """The warning lines (and worse) logged meanwhile."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def about(self, text: str) -> list[str]:
        return [line for line in self.lines if text in line]


@no_bird
@pytest.mark.parametrize('base64', [False, True], ids=['text', 'base64'])
@pytest.mark.parametrize('addresses', [IPV4, IPV6], ids=['ipv4', 'ipv6'])
async def test_we_connect_to_bird_with_md5(tmp_path, addresses: tuple[str, str], base64: bool) -> None:
    bird = make_bird(str(tmp_path), addresses, PASSWORD, 179, passive=True)
    await call(bird.start)
    try:
        config = our_config(addresses, bird.port, BASE64 if base64 else PASSWORD, base64, listen=None)
        async with InProcess(config) as ours:
            await until(ours.established, 15, 'the signed session to come up')
            assert ours.peer.established.session.outgoing is True
            assert await call(bird.established)
    finally:
        await call(bird.stop)


@no_bird
@pytest.mark.parametrize('base64', [False, True], ids=['text', 'base64'])
@pytest.mark.parametrize('addresses', [IPV4, IPV6], ids=['ipv4', 'ipv6'])
async def test_bird_connects_to_us_with_md5(tmp_path, addresses: tuple[str, str], base64: bool) -> None:
    port = free_port(addresses[0])
    bird = make_bird(str(tmp_path), addresses, PASSWORD, port, passive=False)
    await call(bird.start)
    try:
        config = our_config(addresses, bird.port, BASE64 if base64 else PASSWORD, base64, listen=port)
        async with InProcess(config) as ours:
            await until(ours.established, 15, 'the signed session to come up')
            assert ours.peer.established.session.outgoing is False
            assert ours.peer.attempts == 0
    finally:
        await call(bird.stop)


async def not_established(ours: InProcess, seconds: float) -> None:
    """The session stays down for `seconds` (the check fails at once if it comes up)."""
    with pytest.raises(AssertionError, match='timed out'):
        await until(ours.established, seconds, 'the session to come up (it must not)')


@no_bird
async def test_a_wrong_password_at_bird_connecting_to_us_is_logged(tmp_path) -> None:
    port = free_port(OURS)
    bird = make_bird(str(tmp_path), IPV4, 'not the same', port, passive=False)
    await call(bird.start)
    try:
        with Warnings() as warnings:
            ours = InProcess(our_config(IPV4, bird.port, PASSWORD, False, listen=port))
            ours.daemon.md5_check = 0.5  # before it starts: the watch waits this long between looks
            async with ours:
                await not_established(ours, 4)
                await until(lambda: warnings.about('TCPMD5Failure'), 5, 'the warning of a wrong signature')
        (line, *_) = warnings.about('TCPMD5Failure')
        assert 'peer 127.0.0.2 ASN 65003' in line
        assert 'the passwords differ' in line
    finally:
        await call(bird.stop)


@no_bird
async def test_no_password_here_while_bird_signs_is_logged(tmp_path) -> None:
    port = free_port(OURS)
    bird = make_bird(str(tmp_path), IPV4, PASSWORD, port, passive=False)
    await call(bird.start)
    try:
        with Warnings() as warnings:
            ours = InProcess(our_config(IPV4, bird.port, None, False, listen=port))
            ours.daemon.md5_check = 0.5  # before it starts: the watch waits this long between looks
            async with ours:
                await not_established(ours, 4)
                await until(lambda: warnings.about('TCPMD5Unexpected'), 5, 'the warning of an unexpected signature')
        (line, *_) = warnings.about('TCPMD5Unexpected')
        assert 'peer 127.0.0.2 ASN 65003' in line
        assert 'set its md5-password' in line
    finally:
        await call(bird.stop)


@no_bird
async def test_a_wrong_password_when_we_connect_is_logged(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(peer, 'CONNECT_TIMEOUT', 2.0)
    bird = make_bird(str(tmp_path), IPV4, 'not the same', 179, passive=True)
    await call(bird.start)
    try:
        before = md5drops.read()
        with Warnings() as warnings:
            async with InProcess(our_config(IPV4, bird.port, PASSWORD, False, listen=None)) as ours:
                await not_established(ours, 3)
                await until(lambda: warnings.about('no answer'), 5, 'the warning of an unanswered signed connection')
        (line, *_) = warnings.about('no answer')
        assert 'no answer to our TCP MD5 signed connection to 127.0.0.2' in line
        assert 'md5 password for 127.0.0.1' in line
        # BIRD's kernel (ours: one loopback) dropped our SYNs for their wrong signature
        assert md5drops.moved(before, md5drops.read()).get('TCPMD5Failure', 0) > 0
    finally:
        await call(bird.stop)


GOBGP = '127.0.0.3'


def make_gobgp(directory: str, our_port: int, passive: bool) -> GoBGP:
    return GoBGP(
        directory,
        address=GOBGP,
        port=free_port(GOBGP),
        api_port=free_port('127.0.0.1'),
        asn=OUR_AS,
        neighbor=OURS,
        neighbor_as=OUR_AS,
        neighbor_port=our_port,
        hold_time=HOLD,
        passive=passive,
        password=PASSWORD,
    )


@no_gobgp
@pytest.mark.parametrize('direction', ['we connect', 'gobgp connects'])
async def test_gobgp_with_md5(tmp_path, direction: str) -> None:
    listen = free_port(OURS) if direction == 'gobgp connects' else None
    gobgp = make_gobgp(str(tmp_path), listen or 179, passive=listen is None)
    await call(gobgp.start)
    try:
        extra = password_lines(PASSWORD, False)
        config = neighbor(GOBGP, OUR_AS, gobgp.port, [], HOLD, listen=listen, passive=bool(listen), extra=extra)
        async with InProcess(config) as ours:
            await until(ours.established, 20, 'the signed session to come up')
            assert ours.peer.established.session.outgoing is (listen is None)
            assert await call(gobgp.established)
    finally:
        await call(gobgp.stop)
