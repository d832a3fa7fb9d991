"""What a peer can not do is said, never dropped in silence: configured families we can not decode,
routes whose next hop the session can not give, received UPDATE parts that could not be used."""

import asyncio
import dataclasses
import logging
from ipaddress import IPv4Address

from test_peer import connected, messages
from virtual_time import virtual_time

from exabgp import settings
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST, Family
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import table
from exabgp.configuration.parser import load_text
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer
from exabgp.session.framer import Framer

# every family 5.0 knows is built: the test takes one's codec away, as a row without one would be
UNBUILT = 'l2vpn vpls'

CONFIG = """
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive true;
    family {
        ipv4 unicast;
        ipv6 unicast;
        UNBUILT;
    }
    static {
        route 10.5.0.0/24 next-hop self;
        route 2001:db8:5::/48 next-hop self;
        route 2001:db8:6::/48 next-hop self;
    }
}
""".replace('UNBUILT', UNBUILT)

# an UPDATE announcing 10.6.0.0/24 as IPv4 multicast, a family the session did not negotiate
MULTICAST = bytes.fromhex(
    '0000'  # no withdrawn routes
    '0017'  # 23 octets of attributes
    '40010100'  # ORIGIN IGP
    '400200'  # empty AS_PATH
    '800e0d'
    '0001'
    '02'
    '04'
    '7f000002'
    '00'
    '180a0600'  # MP_REACH_NLRI 1/2, next hop 127.0.0.2
)


def warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


@virtual_time
async def test_what_a_peer_can_not_do_is_warned_about(caplog, monkeypatch) -> None:
    family = Family.parse(UNBUILT)
    monkeypatch.setitem(table.TABLE, family, dataclasses.replace(table.TABLE[family], module=None))
    (neighbor,) = load_text(CONFIG).neighbors
    peer = Peer(neighbor, settings.load({}, ''), Observer())
    # at start: the family left out of the OPEN
    assert warnings(caplog) == [
        f'neighbor 127.0.0.1: {UNBUILT} not supported yet, left out of the OPEN '
        '(no route of these families is sent or received)'
    ]
    task = asyncio.create_task(peer.run())
    ours, (reader, writer) = await connected()
    peer.incoming(*ours)
    capabilities = (MultiProtocol(IPV4_UNICAST), MultiProtocol(IPV6_UNICAST), ASN4(65002))
    writer.write(Open(4, 65002, 90, IPv4Address('10.0.0.2'), capabilities).pack(Negotiated()))
    writer.write(KeepAlive().pack(Negotiated()))
    framer = Framer()
    first = await messages(reader, framer, lambda seen: sum(kind == MessageType.UPDATE for kind, _ in seen) >= 3)
    # the IPv4 route and the two End-of-RIB; the IPv6 routes can not take a next hop from IPv4
    assert [kind for kind, _ in first] == [MessageType.OPEN] + [MessageType.UPDATE] * 3
    assert (
        'peer 127.0.0.1: route 2001:db8:5::/48 and 1 more not sent: use of "next-hop self": the route '
        '(ipv6 unicast) does not have the same family as the BGP tcp session (ipv4, local address 127.0.0.1)'
    ) in warnings(caplog)
    writer.write(frame(MessageType.UPDATE, MULTICAST))
    await asyncio.sleep(0.5)
    received = [line for line in warnings(caplog) if 'RFC 7606' in line]
    assert len(received) == 1
    assert 'ipv4 multicast' in received[0] and MULTICAST.hex().upper() in received[0]
    # RFC 7606 6: the peer, the attribute, the NLRI and the whole UPDATE, header included
    assert received[0].startswith('peer 127.0.0.1 ASN 65002 RFC 7606 ')
    assert 'attribute 14 (MP_REACH_NLRI)' in received[0]
    assert frame(MessageType.UPDATE, MULTICAST).hex().upper() in received[0]
    assert peer.established is not None
    peer.stop()
    writer.close()
    await asyncio.wait_for(task, 5)
