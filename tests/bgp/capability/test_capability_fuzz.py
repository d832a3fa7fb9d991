"""Fuzz every capability code with random values: only PeerError may escape, and whatever decodes
renders and packs."""

import json
import random

import pytest

from exabgp.bgp.capability.table import CAPABILITIES, decode
from exabgp.bgp.errors import PeerError


@pytest.mark.parametrize('code', [*sorted(CAPABILITIES), 3, 100, 200])
def test_random_values(code: int) -> None:
    rng = random.Random(code)
    for _ in range(2000):
        value = rng.randbytes(rng.choice((rng.randint(0, 12), rng.randint(0, 255))))
        try:
            capability = decode(code, value)
        except PeerError as error:
            assert (error.code, error.subcode) == (2, 0)
            continue
        json.loads(capability.json())
        str(capability)
        assert capability.pack()[0] == code
