"""The JSON and text encoders on labeled unicast UPDATEs: each wire body decodes to routes whose
lines are those ExaBGP 5.0.15's API processes received for the same routes on an eBGP session
(AS 65002 to 65001, ADD-PATH for ipv4 nlri-mpls and ipv4 unicast), recorded with its json and text
encoders; ours wrote the same lines on the same session.

The withdrawals carry the path attributes of the withdraw command (5.0 sends them so), and the JSON
then has an "attribute" object; the text encoder writes withdrawn routes without attributes.
"""

import pytest

from exabgp.api.envelope import Peer
from exabgp.api.json_update import message_json
from exabgp.api.text_messages import encode
from exabgp.bgp.family import AFI, IPV4_UNICAST, SAFI, Family
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated

V4 = Family(AFI.IPV4, SAFI.NLRI_MPLS)
V6 = Family(AFI.IPV6, SAFI.NLRI_MPLS)
ADDPATH = frozenset((IPV4_UNICAST, V4))
SESSION = Negotiated(
    local_as=65001,
    peer_as=65002,
    asn4=True,
    families=(IPV4_UNICAST, V4, V6),
    addpath_send=ADDPATH,
    addpath_receive=ADDPATH,
)
PEER = Peer('127.0.0.1', '127.0.0.2', 65001, 65002, '10.0.0.1')

ORIGIN = '40010100'
AS_PATH = '4002060201' + '0000FDEA'  # ( 65002 )
MED5 = '80040400000005'
JSON_PATH = '"origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65002]}}'


def attribute(flags: str, code: str, value: str) -> str:
    return f'{flags}{code}{len(value) // 2:02X}{value}'


def body(*attributes: str) -> str:
    joined = ''.join(attributes)
    return f'0000{len(joined) // 2:04X}{joined}'


def reach(afi: int, nexthop: str, nlri: str) -> str:
    return attribute('80', '0E', f'{afi:04X}04{len(nexthop) // 2:02X}{nexthop}00{nlri}')


def unreach(afi: int, nlri: str) -> str:
    return attribute('80', '0F', f'{afi:04X}04{nlri}')


# name: (wire body, 5.0.15's JSON message, 5.0.15's text lines)
VECTORS = {
    'label': (
        body(ORIGIN, AS_PATH, reach(1, '01020304', '00000000' + '300006410A0000')),
        '{ "update": { "attribute": { ' + JSON_PATH + ' }, "announce": { "ipv4 nlri-mpls": { "1.2.3.4": '
        '[ { "nlri": "10.0.0.0/24", "path-information": "0.0.0.0", "label": [ [100] ] } ] } } } }',
        [
            'announced 10.0.0.0/24 path-information 0.0.0.0 label 100 next-hop 1.2.3.4 origin igp as-path ( 65002 )',
        ],
    ),
    'stack': (
        body(ORIGIN, AS_PATH, MED5, reach(1, '01020304', '00000005' + '48000640000C810A0001')),
        '{ "update": { "attribute": { ' + JSON_PATH + ', "med": 5 }, "announce": { "ipv4 nlri-mpls": { "1.2.3.4": '
        '[ { "nlri": "10.0.1.0/24", "path-information": "0.0.0.5", "label": [ [100], [200] ] } ] } } } }',
        [
            'announced 10.0.1.0/24 path-information 0.0.0.5 label [ 100 200 ] next-hop 1.2.3.4 origin igp'
            ' as-path ( 65002 ) med 5',
        ],
    ),
    'ipv6': (
        body(ORIGIN, AS_PATH, reach(2, '20010DB8000000000000000000000001', '480012D120010DB80001')),
        '{ "update": { "attribute": { ' + JSON_PATH + ' }, "announce": { "ipv6 nlri-mpls": { "2001:db8::1": '
        '[ { "nlri": "2001:db8:1::/48", "label": [ [301] ] } ] } } } }',
        ['announced 2001:db8:1::/48 label 301 next-hop 2001:db8::1 origin igp as-path ( 65002 )'],
    ),
    'withdraw': (
        body(ORIGIN, AS_PATH, unreach(1, '00000005' + '48000640000C810A0001')),
        '{ "update": { "attribute": { ' + JSON_PATH + ' }, "withdraw": { "ipv4 nlri-mpls": '
        '[ { "nlri": "10.0.1.0/24", "path-information": "0.0.0.5", "label": [ [100], [200] ] } ] } } }',
        ['withdrawn 10.0.1.0/24 path-information 0.0.0.5 label [ 100 200 ]'],
    ),
    'withdraw_ipv6': (
        body(ORIGIN, AS_PATH, unreach(2, '480012D120010DB80001')),
        '{ "update": { "attribute": { ' + JSON_PATH + ' }, "withdraw": { "ipv6 nlri-mpls": '
        '[ { "nlri": "2001:db8:1::/48", "label": [ [301] ] } ] } } }',
        ['withdrawn 2001:db8:1::/48 label 301'],
    ),
    'eor': (
        body(unreach(1, '')),
        '{ "eor": { "afi" : "ipv4", "safi" : "nlri-mpls" } }',
        ['route eor 1/4 (ipv4 nlri-mpls)'],
    ),
    'eor_ipv6': (
        body(unreach(2, '')),
        '{ "eor": { "afi" : "ipv6", "safi" : "nlri-mpls" } }',
        ['route eor 2/4 (ipv6 nlri-mpls)'],
    ),
}


def decoded(name: str) -> Update:
    return Update.unpack(bytes.fromhex(VECTORS[name][0]), SESSION)


@pytest.mark.parametrize('name', list(VECTORS))
def test_json(name: str) -> None:
    assert message_json(decoded(name)) == VECTORS[name][1]


@pytest.mark.parametrize('name', list(VECTORS))
def test_text(name: str) -> None:
    lines = ['start', *VECTORS[name][2], 'end']
    assert encode(PEER, 'receive', decoded(name)) == ''.join(
        f'neighbor 127.0.0.2 receive update {line}\n' for line in lines
    )
