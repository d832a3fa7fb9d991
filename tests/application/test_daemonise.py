"""Daemon duties: the pid file, dropping root, the umask (forked children, so the test process is left alone)."""

import os
import pwd

import pytest

from exabgp.application import daemonise
from exabgp.settings import load


def test_pid_file_written_refused_when_alive_and_removed(tmp_path) -> None:
    path = tmp_path / 'exabgp.pid'
    pid_file = daemonise.PidFile(str(path))
    assert pid_file.save() is None
    assert path.read_text() == f'{os.getpid()}\n'
    # a second daemon finds a live process in it
    assert 'names a running process' in daemonise.PidFile(str(path)).save()
    pid_file.remove()
    assert not path.exists()


def test_a_stale_pid_file_is_taken_over(tmp_path) -> None:
    path = tmp_path / 'exabgp.pid'
    path.write_text('999999999\n')
    pid_file = daemonise.PidFile(str(path))
    assert pid_file.save() is None
    assert path.read_text() == f'{os.getpid()}\n'


def test_no_pid_file_setting_writes_nothing(tmp_path) -> None:
    assert daemonise.PidFile('').save() is None


def _in_child(action) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(action())
        except BaseException:
            os._exit(99)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(os.getuid() != 0, reason='only root can drop privileges')
def test_root_drops_to_the_configured_user() -> None:
    nobody = pwd.getpwnam('nobody')

    def child() -> int:
        if daemonise.drop_privileges('nobody') is not None:
            return 1
        return 0 if (os.getuid(), os.getgid()) == (nobody.pw_uid, nobody.pw_gid) else 2

    assert _in_child(child) == 0


def test_dropping_to_an_unknown_user_fails_clearly() -> None:
    if os.getuid() != 0:
        assert daemonise.drop_privileges('no-such-user-here') is None  # not root: nothing to drop
        return
    assert "no user 'no-such-user-here'" in daemonise.drop_privileges('no-such-user-here')


def test_umask_is_applied_in_the_process() -> None:
    settings = load({'exabgp_daemon_umask': '027'}, '')

    def child() -> int:
        daemonise.set_umask(settings)
        return os.umask(0)

    assert _in_child(child) == 0o027
