"""Accepting BGP connections and handing each to the peer it belongs to.

Invariants: one asyncio server per (address, port) however many neighbors share it; a connection
goes to the peer whose peer address (or range) holds the remote address and whose local address
(unless `auto`) is the one connected to; a range neighbor gets a peer of its own per remote
address (`spawn`). A connection nobody wants is answered with Cease / Connection Rejected (6/5) and
closed, and nothing else is disturbed.
"""

import asyncio
import contextlib
import socket
from collections.abc import Callable
from ipaddress import ip_address, ip_network

from exabgp import logger
from exabgp.bgp.errors import CEASE, CONNECTION_REJECTED
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.negotiated import Negotiated
from exabgp.reactor import tcp
from exabgp.reactor.neighbor import address

log = logger.get('network')

Dispatch = Callable[[asyncio.StreamReader, asyncio.StreamWriter, str, str], bool]


class Listeners:
    def __init__(self, dispatch: Dispatch, notification_text: bool = False) -> None:
        self.dispatch = dispatch
        # 5.0's NOTIFICATION data (its text) rather than the RFC's (none for 6/5)
        self.notification_text = notification_text
        self.servers: dict[tuple[str, int], asyncio.Server] = {}
        # the md5 keys installed on each listening socket, by peer (address or range)
        self.keys: dict[tuple[str, int], dict[str, bytes]] = {}

    async def listen(self, host: str, port: int, md5: dict[str, bytes] | None = None, min_ttl: int = 0) -> None:
        """Listen on host:port with these md5 keys (by peer address or range) and GTSM minimum TTL;
        on a socket already listening, install the keys that are new or changed and remove the
        others, so a reload leaves the socket with exactly the keys of the configuration."""
        key = (host, port)
        md5 = md5 or {}
        server = self.servers.get(key)
        if server is not None:
            sock = server.sockets[0]
            installed = self.keys[key]
            for peer in [peer for peer in installed if peer not in md5]:
                tcp.clear_md5(sock, peer)
                del installed[peer]
            for peer, secret in md5.items():
                if installed.get(peer) != secret:
                    tcp.set_md5(sock, peer, secret)
                    installed[peer] = secret
            if min_ttl:
                tcp.set_min_ttl(sock, host, min_ttl)
            return
        sock = socket.socket(tcp.family_of(host), socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if sock.family == socket.AF_INET6:
                # IPv4 peers never reach an IPv6 socket, so its keys never need the v4-mapped form
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            for peer, secret in md5.items():
                tcp.set_md5(sock, peer, secret)
            if min_ttl:
                tcp.set_min_ttl(sock, host, min_ttl)
            sock.bind((host, port))
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            raise tcp.SocketError(f'could not listen on {host}:{port}: {exc.strerror or exc}') from None
        self.servers[key] = await asyncio.start_server(self._accepted, sock=sock, backlog=200)
        self.keys[key] = dict(md5)
        log.info(f'listening for BGP session(s) on {host}:{port}{" with MD5" if md5 else ""}')

    def keep(self, wanted: set[tuple[str, int]]) -> None:
        """Stop listening where the configuration no longer asks for it. Connections accepted there
        are left alone, so this does not wait for the server to be closed (from Python 3.12 that
        waits for them too)."""
        for key in [key for key in self.servers if key not in wanted]:
            server = self.servers.pop(key)
            del self.keys[key]
            server.close()
            log.info(f'stopped listening on {key[0]}:{key[1]}')

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        local = str(address(writer.get_extra_info('sockname')[0]))
        remote = str(address(writer.get_extra_info('peername')[0]))
        if self.dispatch(reader, writer, local, remote):
            return
        log.info(f'refused connection from {remote} to {local}: no neighbor is configured for it')
        wire = Notification.outgoing(
            CEASE, CONNECTION_REJECTED, 'no session configured for the peer', five=self.notification_text
        )
        with contextlib.suppress(OSError):
            writer.write(wire.pack(Negotiated()))
            await writer.drain()
        writer.close()

    async def close(self) -> None:
        for (host, port), server in list(self.servers.items()):
            server.close()
            log.info(f'stopped listening on {host}:{port}')
        for server in self.servers.values():
            with contextlib.suppress(Exception):
                await server.wait_closed()
        self.servers.clear()
        self.keys.clear()


def matches(peer_address: str, peer_prefix: int, local_address: str | None, local: str, remote: str) -> bool:
    """Whether a connection from `remote` to `local` is for a neighbor with this peer range."""
    if ip_address(remote) not in ip_network(f'{peer_address}/{peer_prefix}', strict=False):
        return False
    return local_address is None or ip_address(local) == ip_address(local_address)
