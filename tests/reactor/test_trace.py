"""The debug topics of a live session (5.0's `log.packets`, `log.timers`, `log.statistics`,
`log.routes`, `parser`): each prints its lines when on, and nothing is formatted when all are off."""

import asyncio
import logging
from ipaddress import IPv4Address

import pytest
from test_peer import connected, messages
from virtual_time import virtual_time

from exabgp import logger, settings
from exabgp.bgp.capability.asn4 import ASN4
from exabgp.bgp.capability.multiprotocol import MultiProtocol
from exabgp.bgp.family import IPV4_UNICAST, IPV6_UNICAST
from exabgp.bgp.message.header import MessageType, frame
from exabgp.bgp.message.keepalive import KeepAlive
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import Negotiated
from exabgp.configuration.parser import load_text
from exabgp.reactor import trace
from exabgp.reactor.observer import Observer
from exabgp.reactor.peer import Peer
from exabgp.session.framer import Framer

CONFIG = """
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65001;
    peer-as 65002;
    passive true;
    hold-time 30;
    family { ipv4 unicast; ipv6 unicast; }
    static { route 10.5.0.0/24 next-hop self; }
}
"""

# 10.20.0.0/24 announced with next hop 127.0.0.2 (ORIGIN, AS_PATH 65002, NEXT_HOP)
ANNOUNCE = bytes.fromhex('0000 0014 40010100 400206020100 00fdea 4003047f000002 180a1400'.replace(' ', ''))


async def session() -> None:
    (neighbor,) = load_text(CONFIG).neighbors
    peer = Peer(neighbor, settings.load({}, ''), Observer())
    task = asyncio.create_task(peer.run())
    ours, (reader, writer) = await connected()
    peer.incoming(*ours)
    capabilities = (MultiProtocol(IPV4_UNICAST), MultiProtocol(IPV6_UNICAST), ASN4(65002))
    writer.write(Open(4, 65002, 30, IPv4Address('10.0.0.2'), capabilities).pack(Negotiated()))
    writer.write(KeepAlive().pack(Negotiated()))
    await messages(reader, Framer(), lambda seen: sum(kind == MessageType.UPDATE for kind, _ in seen) >= 3)
    writer.write(frame(MessageType.UPDATE, ANNOUNCE) + frame(MessageType.UPDATE, bytes(4)))
    await asyncio.sleep(0.5)
    peer.stop()
    writer.close()
    await asyncio.wait_for(task, 5)


def logged(caplog, source: str) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == f'exabgp.{source}']


@virtual_time
async def test_each_topic_prints_what_5_0_prints_under_it(caplog) -> None:
    caplog.set_level(logging.DEBUG, logger='exabgp')
    await session()
    packets = logged(caplog, 'wire')
    assert packets[0].startswith('peer 127.0.0.1 sending TCP payload (  ')  # our OPEN
    assert packets[0].split(') ')[1].startswith('FFFF FFFF FFFF FFFF FFFF FFFF FFFF FFFF 00')
    assert packets[1].startswith('peer 127.0.0.1 >> OPEN version=4 asn=65001 hold_time=30 router_id=10.0.0.1')
    assert 'peer 127.0.0.1 << message of type OPEN' in packets
    assert 'peer 127.0.0.1 >> 1 UPDATE(s)' in packets
    assert 'peer 127.0.0.1 >> EOR ipv4 unicast' in packets
    assert 'peer 127.0.0.1 >> EOR ipv6 unicast' in packets
    assert 'peer 127.0.0.1 << UPDATE 1 announced, 0 withdrawn' in packets
    assert 'peer 127.0.0.1 << UPDATE End-of-RIB ipv4 unicast' in packets
    assert any(line.startswith('peer 127.0.0.1 >> Cease / ') for line in packets)
    assert logged(caplog, 'routes') == [
        'peer 127.0.0.1 withdrawn NLRI none',
        'peer 127.0.0.1 announced NLRI 10.20.0.0/24 next-hop 127.0.0.2',
        'peer 127.0.0.1 received End-of-RIB ipv4 unicast',
    ]
    assert (
        logged(caplog, 'parser')[0] == f'peer 127.0.0.1 parsing UPDATE ({len(ANNOUNCE):4d}) {trace.hexdump(ANNOUNCE)}'
    )
    timers = logged(caplog, 'timer')
    assert 'peer 127.0.0.1 receive-timer 30 second(s) left' in timers
    assert 'peer 127.0.0.1 send-timer 10 second(s) left' in timers
    counters = logged(caplog, 'statistics')
    assert counters[:2] == [
        'peer 127.0.0.1 statistics for send-open counter 1',
        'peer 127.0.0.1 statistics for receive-open counter 1',
    ]
    assert 'peer 127.0.0.1 statistics for send-update counter 3' in counters
    assert 'peer 127.0.0.1 statistics for receive-update counter 2' in counters
    assert logged(caplog, 'rib') == ['insert 10.5.0.0/24 next-hop self']


@virtual_time
async def test_topics_switched_off_print_nothing(caplog, monkeypatch) -> None:
    caplog.set_level(logging.INFO, logger='exabgp')
    formatted = []
    monkeypatch.setattr(trace, 'hexdump', lambda data: formatted.append(data) or '')
    await session()
    assert formatted == []
    for source in ('wire', 'timer', 'statistics', 'routes', 'parser', 'rib'):
        assert logged(caplog, source) == []


@pytest.mark.parametrize(
    ('body', 'family'),
    [
        (bytes(4), 'ipv4 unicast'),
        (bytes.fromhex('00000006800f03000201'), 'ipv6 unicast'),
        (bytes.fromhex('00000007900f0003000201'), 'ipv6 unicast'),
        (ANNOUNCE, None),
    ],
)
def test_end_of_rib_is_named_from_its_octets(body: bytes, family: str | None) -> None:
    found = trace.end_of_rib(body)
    assert (None if found is None else str(found)) == family


def test_attributes_of_a_malformed_body_stop_where_it_ends() -> None:
    # the AS_PATH claims 6 octets and the body ends after 2
    body = bytes.fromhex('0000 000b 40010100 4002060201'.replace(' ', ''))
    (line,) = trace.attribute_lines(body)
    assert line.startswith('attribute origin ')
    assert list(trace.attribute_lines(b'\x00')) == []


def test_hexdump_groups_two_octets() -> None:
    assert trace.hexdump(bytes.fromhex('ffff0013 04')) == 'FFFF 0013 04'
    assert logger.TOPICS['wire'] == 'packets'
