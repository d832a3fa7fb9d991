"""`--profile`: the daemon's run profiled into a pstats file, never over an existing file."""

import os
import pstats
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from exabgp.application import profiling
from exabgp.settings import load


def busy(rounds: int) -> int:
    return sum(index * index for index in range(rounds))


def settings(file: str, enable: bool = True):
    return load({'exabgp_profile_enable': 'true' if enable else 'false', 'exabgp_profile_file': file}, '')


def functions(path: Path) -> set[str]:
    return {name for _, _, name in pstats.Stats(str(path)).stats}


def test_the_profile_of_the_call_is_written_and_its_result_returned(tmp_path) -> None:
    path = tmp_path / 'run.prof'
    assert profiling.run(lambda: busy(1000) and 3, settings(str(path))) == 3
    assert 'busy' in functions(path)


def test_the_profile_is_written_when_the_call_raises(tmp_path) -> None:
    path = tmp_path / 'run.prof'

    def failing() -> int:
        busy(10)
        raise RuntimeError('stop')

    with pytest.raises(RuntimeError):
        profiling.run(failing, settings(str(path)))
    assert 'failing' in functions(path)


def test_an_existing_file_is_left_alone_and_the_call_still_runs(tmp_path) -> None:
    path = tmp_path / 'run.prof'
    path.write_text('mine')
    assert profiling.run(lambda: 7, settings(str(path))) == 7
    assert path.read_text() == 'mine'


def test_no_file_prints_the_statistics(capsys) -> None:
    assert profiling.run(lambda: busy(100), settings('stdout')) == busy(100)
    assert 'busy' in capsys.readouterr().out


def test_disabled_profiles_nothing(tmp_path) -> None:
    path = tmp_path / 'run.prof'
    assert profiling.run(lambda: 1, settings(str(path), enable=False)) == 1
    assert not path.exists()


def test_a_relative_file_is_made_absolute_before_daemonising(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert profiling.absolute(settings('run.prof')).profile.file == str(tmp_path / 'run.prof')
    assert profiling.absolute(settings('stdout')).profile.file == 'stdout'


def test_the_demo_run_with_profile_leaves_a_profile_of_the_reactor(tmp_path, demo_environment) -> None:
    path = tmp_path / 'demo.prof'
    result = subprocess.run(
        [sys.executable, str(ROOT / 'sbin' / 'exabgp'), 'server', '--profile', str(path), 'etc/exabgp/demo.conf'],
        cwd=ROOT,
        env=demo_environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = {file for file, _, _ in pstats.Stats(str(path)).stats}
    assert any(file.endswith(os.path.join('reactor', 'daemon.py')) for file in files)
