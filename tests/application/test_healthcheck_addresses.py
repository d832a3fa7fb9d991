"""The service addresses: read from `ip -o address show` and ifconfig output, the ip commands built.
(Adding and removing them for real is in test_healthcheck_netns.py, in a namespace of its own.)"""

import ipaddress

import pytest

from exabgp.application.healthcheck.addresses import command, every_address, interface, parse

# `ip -o address show dev lo` then `dev eth0` (what `present` parses, in one text) on a Linux machine with service addresses
IP_OUTPUT = r"""1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
1: lo    inet 192.0.2.1/32 scope global lo:web1\       valid_lft forever preferred_lft forever
1: lo    inet 192.0.2.2/32 scope global lo:webmail\       valid_lft forever preferred_lft forever
1: lo    inet 192.0.2.3/32 scope global lo\       valid_lft forever preferred_lft forever
1: lo    inet 192.0.2.64/24 scope global lo\       valid_lft forever preferred_lft forever
1: lo    inet6 2001:db8::1/128 scope global \       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \       valid_lft forever preferred_lft forever
2: eth0    inet 198.51.100.7/32 scope global eth0:web\       valid_lft forever preferred_lft forever
"""

IFCONFIG_OUTPUT = """lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu 16384
\tinet 127.0.0.1 netmask 0xff000000
\tinet 192.0.2.1 netmask 0xffffffff
\tinet6 ::1 prefixlen 128
\tinet6 fe80::1%lo0 prefixlen 64 scopeid 0x1
\tinet6 2001:db8::5 prefixlen 128
"""


def texts(found: list) -> list[str]:
    return [str(ip) for ip in found]


def test_without_a_label_every_service_address_counts_but_loopback_and_host_bits() -> None:
    found = parse(IP_OUTPUT, ['lo', 'eth0'], None, False, False, linux=True)
    assert texts(found) == ['192.0.2.1/32', '192.0.2.2/32', '192.0.2.3/32', '2001:db8::1/128', '198.51.100.7/32']


def test_a_label_is_a_prefix_unless_exact() -> None:
    assert texts(parse(IP_OUTPUT, ['lo'], 'web', False, False, linux=True)) == ['192.0.2.1/32', '192.0.2.2/32']
    assert texts(parse(IP_OUTPUT, ['lo'], 'web1', True, True, linux=True)) == ['192.0.2.1/32']
    assert texts(parse(IP_OUTPUT, ['lo', 'eth0'], 'web', True, True, linux=True)) == ['198.51.100.7/32']


def test_label_only_without_a_label_finds_nothing_for_an_empty_label() -> None:
    assert parse(IP_OUTPUT, ['lo'], '', True, False, linux=True) == []
    assert len(parse(IP_OUTPUT, ['lo', 'eth0'], None, True, False, linux=True)) == 5


def test_ifconfig_output_with_netmask_and_prefixlen() -> None:
    assert texts(parse(IFCONFIG_OUTPUT, ['lo0'], None, False, False, linux=False)) == [
        '192.0.2.1/32',
        '2001:db8::5/128',
    ]  # fe80::1/64 has host bits under its mask
    assert parse(IFCONFIG_OUTPUT, ['lo0'], 'web', False, False, linux=False) == []


def test_every_address_of_the_networks_as_host_routes() -> None:
    networks = [ipaddress.ip_network('10.0.0.0/31'), ipaddress.ip_network('2001:db8::1/128')]
    assert sorted(map(str, every_address(networks))) == ['10.0.0.0/32', '10.0.0.1/32', '2001:db8::1/128']


def test_the_ip_commands() -> None:
    ip = ipaddress.ip_network('192.0.2.1/32')
    assert command('add', ip, 'lo', None, False) == ['ip', 'address', 'add', '192.0.2.1/32', 'dev', 'lo']
    assert command('delete', ip, 'eth0', 'web', True) == [
        'sudo',
        'ip',
        'address',
        'delete',
        '192.0.2.1/32',
        'dev',
        'eth0',
        'label',
        'eth0:web',
    ]


@pytest.mark.parametrize(('bound', 'expected'), [({}, 'lo'), ({ipaddress.ip_network('192.0.2.1/32'): 'eth1'}, 'eth1')])
def test_an_address_lives_on_the_loopback_unless_bound(bound: dict, expected: str) -> None:
    assert interface(ipaddress.ip_network('192.0.2.1/32'), bound) == expected
