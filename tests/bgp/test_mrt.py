"""MRT (RFC 6396) read from files built here field by field, as RouteViews and RIPE RIS write them:
the codec, `exabgp mrt print` (5.0's JSON, the line `exabgp decode` prints) and `exabgp mrt replay`
to a speaker on loopback."""

import asyncio
import bz2
import gzip
import io
import json
import os
import socket
import subprocess
import sys
from ipaddress import ip_address
from pathlib import Path

import pytest

from exabgp.bgp import mrt
from exabgp.bgp.family import AFI, SAFI, Family
from exabgp.bgp.message.update import Update
from exabgp.speaker import Speaker, UpdateReceived

ROOT = Path(__file__).resolve().parents[2]
EXABGP = [sys.executable, '-m', 'exabgp']

ORIGIN_IGP = bytes.fromhex('40010100')
AS_PATH_65001_65100 = bytes.fromhex('4002 0a 02 02 0000fde9 0000fe4c'.replace(' ', ''))
NEXT_HOP = bytes.fromhex('40030 4c0000201'.replace(' ', ''))
MED_7 = bytes.fromhex('80040400000007')


def record(kind: int, subtype: int, body: bytes, seconds: int = 1_700_000_000, micro: int | None = None) -> bytes:
    if micro is not None:
        body = micro.to_bytes(4, 'big') + body
    return (
        seconds.to_bytes(4, 'big')
        + kind.to_bytes(2, 'big')
        + subtype.to_bytes(2, 'big')
        + len(body).to_bytes(4, 'big')
        + body
    )


def peer_index() -> bytes:
    view = b'rrc00'
    peers = [
        # type: bit 0 IPv6 address, bit 1 4-octet ASN
        bytes((2,)) + ip_address('192.0.2.1').packed + ip_address('192.0.2.1').packed + (65001).to_bytes(4, 'big'),
        bytes((3,))
        + ip_address('192.0.2.6').packed
        + ip_address('2001:db8::6').packed
        + (4200000000).to_bytes(4, 'big'),
    ]
    body = ip_address('198.51.100.1').packed + len(view).to_bytes(2, 'big') + view + len(peers).to_bytes(2, 'big')
    return record(13, 1, body + b''.join(peers))


def rib(subtype: int, sequence: int, prefix: bytes, entries: list[tuple[int, bytes]]) -> bytes:
    body = sequence.to_bytes(4, 'big') + prefix + len(entries).to_bytes(2, 'big')
    for index, attributes in entries:
        body += (
            index.to_bytes(2, 'big')
            + (1_690_000_000).to_bytes(4, 'big')
            + len(attributes).to_bytes(2, 'big')
            + attributes
        )
    return record(13, subtype, body)


def ipv4_rib() -> bytes:
    return rib(2, 0, bytes((24, 10, 0, 0)), [(0, ORIGIN_IGP + AS_PATH_65001_65100 + NEXT_HOP + MED_7)])


def ipv6_rib() -> bytes:
    # RFC 6396 4.3.4: MP_REACH_NLRI holds only the next-hop length and the next hop
    short_reach = bytes.fromhex('800e11') + bytes((16,)) + ip_address('2001:db8::6').packed
    return rib(
        4, 1, bytes((32,)) + ip_address('2001:db8::').packed[:4], [(1, ORIGIN_IGP + AS_PATH_65001_65100 + short_reach)]
    )


def update_message(body: bytes) -> bytes:
    return b'\xff' * 16 + (19 + len(body)).to_bytes(2, 'big') + b'\x02' + body


ANNOUNCE_BODY = (
    b'\x00\x00'
    + len(ORIGIN_IGP + AS_PATH_65001_65100 + NEXT_HOP).to_bytes(2, 'big')
    + ORIGIN_IGP
    + AS_PATH_65001_65100
    + NEXT_HOP
    + bytes((24, 10, 0, 1))
)
WITHDRAW_BODY = b'\x00\x04' + bytes((24, 10, 0, 1)) + b'\x00\x00'


def bgp4mp(body: bytes, micro: int | None = None, seconds: int = 1_700_000_010) -> bytes:
    head = (65001).to_bytes(4, 'big') + (65000).to_bytes(4, 'big') + b'\x00\x00' + (1).to_bytes(2, 'big')
    head += ip_address('192.0.2.1').packed + ip_address('192.0.2.254').packed
    return record(17 if micro is not None else 16, 4, head + update_message(body), seconds, micro)


def sample() -> bytes:
    return peer_index() + ipv4_rib() + ipv6_rib() + bgp4mp(ANNOUNCE_BODY) + bgp4mp(WITHDRAW_BODY, micro=250_000)


def test_records_of_a_table_dump_and_updates():
    found = list(mrt.records(io.BytesIO(sample()).read))
    index, first, second, announce, withdraw = found
    assert isinstance(index, mrt.PeerIndex) and index.view == 'rrc00'
    assert [(str(peer.address), peer.asn) for peer in index.peers] == [
        ('192.0.2.1', 65001),
        ('2001:db8::6', 4200000000),
    ]
    assert isinstance(first, mrt.RibEntry) and first.family == Family(AFI.IPV4, SAFI.UNICAST)
    assert isinstance(second, mrt.RibEntry) and second.peer_index == 1
    assert isinstance(announce, mrt.Message) and announce.asn4 and str(announce.peer_address) == '192.0.2.1'
    assert withdraw.timestamp == 1_700_000_010.25
    update = Update.unpack(second.body, _negotiated())
    assert [str(route.nlri) for route in update.announced] == ['2001:db8::/32']
    assert update.announced[0].nexthop == ip_address('2001:db8::6')


