"""FQDN capability, code 73 (draft-walton-bgp-hostname-capability-02).

    +--------------------------------+
    | Hostname Length (1 octet)      |
    | Hostname (variable, UTF-8)     |
    | Domain Name Length (1 octet)   |
    | Domain Name (variable, UTF-8)  |
    +--------------------------------+

Invariants: a name running past the value, or not valid UTF-8, is 2/0, as 5.0 answers; octets after
the domain name are ignored. A missing domain name (or an empty value) decodes to empty names: 5.0
showed its own machine's names there instead, which is not the peer's information. `pack` truncates
each name to 64 octets, as 5.0 does when it sends them; 5.0 sends no TLV at all when it has no host
name, which is for whoever builds the OPEN to decide.
"""

import json
from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, malformed, tlv, utf8

MAXIMUM = 64


@dataclass(frozen=True, slots=True)
class HostName(Capability):
    CODE: ClassVar[int] = 73

    host: str = ''
    domain: str = ''

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        if not value:
            return cls()
        end = value[0] + 1
        if len(value) < end:
            raise malformed(f'Hostname capability truncated: need {end} bytes for the host name, got {len(value)}')
        host = utf8(value[1:end], 'host name')
        if len(value) == end:
            return cls(host)
        stop = end + 1 + value[end]
        if len(value) < stop:
            raise malformed(f'Hostname capability truncated: need {stop} bytes total, got {len(value)}')
        return cls(host, utf8(value[end + 1 : stop], 'domain name'))

    def pack(self) -> bytes:
        host = self.host.encode('utf-8')[:MAXIMUM]
        domain = self.domain.encode('utf-8')[:MAXIMUM]
        return tlv(self.CODE, bytes((len(host),)) + host + bytes((len(domain),)) + domain)

    def json(self) -> str:
        return f'{{ "host-name": {json.dumps(self.host)}, "domain-name": {json.dumps(self.domain)} }}'

    def __str__(self) -> str:
        return f'Hostname({self.host} {self.domain})'
