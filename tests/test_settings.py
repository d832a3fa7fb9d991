"""Settings: 5.0's names, defaults, parsing, precedence, aliases and errors."""

import pathlib

import pytest

from exabgp import settings as S
from exabgp.settings import SettingError

# Every option ExaBGP 5.0 has, with its default as the parsed value.
DEFAULTS = {
    'profile.enable': False,
    'profile.file': '',
    'pdb.enable': False,
    'daemon.pid': '',
    'daemon.user': 'nobody',
    'daemon.daemonize': False,
    'daemon.drop': True,
    'daemon.umask': 0o137,
    'log.enable': True,
    'log.level': 'INFO',
    'log.destination': 'stdout',
    'log.all': False,
    'log.configuration': True,
    'log.reactor': True,
    'log.daemon': True,
    'log.processes': True,
    'log.network': True,
    'log.statistics': True,
    'log.packets': False,
    'log.rib': False,
    'log.message': False,
    'log.timers': False,
    'log.routes': False,
    'log.parser': False,
    'log.short': True,
    'tcp.once': False,
    'tcp.attempts': 0,
    'tcp.delay': 0,
    'tcp.bind': (),
    'tcp.port': 179,
    'tcp.acl': False,
    'bgp.passive': False,
    'bgp.openwait': 240,
    'bgp.sendhold': 0,
    'bgp.staletime': 360,
    'cache.attributes': True,
    'cache.nexthops': True,
    'api.ack': True,
    'api.chunk': 1,
    'api.show-routes-format': 'v1',
    'api.encoder': 'json',
    'api.compact': False,
    'api.respawn': True,
    'api.terminate': False,
    'api.cli': True,
    'api.pipename': 'exabgp',
    'api.version': 5,
    'reactor.speed': 1.0,
    'debug.pdb': False,
    'debug.memory': False,
    'debug.configuration': False,
    'debug.selfcheck': False,
    'debug.route': '',
    'debug.defensive': False,
    'debug.rotate': False,
    'loop.uvloop': False,
    'process.queue': 33554432,
    'process.withdraw-on-down': False,
    'cli.socket': '',
    'log.format': 'text',
    'metrics.address': '127.0.0.1',
    'metrics.port': 0,
    'notification.text': False,
    'configuration.strict': False,
    'mrt.dump': '',
    'mrt.rotate': 0,
}


def load(environ=None, ini: str | None = None, tmp: pathlib.Path | None = None) -> S.Settings:
    path = ''
    if ini is not None:
        assert tmp is not None
        path = str(tmp / 'exabgp.env')
        pathlib.Path(path).write_text(ini)
    return S.load(environ or {}, path)


def test_there_are_52_options_as_in_5_0_plus_ours() -> None:
    assert (
        sum(
            1
            for section, options in S.SPEC.items()
            if section not in S.OUR_SECTIONS
            for option in options
            if (section, option) not in S.OUR_OPTIONS
        )
        == 52
    )
    assert {f'{section}.{option}' for section, options in S.SPEC.items() for option in options} == set(DEFAULTS)


@pytest.mark.parametrize(('name', 'expected'), DEFAULTS.items())
def test_default(name: str, expected: object) -> None:
    assert load().value(name) == expected


def test_api_version_selects_upstream_6_0_behaviour() -> None:
    assert not load().six
    assert load({'exabgp_api_version': '6'}).six
    assert load({'exabgp.api.version': '4'}).six
    assert not load({'exabgp_api_version': '5'}).six


def test_precedence_dotted_env_then_underscore_env_then_ini_then_default(tmp_path: pathlib.Path) -> None:
    ini = '[exabgp.tcp]\nport = 1003\n[exabgp.bgp]\nopenwait = 7\n'
    both = {'exabgp.tcp.port': '1001', 'exabgp_tcp_port': '1002'}
    assert load(both, ini, tmp_path).tcp.port == 1001
    assert load({'exabgp_tcp_port': '1002'}, ini, tmp_path).tcp.port == 1002
    assert load({}, ini, tmp_path).tcp.port == 1003
    assert load({}, ini, tmp_path).bgp.openwait == 7
    assert load({}, '', tmp_path).tcp.port == 179


def test_ini_values_are_unquoted_and_a_bare_option_keeps_the_default(tmp_path: pathlib.Path) -> None:
    ini = '[exabgp.api]\npipename = \'pipe\'\n[exabgp.log]\ndestination = "file:/tmp/log"\nlevel\n'
    settings = load({}, ini, tmp_path)
    assert settings.api.pipename == 'pipe'
    assert settings.log.destination == 'file:/tmp/log'
    assert settings.log.level == 'INFO'


