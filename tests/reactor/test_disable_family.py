"""RFC 7606 AFI/SAFI disable in the reactor, a scripted peer over loopback on a virtual clock: the
routes the peer announced in the family leave the Adj-RIB-In, the API hears them withdrawn, none
of ours in it is sent any more, and the session stays up for the other families (RFC 4760 7)."""

import asyncio
import contextlib
from ipaddress import IPv4Address, IPv6Address

from virtual_time import virtual_time

from exabgp import settings
from exabgp.bgp.attribute.aspath import ASPath
from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.open import Open
from exabgp.bgp.message.table import Message
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import Route
from exabgp.configuration.parser import load_text
from exabgp.reactor.observer import Observer, PeerView
from exabgp.reactor.peer import Peer
from exabgp.session.framer import Framer
from exabgp.session.state import State

CONFIG = """
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive true;
    adj-rib-in true;
    family { ipv4 unicast; ipv6 unicast; }
}
"""

ORIGIN_AS_PATH = bytes.fromhex('40010100400206020100' + '00FDEA')
NEXT_HOP = bytes.fromhex('4003047F000002')
PATH = Attributes((ORIGINS[IGP], ASPath(((2, (65001,)),))))


def update(attributes: bytes, nlri: bytes = b'') -> bytes:
    body = bytes(2) + len(attributes).to_bytes(2, 'big') + attributes + nlri
    return b'\xff' * 16 + (19 + len(body)).to_bytes(2, 'big') + b'\x02' + body


def mp_reach_v6(nlri: bytes) -> bytes:
    value = bytes.fromhex('000201') + bytes((16,)) + IPv6Address('2001:db8::2').packed + b'\x00' + nlri
    return bytes((0x80, 14, len(value))) + value


class Heard(Observer):
    def __init__(self) -> None:
        self.withdrawn: list[str] = []
        self.up_count = 0

    def up(self, peer: PeerView) -> None:
        self.up_count += 1

    def received(self, peer: PeerView, message: Message, header: bytes, body: bytes) -> None:
        if isinstance(message, Update):
            self.withdrawn += [str(nlri) for nlri in message.withdrawn]


async def _read(reader: asyncio.StreamReader, seconds: float) -> list[Update]:
    """The UPDATEs the peer sends us within `seconds`."""
    framer = Framer()
    found = []
    negotiated = Negotiated(asn4=True, families=(IPV4_UNICAST, IPV6_UNICAST))
    with contextlib.suppress(TimeoutError):
        while True:
            data = await asyncio.wait_for(reader.read(65536), seconds)
            if not data:
                break
            found += [Update.unpack(body, negotiated) for kind, _, body in framer.feed(data) if kind == 2]
    return found


@virtual_time
async def test_afi_safi_disable_withdraws_the_family_from_the_adj_rib_in_and_the_api() -> None:
    (neighbor,) = load_text(CONFIG).neighbors
    heard = Heard()
    peer = Peer(neighbor, settings.load({}, ''), heard)
    task = asyncio.create_task(peer.run())

    loop = asyncio.get_running_loop()
    accepted: asyncio.Future = loop.create_future()
    server = await asyncio.start_server(lambda r, w: accepted.set_result((r, w)), '127.0.0.1', 0)
    reader, writer = await asyncio.open_connection('127.0.0.1', server.sockets[0].getsockname()[1])
    peer.incoming(*await accepted)
    server.close()
    capabilities = (MultiProtocol(IPV4_UNICAST), MultiProtocol(IPV6_UNICAST), ASN4(65002))
    writer.write(Open(4, 65002, 90, IPv4Address('10.0.0.2'), capabilities).pack(Negotiated()))
    writer.write(KeepAlive().pack(Negotiated()))
    while heard.up_count == 0:
        await asyncio.sleep(0.01)

    writer.write(update(ORIGIN_AS_PATH + mp_reach_v6(bytes((48,)) + IPv6Address('2001:db8:1::').packed[:6])))
    writer.write(update(ORIGIN_AS_PATH + NEXT_HOP, bytes((8, 10))))
    await asyncio.sleep(0.1)
    assert sorted(str(route.nlri) for route in peer.rib_in.routes()) == ['10.0.0.0/8', '2001:db8:1::/48']

    # an IPv6 prefix of 129 bits: the family is disabled, its routes are gone and the API told
    writer.write(update(ORIGIN_AS_PATH + mp_reach_v6(bytes((129,)) + bytes(17))))
    await asyncio.sleep(0.1)
    assert heard.withdrawn == ['2001:db8:1::/48']
    assert [str(route.nlri) for route in peer.rib_in.routes()] == ['10.0.0.0/8']
    assert peer.state() is State.ESTABLISHED
    assert IPV6_UNICAST not in peer.established.session.negotiated.families

    # nothing of the family is sent any more either: of two routes announced, the IPv4 one goes
    await _read(reader, 0.5)  # what was sent so far (End-of-RIB)
    for family, address in ((IPV6_UNICAST, IPv6Address('2001:db8:5::')), (IPV4_UNICAST, IPv4Address('10.5.0.0'))):
        nexthop = IPv6Address('2001:db8::1') if family == IPV6_UNICAST else IPv4Address('127.0.0.1')
        peer.rib_out.announce(Route(INET.make(family, address, 48 if family == IPV6_UNICAST else 16), PATH, nexthop))
    peer.flush()
    sent = [route for message in await _read(reader, 0.5) for route in message.announced]
    assert [str(route.nlri) for route in sent] == ['10.5.0.0/16']

    writer.close()
    peer.stop()
    await asyncio.wait_for(task, 5)
