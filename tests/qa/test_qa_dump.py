"""Failure reports decode both sides, and the dump never raises."""

import random

from qakit import dump, report, wire
from qakit.case import Step
from qakit.checker import Mismatch

# conf-ipv4 style UPDATE: ORIGIN IGP, empty AS_PATH, NEXT_HOP 10.0.0.254, MED 10, LOCAL_PREF 100,
# COMMUNITIES 65001:1 65001:2, NLRI 198.51.100.0/25 (checked against `exabgp decode` of 5.0.15)
UPDATE = bytes.fromhex(
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004302000000274001010040020040030A0000FE'.replace('40030A', '4003040A')
    + '8004040000000A40050400000064C00808FDE90001FDE9000219C6336400'
)


def builtin(message: bytes, context=None) -> list[str]:
    return dump.builtin(message, context)


def test_update_fields():
    text = '\n'.join(builtin(UPDATE))
    for expected in (
        'ORIGIN',
        'igp',
        'NEXT_HOP',
        '10.0.0.254',
        'MULTI_EXIT_DISC',
        ': 10',
        '65001:1 65001:2',
        'announce 198.51.100.0/25',
    ):
        assert expected in text, expected


def test_open_notification_refresh_and_end_of_rib():
    daemon_open = bytes.fromhex(
        'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003101'
        + '04FDE900B40A00000114'
        + '0206010400010001'
        + '020641040000FDE9'
        + '02020600'
    )
    opened = '\n'.join(builtin(wire.reply_open(daemon_open, None, True)))
    assert 'my AS 65001' in opened and 'BGP identifier 10.0.0.2' in opened
    assert 'multiprotocol: ipv4 unicast' in opened and 'asn4: 65001' in opened
    assert 'capability 66 unassigned: 6C6F72656D697073756D' in opened
    notification = '\n'.join(builtin(wire.cease('closing')))
    assert 'cease' in notification and "'closing'" in notification
    refresh = '\n'.join(builtin(wire.frame(wire.ROUTE_REFRESH, b'\x00\x01\x00\x01')))
    assert 'ipv4 unicast' in refresh
    assert 'End-of-RIB ipv6 unicast' in '\n'.join(
        builtin(bytes.fromhex('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000201'))
    )


def test_add_path_prefixes_carry_their_path_id():
    body = b'\x00\x00\x00\x00' + b'\x00\x00\x00\x07\x18\x0a\x00\x01'
    plain = '\n'.join(builtin(wire.frame(wire.UPDATE, body)))
    with_path = '\n'.join(builtin(wire.frame(wire.UPDATE, body), dump.Context(addpath=frozenset({(1, 1)}))))
    assert 'path-id 7 10.0.1.0/24' in with_path
    assert 'path-id' not in plain


def test_dump_never_raises():
    generator = random.Random(11)
    for _ in range(2000):
        kind = generator.choice([1, 2, 3, 4, 5, 7, 255])
        body = bytes(generator.randrange(256) for _ in range(generator.randrange(60)))
        message = wire.frame(kind, body)
        assert dump.describe(message)
        assert dump.describe(message[: generator.randrange(len(message) + 1)])


def test_a_mismatch_report_shows_both_sides_decoded():
    expected = Step('A', 1, 'raw', UPDATE.hex().upper(), 3)
    received = UPDATE[:-1] + b'\x80'  # 198.51.100.128/25 instead of .0/25
    lines = report.mismatch(Mismatch(received, 'A1', (expected,)), dump.Context())
    text = '\n'.join(lines)
    assert 'received:' in text and 'expected option 1 (line 3):' in text
    assert '198.51.100.128/25' in text and '198.51.100.0/25' in text
    assert f'first difference at octet {len(UPDATE) - 1}' in text
    diff = text.split('closest expectation')[1].splitlines()
    removed = [line for line in diff if line.startswith('    -') and not line.startswith('    ---')]
    added = [line for line in diff if line.startswith('    +') and not line.startswith('    +++')]
    assert any('198.51.100.0/25' in line for line in removed)
    assert any('198.51.100.128/25' in line for line in added)


def test_describe_reads_through_the_codec_when_it_can():
    # the project codec decodes this UPDATE: its text forms show, not the built-in attribute names
    text = '\n'.join(dump.describe(UPDATE))
    assert 'decoded by the exabgp codec' in text
    assert 'med 10' in text and '198.51.100.0/25' in text
