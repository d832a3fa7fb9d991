"""Packaging: the Dockerfile's build steps run here in a scratch venv (no docker engine needed), the
installed `exabgp` works from it, the licence travels with it, and the systemd unit is a notify one.

The build stage is read from the Dockerfile itself: its COPY lines make the build context (so a file
the package needs and the Dockerfile forgets fails here), its RUN line is run with the image's
paths pointed at temporary folders."""

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exabgp.version import RELEASE

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / 'Dockerfile'

CONFIG = """
neighbor 192.0.2.1 {
    router-id 10.0.0.1;
    local-address 192.0.2.2;
    local-as 65001;
    peer-as 65002;
    family { ipv4 unicast; }
    static { route 198.51.100.0/24 next-hop self; }
}
"""


def build_stage() -> list[str]:
    """The instructions of the Dockerfile's first stage, continuation lines joined."""
    text = DOCKERFILE.read_text().replace('\\\n', ' ')
    stages = re.split(r'^FROM .*$', text, flags=re.MULTILINE)
    return [line.strip() for line in stages[1].splitlines() if line.strip() and not line.startswith('#')]


def test_the_dockerfile_builds_from_the_checkout_and_runs_exabgp(tmp_path: Path) -> None:
    context = tmp_path / 'src'
    venv = tmp_path / 'venv'
    run_line = ''
    for instruction in build_stage():
        keyword, _, rest = instruction.partition(' ')
        if keyword == 'COPY':
            *sources, target = shlex.split(rest)
            for source in sources:
                origin = ROOT / source
                if target.endswith('/'):
                    destination = tmp_path / target.lstrip('/') / origin.name
                else:
                    destination = tmp_path / target.lstrip('/')
                destination.parent.mkdir(parents=True, exist_ok=True)
                if origin.is_dir():
                    shutil.copytree(origin, destination, ignore=shutil.ignore_patterns('__pycache__', '*.egg-info'))
                else:
                    shutil.copy(origin, destination)
        elif keyword == 'RUN':
            run_line = rest
    assert run_line, 'no RUN step in the build stage'
    command = (
        run_line.replace('/opt/exabgp', str(venv))
        .replace('"/src', f'"{context}')
        .replace('${EXTRAS}', '')
        .replace('python -m venv', f'{shlex.quote(sys.executable)} -m venv')
    )
    environment = {key: value for key, value in os.environ.items() if not key.lower().startswith('exabgp')}
    environment.pop('PYTHONPATH', None)
    built = subprocess.run(['sh', '-c', command], capture_output=True, text=True, env=environment, timeout=600)
    if built.returncode and 'No matching distribution found for setuptools' in built.stderr:
        pytest.skip('setuptools can not be fetched here to build the package')
    assert built.returncode == 0, built.stdout + built.stderr

    exabgp = venv / 'bin' / 'exabgp'
    version = subprocess.run([exabgp, 'version'], capture_output=True, text=True, env=environment, timeout=60)
    assert version.returncode == 0, version.stderr
    assert version.stdout.splitlines()[0] == f'ExaBGP : {RELEASE}'
    # the installed package, not the checkout's
    assert str(venv) in version.stdout.splitlines()[3]

    mounted = tmp_path / 'etc' / 'exabgp'
    mounted.mkdir(parents=True)
    (mounted / 'exabgp.conf').write_text(CONFIG)
    checked = subprocess.run(
        [exabgp, 'validate', str(mounted / 'exabgp.conf')], capture_output=True, text=True, env=environment, timeout=60
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # the licence file pyproject names ships in the installed metadata
    (licence,) = venv.glob('lib/python*/site-packages/exabgp-*.dist-info/**/LICENSE')
    assert licence.read_text() == (ROOT / 'LICENSE').read_text()


def test_the_license_file_is_the_one_pyproject_names() -> None:
    pyproject = (ROOT / 'pyproject.toml').read_text()
    assert 'license = { text = "BSD-3-Clause" }' in pyproject
    licence = (ROOT / 'LICENSE').read_text()
    assert licence.startswith('BSD 3-Clause License\n\nCopyright (c) 2026 the exabgp-asyncio authors\n')
    assert 'Neither the name of the copyright holder' in licence


def test_the_systemd_unit_is_a_notify_service_running_the_daemon_in_the_foreground() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / 'etc' / 'systemd' / 'exabgp.service')
    service = unit['Service']
    assert service['Type'] == 'notify'
    assert service['NotifyAccess'] == 'main'
    assert service['ExecStart'].split()[1:] == ['server', '/etc/exabgp/exabgp.conf']
    assert int(service['WatchdogSec']) > 0
    # configparser keeps the last of repeated keys: every Environment line is read here instead
    lines = (ROOT / 'etc' / 'systemd' / 'exabgp.service').read_text().splitlines()
    assert 'Environment=exabgp_daemon_daemonize=false' in lines
