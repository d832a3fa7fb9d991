"""The ExaBGP 5.0.15 side of qa/bench/codec.py: run by the oracle venv's python, never by ours.

    ORACLE/bin/python qa/bench/codec_oracle.py BODIES REPEAT [fresh]

BODIES is a file of UPDATE bodies, each after a 4-octet length. For every body, the work a 5.0
session does for an API asking for parsed updates in JSON: decode it (Update.unpack_message, as
received) and write the JSON line (its JSON encoder's update, which reads the clock, the host name
and the pids itself). 5.0 reuses the attribute set it parsed last when an UPDATE carries the same
attribute bytes; with `fresh` that set is forgotten before each UPDATE, so every one is parsed, as
ours are. Prints one JSON object: the best of REPEAT passes in seconds, the messages and
prefixes decoded, and the first line written (for the caller to compare with its own).
"""

import json
import sys
import time

# 5.0.15's modules (ruff files those whose names we also have as first-party, the others as third-party)
from exabgp.bgp.message.direction import Direction
from exabgp.bgp.message.open.capability.negotiated import Negotiated
from exabgp.environment import getenv
from exabgp.protocol.family import AFI, SAFI
from exabgp.reactor.api.response.json import JSON

from exabgp.bgp.message import Update
from exabgp.logger import log
from exabgp.version import json as json_version


def bodies(path: str) -> list[bytes]:
    with open(path, 'rb') as handle:
        data = handle.read()
    found = []
    offset = 0
    while offset < len(data):
        size = int.from_bytes(data[offset : offset + 4], 'big')
        found.append(data[offset + 4 : offset + 4 + size])
        offset += 4 + size
    return found


def main() -> int:
    log.silence()
    log.init(getenv())

    class Neighbor(dict):
        """What 5.0's JSON encoder reads of a neighbor."""

        uid = 1

        def __getitem__(self, key):
            if key == 'capability':
                return {'aigp': False}
            return dict.__getitem__(self, key)

    neighbor = Neighbor(
        {
            'local-address': '127.0.0.1',
            'peer-address': '127.0.0.2',
            'local-as': 65000,
            'peer-as': 65000,
            'router-id': '10.0.0.2',
        }
    )
    negotiated = Negotiated(neighbor)
    negotiated.families = [(AFI.ipv4, SAFI.unicast)]
    negotiated.asn4 = True
    negotiated.local_as = negotiated.peer_as = 65000

    encoder = JSON(json_version)
    messages = bodies(sys.argv[1])
    repeat = int(sys.argv[2])
    fresh = sys.argv[3:] == ['fresh']
    unpack = Update.unpack_message
    write = encoder.update
    incoming = Direction.IN

    best = float('inf')
    prefixes = 0
    for _ in range(repeat):
        start = time.perf_counter()
        if fresh:
            for body in messages:
                negotiated.cached_attributes = None
                write(neighbor, 'receive', unpack(body, incoming, negotiated), None, '', '')
        else:
            for body in messages:
                write(neighbor, 'receive', unpack(body, incoming, negotiated), None, '', '')
        best = min(best, time.perf_counter() - start)
    for body in messages:
        prefixes += len(unpack(body, incoming, negotiated).nlris)
    first = write(neighbor, 'receive', unpack(messages[0], incoming, negotiated), None, '', '')
    print(json.dumps({'seconds': best, 'messages': len(messages), 'prefixes': prefixes, 'first': first}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
