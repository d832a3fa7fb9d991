"""The tunnel encapsulation attribute (23, RFC 9012) carrying an SR Policy (RFC 9830/9831).

Every segment type once: the configuration's words, the sub-TLV written out by hand from the RFCs'
layouts, upstream main's JSON for it, and the words the value prints back. Then the parser's rules:
an SR policy is decoded, any other tunnel kept raw as 5.0.15 does, a malformed SR policy costs
treat-as-withdraw; and no cut or corruption raises anything but `Malformed`.
"""

import json
import random

import pytest
from attribute_vectors import ASN4

from exabgp.bgp.attribute import tunnel
from exabgp.bgp.attribute.attributes import parse_attributes
from exabgp.bgp.attribute.base import Action, Code
from exabgp.bgp.attribute.tunnel import TunnelEncap
from exabgp.bgp.attribute.unknown import Unknown
from exabgp.bgp.errors import Malformed
from exabgp.bgp.family import AFI
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.route import srpolicy
from exabgp.configuration.tokenizer import tokenize

V6_1 = 'fc000000000000000000000000000001'
V6_2 = 'fc000000000000000000000000000002'
SID = 'fc000000000000000000000000000100'
BEHAVIOUR = '0041000020001000'  # End (65) with a 32/0/16/0 structure
BEHAVIOUR_JSON = (
    '"endpoint-behavior": {"behavior": 65, "lb-length": 32, "ln-length": 0, "fun-length": 16, "arg-length": 0}'
)

# (segment words, the segment sub-TLV: type, length, flags, reserved or algorithm, fields, SID, JSON)
SEGMENTS = [
    ('type-a mpls 16001', '01' '06' '00' '00' '03e81100', '{"type": "A", "label": 16001, "tc": 0, "s": true, "ttl": 0}'),
    (
        'type-b srv6 fc00::1 endpoint-behavior 65 32 0 16 0',
        '0d' '1a' '10' '00' + V6_1 + BEHAVIOUR,
        '{"type": "B", "sid": "fc00::1", ' + BEHAVIOUR_JSON + '}',
    ),
    ('type-b srv6 fc00::1', '0d' '12' '00' '00' + V6_1, '{"type": "B", "sid": "fc00::1"}'),
    (
        'type-c ipv4 10.0.0.1 algorithm 128 sid 16001',
        '03' '0a' '40' '80' '0a000001' '03e81100',
        '{"type": "C", "ipv4_node": "10.0.0.1", "algorithm": 128, "sid": 16001, "tc": 0, "s": true, "ttl": 0}',
    ),
    ('type-c ipv4 10.0.0.1 algorithm 0', '03' '06' '00' '00' '0a000001', '{"type": "C", "ipv4_node": "10.0.0.1", "algorithm": 0}'),
    (
        'type-d ipv6 fc00::1 algorithm 0 sid 16002',
        '04' '16' '00' '00' + V6_1 + '03e82000',
        '{"type": "D", "ipv6_node": "fc00::1", "algorithm": 0, "sid": 16002}',
    ),
    (
        'type-e local-if-id 7 ipv4 10.0.0.2 sid 16003',
        '05' '0e' '00' '00' '00000007' '0a000002' '03e83000',
        '{"type": "E", "local_if_id": 7, "ipv4_node": "10.0.0.2", "sid": 16003}',
    ),
    (
        'type-f local 192.168.1.1 remote 192.168.1.2',
        '06' '0a' '00' '00' 'c0a80101' 'c0a80102',
        '{"type": "F", "local_ipv4": "192.168.1.1", "remote_ipv4": "192.168.1.2"}',
    ),
    (
        'type-g local-if-id 1 local-ipv6 fc00::1 remote-if-id 2 remote-ipv6 fc00::2 sid 16005',
        '07' '2e' '00' '00' '00000001' + V6_1 + '00000002' + V6_2 + '03e85000',
        '{"type": "G", "local_if_id": 1, "local_ipv6": "fc00::1", "remote_if_id": 2, "remote_ipv6": "fc00::2", '
        '"sid": 16005}',
    ),
    (
        'type-h local fc00::1 remote fc00::2',
        '08' '22' '00' '00' + V6_1 + V6_2,
        '{"type": "H", "local_ipv6": "fc00::1", "remote_ipv6": "fc00::2"}',
    ),
    (
        'type-i ipv6 fc00::1 algorithm 0 sid fc00::100 endpoint-behavior 65 32 0 16 0',
        '0e' '2a' '10' '00' + V6_1 + SID + BEHAVIOUR,
        '{"type": "I", "ipv6_node": "fc00::1", "algorithm": 0, "sid": "fc00::100", ' + BEHAVIOUR_JSON + '}',
    ),
    (
        'type-j local-if-id 3 local-ipv6 fc00::1 remote-if-id 4 remote-ipv6 fc00::2 algorithm 1 sid fc00::100',
        '0f' '3a' '40' '01' '00000003' + V6_1 + '00000004' + V6_2 + SID,
        '{"type": "J", "local_if_id": 3, "local_ipv6": "fc00::1", "remote_if_id": 4, "remote_ipv6": "fc00::2", '
        '"algorithm": 1, "sid": "fc00::100"}',
    ),
    (
        'type-k local fc00::1 remote fc00::2 algorithm 0',
        '10' '22' '00' '00' + V6_1 + V6_2,
        '{"type": "K", "local_ipv6": "fc00::1", "remote_ipv6": "fc00::2", "algorithm": 0}',
    ),
    (
        'type-a mpls 16001 verification',
        '01' '06' '80' '00' '03e81100',
        '{"type": "A", "label": 16001, "tc": 0, "s": true, "ttl": 0}',
    ),
]  # fmt: skip

