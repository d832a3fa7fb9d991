#!/usr/bin/env python3
"""The demo's receiving API process: print every UPDATE received, then stop the daemon.

The daemon writes one JSON object per line on our stdin; we print the UPDATEs (on stderr: our
stdout goes to the daemon, as commands) and, once both expected routes were seen, send `shutdown`.
"""

import json
import sys

EXPECTED = {'192.0.2.0/24', '198.51.100.0/24'}

seen: set[str] = set()
for line in sys.stdin:
    try:
        event = json.loads(line)
    except ValueError:
        continue  # 'done' answers our command
    if event.get('type') != 'update':
        continue
    sys.stderr.write(json.dumps(event['neighbor']['message']) + '\n')
    sys.stderr.flush()
    for family in event['neighbor']['message'].get('update', {}).get('announce', {}).values():
        for routes in family.values():
            seen.update(route['nlri'] for route in routes)
    if seen >= EXPECTED:
        sys.stderr.write('demo: both routes received, stopping the daemon\n')
        sys.stderr.flush()
        sys.stdout.write('shutdown\n')
        sys.stdout.flush()
