#!/usr/bin/env python3
"""The demo's announcing API process: once its session is up, announce a route with a command.

It reads the events the daemon writes on its stdin (JSON, one per line), writes commands on its
stdout, and stays until the daemon stops (stdin closes): a process that exits is started again.
"""

import json
import sys

COMMAND = 'announce route 198.51.100.0/24 next-hop self med 10 as-path [ 65002 64512 ]'

for line in sys.stdin:
    try:
        event = json.loads(line)
    except ValueError:
        continue  # 'done' and 'error' answer our commands
    if event.get('type') == 'state' and event['neighbor'].get('state') == 'up':
        sys.stdout.write(COMMAND + '\n')
        sys.stdout.flush()
