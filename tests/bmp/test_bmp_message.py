"""BMP messages (RFC 7854): byte vectors written from the section 4 layouts, and build -> parse."""

from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exabgp.bgp.message.header import MessageType, frame
from exabgp.bmp import message as bmp

EOR = frame(MessageType.UPDATE, bytes(4))
# an OPEN: version 4, AS 65001, hold 180, BGP id 192.0.2.1, no parameters
OPEN = frame(MessageType.OPEN, bytes.fromhex('04 FDE9 00B4 C0000201 00'))
PEER = bmp.peer_header(IPv4Address('192.0.2.1'), 65001, IPv4Address('192.0.2.1'))

# the per-peer header (4.2) of PEER at 1.5 seconds: type, flags, distinguisher, address, AS, id, time
PER_PEER = bytes.fromhex('00 00 0000000000000000 000000000000000000000000C0000201 0000FDE9 C0000201 00000001 0007A120')


def test_route_monitoring_layout():
    # common header (4.1): version 3, length 6 + 42 + 23 = 71, type 0
    wire = bmp.route_monitoring(PEER, 1.5, EOR)
    assert wire == bytes.fromhex('03 00000047 00') + PER_PEER + EOR
    parsed = bmp.parse(wire)
    assert parsed.kind == bmp.Kind.ROUTE_MONITORING
    assert parsed.bgp == EOR
    assert parsed.peer == bmp.Peer(0, 0, bytes(8), IPv4Address('192.0.2.1'), 65001, IPv4Address('192.0.2.1'), 1, 500000)


def test_ipv6_peer_sets_the_v_flag_and_fills_the_address():
    peer = bmp.peer_header(IPv6Address('2001:db8::1'), 65001, IPv4Address('192.0.2.1'), bmp.Flag.AS2)
    assert peer[1] == 0x80 | 0x20
    assert peer[10:26] == IPv6Address('2001:db8::1').packed
    parsed = bmp.parse(bmp.route_monitoring(peer, 0, EOR))
    assert parsed.peer.address == IPv6Address('2001:db8::1')
    assert parsed.peer.flags == 0xA0


def test_initiation_and_termination_layout():
    # 4.3: TLVs of type (2), length (2), value; sysDescr is type 1, sysName type 2; 6 + 10 + 6 octets
    wire = bmp.initiation([(bmp.Information.SYS_DESCR, b'ExaBGP'), (bmp.Information.SYS_NAME, b'r1')])
    assert wire == bytes.fromhex('03 00000016 04 0001 0006') + b'ExaBGP' + bytes.fromhex('0002 0002') + b'r1'
    assert bmp.parse(wire).information == ((1, b'ExaBGP'), (2, b'r1'))
    # 4.5: a reason TLV (type 1, 2 octets): 0 administratively closed
    assert bmp.termination(bmp.TerminationReason.ADMINISTRATIVELY_CLOSED).hex() == '030000000c05' + '00010002' + '0000'
    assert bmp.parse(bmp.termination(4, 'bye')).information == ((0, b'bye'), (1, b'\x00\x04'))


def test_peer_up_layout():
    # 4.10: per-peer header, local address (16), local port, remote port, sent OPEN, received OPEN
    wire = bmp.peer_up(PEER, 1.5, IPv4Address('192.0.2.2'), 179, 40000, OPEN, OPEN, [(0, b'hi')])
    body = wire[6 + 42 :]
    assert body[:16] == bytes(12) + IPv4Address('192.0.2.2').packed
    assert body[16:20].hex() == '00b3' + '9c40'
    assert body[20 : 20 + len(OPEN)] == OPEN
    parsed = bmp.parse(wire)
    assert (parsed.local_address, parsed.ports) == (IPv4Address('192.0.2.2'), (179, 40000))
    assert parsed.bgp == parsed.bgp2 == OPEN
    assert parsed.information == ((0, b'hi'),)


