"""The directory a case runs in, and the environment its daemon gets.

Reference configurations cannot be run in place: they name API scripts (`run ./run/NAME;`,
relative to the configuration file) that the reference does not ship, and the reference folder
must not be written to. So they are copied into a fresh temporary directory, with our scripts
from qa/reference-scripts (and their helper module) under run/. Our own cases run in place.

ExaBGP started as root drops to an unprivileged user before it starts its API processes, so the
directory and the scripts are world-readable (scripts executable).

Invariants: the temporary directory belongs to the case and is removed by `cleanup`; the daemon's
environment holds no exabgp setting inherited from the caller, only the ones the suite sets.
"""

import getpass
import os
import re
import shutil
import tempfile

RUN = re.compile(r'^\s*run\s+(?P<program>[^\s;]+)', re.MULTILINE)
HELPER = 'qascript.py'


class WorkspaceError(Exception):
    pass


def scripts_named(config_text: str) -> list[str]:
    """The relative ./run/ programs a configuration starts."""
    found = []
    for match in RUN.finditer(config_text):
        program = match['program']
        if program.startswith('./run/') or program.startswith('run/'):
            found.append(program.split('/', 1)[1].removeprefix('run/'))
    return found


def prepare(configs: tuple[str, ...], scripts: str) -> tuple[str, tuple[str, ...]]:
    """A temporary copy of the configurations with their scripts; (directory, copied configs)."""
    directory = make_directory()
    copied = []
    try:
        for config in configs:
            try:
                with open(config, encoding='utf-8') as handle:
                    text = handle.read()
            except OSError as exc:
                raise WorkspaceError(f'cannot read {config}: {exc.strerror}') from None
            target = os.path.join(directory, os.path.basename(config))
            with open(target, 'w', encoding='utf-8') as handle:
                handle.write(text)
            copied.append(target)
            for name in scripts_named(text):
                _install(scripts, name, os.path.join(directory, 'run'))
    except WorkspaceError:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return directory, tuple(copied)


def make_directory() -> str:
    """A fresh temporary directory that a daemon which dropped its privileges can still read."""
    directory = tempfile.mkdtemp(prefix='exabgp-qa-')
    os.chmod(directory, 0o755)
    return directory


def _install(scripts: str, name: str, run: str) -> None:
    source = os.path.join(scripts, name)
    if not os.path.isfile(source):
        raise WorkspaceError(f'no API script {name} in {scripts}')
    os.makedirs(run, exist_ok=True)
    os.chmod(run, 0o755)
    target = os.path.join(run, name)
    if not os.path.exists(target):
        shutil.copyfile(source, target)
        os.chmod(target, 0o755)
    helper = os.path.join(scripts, HELPER)
    if os.path.isfile(helper) and not os.path.exists(os.path.join(run, HELPER)):
        shutil.copyfile(helper, os.path.join(run, HELPER))
        os.chmod(os.path.join(run, HELPER), 0o644)


def cleanup(directory: str | None) -> None:
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


def environment(extra: dict[str, str]) -> dict[str, str]:
    """The caller's environment without its exabgp settings, plus `extra`."""
    env = {key: value for key, value in os.environ.items() if not key.lower().startswith(('exabgp_', 'exabgp.'))}
    env.update(extra)
    return env


def daemon_settings(port: int, connections: int, snapshot: str) -> dict[str, str]:
    """The settings ExaBGP's own runner gives the daemon of an encoding or api case (`snapshot` is
    the reference snapshot the case comes from, '' for ours)."""
    settings = {
        'exabgp_tcp_port': str(port),
        'exabgp_tcp_bind': '',
        'exabgp_tcp_connections': str(connections),
        'exabgp_version': '5.0.0-0+test',
        'exabgp_api_cli': 'false',
        'exabgp_debug_rotate': 'true',
        'exabgp_debug_configuration': 'true',
        # the daemon keeps the runner's user: as root it would drop to nobody, who may not be able
        # to read a checkout under a private home folder (privilege dropping has unit tests)
        'exabgp_daemon_user': getpass.getuser(),
    }
    if snapshot == 'main':
        settings['exabgp_log_enable'] = 'false'
    return settings | mode_settings(snapshot)


def mode_settings(snapshot: str) -> dict[str, str]:
    """The settings every command of a case gets: main-snapshot cases run in upstream 6.0's mode,
    with the API version upstream's own runner gives them (4: 6.0's behaviour, 5.0's commands)."""
    return {'exabgp_api_version': '4'} if snapshot == 'main' else {}
