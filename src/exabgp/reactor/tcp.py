"""TCP sockets for BGP: creation, local binding, TCP MD5 (RFC 2385), TTL security (RFC 5082).

Invariants: every function here either configures the socket as asked or raises `SocketError` with
a sentence saying what could not be done and why; nothing is silently skipped. Sockets are
non-blocking and handed to asyncio once configured.
"""

import base64
import binascii
import errno
import ipaddress
import socket
import struct
import sys

TCP_MD5SIG = 14  # Linux include/uapi/linux/tcp.h
TCP_MD5SIG_EXT = 32
TCP_MD5SIG_FLAG_PREFIX = 1
MD5_KEY_MAX = 80
SOCKADDR_STORAGE = 128


class SocketError(OSError):
    """A socket could not be set up the way the neighbor's configuration asks."""


def family_of(address: str) -> int:
    return socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET


def create(address: str, interface: str | None = None) -> socket.socket:
    """A non-blocking TCP socket for talking to `address`, reusable, optionally bound to a device."""
    sock = socket.socket(family_of(address), socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if interface:
            bind_to_device(sock, interface)
    except BaseException:
        sock.close()
        raise
    return sock


def bind_to_device(sock: socket.socket, interface: str) -> None:
    option = getattr(socket, 'SO_BINDTODEVICE', None)
    if option is None:
        raise SocketError(f'can not bind to interface {interface}: this platform has no SO_BINDTODEVICE')
    try:
        socket.if_nametoindex(interface)
    except OSError:
        raise SocketError(f'can not bind to interface {interface}: no interface of that name') from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, option, interface.encode() + b'\0')
    except OSError as exc:
        raise SocketError(f'can not bind to interface {interface}: {exc.strerror}') from None


def bind(sock: socket.socket, address: str, port: int = 0) -> None:
    try:
        sock.bind((address, port))
    except OSError as exc:
        raise SocketError(f'can not bind to local address {address}: {exc.strerror}') from None


def md5_key(password: str, base64_form: bool | None) -> bytes:
    """The key bytes. `md5-base64 true`: the password is base64 (an error if it is not); false (the
    default): the password itself; `auto` (None): as 5.0 does, a password written only with
    lowercase hex digits is tried as unpadded base64 first."""
    if base64_form is False or (base64_form is None and password.strip('0123456789abcdef')):
        return password.encode()
    for padding in ('', '=', '=='):
        try:
            return base64.b64decode(password + padding, validate=True)
        except (binascii.Error, ValueError):
            continue
    if base64_form:
        raise SocketError('the md5-password is not valid base64 (md5-base64 is set)')
    return password.encode()


def _sockaddr(address: str) -> bytes:
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        packed = struct.pack('=H', socket.AF_INET) + b'\0\0' + ip.packed
    else:
        packed = struct.pack('=H', socket.AF_INET6) + b'\0\0' + b'\0\0\0\0' + ip.packed
    return packed.ljust(SOCKADDR_STORAGE, b'\0')


def md5_option(peer: str, key: bytes) -> tuple[int, bytes]:
    """The TCP_MD5SIG option and `struct tcp_md5sig` that give `peer` (an address, or a range
    `address/length`) the key `key`; an empty key removes the peer's key. A single address is set
    with plain TCP_MD5SIG, as 5.0 does; a range needs TCP_MD5SIG_EXT and its prefix flag (Linux 4.13)."""
    network = ipaddress.ip_network(peer, strict=False)
    full = network.max_prefixlen
    if network.prefixlen == full:
        option, flags, length = TCP_MD5SIG, 0, 0
    else:
        option, flags, length = TCP_MD5SIG_EXT, TCP_MD5SIG_FLAG_PREFIX, network.prefixlen
    # struct tcp_md5sig: sockaddr_storage, flags, prefixlen, keylen, ifindex, key[80]
    header = struct.pack('=BBHI', flags, length, len(key), 0)
    return option, _sockaddr(str(network.network_address)) + header + key.ljust(MD5_KEY_MAX, b'\0')


def set_md5(sock: socket.socket, peer: str, key: bytes) -> None:
    """Sign every segment to and from `peer` (an address or a range) with `key` (Linux TCP_MD5SIG).
    The kernel looks the key up by the REMOTE address of each segment: on a connecting socket and on
    a listening one alike, it must be the peer's address, never ours."""
    if not sys.platform.startswith('linux'):
        raise SocketError(f'TCP MD5 signatures are only supported on Linux here, not on {sys.platform}')
    if not key:
        raise SocketError(f'the md5 key for {peer} is empty')
    if len(key) > MD5_KEY_MAX:
        raise SocketError(f'the md5 key is {len(key)} octets, the kernel accepts at most {MD5_KEY_MAX}')
    option, value = md5_option(peer, key)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, option, value)
    except OSError as exc:
        raise SocketError(f'can not set the md5 key for {peer}: {exc.strerror}') from None