def test_peer_down_layouts():
    notification = frame(MessageType.NOTIFICATION, bytes((6, 2)))
    wire = bmp.peer_down(PEER, 0, bmp.DownReason.REMOTE_NOTIFICATION, notification)
    assert wire[5] == 2 and wire[6 + 42] == 3 and wire[6 + 43 :] == notification
    assert bmp.parse(wire).data == notification
    # reason 2: the FSM event code, 2 octets
    assert bmp.parse(bmp.peer_down(PEER, 0, 2, b'\x00\x02')).data == b'\x00\x02'
    assert bmp.parse(bmp.peer_down(PEER, 0, 5)).reason == 5
    with pytest.raises(bmp.BMPError):
        bmp.parse(bmp.peer_down(PEER, 0, 2, b'\x00'))
    with pytest.raises(bmp.BMPError):
        bmp.parse(bmp.peer_down(PEER, 0, 1, b'\x00\x01'))


def test_statistics_layout():
    # 4.8: count (4) then TLVs; type 7 a 64-bit gauge, type 9 AFI (2) SAFI (1) and a 64-bit gauge
    stats = [(7, bmp.gauge(100000)), (9, bmp.family_gauge(1, 1, 100000)), (2, bmp.counter(2**32 + 3))]
    wire = bmp.statistics_report(PEER, 0, stats)
    body = wire[6 + 42 :]
    assert body == bytes.fromhex(
        '00000003  0007 0008 00000000000186A0  0009 000B 0001 01 00000000000186A0  0002 0004 00000003'
    )
    assert bmp.parse(wire).statistics == tuple(stats)
    with pytest.raises(bmp.BMPError):
        bmp.parse(bmp.statistics_report(PEER, 0, [(7, b'\x00')]))


def test_split_keeps_an_incomplete_message():
    one = bmp.route_monitoring(PEER, 0, EOR)
    two = bmp.termination(0)
    stream = one + two
    for cut in range(len(stream) + 1):
        first, rest = bmp.split(stream[:cut])
        more, left = bmp.split(rest + stream[cut:])
        assert first + more == [one, two] and left == b''


@pytest.mark.parametrize(
    'wire',
    [
        b'\x02\x00\x00\x00\x06\x04',  # version 2
        b'\x03\x00\x00\x00\x07\x04',  # the length says more than there is
        b'\x03\x00\x00\x00\x06\x09',  # unknown type
        b'\x03\x00\x00\x00\x08\x04\x00\x01',  # a truncated TLV
        bmp.frame(0, PEER + bytes(8) + b'\x00' * 5),  # no BGP header after the per-peer header
        bmp.frame(0, PEER + bytes(8) + EOR + b'\x00'),  # something after the UPDATE
        bmp.frame(3, PEER + bytes(8) + bytes(20) + OPEN),  # one OPEN only
    ],
)
def test_parse_refuses(wire):
    with pytest.raises(bmp.BMPError):
        bmp.parse(wire)


@given(st.binary(max_size=200))
def test_parse_raises_only_bmp_errors(data):
    try:
        for message in bmp.split(data)[0]:
            bmp.parse(message)
    except bmp.BMPError:
        pass


@given(
    st.integers(0, 2**32 - 1),
    st.integers(0, 2**32 - 1),
    st.floats(0, 2**31, allow_nan=False),
    st.sampled_from([IPv4Address('10.0.0.1'), IPv6Address('::1'), IPv6Address('2001:db8::ff')]),
    st.integers(0, 65535),
    st.integers(0, 65535),
)
def test_peer_up_round_trip(asn, bgp_id, stamp, address, local_port, remote_port):
    peer = bmp.peer_header(address, asn, IPv4Address(bgp_id))
    parsed = bmp.parse(bmp.peer_up(peer, stamp, address, local_port, remote_port, OPEN, EOR))
    assert parsed.peer.asn == asn and parsed.peer.bgp_id == IPv4Address(bgp_id)
    assert parsed.peer.address == address and parsed.local_address == address
    assert parsed.peer.seconds == int(stamp) and parsed.peer.microseconds < 1_000_000
    assert (parsed.ports, parsed.bgp, parsed.bgp2) == ((local_port, remote_port), OPEN, EOR)
