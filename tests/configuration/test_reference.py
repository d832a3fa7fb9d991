"""Every configuration of upstream's two snapshots loads, or fails with 'not supported yet', and what
loads survives dump-then-parse unchanged.

The reference folder is read when it exists and the tests skip otherwise. Its configurations name
API programs (`run ./run/x.run`) that are not part of it: as 5.0 refuses a program it can not find,
each configuration is copied to a temporary folder beside empty executable stand-ins for them.
"""

import pathlib
import re
import stat

import pytest

from exabgp.configuration.dump import dump
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.parser import load, load_text
from exabgp.configuration.process import Context

REFERENCE = pathlib.Path('/work/shared/reference')
SNAPSHOTS = ('exabgp-5.0', 'exabgp-main')


def configurations(snapshot: str) -> list[pathlib.Path]:
    folder = REFERENCE / snapshot / 'etc' / 'exabgp'
    return sorted(folder.glob('*.conf')) if folder.is_dir() else []


ALL = [(snapshot, path) for snapshot in SNAPSHOTS for path in configurations(snapshot)]

# what this version does not do yet: the configuration must fail with this message
UNSUPPORTED = re.compile(r'(family [a-z0-9-]+ [a-z0-9-]+|[a-z0-9 -]+) is not supported yet$')


def staged(source: pathlib.Path, folder: pathlib.Path) -> pathlib.Path:
    """The configuration copied into `folder` with stand-ins for the programs it runs."""
    text = source.read_text()
    target = folder / source.name
    target.write_text(text)
    for program in re.findall(r'run\s+\./(run/[^\s;]+)', text):
        script = folder / program
        script.parent.mkdir(exist_ok=True)
        script.write_text('#!/bin/sh\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return target


def context() -> Context:
    return Context(search_path=('/usr/local/bin', '/usr/bin', '/bin'))


@pytest.mark.skipif(not ALL, reason='no reference data (../shared/reference)')
@pytest.mark.parametrize(('snapshot', 'source'), ALL, ids=[f'{s}/{p.name}' for s, p in ALL])
def test_reference_configuration_loads_or_is_not_supported_yet(
    snapshot: str, source: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    path = staged(source, tmp_path)
    try:
        config = load(str(path), context())
    except ConfigError as exc:
        assert UNSUPPORTED.search(exc.message), exc.report()
        assert exc.location.line > 0
        return
    assert load_text(dump(config), context()) == config


@pytest.mark.skipif(not ALL, reason='no reference data (../shared/reference)')
def test_reference_counts(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The figures of the final report; the floor catches a regression that makes many fail."""
    counts = {}
    for snapshot in SNAPSHOTS:
        loaded = unsupported = 0
        for index, source in enumerate(configurations(snapshot)):
            folder = tmp_path / f'{snapshot}-{index}'
            folder.mkdir()
            try:
                load(str(staged(source, folder)), context())
                loaded += 1
            except ConfigError:
                unsupported += 1
        counts[snapshot] = (loaded, unsupported)
    with capsys.disabled():
        for snapshot, (loaded, unsupported) in counts.items():
            print(f'\n{snapshot}: {loaded} load, {unsupported} not supported yet')
    assert counts['exabgp-5.0'][0] >= 59
