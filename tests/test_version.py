"""What the version strings say: ours where the software is named, 5.0's where the API format is."""

import re

from exabgp import settings
from exabgp.api import json_events
from exabgp.api.envelope import Stamp
from exabgp.bgp.capability.software import SoftwareVersion
from exabgp.configuration.capabilities import capabilities
from exabgp.configuration.parser import load_text
from exabgp.version import JSON_VERSION, RELEASE


def test_the_release_names_the_upstream_release_and_ours_as_a_pep_440_local_version() -> None:
    assert RELEASE == '5.0.15+asyncio.1'
    assert re.fullmatch(r'\d+\.\d+\.\d+\+asyncio\.\d+', RELEASE)


def test_the_software_version_capability_carries_the_release() -> None:
    config = 'neighbor 127.0.0.1 { router-id 1.2.3.4; local-as 1; peer-as 1; capability { software-version enable; } }'
    (neighbor,) = load_text(config).neighbors
    offered = capabilities(neighbor, settings.load({}, '').version)
    (software,) = [capability for capability in offered if isinstance(capability, SoftwareVersion)]
    assert software.version == 'ExaBGP/5.0.15+asyncio.1'


def test_the_api_format_version_stays_5_0() -> None:
    assert JSON_VERSION == '5.0.0'
    assert json_events.shutdown(Stamp(1.0, 'host', 1, 2, None)).startswith('{ "exabgp": "5.0.0", ')
