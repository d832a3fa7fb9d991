"""Which codec decodes and encodes the NLRI of each family: the one dispatch table for NLRI.

Invariants:
- `FAMILIES` is written out here, family by family; nothing registers itself at import time.
- A family missing from the table (labeled unicast, VPN, flow, EVPN, VPLS, BGP-LS, MUP, MVPN and
  RTC until their modules land) is not an error: the MP_REACH_NLRI / MP_UNREACH_NLRI codec keeps
  its attribute value as raw bytes (`raw`) and decodes no route from it, the UPDATE carries it in
  `unparsed` for the log, and no RFC 7606 action is taken. Only an NLRI we can read can be judged
  malformed; 5.0 knows these families, so resetting over them would be worse than ignoring them.
"""

from exabgp.bgp.family import IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, Family
from exabgp.bgp.nlri.base import NLRI
from exabgp.bgp.nlri.inet import INET

FAMILIES: dict[Family, type[NLRI]] = {
    IPV4_UNICAST: INET,
    IPV4_MULTICAST: INET,
    IPV6_UNICAST: INET,
    IPV6_MULTICAST: INET,
}
