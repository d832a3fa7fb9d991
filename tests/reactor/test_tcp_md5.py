"""TCP MD5 on real loopback sockets: whose address a key is for, ranges, listeners whose keys follow
the configuration, 5.0's md5-ip, the daemon's two sides signing to each other, and the warning when
the kernel drops what it cannot authenticate.

Keys are looked up by the remote address of a segment, so the tests use two loopback addresses
(127.0.0.1 and 127.0.0.2): a key installed for our own address instead of the peer's fails here.
"""

import asyncio
import logging
import socket
import struct
from ipaddress import IPv4Address

import pytest

from exabgp.configuration.parser import load_text
from exabgp.configuration.process import Context
from exabgp.reactor import md5drops, tcp
from exabgp.reactor.daemon import Daemon, listening
from exabgp.reactor.listener import Listeners
from exabgp.settings import load


def md5_supported() -> bool:
    try:
        with socket.socket() as sock:
            tcp.set_md5(sock, '127.0.0.1', b'probe')
    except OSError:
        return False
    return True


kernel = pytest.mark.skipif(not md5_supported(), reason='this kernel has no TCP MD5 signatures (TCP_MD5SIG)')


def free_port(host: str = '127.0.0.1') -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------- the option


def test_the_option_for_an_ipv4_peer() -> None:
    option, value = tcp.md5_option('192.0.2.7', b'secret')
    assert option == tcp.TCP_MD5SIG
    assert len(value) == 128 + 8 + 80  # struct tcp_md5sig
    family, port = struct.unpack('=HH', value[:4])
    assert (family, port) == (socket.AF_INET, 0)
    assert value[4:8] == bytes([192, 0, 2, 7])
    assert value[8:128] == bytes(120)
    assert struct.unpack('=BBHI', value[128:136]) == (0, 0, 6, 0)
    assert value[136:] == b'secret'.ljust(80, b'\0')


def test_the_option_for_an_ipv6_peer() -> None:
    option, value = tcp.md5_option('2001:db8::1', b'k')
    assert option == tcp.TCP_MD5SIG
    assert struct.unpack('=H', value[:2]) == (socket.AF_INET6,)
    # sin6_port, sin6_flowinfo, then the address
    assert value[2:8] == bytes(6)
    assert value[8:24] == socket.inet_pton(socket.AF_INET6, '2001:db8::1')
    assert struct.unpack('=BBHI', value[128:136]) == (0, 0, 1, 0)


def test_a_range_uses_the_prefix_extension_and_removal_an_empty_key() -> None:
    option, value = tcp.md5_option('10.0.0.0/24', b'k')
    assert option == tcp.TCP_MD5SIG_EXT
    assert value[4:8] == bytes([10, 0, 0, 0])
    assert struct.unpack('=BBHI', value[128:136]) == (tcp.TCP_MD5SIG_FLAG_PREFIX, 24, 1, 0)
    option, value = tcp.md5_option('127.0.0.2', b'')
    assert option == tcp.TCP_MD5SIG
    assert struct.unpack('=BBHI', value[128:136]) == (0, 0, 0, 0)
    with socket.socket() as sock, pytest.raises(tcp.SocketError, match='empty'):
        tcp.set_md5(sock, '127.0.0.2', b'')


# ---------------------------------------------------------------------------------- real sockets


async def reaches(host: str, port: int, source: str, key_for: str | None, key: bytes = b'secret') -> bool:
    """Whether a connection from `source` to host:port completes, signed with `key` for `key_for`."""
    client = tcp.create(host)
    try:
        tcp.bind(client, source)
        if key_for is not None:
            tcp.set_md5(client, key_for, key)
        await asyncio.wait_for(asyncio.get_running_loop().sock_connect(client, (host, port)), 1.0)
        return True
    except TimeoutError:
        return False
    finally:
        client.close()


def server(host: str, keys: dict[str, bytes]) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for peer, key in keys.items():
        tcp.set_md5(sock, peer, key)
    sock.bind((host, 0))
    sock.listen()
    sock.setblocking(False)
    return sock