def test_missing_env_file_means_defaults(tmp_path: pathlib.Path) -> None:
    assert S.load({}, str(tmp_path / 'absent.env')).tcp.port == 179


@pytest.mark.parametrize('text', ['1', 'yes', 'on', 'enable', 'true', 'TRUE', 'Yes'])
def test_boolean_true_spellings(text: str) -> None:
    assert load({'exabgp_api_terminate': text}).api.terminate is True


@pytest.mark.parametrize('text', ['0', 'no', 'off', 'disable', 'false', ''])
def test_boolean_false_spellings(text: str) -> None:
    assert load({'exabgp_api_ack': text}).api.ack is False


def test_value_parsing() -> None:
    settings = load(
        {
            'exabgp_daemon_umask': '022',
            'exabgp_log_level': 'debug',
            'exabgp_tcp_bind': '127.0.0.1  ::1',
            'exabgp_reactor_speed': '0.5',
            'exabgp_api_encoder': 'TEXT',
            'exabgp_api_show-routes-format': 'V2',
        }
    )
    assert settings.daemon.umask == 0o22
    assert settings.log.level == 'DEBUG'
    assert settings.tcp.bind == ('127.0.0.1', '::1')
    assert settings.reactor.speed == 0.5
    assert settings.api.encoder == 'text'
    assert settings.api.show_routes_format == 'v2'


@pytest.mark.parametrize(
    ('variable', 'value', 'name', 'allowed'),
    [
        ('exabgp_api_ack', 'maybe', 'exabgp.api.ack', 'one of 1 yes on enable true'),
        ('exabgp_tcp_port', 'http', 'exabgp.tcp.port', 'an integer'),
        ('exabgp_reactor_speed', 'fast', 'exabgp.reactor.speed', 'a number'),
        ('exabgp_daemon_umask', '0999', 'exabgp.daemon.umask', 'an octal mask'),
        ('exabgp_daemon_user', 'no-such-user-here', 'exabgp.daemon.user', 'a user name'),
        ('exabgp_log_level', 'LOUD', 'exabgp.log.level', 'one of FATAL CRITICAL'),
        ('exabgp_tcp_bind', '127.0.0.1 300.1.1.1', 'exabgp.tcp.bind', 'space separated IP addresses'),
        ('exabgp_api_encoder', 'xml', 'exabgp.api.encoder', 'text or json'),
        ('exabgp_api_show-routes-format', 'v3', 'exabgp.api.show-routes-format', 'v1 or v2'),
        ('exabgp_tcp_connections', 'many', 'exabgp.tcp.connections', 'an integer'),
    ],
)
def test_bad_value_names_setting_value_and_what_is_allowed(variable: str, value: str, name: str, allowed: str) -> None:
    with pytest.raises(SettingError) as caught:
        load({variable: value})
    message = str(caught.value)
    assert message.startswith(f'invalid value for {name}: {value!r} (')
    assert allowed in message


def test_bad_value_in_ini(tmp_path: pathlib.Path) -> None:
    with pytest.raises(SettingError, match=r"exabgp\.bgp\.openwait: 'soon'"):
        load({}, '[exabgp.bgp]\nopenwait = soon\n', tmp_path)


def test_broken_ini_file_is_a_setting_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(SettingError, match='env file'):
        load({}, 'port = 1\n', tmp_path)


def test_connections_alias_wins_over_attempts() -> None:
    settings = load({'exabgp_tcp_connections': '3', 'exabgp_tcp_attempts': '9'})
    assert settings.tcp.attempts == 3
    assert load({'exabgp.tcp.connections': '4'}).tcp.attempts == 4


def test_once_alias_maps_onto_attempts() -> None:
    assert load({'exabgp_tcp_once': 'true'}).tcp.attempts == 1
    assert load({'exabgp_tcp_once': 'false', 'exabgp_tcp_attempts': '5'}).tcp.attempts == 5
    assert load({'exabgp_tcp_once': 'true', 'exabgp_tcp_attempts': '5'}).tcp.attempts == 5


def test_once_in_the_ini_only_sets_once(tmp_path: pathlib.Path) -> None:
    settings = load({}, '[exabgp.tcp]\nonce = true\n', tmp_path)
    assert settings.tcp.once is True
    assert settings.tcp.attempts == 0


def test_version_override() -> None:
    assert load({'exabgp_version': '5.0.0-0+test'}).version == '5.0.0-0+test'
    assert load().version == S.RELEASE


