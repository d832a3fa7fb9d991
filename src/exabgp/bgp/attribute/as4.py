"""Reconciling AS4_PATH and AS4_AGGREGATOR with AS_PATH and AGGREGATOR (RFC 6793 4.2.3 and 6).

Invariants: works on the parser's attributes by code, before they are frozen.
- On a four-octet session the AS4_ attributes must not be there: they are dropped (RFC 6793 6).
- On a 2-octet session: when both aggregators are present, an AGGREGATOR holding a real AS number
  makes both AS4_ attributes noise (dropped); one holding AS_TRANS is replaced by the AS4_AGGREGATOR.
  Then, when AS_PATH and AS4_PATH are both present, the path becomes the leading part of AS_PATH
  holding as many AS numbers as AS_PATH has more than AS4_PATH, followed by AS4_PATH, neighbouring
  sequences joined; an AS4_PATH holding more AS numbers than AS_PATH is ignored. AS numbers are
  counted as RFC 4271 9.1.2.2 does: a set counts one, confederation segments none.
"""

from exabgp.bgp.attribute.aggregation import AS_TRANS, Aggregator, AS4Aggregator
from exabgp.bgp.attribute.aspath import AS_CONFED_SEQUENCE, AS_SEQUENCE, AS_SET, AS4Path, ASPath, Segment
from exabgp.bgp.attribute.base import Attribute, Code


def count(segments: tuple[Segment, ...]) -> int:
    total = 0
    for kind, asns in segments:
        if kind == AS_SEQUENCE:
            total += len(asns)
        elif kind == AS_SET:
            total += 1
    return total


def _leading(segments: tuple[Segment, ...], wanted: int) -> list[Segment]:
    kept: list[Segment] = []
    for kind, asns in segments:
        if wanted <= 0:
            break
        if kind == AS_SEQUENCE and len(asns) > wanted:
            kept.append((kind, asns[:wanted]))
            break
        kept.append((kind, asns))
        wanted -= count(((kind, asns),))
    return kept


def join_sequences(segments: list[Segment]) -> tuple[Segment, ...]:
    joined: list[Segment] = []
    for kind, asns in segments:
        if joined and kind in (AS_SEQUENCE, AS_CONFED_SEQUENCE) and joined[-1][0] == kind:
            joined[-1] = (kind, joined[-1][1] + asns)
        else:
            joined.append((kind, asns))
    return tuple(joined)


def merge_paths(as_path: ASPath, as4_path: AS4Path) -> ASPath:
    old = as_path.segments
    new = as4_path.segments
    surplus = count(old) - count(new)
    if surplus < 0:
        return as_path
    return ASPath(join_sequences(_leading(old, surplus) + list(new)))


def reconcile(found: dict[int, Attribute], asn4: bool) -> list[int]:
    """Apply RFC 6793 to `found` in place; return the codes dropped because the session is four-octet."""
    if asn4:
        return [code for code in (Code.AS4_PATH, Code.AS4_AGGREGATOR) if found.pop(code, None) is not None]

    aggregator = found.get(Code.AGGREGATOR)
    aggregator4 = found.get(Code.AS4_AGGREGATOR)
    if isinstance(aggregator, Aggregator) and isinstance(aggregator4, AS4Aggregator):
        del found[Code.AS4_AGGREGATOR]
        if aggregator.asn != AS_TRANS:
            found.pop(Code.AS4_PATH, None)
            return []
        found[Code.AGGREGATOR] = Aggregator(aggregator4.asn, aggregator4.speaker)

    as_path = found.get(Code.AS_PATH)
    as4_path = found.get(Code.AS4_PATH)
    if isinstance(as_path, ASPath) and isinstance(as4_path, AS4Path):
        del found[Code.AS4_PATH]
        found[Code.AS_PATH] = merge_paths(as_path, as4_path)
    return []
