"""ATTRIBUTES: what the parser knows of each path attribute type code, built here and nowhere else.

Invariants: one `Entry` per known code: the class decoding it (None for MP_REACH_NLRI and
MP_UNREACH_NLRI, which the parser hands over raw to bgp.attribute.mp), the Optional/Transitive
flags it must carry, and the RFC 7606 action for a malformed value or wrong flags (RFC 7606 3.c
makes a flags error a malformed attribute). `when` says on which sessions it is accepted at all
(AIGP only where configured, as 5.0); elsewhere it is ignored like an unknown non-transitive one.
`internal` marks the attributes RFC 7606 says to discard when an external peer sends them
(LOCAL_PREF 7.5, ORIGINATOR_ID 7.9, CLUSTER_LIST 7.10): the parser drops them with attribute discard.
A code missing here is unknown: kept raw if optional transitive, dropped if optional
non-transitive, a session reset if well-known. `claims`, when set, says whether a value is the
entry's at all; a value it does not claim is handled as an unknown attribute: tunnel encapsulation
(23) is decoded only when it carries an SR policy (ExaBGP 6.0), any other stays raw as in 5.0.15.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from exabgp.bgp.attribute.aggregation import Aggregator, AS4Aggregator, AtomicAggregate
from exabgp.bgp.attribute.aigp import AIGP
from exabgp.bgp.attribute.aspath import AS4Path, ASPath
from exabgp.bgp.attribute.base import Action, Attribute, Code, Flag
from exabgp.bgp.attribute.community import Communities, LargeCommunities
from exabgp.bgp.attribute.extended import ExtendedCommunities, IPv6ExtendedCommunities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.nexthop import NextHop
from exabgp.bgp.attribute.origin import Origin
from exabgp.bgp.attribute.pmsi import PMSI
from exabgp.bgp.attribute.reflection import ClusterList, OriginatorID
from exabgp.bgp.negotiated import Negotiated

OPTIONAL = Flag.OPTIONAL
TRANSITIVE = Flag.TRANSITIVE


@dataclass(frozen=True, slots=True)
class Entry:
    # the class, or 'MODULE:NAME' under exabgp.bgp.attribute for the attributes of the families a
    # unicast daemon does not speak (BGP-LS, Prefix-SID, tunnel encapsulation): imported when first
    # met, so their modules cost nothing at start-up
    codec: type[Attribute] | str | None
    flags: int
    action: Action
    name: str
    when: Callable[[Negotiated], bool] | None = None
    internal: bool = False
    claimer: Callable[[bytes], bool] | str | None = None

    @property
    def cls(self) -> type[Attribute] | None:
        codec = self.codec
        loaded: type[Attribute] | None = _load(codec) if isinstance(codec, str) else codec
        return loaded

    @property
    def claims(self) -> Callable[[bytes], bool] | None:
        claimer = self.claimer
        loaded: Callable[[bytes], bool] | None = _load(claimer) if isinstance(claimer, str) else claimer
        return loaded


# 'MODULE:NAME' -> the object, once imported
_LOADED: dict[str, Any] = {}


def _load(path: str) -> Any:
    found = _LOADED.get(path)
    if found is None:
        module, _, name = path.partition(':')
        found = _LOADED[path] = getattr(importlib.import_module(f'exabgp.bgp.attribute.{module}'), name)
    return found


def _aigp_configured(negotiated: Negotiated) -> bool:
    return negotiated.aigp


TAW = Action.TREAT_AS_WITHDRAW
DISCARD = Action.DISCARD
RESET = Action.RESET

# fmt: off
ATTRIBUTES: dict[int, Entry] = {
    Code.ORIGIN:                  Entry(Origin, TRANSITIVE, TAW, 'ORIGIN'),                             # RFC 7606 7.1
    Code.AS_PATH:                 Entry(ASPath, TRANSITIVE, TAW, 'AS_PATH'),                            # 7.2
    Code.NEXT_HOP:                Entry(NextHop, TRANSITIVE, TAW, 'NEXT_HOP'),                          # 7.3
    Code.MED:                     Entry(MED, OPTIONAL, TAW, 'MULTI_EXIT_DISC'),                         # 7.4
    Code.LOCAL_PREF:              Entry(LocalPreference, TRANSITIVE, TAW, 'LOCAL_PREF', internal=True),  # 7.5
    Code.ATOMIC_AGGREGATE:        Entry(AtomicAggregate, TRANSITIVE, DISCARD, 'ATOMIC_AGGREGATE'),      # 7.6
    Code.AGGREGATOR:              Entry(Aggregator, OPTIONAL | TRANSITIVE, DISCARD, 'AGGREGATOR'),      # 7.7
    Code.COMMUNITY:               Entry(Communities, OPTIONAL | TRANSITIVE, TAW, 'COMMUNITIES'),        # 7.8
    Code.ORIGINATOR_ID:           Entry(OriginatorID, OPTIONAL, TAW, 'ORIGINATOR_ID', internal=True),   # 7.9
    Code.CLUSTER_LIST:            Entry(ClusterList, OPTIONAL, TAW, 'CLUSTER_LIST', internal=True),     # 7.10
    Code.MP_REACH_NLRI:           Entry(None, OPTIONAL, RESET, 'MP_REACH_NLRI'),                        # 7.11, RFC 4760 7
    Code.MP_UNREACH_NLRI:         Entry(None, OPTIONAL, RESET, 'MP_UNREACH_NLRI'),                      # 7.12
    Code.EXTENDED_COMMUNITY:      Entry(ExtendedCommunities, OPTIONAL | TRANSITIVE, TAW, 'EXTENDED_COMMUNITIES'),  # 7.14
    Code.AS4_PATH:                Entry(AS4Path, OPTIONAL | TRANSITIVE, DISCARD, 'AS4_PATH'),           # RFC 6793 6
    Code.AS4_AGGREGATOR:          Entry(AS4Aggregator, OPTIONAL | TRANSITIVE, DISCARD, 'AS4_AGGREGATOR'),  # RFC 6793 6
    Code.PMSI_TUNNEL:             Entry(PMSI, OPTIONAL | TRANSITIVE, TAW, 'PMSI_TUNNEL'),               # RFC 6514 5
    Code.TUNNEL_ENCAP:            Entry('tunnel:TunnelEncap', OPTIONAL | TRANSITIVE, TAW, 'TUNNEL_ENCAPSULATION',
                                        claimer='tunnel:carries_sr_policy'),                            # RFC 9012
    Code.IPV6_EXTENDED_COMMUNITY: Entry(IPv6ExtendedCommunities, OPTIONAL | TRANSITIVE, TAW, 'IPV6_EXTENDED_COMMUNITY'),  # 7.15
    Code.AIGP:                    Entry(AIGP, OPTIONAL, DISCARD, 'AIGP', _aigp_configured),             # RFC 7311 3.2
    Code.BGP_LS:                  Entry('linkstate:LinkState', OPTIONAL, DISCARD, 'BGP_LS'),            # RFC 9552 8.2.2
    Code.LARGE_COMMUNITY:         Entry(LargeCommunities, OPTIONAL | TRANSITIVE, TAW, 'LARGE_COMMUNITY'),  # RFC 8092 6
    Code.BGP_PREFIX_SID:          Entry('prefixsid:PrefixSID', OPTIONAL | TRANSITIVE, DISCARD, 'BGP_PREFIX_SID'),  # RFC 8669 6
}
# fmt: on
