"""TCP options on real sockets: MD5 signatures, TTLs, keys."""

import asyncio
import socket

import pytest

from exabgp.reactor import tcp


def md5_supported() -> bool:
    try:
        with socket.socket() as sock:
            tcp.set_md5(sock, '127.0.0.1', b'probe')
    except (tcp.SocketError, OSError):
        return False
    return True


@pytest.mark.skipif(not md5_supported(), reason='this kernel has no TCP MD5 signatures')
async def test_md5_signed_connections_need_the_same_key() -> None:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.set_md5(server, '127.0.0.1', b'secret')
    server.bind(('127.0.0.1', 0))
    server.listen()
    server.setblocking(False)
    port = server.getsockname()[1]
    loop = asyncio.get_running_loop()
    results = {}
    for key in (b'secret', b'wrong'):
        client = tcp.create('127.0.0.1')
        tcp.set_md5(client, '127.0.0.1', key)
        try:
            await asyncio.wait_for(loop.sock_connect(client, ('127.0.0.1', port)), 1.5)
            results[key] = True
        except TimeoutError:
            results[key] = False
        finally:
            client.close()
    server.close()
    assert results == {b'secret': True, b'wrong': False}


def test_md5_keys_follow_md5_base64() -> None:
    assert tcp.md5_key('plain text', False) == b'plain text'
    assert tcp.md5_key('c2VjcmV0', True) == b'secret'
    assert tcp.md5_key('c2VjcmV0', False) == b'c2VjcmV0'
    # auto: only a lowercase hex-looking password is tried as base64, as 5.0 does
    assert tcp.md5_key('abcd', None) == bytes.fromhex('69b71d')
    assert tcp.md5_key('Secret!', None) == b'Secret!'
    with pytest.raises(tcp.SocketError, match='not valid base64'):
        tcp.md5_key('not base64 !', True)
    with socket.socket() as sock, pytest.raises(tcp.SocketError, match='at most 80'):
        tcp.set_md5(sock, '127.0.0.1', b'x' * 81)


def test_ttls_are_set() -> None:
    with tcp.create('127.0.0.1') as sock:
        tcp.set_ttl(sock, '127.0.0.1', 255)
        assert sock.getsockopt(socket.IPPROTO_IP, socket.IP_TTL) == 255
        tcp.set_min_ttl(sock, '127.0.0.1', 254)
    with tcp.create('::1') as sock:
        tcp.set_ttl(sock, '::1', 1)
        assert sock.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS) == 1


def test_an_unknown_interface_is_a_clear_error() -> None:
    with tcp.create('127.0.0.1') as sock, pytest.raises(tcp.SocketError, match='no interface of that name'):
        tcp.bind_to_device(sock, 'nosuchif0')


# ---------------------------------------------------------------- TCP-AO (upstream 6.0's tcp-ao { })


def test_tcp_ao_key_structure() -> None:
    value = tcp.ao_option('192.0.2.1', 7, 'hmac-sha-1-96', b'secret')
    # struct tcp_ao_add: 128 + 64 + 4 + 4 + 2 + 6 + 80, a multiple of its 8-octet alignment
    assert len(value) == 288
    assert value[128:140] == b'hmac(sha1)\0\0'
    assert value[196:200] == (0b11).to_bytes(4, 'little')  # set_current, set_rnext
    assert tuple(value[202:208]) == (32, 7, 7, 12, 0, 6)  # prefix, sndid, rcvid, maxmac, flags, keylen
    assert value[208:214] == b'secret'
    assert tcp.ao_option('2001:db8::/32', 0, 'hmac-sha-256', b'k')[202] == 32


def test_tcp_ao_is_set_or_refused_clearly() -> None:
    """Where the kernel has TCP-AO the key is installed; elsewhere the error says why, so a session
    is never made without the authentication asked for."""
    with socket.socket() as sock:
        try:
            tcp.set_ao(sock, '127.0.0.1', 1, 'hmac-sha-256', b'secret')
        except tcp.SocketError as exc:
            assert 'tcp-ao' in str(exc) and '127.0.0.1' in str(exc)
    with socket.socket() as sock, pytest.raises(tcp.SocketError, match='the tcp-ao key is 81 octets'):
        tcp.set_ao(sock, '127.0.0.1', 1, 'hmac-sha-256', b'k' * 81)