@kernel
async def test_each_side_holds_the_key_for_the_other_sides_address() -> None:
    with server('127.0.0.2', {'127.0.0.1': b'secret'}) as listener:
        port = listener.getsockname()[1]
        assert await reaches('127.0.0.2', port, '127.0.0.1', key_for='127.0.0.2')
        # a key for our own address signs nothing we send: the listener drops the unsigned SYN
        assert not await reaches('127.0.0.2', port, '127.0.0.1', key_for='127.0.0.1')
    # and a listener keyed for its own address drops the signed SYN from the peer
    with server('127.0.0.2', {'127.0.0.2': b'secret'}) as listener:
        assert not await reaches('127.0.0.2', listener.getsockname()[1], '127.0.0.1', key_for='127.0.0.2')


@kernel
async def test_a_key_for_a_range_covers_each_address_in_it() -> None:
    with server('127.0.0.2', {'127.0.0.0/24': b'secret'}) as listener:
        port = listener.getsockname()[1]
        assert await reaches('127.0.0.2', port, '127.0.0.1', key_for='127.0.0.2')
        assert await reaches('127.0.0.2', port, '127.0.0.9', key_for='127.0.0.2')
        assert not await reaches('127.0.0.2', port, '127.0.1.1', key_for='127.0.0.2')


@kernel
async def test_the_keys_of_a_listener_follow_each_call() -> None:
    listeners = Listeners(lambda reader, writer, local, remote: writer.close() or True)
    port = free_port('127.0.0.2')
    try:
        await listeners.listen('127.0.0.2', port, {'127.0.0.1': b'secret'})
        assert await reaches('127.0.0.2', port, '127.0.0.1', key_for='127.0.0.2')
        assert not await reaches('127.0.0.2', port, '127.0.0.1', key_for=None)
        # a reload changes the password
        await listeners.listen('127.0.0.2', port, {'127.0.0.1': b'other'})
        assert await reaches('127.0.0.2', port, '127.0.0.1', key_for='127.0.0.2', key=b'other')
        assert not await reaches('127.0.0.2', port, '127.0.0.1', key_for='127.0.0.2')
        # then removes it: the key is gone from the socket
        await listeners.listen('127.0.0.2', port, {})
        assert listeners.keys[('127.0.0.2', port)] == {}
        assert await reaches('127.0.0.2', port, '127.0.0.1', key_for=None)
        # a listener no longer wanted is closed
        listeners.keep(set())
        assert listeners.servers == {}
    finally:
        await listeners.close()


# ---------------------------------------------------------------------------------- the daemon


def settings(port: int, bind: str = ''):
    return load({'exabgp_tcp_port': str(port), 'exabgp_tcp_bind': bind, 'exabgp_api_cli': 'false'}, '')


def config(text: str):
    return load_text(text, Context(check_programs=False))


def speaker(peer: str, local: str, extra: str) -> str:
    router_id = local if local.count('.') == 3 else '10.0.0.9'
    return f"""
neighbor {peer} {{
    router-id {router_id};
    local-address {local};
    local-as 65000;
    peer-as 65000;
    {extra}
    family {{ ipv4 unicast; }}
}}
"""


def two_speakers(port: int, receiving: str, sending: str) -> str:
    """127.0.0.1 listens for 127.0.0.2, which connects to it: one daemon, both sides."""
    return speaker('127.0.0.2', '127.0.0.1', f'passive; listen {port}; {receiving}') + speaker(
        '127.0.0.1', '127.0.0.2', f'connect {port}; {sending}'
    )


class Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def __enter__(self) -> 'Warnings':
        logging.getLogger('exabgp').addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger('exabgp').removeHandler(self)


async def run(daemon: Daemon, seconds: float) -> bool:
    """Run the daemon until both its peers are established (True) or for `seconds` (False)."""
    task = asyncio.create_task(daemon.run())
    try:
        async with asyncio.timeout(seconds):
            while len(daemon.peers) < 2 or any(peer.established is None for peer in daemon.peers.values()):
                await asyncio.sleep(0.05)
        return True
    except TimeoutError:
        return False
    finally:
        daemon.stop(0)
        assert await asyncio.wait_for(task, 15) == 0


@kernel
async def test_both_sides_of_the_daemon_sign_to_each_other() -> None:
    port = free_port()
    text = two_speakers(port, 'md5-password "s3cret";', 'md5-password "czNjcmV0"; md5-base64 true;')
    assert await run(Daemon(settings(port), lambda: config(text)), 10)