def _negotiated():
    from exabgp.application.mrt import session

    return session(mrt.RibEntry(0, Family(AFI.IPV6, SAFI.UNICAST), False, 0, 0, b'', b''))


def test_a_cut_record_is_reported():
    data = sample()[:-3]
    with pytest.raises(mrt.Truncated):
        list(mrt.records(io.BytesIO(data).read))


@pytest.mark.parametrize('compress', [lambda data: data, gzip.compress, bz2.compress], ids=['plain', 'gzip', 'bzip2'])
def test_print_gives_the_json_of_decode(tmp_path, compress):
    path = tmp_path / 'updates.mrt'
    path.write_bytes(compress(sample()))
    done = subprocess.run([*EXABGP, 'mrt', 'print', str(path)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]['neighbor']['address']['peer'] == '192.0.2.1'
    assert lines[0]['time'] == 1_700_000_000
    assert lines[1]['neighbor']['asn']['peer'] == 4200000000
    assert lines[1]['neighbor']['message']['update']['announce']['ipv6 unicast'] == {
        '2001:db8::6': [{'nlri': '2001:db8::/32'}]
    }
    decode = subprocess.run(
        [*EXABGP, 'decode', update_message(ANNOUNCE_BODY).hex()], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert lines[2]['neighbor']['message'] == json.loads(decode.stdout)['neighbor']['message']
    assert lines[3]['neighbor']['message']['update']['withdraw'] == {'ipv4 unicast': [{'nlri': '10.0.1.0/24'}]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


async def test_replay_sends_the_table_and_the_updates(tmp_path):
    port = free_port()
    path = tmp_path / 'rib.mrt.gz'
    path.write_bytes(gzip.compress(sample()))
    families = 'ipv4 unicast; ipv6 unicast;'
    (tmp_path / 'replay.conf').write_text(f"""
neighbor 127.0.0.1 {{
    router-id 127.0.0.2; local-address 127.0.0.2; local-as 65002; peer-as 65001;
    connect {port};
    family {{ {families} }}
}}
""")
    receiving = f"""
neighbor 127.0.0.2 {{
    router-id 127.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;
    passive; listen {port};
    family {{ {families} }}
}}
"""
    async with Speaker(receiving) as speaker, speaker.events() as events:
        process = await asyncio.create_subprocess_exec(
            *EXABGP,
            'mrt',
            'replay',
            str(tmp_path / 'replay.conf'),
            str(path),
            '--exit',
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, 'exabgp_log_level': 'CRITICAL'},
        )
        async with asyncio.timeout(30):
            output, errors = await process.communicate()
        assert process.returncode == 0, errors.decode()
        assert output.decode().startswith('replayed 3 announcements and 1 withdrawals')
        seen = set()
        async with asyncio.timeout(30):
            async for event in events:
                if isinstance(event, UpdateReceived):
                    seen.update(str(route.nlri) for route in event.announced)
                    seen.difference_update(str(nlri) for nlri in event.withdrawn)
                    if {'10.0.0.0/24', '2001:db8::/32'} <= seen:
                        break
        # 10.0.1.0/24, announced then withdrawn before it was sent, is never sent (the RIB's rule)
        assert seen == {'10.0.0.0/24', '2001:db8::/32'}


def test_replay_reads_each_attribute_field_once_and_gives_the_same_routes(tmp_path):
    from exabgp.application.mrt import changes, decoded
    from exabgp.bgp import mrt_write

    shared = ORIGIN_IGP + AS_PATH_65001_65100 + NEXT_HOP + MED_7
    other = ORIGIN_IGP + AS_PATH_65001_65100 + NEXT_HOP
    ipv4 = Family(AFI.IPV4, SAFI.UNICAST)
    data = peer_index()
    for sequence, attributes in enumerate([shared, other, shared, shared, other]):
        entry = mrt_write.TableEntry(0, 1_690_000_000, attributes)
        data += mrt_write.rib(1_700_000_000, sequence, ipv4, bytes((24, 10, sequence, 0)), [entry])
    data += ipv6_rib() + bgp4mp(ANNOUNCE_BODY) + bgp4mp(WITHDRAW_BODY)
    path = tmp_path / 'table.mrt'
    path.write_bytes(data)
    expected = []
    for item in mrt.records(io.BytesIO(data).read):
        if isinstance(item, mrt.RibEntry | mrt.Message):
            update = decoded(item)
            expected.append(([str(route) for route in update.announced], [str(nlri) for nlri in update.withdrawn]))
    made = list(changes([str(path)], 'keep'))
    found = [
        ([str(route) for route in announced], [str(route.nlri) for route in withdrawn])
        for _, announced, withdrawn in made
    ]
    assert found == expected
    # the entries of one attribute field share one decoded value
    first, third = made[0][1][0], made[2][1][0]
    assert (str(third.nlri), str(third.nexthop)) == ('10.2.0.0/24', '192.0.2.1')
    assert third.attributes is first.attributes
