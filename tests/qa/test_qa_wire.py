"""The peer's own messages: the mirrored OPEN (ASN, identifier, extended parameters, capability
66), the default route, the Cease NOTIFICATION; and what it reads from an OPEN or an UPDATE."""

import random

from qakit import wire

# ExaBGP 5.0.15's OPEN for etc/exabgp/qa-ipv4-static.conf: AS 65001, hold 180, id 10.0.0.1,
# capabilities multiprotocol ipv4/unicast, asn4 65001, extended message
DAEMON_OPEN = bytes.fromhex(
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003101'
    + '04FDE900B40A00000114'
    + '0206010400010001'
    + '020641040000FDE9'
    + '02020600'
)


def test_mirror_keeps_everything_but_the_identifier():
    reply = wire.reply_open(DAEMON_OPEN, None, False)
    assert len(reply) == len(DAEMON_OPEN)
    assert reply[:27] == DAEMON_OPEN[:27]
    assert reply[27] == DAEMON_OPEN[27] + 1
    assert reply[28:] == DAEMON_OPEN[28:]


def test_asn_in_the_header_and_in_the_asn4_capability():
    reply = wire.reply_open(DAEMON_OPEN, 65000, False)
    body = reply[19:]
    assert int.from_bytes(body[1:3], 'big') == 65000
    assert dict(wire.capabilities(body))[65] == (65000).to_bytes(4, 'big')
    assert body[5:9] == bytes([10, 0, 0, 2])
    large = wire.reply_open(DAEMON_OPEN, 4200000000, False)[19:]
    assert int.from_bytes(large[1:3], 'big') == wire.AS_TRANS
    assert dict(wire.capabilities(large))[65] == (4200000000).to_bytes(4, 'big')


def test_unknown_capability_is_added_and_lengths_follow():
    reply = wire.reply_open(DAEMON_OPEN, None, True)
    assert int.from_bytes(reply[16:18], 'big') == len(reply)
    assert wire.capabilities(reply[19:])[-1] == (66, b'loremipsum')
    assert reply[19 + 9] == len(reply) - 19 - 10


def test_extended_optional_parameters_stay_extended():
    # RFC 9072: length 255 and type 255 announce two-octet lengths
    params = b''.join(b'\x02' + (6).to_bytes(2, 'big') + b'\x01\x04\x00\x01\x00' + bytes([safi]) for safi in (1, 2))
    body = b'\x04\xfd\xe8\x00\xb4\x7f\x01\x01\x01\xff\xff' + len(params).to_bytes(2, 'big') + params
    message = wire.frame(wire.OPEN, body)
    assert wire.extended(body)
    assert [code for code, _ in wire.capabilities(body)] == [1, 1]
    reply = wire.reply_open(message, 65001, False)
    assert wire.extended(reply[19:])
    assert wire.capabilities(reply[19:]) == wire.capabilities(body)


def test_the_peer_messages():
    assert wire.keepalive() == b'\xff' * 16 + b'\x00\x13\x04'
    cease = wire.cease('bye')
    assert cease[18:21] == b'\x03\x06\x00' and cease[21:] == b'bye'
    route = wire.default_route()
    # 0.0.0.0/0 is a zero prefix length and no address octet
    assert int.from_bytes(route[16:18], 'big') == len(route) == 0x2D
    assert route.endswith(b'\x00')
    assert wire.family(route) == (1, 1)


def test_family_and_end_of_rib():
    assert wire.is_end_of_rib(bytes.fromhex('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001702' + '00000000'))
    ipv6_eor = bytes.fromhex('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E02' + '00000007900F0003000201')
    assert wire.is_end_of_rib(ipv6_eor)
    assert wire.family(ipv6_eor) == (2, 1)
    assert not wire.is_end_of_rib(wire.default_route())


def test_open_readers_never_raise():
    generator = random.Random(7)
    for _ in range(500):
        body = bytes(generator.randrange(256) for _ in range(generator.randrange(40)))
        message = wire.frame(wire.OPEN, body)
        wire.capabilities(body)
        wire.addpath(message)
        wire.hold_time(message)
        wire.reply_open(message, generator.choice([None, 1, 70000]), generator.random() < 0.5)
        wire.family(wire.frame(wire.UPDATE, body))
