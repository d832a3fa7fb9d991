"""ROUTE-REFRESH: both ways, RFC 7313 subtypes, 5.0's errors (confirmed with ExaBGP 5.0.15)."""

import pytest

from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import AFI, IPV4_UNICAST, IPV6_MULTICAST, SAFI, Family
from exabgp.bgp.message.refresh import BEGIN, END, QUERY, RouteRefresh
from exabgp.bgp.negotiated import DEFAULT

GOLDEN = [
    (RouteRefresh(IPV4_UNICAST), '00010001', 'query'),
    (RouteRefresh(IPV6_MULTICAST, BEGIN), '00020102', 'begin'),
    (RouteRefresh(Family(AFI.IPV4, SAFI.FLOW_IP), END), '00010285', 'end'),
    (RouteRefresh(Family(99, 99), QUERY), '00630063', 'query'),
]


@pytest.mark.parametrize(('value', 'body', 'name'), GOLDEN, ids=[body for _, body, _ in GOLDEN])
def test_golden_both_ways(value: RouteRefresh, body: str, name: str) -> None:
    assert value.pack(DEFAULT).hex() == 'ff' * 16 + '0017' + '05' + body
    assert RouteRefresh.unpack(bytes.fromhex(body), DEFAULT) == value
    assert value.subtype_name == name
    assert str(value) == 'REFRESH'


@pytest.mark.parametrize(
    ('body', 'subcode', 'data'),
    [
        ('000100', 1, b'invalid route-refresh message'),
        ('0001000100', 1, b'invalid route-refresh message'),
        ('', 1, b'invalid route-refresh message'),
        ('00010301', 2, b'invalid route-refresh message subtype'),
    ],
)
def test_errors(body: str, subcode: int, data: bytes) -> None:
    with pytest.raises(PeerError) as caught:
        RouteRefresh.unpack(bytes.fromhex(body), DEFAULT)
    # RFC 7313 5: the data is the whole ROUTE-REFRESH message; 5.0 sends a sentence
    whole = bytes.fromhex('ff' * 16) + (19 + len(body) // 2).to_bytes(2, 'big') + b'\x05' + bytes.fromhex(body)
    assert (caught.value.code, caught.value.subcode, caught.value.data) == (7, subcode, whole)
    assert caught.value.chosen(True) == (subcode, data)


def test_an_unknown_subtype_is_named_invalid() -> None:
    assert RouteRefresh(IPV4_UNICAST, 9).subtype_name == 'invalid'
