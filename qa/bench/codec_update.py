"""How fast we decode (and encode) UPDATEs: one 1000-prefix UPDATE, and 100k one-prefix UPDATEs.

    PYTHONPATH=src python qa/bench/codec_update.py [--repeat N]

Prints figures, asserts nothing. Each one-prefix UPDATE has its own prefix and the same attributes,
as a full table load looks on the wire; the attributes are parsed every time (no cache).
"""

import argparse
import sys
import time
from ipaddress import IPv4Address

from exabgp.bgp.attribute.attributes import Attributes
from exabgp.bgp.attribute.community import Communities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.origin import IGP, ORIGINS
from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.update import Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri.inet import INET

SESSION = Negotiated(local_as=65000, peer_as=65000, asn4=True)
ATTRIBUTES = Attributes((ORIGINS[IGP], MED(10), LocalPreference(100), Communities((65000 << 16 | 1,))))
NEXTHOP = IPv4Address('192.0.2.1')


def prefixes(count: int) -> list[INET]:
    return [INET.make(IPV4_UNICAST, IPv4Address((10 << 24) + (index << 8)), 24) for index in range(count)]


def rate(label: str, count: int, seconds: float, unit: str) -> None:
    print(f'{label:<44} {count / seconds:>12,.0f} {unit}/s  ({seconds * 1000:,.1f} ms for {count:,})')


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=3, help='runs of each measure; the best is shown')
    repeat = parser.parse_args().repeat

    big = update_pack.announce(IPV4_UNICAST, prefixes(1000), ATTRIBUTES, NEXTHOP, SESSION)
    assert len(big) == 1, 'the 1000 prefixes should fit one message'
    body = big[0][19:]
    loops = 1000
    seconds = best(lambda: [Update.unpack(body, SESSION) for _ in range(loops)], repeat)
    rate('decode one 1000-prefix UPDATE', loops * 1000, seconds, 'prefixes')
    rate('', loops, seconds, 'UPDATEs')

    routes = prefixes(100_000)
    bodies = [update_pack.announce(IPV4_UNICAST, (nlri,), ATTRIBUTES, NEXTHOP, SESSION)[0][19:] for nlri in routes]
    seconds = best(lambda: [Update.unpack(body, SESSION) for body in bodies], repeat)
    rate('decode 100k one-prefix UPDATEs', len(bodies), seconds, 'UPDATEs')

    seconds = best(
        lambda: [update_pack.announce(IPV4_UNICAST, (nlri,), ATTRIBUTES, NEXTHOP, SESSION) for nlri in routes], repeat
    )
    rate('encode 100k one-prefix UPDATEs', len(routes), seconds, 'UPDATEs')
    seconds = best(lambda: update_pack.announce(IPV4_UNICAST, routes, ATTRIBUTES, NEXTHOP, SESSION), repeat)
    rate('encode 100k prefixes, packed to 4096 octets', len(routes), seconds, 'prefixes')

    decoded = [Update.unpack(body, SESSION) for body in bodies]
    route = decoded[0].announced[0]
    per_route = sys.getsizeof(route) + sys.getsizeof(route.nlri) + sys.getsizeof(route.nlri.packed)
    print(f'{"memory per decoded route (Route+NLRI+prefix)":<44} {per_route:>12} octets')
    return 0


if __name__ == '__main__':
    sys.exit(main())
