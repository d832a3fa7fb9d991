"""The command line, run as users run it: the launcher in a real subprocess."""

import os
import pathlib
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
    assert lines[2].startswith('Uname  : ')
    assert lines[3].startswith('From   : ')


def test_version_override_reaches_version_command() -> None:
    assert run('version', env={'exabgp_version': '9.9.9'}).stdout.startswith('ExaBGP : 9.9.9\n')


def test_env_file_flag_and_variable(tmp_path: pathlib.Path) -> None:
    env_file = tmp_path / 'my.env'
    env_file.write_text('[exabgp.tcp]\nport = 1790\n')
    assert run('--env-file', str(env_file), 'env', '-d').stdout == '\n[exabgp.tcp]\nport = 1790\n'
    assert run(f'--env-file={env_file}', 'env', '-d', '-e').stdout == 'exabgp.tcp.port=1790\n'
    assert run('env', '-d', '-e', env={'EXABGP_ENVFILE': str(env_file)}).stdout == 'exabgp.tcp.port=1790\n'


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
