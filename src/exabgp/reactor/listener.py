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
    def __init__(self, dispatch: Dispatch) -> None:
        self.dispatch = dispatch
        self.servers: dict[tuple[str, int], asyncio.Server] = {}

    async def listen(self, host: str, port: int, md5: list[tuple[str, bytes]] | None = None, min_ttl: int = 0) -> None:
        """Listen on host:port (idempotent); md5 keys and a GTSM minimum TTL apply to the socket."""
        key = (host, port)
        if key in self.servers:
            return
        sock = socket.socket(tcp.family_of(host), socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if sock.family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            for peer, secret in md5 or ():
                tcp.set_md5(sock, peer, secret)
            if min_ttl:
                tcp.set_min_ttl(sock, host, min_ttl)
            sock.bind((host, port))
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            raise tcp.SocketError(f'could not listen on {host}:{port}: {exc.strerror or exc}') from None
        self.servers[key] = await asyncio.start_server(self._accepted, sock=sock, backlog=200)
        log.info(f'listening for BGP session(s) on {host}:{port}{" with MD5" if md5 else ""}')

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        local = str(address(writer.get_extra_info('sockname')[0]))
        remote = str(address(writer.get_extra_info('peername')[0]))
        if self.dispatch(reader, writer, local, remote):
            return
        log.info(f'refused connection from {remote} to {local}: no neighbor is configured for it')
        wire = Notification.outgoing(CEASE, CONNECTION_REJECTED, 'no session configured for the peer')
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


def matches(peer_address: str, peer_prefix: int, local_address: str | None, local: str, remote: str) -> bool:
    """Whether a connection from `remote` to `local` is for a neighbor with this peer range."""
    if ip_address(remote) not in ip_network(f'{peer_address}/{peer_prefix}', strict=False):
        return False
    return local_address is None or ip_address(local) == ip_address(local_address)
