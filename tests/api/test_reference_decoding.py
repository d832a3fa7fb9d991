"""The upstream decoding vectors for OPEN messages (qa/decoding/bgp-open-*, both snapshots): our
decoder and JSON encoder must give the same JSON once the run-dependent keys are removed.

The neighbor block comes from the configuration `exabgp decode` builds (its router id differs between
the 5.0 and main snapshots). Skipped when the reference folder is not beside the repository.
"""

import json
import pathlib

import pytest

from exabgp.api.envelope import Peer, Stamp
from exabgp.api.json_messages import open_
from exabgp.bgp.message.header import check
from exabgp.bgp.message.open import Open
from exabgp.bgp.negotiated import DEFAULT

ROOT = pathlib.Path(__file__).resolve().parents[2]
CANDIDATES = [ROOT.parent / 'shared' / 'reference', ROOT.parent.parent / 'shared' / 'reference']
REFERENCE = next((path for path in CANDIDATES if path.is_dir()), None)

# the neighbor of each snapshot's `exabgp decode` configuration
PEERS = {
    'exabgp-5.0': Peer('127.0.0.1', '127.0.0.1', 65533, 65533, '10.0.0.2'),
    'exabgp-main': Peer('127.0.0.1', '127.0.0.1', 65533, 65533, '127.0.0.1'),
}
VOLATILE = ('exabgp', 'host', 'pid', 'ppid', 'time', 'version')


def cases() -> list:
    if REFERENCE is None:
        return []
    return [
        pytest.param(snapshot, path, id=f'{snapshot}/{path.name}')
        for snapshot in PEERS
        for path in sorted((REFERENCE / snapshot / 'qa' / 'decoding').glob('bgp-open-*'))
    ]


def stable(document: dict) -> dict:
    return {key: value for key, value in document.items() if key not in VOLATILE}


@pytest.mark.skipif(REFERENCE is None, reason='no shared/reference beside the repository')
@pytest.mark.parametrize(('snapshot', 'path'), cases())
def test_reference_open(snapshot: str, path: pathlib.Path) -> None:
    kind, wire, expected = path.read_text().splitlines()[:3]
    assert kind.split()[0] == 'open'
    message = bytes.fromhex(wire)
    length, _ = check(message[:19], 4096)
    decoded = Open.unpack(message[19:length], DEFAULT)
    written = open_(Stamp(0.0, 'host', 1, 1, 1), PEERS[snapshot], 'in', decoded)
    assert stable(json.loads(written)) == stable(json.loads(expected))


@pytest.mark.skipif(REFERENCE is None, reason='no shared/reference beside the repository')
def test_both_snapshots_have_open_cases() -> None:
    assert {snapshot for snapshot, *_ in (case.values for case in cases())} == set(PEERS)
