"""The healthcheck's options: 5.0's names and defaults, --config files under the command line, and
a clear error naming what is wrong."""

import argparse
import ipaddress
from pathlib import Path

import pytest

from exabgp.application.healthcheck.options import OptionError, read_configuration, resolve
from exabgp.application.main import build_parser


def parse(*argv: str) -> argparse.Namespace:
    return resolve(vars(build_parser('healthcheck').parse_args(['healthcheck', *argv])))


def test_the_defaults_are_5_0s() -> None:
    options = parse()
    assert (options.interval, options.fast, options.timeout, options.rise, options.fall) == (5, 1, 5, 3, 3)
    assert (options.up_metric, options.down_metric, options.disabled_metric, options.increase) == (100, 1000, 500, 1)
    assert options.local_preference == -1
    assert options.ip_setup is True
    assert options.syslog_facility == 'daemon'
    assert options.ips is None
    assert options.ip_ifnames == {}


def test_short_forms_and_aliases() -> None:
    options = parse('-s', '-d', '-a', '-n', 'web', '-i', '2.5', '-f', '0.5', '-t', '3', '-c', 'true', '-N', '192.0.2.9')
    assert (options.silent, options.debug, options.no_ack, options.name) == (True, True, True, 'web')
    assert (options.interval, options.fast, options.timeout, options.check) == (2.5, 0.5, 3, 'true')
    assert options.next_hop == ipaddress.ip_address('192.0.2.9')
    assert parse('--cmd', 'x').check == parse('--command', 'x').check == 'x'
    assert parse('-sF').syslog_facility == 'daemon'
    assert parse('-sF', 'local3').syslog_facility == 'local3'


def test_repeated_options_add_up() -> None:
    options = parse('--ip', '10.0.0.1/32', '--ip', '2001:db8::/64', '--neighbor', '127.0.0.1', '--neighbor', ' * ')
    assert options.ips == [ipaddress.ip_network('10.0.0.1/32'), ipaddress.ip_network('2001:db8::/64')]
    assert options.neighbors == ['127.0.0.1', '*']


@pytest.mark.parametrize(
    ('argv', 'named'),
    [
        (['--ip', '10.0.0.1/24'], 'argument --ip: '),  # host bits set
        (['--neighbor', 'router'], 'argument --neighbor: '),
        (['--community', 'a\nb'], 'argument --community: '),
        (['--rise', 'two'], 'argument --rise: '),
        (['--silent', '--no-syslog'], 'argument --no-syslog: '),
        (['--unknown'], 'unrecognized arguments: --unknown'),
    ],
)
def test_a_bad_command_line_is_argparse_s_error(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse(*argv)
    assert f'error: {named}' in capsys.readouterr().err


def test_the_configuration_file_is_read_first_and_the_command_line_wins(tmp_path: Path) -> None:
    config = tmp_path / 'healthcheck.conf'
    config.write_text(
        '# a comment\n\n  debug\nname = web\nrise=1\nip = 10.0.0.1/32\ncommand = test -e /tmp/a=b\nneighbor = *\n'
    )
    options = parse('--config', str(config), '--rise', '4', '--ip', '10.0.0.2/32')
    assert (options.debug, options.name, options.rise) == (True, 'web', 4)
    assert options.check == 'test -e /tmp/a=b'
    assert [str(ip) for ip in options.ips] == ['10.0.0.1/32', '10.0.0.2/32']
    assert options.neighbors == ['*']


@pytest.mark.parametrize(
    ('text', 'named'),
    [
        ('rise = 2\nrize = 3\n', "line 2 ('rize = 3')"),
        ('debug = yes\n', "line 1 ('debug = yes')"),
        ('ip = 10.0.0.1/8\n', "line 1 ('ip = 10.0.0.1/8')"),
        ('interval\n', "line 1 ('interval')"),
    ],
)
def test_a_bad_configuration_line_is_named(text: str, named: str) -> None:
    with pytest.raises(OptionError, match='^conf ' + named.replace('(', r'\(').replace(')', r'\)')):
        read_configuration('conf', text)


def test_exclusive_logging_options_are_checked_across_file_and_command_line(tmp_path: Path) -> None:
    config = tmp_path / 'c'
    config.write_text('silent\n')
    with pytest.raises(OptionError, match='--silent and --no-syslog'):
        parse('--config', str(config), '--no-syslog')
    config.write_text('no-syslog\n')
    assert parse('--config', str(config), '--no-syslog').no_syslog is True


def test_an_unreadable_configuration_file_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        parse('--config', str(tmp_path / 'missing'))
    assert 'can not read' in capsys.readouterr().err


def test_ip_ifname_binds_a_configured_address_to_an_interface() -> None:
    options = parse('--ip', '192.0.2.1/32', '--ip-ifname', '192.0.2.1/32%eth0.100')
    assert options.ip_ifnames == {ipaddress.ip_network('192.0.2.1/32'): 'eth0.100'}


@pytest.mark.parametrize(
    ('argv', 'message'),
    [
        (['--ip-ifname', '192.0.2.1%eth0'], 'not one of the --ip'),
        (['--ip', '192.0.2.1/32', '--ip-ifname', '192.0.2.2%eth0'], 'not one of the --ip'),
        (['--ip', '192.0.2.1/32', '--ip-ifname', '192.0.2.1'], 'expected IP%IFNAME'),
        (['--ip', '192.0.2.1/32', '--ip-ifname', '192.0.2.1%eth0%x'], 'expected IP%IFNAME'),
        (['--ip', '192.0.2.1/32', '--ip-ifname', 'web%eth0'], "'web%eth0'"),
        (['--ip', '192.0.2.1/32', '--ip-ifname', '192.0.2.1%a-name-much-too-long'], 'not an interface name'),
        (['--ip', '192.0.2.1/32', '--ip-ifname', '192.0.2.1%eth 0'], 'not an interface name'),
    ],
)
def test_bad_ip_ifname_values_are_named(argv: list[str], message: str) -> None:
    with pytest.raises(OptionError, match=r'^--ip-ifname ') as error:
        parse(*argv)
    assert message in str(error.value)
