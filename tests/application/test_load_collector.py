"""The daemon's loader holds the cyclic garbage collector off while it reads a configuration (its
objects are kept and acyclic: walking them is wasted work), and leaves it as it found it after, also
when the file is refused. Turned back on, the collector may run once (all the load's objects count
as one batch): one collection instead of one every 700 objects."""

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from exabgp import settings as settings_module
from exabgp.application.server import Rotation
from exabgp.configuration.errors import ConfigErrors

HEADER = """\
neighbor 127.0.0.1 {
    router-id 1.2.3.4;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65000;
    family { ipv4 mpls-vpn; }
    static {
"""
ROUTE = '        route 10.{net}.0.0/24 rd 65000:{vrf} label 16 next-hop 192.0.2.1;\n'


def routes(count: int) -> str:
    return ''.join(ROUTE.format(net=index % 100, vrf=index // 100) for index in range(count))


def rotation(path: Path) -> Rotation:
    settings = settings_module.load({}, '', str(path.parent))
    return Rotation([str(path)], settings)


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each collection run while the test runs, at CPython's default threshold."""
    seen: list[int] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == 'start':
            seen.append(info['generation'])

    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    gc.callbacks.append(callback)
    try:
        yield seen
    finally:
        gc.callbacks.remove(callback)
        gc.set_threshold(*thresholds)


def test_no_collection_during_a_load(tmp_path: Path, collections: list[int]) -> None:
    path = tmp_path / 'exabgp.conf'
    # 2,000 routes make several thousand objects: more than one young collection's worth
    path.write_text(HEADER + routes(2000) + '    }\n}\n')
    load = rotation(path)
    collections.clear()
    config = load()
    assert len(config.neighbors[0].routes) == 2000
    # the collector, back on, may run once at once: the objects of the load counted as one batch
    assert len(collections) <= 1
    assert gc.isenabled()


def test_the_collector_is_back_after_a_refused_file(tmp_path: Path, collections: list[int]) -> None:
    path = tmp_path / 'exabgp.conf'
    path.write_text(
        HEADER + routes(2000) + '        route 10.0.0.1/24 rd 65000:1 label 16 next-hop 192.0.2.1;\n    }\n}\n'
    )
    load = rotation(path)
    collections.clear()
    with pytest.raises(ConfigErrors, match=r'invalid network 10\.0\.0\.1 for netmask 24'):
        load()
    # the collector, back on, may run once at once: the objects of the load counted as one batch
    assert len(collections) <= 1
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off(tmp_path: Path) -> None:
    path = tmp_path / 'exabgp.conf'
    path.write_text(HEADER + routes(10) + '    }\n}\n')
    gc.disable()
    try:
        rotation(path)()
        assert not gc.isenabled()
    finally:
        gc.enable()