HEAD = 'sr-policy distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 192.0.2.1 '


def _policy(words: str) -> TunnelEncap:
    (route,), _, _ = srpolicy.statement(Cursor(tokenize(HEAD + words)), AFI.IPV4)
    (attribute,) = route.attributes
    assert isinstance(attribute, TunnelEncap)
    return attribute


def _sr(sub_tlvs: str) -> bytes:
    body = bytes.fromhex(sub_tlvs)
    return bytes.fromhex('000f') + len(body).to_bytes(2, 'big') + body


@pytest.mark.parametrize(('words', 'wire', 'as_json'), SEGMENTS)
def test_segment(words: str, wire: str, as_json: str) -> None:
    weight = '0906000000000005'
    listed = '00' + weight + wire
    value = _sr('80' + f'{len(listed) // 2:04x}' + listed)
    attribute = _policy(f'segment-list weight 5 segment {words}')
    assert attribute.value.hex() == value.hex()
    decoded = TunnelEncap.unpack(value, ASN4)
    assert decoded == attribute
    assert decoded.json() == f'{{"sr-policy": {{"segment-lists": [{{"weight": 5, "segments": [{as_json}]}}]}}}}'
    json.loads(decoded.json())
    assert str(decoded) == f'segment-list weight 5 segment {words}'


def test_bottom_of_stack_only_on_the_last_mpls_segment() -> None:
    attribute = _policy(
        'segment-list weight 1 segment type-a mpls 16001 segment type-c ipv4 10.0.0.1 algorithm 0 sid 16002 '
        'segment type-f local 10.0.0.1 remote 10.0.0.2 sid 16003'
    )
    entries = attribute.value.hex()
    # type A: S clear; type C with a SID, the last of those two kinds: S set; type F: never (upstream)
    assert '0106000003e81000' in entries and '0a00000103e82100' in entries and '0a00000203e83000' in entries


def test_every_sub_tlv() -> None:
    attribute = _policy(
        'preference 200 priority 10 enlp push-ipv4-ipv6 binding-sid null srv6-binding-sid fc00::1 '
        'policy-name "my policy" candidate-path-name primary segment-list weight 2 segment type-a mpls 16'
    )
    assert attribute.value == _sr(
        '0c06' '0000' '000000c8'  # preference (12)
        '0f02' '0a00'  # priority (15): priority then reserved
        '0e03' '0000' '03'  # ENLP (14)
        '0d02' '0000'  # binding SID (13) without a SID
        '1412' '0000' + V6_1  # SRv6 binding SID (20)
        + '82000a' '00' + b'my policy'.hex()  # policy name (130)
        + '810008' '00' + b'primary'.hex()  # candidate path name (129)
        + '800011' '00' '0906000000000002' '0106000000010100'  # segment list (128)
    )  # fmt: skip
    assert json.loads(attribute.json()) == {
        'sr-policy': {
            'preference': 200,
            'priority': 10,
            'enlp': 3,
            'binding-sid': None,
            'srv6-binding-sid': 'fc00::1',
            'policy-name': 'my policy',
            'candidate-path-name': 'primary',
            'segment-lists': [{'weight': 2, 'segments': [{'type': 'A', 'label': 16, 'tc': 0, 's': True, 'ttl': 0}]}],
        }
    }
    assert str(attribute) == (
        'preference 200 priority 10 enlp push-ipv4-ipv6 binding-sid null srv6-binding-sid fc00::1 '
        'policy-name "my policy" candidate-path-name "primary" segment-list weight 2 segment type-a mpls 16'
    )
    assert attribute.text() == f'tunnel-encap [ {attribute} ]'


