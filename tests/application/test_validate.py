"""`exabgp validate` and `exabgp configuration validate`, run as users run them."""

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / 'sbin' / 'exabgp'

VALID = """\
neighbor 127.0.0.1 {
    router-id 1.2.3.4;
    local-address 127.0.0.1;
    local-as 1;
    peer-as 1;
    static {
        route 10.0.0.0/24 next-hop 192.0.2.1 community [ 1:1 ];
    }
}
"""


def run(*args: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    return subprocess.run([sys.executable, str(LAUNCHER), *args], capture_output=True, text=True, env=clean, timeout=60)


def test_a_valid_file_says_so_as_5_0_does(tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'good.conf'
    path.write_text(VALID)
    for command in (['validate'], ['configuration', 'validate']):
        result = run(*command, str(path))
        assert result.returncode == 0, result.stderr
        assert f'loading {path}' in result.stderr
        assert '\u2713 loading' in result.stderr


def test_self_checks_pass(tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'good.conf'
    path.write_text(VALID)
    result = run('validate', '-n', '-r', str(path))
    assert result.returncode == 0, result.stderr
    assert '\u2713 neighbor  127.0.0.1' in result.stderr
    assert '\u2713 routes' in result.stderr


def test_an_invalid_file_shows_where(tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'bad.conf'
    path.write_text(VALID.replace('community [ 1:1 ]', 'community [ 1:x ]'))
    result = run('validate', str(path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    report = lines.index(f"{path}:7:58: invalid community '1:x'")
    assert lines[report + 1] == '        route 10.0.0.0/24 next-hop 192.0.2.1 community [ 1:x ];'
    assert lines[report + 2] == ' ' * 57 + '^'


def test_the_first_invalid_file_stops_the_check(tmp_path: pathlib.Path) -> None:
    good = tmp_path / 'good.conf'
    good.write_text(VALID)
    missing = tmp_path / 'missing.conf'
    result = run('validate', str(good), str(missing), str(good))
    assert result.returncode == 1
    assert f'error: {missing} is not an exabgp config file (file not found)' in result.stderr
    assert result.stderr.count('\u2713 loading') == 1


def test_verbose_shows_the_configuration_as_understood(tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'good.conf'
    path.write_text(VALID)
    result = run('validate', '-v', str(path))
    assert result.returncode == 0
    assert 'route 10.0.0.0/24 next-hop 192.0.2.1 community [ 1:1 ];' in result.stderr
    assert 'graceful-restart disable;' in result.stderr


def test_every_problem_is_shown_with_a_suggestion_and_no_traceback(tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'bad.conf'
    path.write_text(VALID.replace('    peer-as 1;\n', '    peer-as 1;\n    hold-tme 180;\n    hold-time 2;\n'))
    result = run('validate', str(path))
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr
    lines = result.stderr.splitlines()
    assert f"{path}:6:5: invalid keyword 'hold-tme' in neighbor, did you mean hold-time?" in lines
    assert f"{path}:7:15: hold-time must be zero or at least 3 seconds, found '2'" in lines


def test_warnings_pass_unless_strict(tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'sloppy.conf'
    # the final '}' missing: 5.0.15 loads this file, and so do we, with a warning
    path.write_text(VALID[: -len('}\n')])
    result = run('validate', str(path))
    assert result.returncode == 0, result.stderr
    warning = f"{path}:1:1: warning: missing '}}' to close neighbor: the end of the file closes it"
    assert warning in result.stderr.splitlines()
    for strict in (run('validate', '--strict', str(path)), run_with({'exabgp_configuration_strict': 'true'}, path)):
        assert strict.returncode == 1
        assert f"{path}:1:1: missing '}}' to close neighbor: the end of the file closes it" in strict.stderr


def run_with(environ: dict[str, str], path: pathlib.Path) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    return subprocess.run(
        [sys.executable, str(LAUNCHER), 'validate', str(path)],
        capture_output=True,
        text=True,
        env={**clean, **environ},
        timeout=60,
    )
