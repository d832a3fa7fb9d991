"""The JSON schema of what the API writes to processes, one file per version of the format.

`api-5.0.0.json` (JSON Schema 2020-12) describes every line of 5.0's JSON encoder: the envelope
(`exabgp` is the format's version, 5.0.0, and selects the file), then one branch per `type`. It is
shipped in the package so a consumer can validate what it reads; doc/api-json.md shows each message.
Invariant: a change of the JSON format is a new file with a new version, never an edit of a shipped one
that refuses lines it accepted.
"""

import json
from pathlib import Path
from typing import Any

from exabgp.version import JSON_VERSION

SCHEMA_PATH = Path(__file__).with_name(f'api-{JSON_VERSION}.json')


def load_schema() -> dict[str, Any]:
    """The schema of the JSON format this package writes."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return schema