def test_what_only_a_peer_sends() -> None:
    value = (
        _sr(
            '141a'
            '2000'
            + V6_1
            + BEHAVIOUR  # SRv6 binding SID (20) with its B flag and behaviour
            + '0d12'
            '0000'
            + V6_2  # binding SID (13) holding an SRv6 SID
            + '6303'
            'abcdef'  # an unknown sub-TLV
             + '80000d'
            '00'
            '0106000003e81100'
            '1f02'
            '0102'  # a list without weight, a segment type 31
        )
        + bytes.fromhex('00080004deadbeef')
    )  # a VXLAN tunnel (8) next to it
    attribute = TunnelEncap.unpack(value, ASN4)
    assert attribute.pack_value(ASN4) == value
    assert attribute.json() == (
        '{"sr-policy": {"srv6-binding-sid": {"sid": "fc00::1", "behavior": 65, "lb-length": 32, "ln-length": 0, '
        '"fun-length": 16, "arg-length": 0}, "binding-sid": {"type": "srv6", "sid": "fc00::2"}, '
        '"unknown-subtlv-99": "0xABCDEF", "segment-lists": [{"weight": 1, "segments": [{"type": "A", '
        '"label": 16001, "tc": 0, "s": true, "ttl": 0}, {"type": 31, "value": "0x0102"}]}]}, '
        '"tunnel-type-8": "0xDEADBEEF"}'
    )
    json.loads(attribute.json())
    str(attribute)


# ---------------------------------------------------------------- the parser


def _field(value: bytes, flags: int = 0xC0) -> bytes:
    return bytes((flags, Code.TUNNEL_ENCAP, len(value))) + value


def test_another_tunnel_type_stays_raw() -> None:
    vxlan = bytes.fromhex('0008000c0c060000000000640000')
    parsed = parse_attributes(_field(vxlan), ASN4)
    assert parsed.action == Action.NONE
    (attribute,) = parsed.attributes
    # as 5.0.15 keeps every tunnel encapsulation: unknown, passed on marked Partial
    assert attribute == Unknown(Code.TUNNEL_ENCAP, 0xE0, vxlan)


def test_an_sr_policy_is_decoded() -> None:
    value = _policy('preference 100').value
    parsed = parse_attributes(_field(value), ASN4)
    assert parsed.action == Action.NONE
    assert list(parsed.attributes) == [TunnelEncap(value)]


@pytest.mark.parametrize(
    'sub_tlvs',
    [
        '0c050000000064',  # a preference of 5 octets
        '0d03000000',  # a binding SID of 3
        '800001',  # a segment list header cut short
        '80000500010300',  # a type A segment of 3 octets
        '800004000906',  # a weight overrunning its list
        '820000',  # a policy name without its reserved octet
        '0c080000',  # a sub-TLV overrunning the tunnel
    ],
)
def test_a_malformed_sr_policy_is_treat_as_withdraw(sub_tlvs: str) -> None:
    parsed = parse_attributes(_field(_sr(sub_tlvs)), ASN4)
    assert parsed.action == Action.TREAT_AS_WITHDRAW
    assert 'TUNNEL_ENCAPSULATION' in parsed.reason


def test_cuts_and_corruptions_are_malformed_or_values() -> None:
    value = _policy(
        'preference 1 binding-sid mpls 24000 policy-name x segment-list weight 1 '
        + ' '.join(f'segment {words}' for words, _, _ in SEGMENTS)
    ).value
    chance = random.Random(9830)
    for attempt in range(3000):
        data = bytearray(value[: chance.randrange(len(value) + 1)] if attempt % 2 else value)
        for _ in range(chance.randrange(4)):
            if data:
                data[chance.randrange(len(data))] = chance.randrange(256)
        if not tunnel.carries_sr_policy(bytes(data)):
            continue
        try:
            attribute = TunnelEncap.unpack(bytes(data), ASN4)
        except Malformed:
            continue
        json.loads(attribute.json())
        str(attribute)