def test_settings_are_frozen_and_replace_makes_a_copy() -> None:
    settings = load()
    with pytest.raises(AttributeError):
        settings.tcp.port = 1  # type: ignore[misc]
    changed = settings.replace({'tcp.port': 1790, 'log.all': True})
    assert (changed.tcp.port, changed.log.all) == (1790, True)
    assert (settings.tcp.port, settings.log.all) == (179, False)
    with pytest.raises(KeyError):
        settings.replace({'tcp.nope': 1})


def test_a_section_compares_by_value_and_needs_every_option() -> None:
    settings = load()
    assert settings.tcp == load().tcp
    assert hash(settings.tcp) == hash(load().tcp)
    assert settings.tcp != settings.tcp.replace(port=1790)
    assert settings.tcp != settings.bgp
    assert 'port=179' in repr(settings.tcp)
    with pytest.raises(AttributeError):
        del settings.tcp.port
    with pytest.raises(TypeError, match='not port'):
        type(settings.tcp)(port=1)
    with pytest.raises(TypeError):
        settings.tcp.replace(nope=1)


def test_env_lines_match_5_0_forms() -> None:
    lines = list(S.env_lines(load({'exabgp_tcp_bind': '127.0.0.1'})))
    # 5.0's 45 lines, then ours
    assert len(lines) == 59
    assert lines[0] == 'exabgp.profile.enable=false'
    assert "exabgp.profile.file=''" in lines
    assert "exabgp.daemon.umask='0o137'" in lines
    assert 'exabgp.log.level=INFO' in lines
    assert "exabgp.tcp.bind='127.0.0.1'" in lines
    assert lines[44] == 'exabgp.reactor.speed=1.0'
    assert lines[45:] == [
        'exabgp.log.format=text',
        'exabgp.bgp.sendhold=0',
        'exabgp.bgp.staletime=360',
        'exabgp.api.version=5',
        'exabgp.loop.uvloop=false',
        'exabgp.process.queue=33554432',
        'exabgp.process.withdraw-on-down=false',
        "exabgp.cli.socket=''",
        "exabgp.metrics.address='127.0.0.1'",
        'exabgp.metrics.port=0',
        'exabgp.notification.text=false',
        'exabgp.configuration.strict=false',
        "exabgp.mrt.dump=''",
        'exabgp.mrt.rotate=0',
    ]


def test_ini_lines_are_sorted_with_blank_line_headers() -> None:
    lines = list(S.ini_lines(load()))
    assert lines[:3] == ['\n[exabgp.api]', 'ack = true', 'chunk = 1']
    headers = [line for line in lines if line.startswith('\n[')]
    # 5.0's nine sections sorted, then ours sorted
    assert headers[:9] == sorted(headers[:9])
    assert headers[9:] == [
        '\n[exabgp.cli]',
        '\n[exabgp.configuration]',
        '\n[exabgp.loop]',
        '\n[exabgp.metrics]',
        '\n[exabgp.mrt]',
        '\n[exabgp.notification]',
        '\n[exabgp.process]',
    ]
    # our option of 5.0's log section is its last line there
    start = lines.index('\n[exabgp.log]')
    assert lines[start + 17 : start + 20] == ['timers = false', 'format = text', '\n[exabgp.pdb]']
    assert lines[-3:] == ['\n[exabgp.process]', 'queue = 33554432', 'withdraw-on-down = false']
    assert "umask = '0o137'" in lines


def test_diff_shows_only_changed_values() -> None:
    settings = load({'exabgp_tcp_port': '1790', 'exabgp_log_level': 'DEBUG'})
    assert list(S.ini_lines(settings, diff=True)) == [
        '\n[exabgp.log]',
        'level = DEBUG',
        '\n[exabgp.tcp]',
        'port = 1790',
    ]
    assert list(S.env_lines(settings, diff=True)) == ['exabgp.log.level=DEBUG', 'exabgp.tcp.port=1790']
    assert list(S.env_lines(load(), diff=True)) == []
    uvloop = load({'exabgp.loop.uvloop': 'true', 'exabgp_tcp_port': '1790'})
    assert list(S.ini_lines(uvloop, diff=True)) == ['\n[exabgp.tcp]', 'port = 1790', '\n[exabgp.loop]', 'uvloop = true']


def test_default_locations() -> None:
    assert S.default_root('/opt/exabgp/sbin/exabgp', {}) == '/opt/exabgp'
    assert S.default_root('/usr/local/bin/exabgp', {}) == '/usr/local'
    assert S.default_root('/x/sbin/exabgp', {'EXABGP_ROOT': '/elsewhere'}) == '/elsewhere'
    assert S.default_env_file('/opt/exabgp', {}) == '/opt/exabgp/etc/exabgp/exabgp.env'
    assert S.default_env_file('/opt/exabgp', {'EXABGP_ENVFILE': '/e.env'}) == '/e.env'
