"""upstream 6.0's configuration additions: `local-link-local`, `capability { link-local-nexthop;
link-local-prefer; }` and `tcp-ao { }`. A configuration without them loads as 5.0's did (the
model's defaults), and dumps without them."""

from ipaddress import IPv6Address

import pytest

from exabgp.configuration.capabilities import capabilities
from exabgp.configuration.dump import dump
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.model import TcpAo
from exabgp.configuration.parser import load_text

HEAD = 'router-id 1.2.3.4; local-address ::1; local-as 1; peer-as 1; family { ipv6 unicast; }'


def neighbor_of(body: str):  # type: ignore[no-untyped-def]
    (neighbor,) = load_text(f'neighbor ::1 {{ {HEAD} {body} }}').neighbors
    return neighbor


def test_link_local_next_hop_keywords() -> None:
    neighbor = neighbor_of('local-link-local fe80::1; capability { link-local-nexthop enable; link-local-prefer; }')
    assert neighbor.local_link_local == IPv6Address('fe80::1')
    assert neighbor.capability.link_local_nexthop and neighbor.capability.link_local_prefer
    # capability 77, empty, after 5.0's
    assert capabilities(neighbor, '5.0.15')[-1].pack() == b'\x4d\x00'
    assert load_text(dump(load_text(f'neighbor ::1 {{ {HEAD} }}'))) == load_text(f'neighbor ::1 {{ {HEAD} }}')
    config = load_text(f'neighbor ::1 {{ {HEAD} local-link-local fe80::1; capability {{ link-local-nexthop; }} }}')
    assert load_text(dump(config)) == config


def test_without_them_nothing_changes() -> None:
    neighbor = neighbor_of('')
    assert (neighbor.local_link_local, neighbor.tcp_ao) == (None, None)
    assert not neighbor.capability.link_local_nexthop
    assert 77 not in [capability.code for capability in capabilities(neighbor, '5.0.15')]
    text = dump(load_text(f'neighbor ::1 {{ {HEAD} }}'))
    assert 'link-local' not in text and 'tcp-ao' not in text


def test_tcp_ao_section() -> None:
    neighbor = neighbor_of('tcp-ao { keyid 7; algorithm hmac-sha-256; password "a secret"; }')
    assert neighbor.tcp_ao == TcpAo(7, 'hmac-sha-256', b'a secret')
    neighbor = neighbor_of('tcp-ao { keyid 1; algorithm aes-128-cmac-96; password c2VjcmV0; base64 true; }')
    assert neighbor.tcp_ao == TcpAo(1, 'aes-128-cmac-96', b'secret')
    config = load_text(f'neighbor ::1 {{ {HEAD} tcp-ao {{ keyid 2; algorithm hmac-sha-1-96; password x; }} }}')
    assert load_text(dump(config)) == config


@pytest.mark.parametrize(
    ('body', 'message'),
    [
        ('tcp-ao { algorithm hmac-sha-256; password x; }', 'incomplete tcp-ao, missing keyid'),
        ('tcp-ao { keyid 1; password x; }', 'incomplete tcp-ao, missing algorithm'),
        ('tcp-ao { keyid 1; algorithm hmac-sha-256; }', 'incomplete tcp-ao, missing password'),
        (
            'tcp-ao { keyid 1; algorithm hmac-sha-256; password "!"; base64; }',
            'invalid tcp-ao password: not valid base64',
        ),
        (
            'tcp-ao { keyid 1; algorithm hmac-sha-256; password ' + 'k' * 81 + '; }',
            'the tcp-ao key must be no larger than 80 octets',
        ),
        (
            'md5-password x; tcp-ao { keyid 1; algorithm hmac-sha-256; password x; }',
            'md5-password and tcp-ao can not be used together (RFC 5925 7.6)',
        ),
    ],
)
def test_tcp_ao_mistakes(body: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        neighbor_of(body)
    assert raised.value.message == message


def test_paths_limit() -> None:
    body = 'family { ipv4 unicast; ipv6 unicast; } capability { add-path send/receive; }'
    body += ' add-path { ipv4 unicast limit 10; ipv6 unicast; }'
    config = load_text(
        f'neighbor 127.0.0.1 {{ router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 1; {body} }}'
    )
    (neighbor,) = config.neighbors
    assert [(str(family), limit) for family, limit in neighbor.paths_limit] == [('ipv4 unicast', 10)]
    codes = [capability.code for capability in capabilities(neighbor, '5.0.15')]
    # PATHS-LIMIT right after ADD-PATH: AFI 1, SAFI 1, 10 paths
    paths_limit = capabilities(neighbor, '5.0.15')[codes.index(69) + 1]
    assert paths_limit.pack() == bytes.fromhex('4c05' + '0001' + '01' + '000a')
    assert load_text(dump(config)) == config
    with pytest.raises(ConfigError, match="'0' is an invalid paths-limit"):
        neighbor_of('capability { add-path send; } add-path { ipv6 unicast limit 0; }')
