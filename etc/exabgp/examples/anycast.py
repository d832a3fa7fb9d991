#!/usr/bin/env python3
"""An anycast health checker: announce a service's prefix while the service answers, withdraw it
when it does not. The check is a TCP connection to --service HOST:PORT every --interval seconds;
--rise good checks in a row announce, --fall bad ones withdraw.

    python3 anycast.py --peer 192.0.2.1 --service 127.0.0.1:53 --prefix 198.51.100.53/32

Each change is printed (`announce PREFIX`, `withdraw PREFIX`).
"""

import asyncio
import contextlib
import signal
import sys

from common import arguments, configuration

from exabgp.speaker import SELF, Speaker, route


async def healthy(host: str, port: int, timeout: float) -> bool:
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host, port)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument('--service', required=True, help='HOST:PORT to connect to')
    parser.add_argument('--prefix', required=True, help='the anycast prefix of the service')
    parser.add_argument('--next-hop', default='self')
    parser.add_argument('--interval', type=float, default=5.0)
    parser.add_argument('--rise', type=int, default=2)
    parser.add_argument('--fall', type=int, default=2)
    options = parser.parse_args()
    host, _, port = options.service.rpartition(':')
    service = route(options.prefix, SELF if options.next_hop == 'self' else options.next_hop)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)

    async with Speaker(configuration(options)) as speaker:
        announced = False
        streak = 0
        while not stop.is_set():
            good = await healthy(host.strip('[]'), int(port), options.interval)
            # a streak counts checks that disagree with what is announced
            streak = streak + 1 if good != announced else 0
            if streak >= (options.rise if good else options.fall):
                streak = 0
                announced = good
                if good:
                    await speaker.announce(service)
                else:
                    await speaker.withdraw(service)
                print(f'{"announce" if good else "withdraw"} {options.prefix}', flush=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), options.interval)
        if announced:
            # leaving: the route is withdrawn before the session closes
            await speaker.withdraw(service)
    return 0


if __name__ == '__main__':
    sys.exit(asyncio.run(main()))
