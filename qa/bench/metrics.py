"""What one /metrics scrape costs with 100 peers and 1M routes (figures only, nothing asserted).

    PYTHONPATH=src python qa/bench/metrics.py [--peers 100] [--routes 1000000] [--scrapes 50]

A daemon is built from a configuration of `--peers` neighbors (not run: no session is needed to
hold routes and counts) and its peers are loaded the way sessions load them:
- each Adj-RIB-Out holds routes/peers routes, then packs them all into UPDATEs (`updates()`, what
  a session's first flush does), which counts them as sent;
- each peer's counters are fed the same routes as received UPDATEs (packed, then decoded by
  `Update.unpack`, then counted by the reporter), plus OPEN, KEEPALIVE and a NOTIFICATION.
Then the daemon's metrics server is started on loopback and scraped over HTTP `--scrapes` times:
the wall time of one scrape (request to last octet, best and median), the CPU the process spent
per scrape (the server's render and the client's read, both in this process), the body's size and
sample count, and `render()` alone. The cost does not depend on the routes (a scrape walks no
RIB): `--routes 0` shows the same figures.
"""

import argparse
import asyncio
import socket
import statistics
import time
from ipaddress import IPv4Address

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.header import MessageType
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.notification import Notification
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import Route
from exabgp.configuration.parser import load_text
from exabgp.configuration.process import Context
from exabgp.reactor.daemon import Daemon
from exabgp.reactor.metrics import render
from exabgp.settings import load

SESSION = Negotiated(local_as=65000, peer_as=65001, asn4=True, families=(IPV4_UNICAST,))
ATTRIBUTES = Attributes((ORIGINS[IGP], MED(10)))
PER_UPDATE = 500  # prefixes packed per UPDATE when feeding the received counters


def configuration(peers: int) -> str:
    return ''.join(
        f"""
neighbor 127.0.{1 + index // 250}.{1 + index % 250} {{
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65000; peer-as 65001;
    family {{ ipv4 unicast; }}
}}"""
        for index in range(peers)
    )


def routes(start: int, count: int) -> list[Route]:
    return [
        Route(
            INET.make(IPV4_UNICAST, IPv4Address((10 << 24) + ((start + index) << 8)), 24),
            ATTRIBUTES,
            IPv4Address('192.0.2.1'),
        )
        for index in range(count)
    ]


def load_peer(peer, table: list[Route]) -> None:
    peer.rib_out.hold(table)
    sent = sum(1 for _ in peer.rib_out.updates(SESSION, lambda nexthop, family: nexthop))
    totals = peer.reporter.totals
    totals.message('received', MessageType.OPEN, None)
    totals.message('sent', MessageType.OPEN, None)
    for start in range(0, len(table), PER_UPDATE):
        part = table[start : start + PER_UPDATE]
        for body in update_pack.announce(
            IPV4_UNICAST, [route.nlri for route in part], ATTRIBUTES, part[0].nexthop, SESSION
        ):
            totals.message('received', MessageType.UPDATE, Update.unpack(body[19:], SESSION))
    for _ in range(sent):
        totals.message('sent', MessageType.UPDATE, None)
    totals.message('received', MessageType.KEEPALIVE, KeepAlive())
    totals.message('sent', MessageType.NOTIFICATION, Notification(6, 2))
    totals.ups += 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


async def get(port: int) -> int:
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n')
    await writer.drain()
    data = await reader.read()
    writer.close()
    return len(data)


async def main(peers: int, total: int, scrapes: int) -> None:
    config = load_text(configuration(peers), Context(check_programs=False))
    settings = load({'exabgp_tcp_bind': '', 'exabgp_metrics_port': str(free_port())}, '')
    daemon = Daemon(settings, lambda: config)
    for neighbor in config.neighbors:
        daemon._add(neighbor)
    each = total // peers if peers else 0
    began = time.perf_counter()
    for index, peer in enumerate(daemon.peers.values()):
        load_peer(peer, routes(index * each, each))
    loaded = time.perf_counter() - began
    held = sum(len(peer.rib_out) for peer in daemon.peers.values())
    print(f'{peers} peers, {held} routes in their Adj-RIB-Out, as many received: loaded in {loaded:.1f}s')

    server = daemon.metrics
    await server.start()
    port = server.port

    body = render(daemon, daemon.health)
    samples = sum(1 for line in body.splitlines() if not line.startswith('#'))
    print(f'one scrape: {len(body)} octets, {samples} samples')

    renders = []
    for _ in range(scrapes):
        start = time.perf_counter()
        render(daemon, daemon.health)
        renders.append(time.perf_counter() - start)

    walls = []
    cpu_start = time.process_time()
    for _ in range(scrapes):
        start = time.perf_counter()
        await get(port)
        walls.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_start) / scrapes
    await server.close()
    ms = 1000
    print(f'render() alone: best {min(renders) * ms:.1f} ms, median {statistics.median(renders) * ms:.1f} ms')
    print(f'HTTP scrape wall: best {min(walls) * ms:.1f} ms, median {statistics.median(walls) * ms:.1f} ms')
    print(f'CPU per scrape (server and client, this process): {cpu * ms:.1f} ms')


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--peers', type=int, default=100)
    parser.add_argument('--routes', type=int, default=1_000_000)
    parser.add_argument('--scrapes', type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.peers, arguments.routes, arguments.scrapes))
