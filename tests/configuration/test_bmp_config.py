"""The `bmp NAME { ... }` block (ours): values, defaults, errors with their place, dump round trip."""

from ipaddress import IPv4Address, IPv6Address

import pytest

from exabgp.configuration.dump import dump
from exabgp.configuration.errors import ConfigErrors
from exabgp.configuration.model import BMP_PORT, BMPStation
from exabgp.configuration.parser import load_text


def test_stations_in_order_with_defaults():
    config = load_text(
        'bmp one { host 192.0.2.1; port 5000; statistics-timeout 60; adj-rib-out; }\nbmp two { host 2001:db8::1; }\n'
    )
    assert config.bmp == (
        BMPStation('one', IPv4Address('192.0.2.1'), 5000, 60, True),
        BMPStation('two', IPv6Address('2001:db8::1'), BMP_PORT, 0, False),
    )
    assert load_text(dump(config)) == config


@pytest.mark.parametrize(
    ('text', 'error'),
    [
        ('bmp x { port 1; }', "<text>:1:5: bmp 'x' is missing: host"),
        ('bmp x { host station.example; }', "'station.example' is an invalid BMP station address"),
        ('bmp x { host 192.0.2.1; port 0; }', 'expecting a number from 1 to 65535'),
        ('bmp x { host 192.0.2.1; statistics-timeout -1; }', 'expecting a number from 0 to 65535'),
        ('bmp x { hots 192.0.2.1; }', "invalid keyword 'hots' in bmp, did you mean host?"),
        ('bmp x { host 192.0.2.1; }\nbmp x { host 192.0.2.2; }', "<text>:2:5: a bmp section called 'x' already exists"),
        ('bmp { host 192.0.2.1; }', 'bmp name'),
    ],
)
def test_errors(text, error):
    with pytest.raises(ConfigErrors) as caught:
        load_text(text)
    assert error in str(caught.value)
