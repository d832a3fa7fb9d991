"""The command line, run as users run it: the launcher in a real subprocess."""

import getpass
import os
import pathlib
import platform
import socket
import subprocess
import sys

import pytest

from exabgp.application import main as main_module
from exabgp.application import server
from exabgp.settings import load

ROOT = pathlib.Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / 'sbin' / 'exabgp'


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    clean.update(env or {})
    return subprocess.run([sys.executable, str(LAUNCHER), *args], capture_output=True, text=True, env=clean, timeout=60)


def test_version_prints_ours_python_and_platform() -> None:
    result = run('version')
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith('ExaBGP : ')
    assert lines[1] == f'Python : {sys.version}'.replace('\n', ' ')
    # 5.0's five fields of uname (not the processor, which would cost a `uname -p` process)
    assert lines[2] == f'Uname  : {" ".join(platform.uname()[:5])}'
    assert lines[3].startswith('From   : ')


def test_the_server_logs_the_version_lines_at_debug_only() -> None:
    debug = run('server', '-d', '/nonexistent')
    assert 'welcome         Uname  : ' in debug.stdout + debug.stderr
    quiet = run('server', '/nonexistent')
    assert 'Thank you for using ExaBGP' in quiet.stdout + quiet.stderr
    assert 'Uname' not in quiet.stdout + quiet.stderr


def test_version_override_reaches_version_command() -> None:
    assert run('version', env={'exabgp_version': '9.9.9'}).stdout.startswith('ExaBGP : 9.9.9\n')


def test_env_file_flag_and_variable(tmp_path: pathlib.Path) -> None:
    env_file = tmp_path / 'my.env'
    env_file.write_text('[exabgp.tcp]\nport = 1790\n')
    assert run('--env-file', str(env_file), 'env', '-d').stdout == '\n[exabgp.tcp]\nport = 1790\n'
    assert run(f'--env-file={env_file}', 'env', '-d', '-e').stdout == 'exabgp.tcp.port=1790\n'
    assert run('env', '-d', '-e', env={'EXABGP_ENVFILE': str(env_file)}).stdout == 'exabgp.tcp.port=1790\n'


ORACLE = pathlib.Path('/work/oracle/venv/bin/exabgp')


@pytest.mark.skipif(not ORACLE.exists(), reason='ExaBGP 5.0.15 is not installed at /work/oracle/venv')
@pytest.mark.parametrize('form', [[], ['-e']])
def test_env_prints_5_0_lines_unchanged_then_ours(form: list[str], tmp_path: pathlib.Path) -> None:
    """`diff` against 5.0.15's `exabgp env` shows only our settings, added at the end."""
    clean = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    clean['EXABGP_ENVFILE'] = str(tmp_path / 'absent.env')
    theirs = subprocess.run([str(ORACLE), 'env', *form], capture_output=True, text=True, env=clean, timeout=60)
    ours = run('env', *form, env={'EXABGP_ENVFILE': str(tmp_path / 'absent.env')})
    assert ours.returncode == theirs.returncode == 0
    # the ini form keeps our log.format, bgp.sendhold, bgp.staletime and api.version in 5.0's sections
    # (5.0 refuses a section given twice); bgp.openwait is RFC 4271 8.2.2's four minutes where 5.0 has 60 s
    printed = ours.stdout
    if not form:
        for ours_only in ('format = text\n', 'sendhold = 0\n', 'staletime = 360\n', 'version = 5\n'):
            printed = printed.replace(ours_only, '', 1)
    printed = printed.replace('openwait = 240', 'openwait = 60').replace('openwait=240', 'openwait=60')
    assert printed.startswith(theirs.stdout)
    added = printed[len(theirs.stdout) :]
    assert 'uvloop' in added and 'queue' in added and 'socket' in added and 'metrics' in added
    assert form == [] or added.startswith(
        'exabgp.log.format=text\nexabgp.bgp.sendhold=0\nexabgp.bgp.staletime=360\nexabgp.api.version=5\n'
    )


@pytest.mark.parametrize(
    ('setting', 'expected'),
    [('false', 'event loop: asyncio '), ('true', 'event loop: uvloop ')],
)
def test_the_daemon_logs_its_event_loop_at_start(setting: str, expected: str, tmp_path: pathlib.Path) -> None:
    if setting == 'true':
        pytest.importorskip('uvloop')
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    # nothing listens there: one refused connection attempt and the daemon ends by itself
    config = tmp_path / 'one.conf'
    config.write_text(
        'neighbor 127.0.0.1 { router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002; }\n'
    )
    settings = {'exabgp_tcp_port': str(port), 'exabgp_tcp_attempts': '1', 'exabgp_api_cli': 'false'}
    settings.update({'exabgp_daemon_user': getpass.getuser(), 'exabgp_loop_uvloop': setting})
    result = run(str(config), env=settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert expected in result.stdout + result.stderr


def test_bad_setting_is_a_clear_error_and_exit_1() -> None:
    result = run('env', env={'exabgp_tcp_port': 'seventy'})
    assert result.returncode == 1
    assert result.stderr == "exabgp: invalid value for exabgp.tcp.port: 'seventy' (an integer)\n"


@pytest.mark.parametrize(
    ('argv', 'expected'),
    [
        (['a.conf'], ['server', 'a.conf']),
        (['-d', 'a.conf'], ['server', '-d', 'a.conf']),
        (['server', 'a.conf'], ['server', 'a.conf']),
        (['configuration', 'validate', 'a.conf'], ['configuration', 'validate', 'a.conf']),
        (['--help'], ['--help']),
        ([], []),
    ],
)
def test_4x_form_means_server(argv: list[str], expected: list[str]) -> None:
    assert main_module._normalise(argv) == expected


def test_both_validate_spellings_reach_validate() -> None:
    parser = main_module.build_parser()
    for argv in (['validate', '-n', 'x.conf'], ['configuration', 'validate', '-n', 'x.conf']):
        args = parser.parse_args(argv)
        assert args.module.__name__ == 'exabgp.application.validate'
        assert args.neighbor is True
        assert args.configuration == ['x.conf']


def test_server_flags_become_settings() -> None:
    parser = main_module.build_parser()
    args = parser.parse_args(['server', '-d', '-1', '-P', '-m', '--profile', 'out.prof', 'x.conf'])
    settings = server.apply_flags(args, load({}, ''))
    assert settings.log.all is True
    assert settings.log.level == 'DEBUG'
    assert settings.log.short is False
    assert settings.debug.pdb is True
    assert settings.tcp.attempts == 1
    assert settings.bgp.passive is True
    assert settings.debug.memory is True
    assert (settings.profile.enable, settings.profile.file) == (True, 'out.prof')
    args = parser.parse_args(['server', '-s', '5', 'x.conf'])
    assert args.signal == 5
    assert server.apply_flags(args, load({}, '')) == load({}, '')


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, '-m', 'exabgp', 'version'],
        capture_output=True,
        text=True,
        env={**os.environ, 'PYTHONPATH': str(ROOT / 'src')},
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.startswith('ExaBGP : ')


def test_no_subcommand_prints_help_and_fails() -> None:
    result = run()
    assert result.returncode == 1
    assert 'usage: exabgp' in result.stdout