@kernel
async def test_different_passwords_do_not_establish_and_are_logged() -> None:
    port = free_port()
    text = two_speakers(port, 'md5-password "one";', 'md5-password "two";')
    daemon = Daemon(settings(port), lambda: config(text))
    daemon.md5_check = 0.3
    with Warnings() as warnings:
        assert not await run(daemon, 3)
    lines = [line for line in warnings.lines if 'TCPMD5Failure' in line]
    assert lines, warnings.lines
    assert any(line.startswith('peer 127.0.0.2 ') for line in lines)
    assert all('check the md5-password on both sides' in line for line in lines)


@kernel
async def test_md5_ip_is_the_address_we_connect_from() -> None:
    # 5.0's meaning (checked against 5.0.15 with strace): bind to md5-ip, key the peer's address
    with server('127.0.0.1', {'127.0.0.3': b'secret'}) as listener:
        port = listener.getsockname()[1]
        text = speaker('127.0.0.1', '127.0.0.2', f'connect {port}; md5-password secret; md5-ip 127.0.0.3;')
        daemon = Daemon(settings(port), lambda: config(text))
        task = asyncio.create_task(daemon.run())
        try:
            loop = asyncio.get_running_loop()
            connection, (remote, _) = await asyncio.wait_for(loop.sock_accept(listener), 5)
            connection.close()
            assert remote == '127.0.0.3'
        finally:
            daemon.stop(0)
            await asyncio.wait_for(task, 15)


def test_listening_sockets_hold_the_keys_of_the_peers_that_may_reach_them() -> None:
    text = (
        speaker('192.0.2.1', '192.0.2.254', 'md5-password one;')
        + speaker('192.0.2.2', '192.0.2.254', '')
        + speaker('2001:db8::1', '2001:db8::fe', 'md5-password six;')
        + speaker('192.0.2.3', '192.0.2.254', 'md5-password three; listen 1790; md5-ip 198.51.100.1;')
        + speaker('10.0.0.0/24', '10.0.0.254', 'md5-password range; passive;')
    )
    wanted = listening(config(text), [IPv4Address('0.0.0.0'), '::'], 179)
    assert wanted == {
        ('0.0.0.0', 179): ({'192.0.2.1': b'one', '192.0.2.3': b'three', '10.0.0.0/24': b'range'}, 0),
        ('::', 179): ({'2001:db8::1': b'six'}, 0),
        # 5.0: a neighbor's own `listen` socket is bound to its md5-ip
        ('198.51.100.1', 1790): ({'192.0.2.3': b'three'}, 0),
    }


def test_md5_ip_defaults_to_the_local_address_and_means_nothing_with_auto() -> None:
    (given, default, auto) = config(
        speaker('192.0.2.1', '192.0.2.254', 'md5-password a; md5-ip 192.0.2.9;')
        + speaker('192.0.2.2', '192.0.2.254', 'md5-password a;')
        + speaker('192.0.2.3', 'auto', 'md5-password a; md5-ip 192.0.2.9;')
    ).neighbors
    assert given.md5_ip == IPv4Address('192.0.2.9')
    assert default.md5_ip == IPv4Address('192.0.2.254')
    assert auto.md5_ip is None


# ---------------------------------------------------------------------------------- the counters

NETSTAT = """TcpExt: SyncookiesSent TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure TCPSackShifted
TcpExt: 0 {} {} {} 7
IpExt: InNoRoutes TCPMD5Failure
IpExt: 1 999
"""


def test_the_drop_counters_are_read_from_tcpext_only(tmp_path) -> None:
    path = tmp_path / 'netstat'
    path.write_text(NETSTAT.format(1, 2, 3))
    before = md5drops.read(str(path))
    assert before == {'TCPMD5NotFound': 1, 'TCPMD5Unexpected': 2, 'TCPMD5Failure': 3}
    watch = md5drops.Watch(str(path))
    path.write_text(NETSTAT.format(1, 2, 5))
    drops = watch.since()
    assert drops == {'TCPMD5Failure': 2}
    assert watch.since() == {}
    assert (
        md5drops.explain(drops) == 'segments arrived with a wrong signature (the passwords differ) (TCPMD5Failure +2)'
    )
    assert md5drops.read(str(tmp_path / 'missing')) == {}
    assert md5drops.moved({}, before) == {}
