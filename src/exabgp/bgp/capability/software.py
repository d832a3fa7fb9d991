"""Software Version capability, code 75 (draft-abraitis-bgp-version-capability).

    +--------------------------------+
    | Version Length (1 octet)       |
    | Software Version (UTF-8)       |
    +--------------------------------+

Invariants: an empty value, a version running past the value, or invalid UTF-8 is 2/0, as 5.0
answers; octets after the version are ignored. `exabgp(release)` is the value ExaBGP sends.
"""

import json
from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, malformed, tlv, utf8

MAXIMUM = 64


@dataclass(frozen=True, slots=True)
class SoftwareVersion(Capability):
    CODE: ClassVar[int] = 75

    version: str

    @classmethod
    def exabgp(cls, release: str) -> Self:
        """What ExaBGP announces: 'ExaBGP/<release>', cut to 64 characters ending in '...' as 5.0 does."""
        version = f'ExaBGP/{release}'
        if len(version) > MAXIMUM:
            version = version[: MAXIMUM - 3] + '...'
        return cls(version)

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        if not value:
            raise malformed('Software capability too short: need at least 1 byte')
        end = value[0] + 1
        if len(value) < end:
            raise malformed(f'Software capability truncated: need {end} bytes, got {len(value)}')
        return cls(utf8(value[1:end], 'software version'))

    def pack(self) -> bytes:
        version = self.version.encode('utf-8')[:254]  # the TLV length octet counts the length octet too
        return tlv(self.CODE, bytes((len(version),)) + version)

    def json(self) -> str:
        return f'{{ "software": {json.dumps(self.version)} }}'

    def __str__(self) -> str:
        return f'Software({self.version})'
