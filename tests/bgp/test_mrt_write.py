"""MRT records written by bgp/mrt_write.py, read back by bgp/mrt.py, and checked octet by octet
against RFC 6396's layouts where the reader would hide a mistake."""

import io
from ipaddress import IPv4Address, IPv6Address, ip_address

from exabgp.bgp import mrt, mrt_write
from exabgp.bgp.family import AFI, SAFI, Family

KEEPALIVE = b'\xff' * 16 + b'\x00\x13\x04'
PEER = IPv4Address('192.0.2.1')
LOCAL = IPv4Address('192.0.2.254')


def read(data: bytes) -> list:
    return list(mrt.records(io.BytesIO(data).read))


def test_bgp4mp_et_message_keeps_microseconds_and_asn4():
    data = mrt_write.bgp4mp_message(1_700_000_000.25, 4_200_000_000, 65000, PEER, LOCAL, KEEPALIVE)
    # common header: time, type 17 (BGP4MP_ET), subtype 4 (MESSAGE_AS4), length, microseconds
    assert data[:12] == bytes.fromhex('6553f100 0011 0004') + (4 + 20 + len(KEEPALIVE)).to_bytes(4, 'big')
    assert data[12:16] == (250_000).to_bytes(4, 'big')
    (message,) = read(data)
    assert message == mrt.Message(1_700_000_000.25, True, False, 4_200_000_000, 65000, PEER, LOCAL, KEEPALIVE)


def test_two_octet_subtype_writes_as_trans_and_addpath_subtypes():
    data = mrt_write.bgp4mp_message(10, 4_200_000_000, 65000, PEER, LOCAL, KEEPALIVE, asn4=False, extended=False)
    assert data[4:8] == bytes.fromhex('0010 0001')
    assert read(data)[0].peer_as == mrt_write.AS_TRANS
    for asn4, subtype in ((False, 8), (True, 9)):
        data = mrt_write.bgp4mp_message(10, 1, 2, PEER, LOCAL, KEEPALIVE, asn4=asn4, addpath=True)
        assert int.from_bytes(data[6:8], 'big') == subtype
        assert read(data)[0].addpath


def test_state_change_as4_over_ipv6():
    peer, local = IPv6Address('2001:db8::1'), IPv6Address('2001:db8::2')
    data = mrt_write.bgp4mp_state(20.5, 65001, 65000, peer, local, 'opensent', 'established')
    assert data[4:8] == bytes.fromhex('0011 0005')
    (change,) = read(data)
    assert change == mrt.StateChange(20.5, 65001, 65000, peer, local, 4, 6)


def test_table_dump_v2_round_trip():
    peers = [
        mrt_write.IndexedPeer(IPv4Address('10.0.0.1'), PEER, 65001),
        mrt_write.IndexedPeer(IPv4Address('10.0.0.2'), ip_address('2001:db8::6'), 4_200_000_000),
    ]
    attributes = bytes.fromhex('40010100 400206 0201 0000fde9 400304c0000201')
    ipv4 = Family(AFI.IPV4, SAFI.UNICAST)
    data = mrt_write.peer_index_table(30, IPv4Address('198.51.100.1'), 'rrc00', peers)
    data += mrt_write.rib(30, 0, ipv4, bytes((24, 10, 0, 0)), [mrt_write.TableEntry(1, 29, attributes)])
    with_path = mrt_write.rib(30, 1, ipv4, bytes((8, 10)), [mrt_write.TableEntry(0, 29, attributes, path_id=7)])
    data += with_path
    index, plain, addpath = read(data)
    assert index == mrt.PeerIndex(
        30, IPv4Address('198.51.100.1'), 'rrc00', tuple(mrt.PeerEntry(p.router_id, p.address, p.asn) for p in peers)
    )
    assert (plain.family, plain.addpath, plain.peer_index, plain.originated) == (ipv4, False, 1, 29)
    assert plain.body == b'\x00\x00' + len(attributes).to_bytes(2, 'big') + attributes + bytes((24, 10, 0, 0))
    # RFC 8050: subtype 8 (RIB_IPV4_UNICAST_ADDPATH), the path identifier before the prefix of the NLRI
    assert with_path[6:8] == b'\x00\x08'
    assert addpath.addpath and addpath.body.endswith((7).to_bytes(4, 'big') + bytes((8, 10)))
