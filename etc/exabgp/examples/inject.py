#!/usr/bin/env python3
"""A route injector: announce routes given in 5.0's text syntax, one per line (from --routes FILE or
stdin), to one neighbor; keep the session up until SIGINT/SIGTERM, then close it with Cease.

    python3 inject.py --peer 192.0.2.1 --peer-as 65001 --local 192.0.2.2 --local-as 65002 <<END
    route 10.0.0.0/24 next-hop self community [65000:1]
    route 10.0.1.0/24 next-hop 192.0.2.2 as-path [65002 65100]
    END

It prints `announced N` once the routes are in the Adj-RIB-Out (they are sent as soon as the
session is up, and again after it comes back).
"""

import asyncio
import signal
import sys
from pathlib import Path

from common import arguments, configuration

from exabgp.speaker import Speaker


async def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument('--routes', help='a file of routes, one a line (default: stdin)')
    options = parser.parse_args()
    text = Path(options.routes).read_text() if options.routes else sys.stdin.read()
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith('#')]

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # the program owns its signals; the library installs none
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)

    async with Speaker(configuration(options)) as speaker:
        changed = await speaker.announce(*lines)
        print(f'announced {changed}', flush=True)
        await stop.wait()
    return 0


if __name__ == '__main__':
    sys.exit(asyncio.run(main()))