# TCP-AO (RFC 5925), Linux 6.7: include/uapi/linux/tcp.h
TCP_AO_ADD_KEY = 38
AO_KEY_MAX = 80
AO_NAME_SIZE = 64
# upstream 6.0's algorithm names: the kernel's crypto name and the MAC length (0: the algorithm's own)
AO_ALGORITHMS = {
    'hmac-sha-1-96': ('hmac(sha1)', 12),
    'aes-128-cmac-96': ('cmac(aes128)', 12),
    'hmac-sha-256': ('hmac(sha256)', 0),
}


def ao_option(peer: str, keyid: int, algorithm: str, key: bytes) -> bytes:
    """`struct tcp_ao_add` giving `peer` (an address or a range) the master key `key`, with `keyid`
    as both its send and receive id, made the current key at once."""
    network = ipaddress.ip_network(peer, strict=False)
    name, maxmac = AO_ALGORITHMS[algorithm]
    # sockaddr_storage, alg_name[64], ifindex, set_current:1 set_rnext:1 (bit field), reserved2,
    # prefix, sndid, rcvid, maxmac, keyflags, keylen, key[80]; 8-octet aligned (288 octets)
    fields = struct.pack('=iIHBBBBBB', 0, 0b11, 0, network.prefixlen, keyid, keyid, maxmac, 0, len(key))
    return (
        _sockaddr(str(network.network_address))
        + name.encode().ljust(AO_NAME_SIZE, b'\0')
        + fields
        + key.ljust(AO_KEY_MAX, b'\0')
    )


def set_ao(sock: socket.socket, peer: str, keyid: int, algorithm: str, key: bytes) -> None:
    """Authenticate every segment to and from `peer` with TCP-AO (RFC 5925). Where the kernel has no
    TCP-AO (not Linux, older than 6.7, or built without CONFIG_TCP_AO) this fails with a
    SocketError saying so: the session is never started unauthenticated."""
    if not sys.platform.startswith('linux'):
        raise SocketError(f'TCP-AO is only supported on Linux (6.7 or newer) here, not on {sys.platform}')
    if not key or len(key) > AO_KEY_MAX:
        raise SocketError(f'the tcp-ao key is {len(key)} octets, the kernel accepts 1 to {AO_KEY_MAX}')
    try:
        sock.setsockopt(socket.IPPROTO_TCP, TCP_AO_ADD_KEY, ao_option(peer, keyid, algorithm, key))
    except OSError as exc:
        if exc.errno in (errno.ENOPROTOOPT, errno.EOPNOTSUPP):
            raise SocketError(
                f'can not set the tcp-ao key for {peer}: this kernel has no TCP-AO (Linux 6.7+ with CONFIG_TCP_AO)'
            ) from None
        raise SocketError(f'can not set the tcp-ao key for {peer}: {exc.strerror}') from None


def clear_md5(sock: socket.socket, peer: str) -> None:
    """Remove the key `set_md5` gave `peer` (a neighbor removed by a reload)."""
    option, value = md5_option(peer, b'')
    try:
        sock.setsockopt(socket.IPPROTO_TCP, option, value)
    except OSError as exc:
        raise SocketError(f'can not remove the md5 key for {peer}: {exc.strerror}') from None


def set_ttl(sock: socket.socket, address: str, ttl: int) -> None:
    """The TTL (hop limit) of what we send: `outgoing-ttl`."""
    if family_of(address) == socket.AF_INET6:
        level, option = socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS
    else:
        level, option = socket.IPPROTO_IP, socket.IP_TTL
    try:
        sock.setsockopt(level, option, ttl)
    except OSError as exc:
        raise SocketError(f'can not set the outgoing ttl to {ttl}: {exc.strerror}') from None


def set_min_ttl(sock: socket.socket, address: str, ttl: int) -> None:
    """GTSM (RFC 5082): drop what arrives with a smaller TTL: `incoming-ttl`."""
    if family_of(address) == socket.AF_INET6:
        level, option = socket.IPPROTO_IPV6, getattr(socket, 'IPV6_MINHOPCOUNT', 73)
    else:
        level, option = socket.IPPROTO_IP, getattr(socket, 'IP_MINTTL', 21)
    try:
        sock.setsockopt(level, option, ttl)
    except OSError as exc:
        raise SocketError(f'can not set the minimum incoming ttl to {ttl}: {exc.strerror}') from None
