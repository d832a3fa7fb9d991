"""The BGP Prefix-SID attribute as routes write it (RFC 8669, RFC 9252), in 5.0's grammar.

    bgp-prefix-sid [ INDEX ]                                       the label index
    bgp-prefix-sid [ INDEX, [ ( BASE,SIZE ), ( BASE,SIZE ) ... ] ] and the originator SRGB
    bgp-prefix-sid-srv6 ( l3-service|l2-service SID [ BEHAVIOR [ [ B,N,F,A,TL,TO ] ] ] )

Invariants: the index fits 32 bits, an SRGB base and size 24 bits, an endpoint behaviour 16 bits
(decimal or 0x hex; 0xFFFF, opaque, when not written, as 5.0), the six SID structure lengths 8 bits
each (decimal or 0x hex). The SRv6 form carries one SID Information sub-TLV, with a SID Structure
sub-sub-TLV when the lengths are written. Errors are `ConfigError`s at the offending word.
"""

from ipaddress import IPv6Address

from exabgp.bgp.attribute.prefixsid import (
    L2_SERVICE,
    L3_SERVICE,
    OPAQUE_BEHAVIOR,
    TLV,
    LabelIndex,
    OriginatorSRGB,
    PrefixSID,
    Service,
    SIDInformation,
    SIDStructure,
)
from exabgp.configuration.cursor import Cursor

U24 = 0xFFFFFF
U32 = 0xFFFFFFFF
_SERVICES = {'l3-service': L3_SERVICE, 'l2-service': L2_SERVICE}


def _number(cursor: Cursor, what: str, high: int, hexadecimal: bool = False) -> int:
    word = cursor.expect(what)
    try:
        if hexadecimal and word.lower().startswith('0x'):
            value = int(word[2:], 16)
        elif word.isdigit() and word.isascii():
            value = int(word)
        else:
            raise ValueError(word)
    except ValueError:
        raise cursor.fail(f"'{word}' is not a valid {what}") from None
    if value > high:
        raise cursor.fail(f"'{word}' is not a valid {what}, the largest is {high}")
    return value


def _mark(cursor: Cursor, mark: str, what: str) -> None:
    word = cursor.next()
    if not cursor.is_punctuation(word, mark):
        if word:
            raise cursor.fail(f"expected '{mark}' in {what} but found '{word}'")
        raise cursor.fail_here(f"expected '{mark}' in {what}")


def prefix_sid(cursor: Cursor) -> PrefixSID:
    """`[ INDEX ]` or `[ INDEX, [ ( BASE,SIZE ) ... ] ]`."""
    what = 'bgp-prefix-sid'
    _mark(cursor, '[', what)
    index = _number(cursor, 'label index', U32)
    ranges: list[tuple[int, int]] = []
    depth = 1
    while depth:
        word = cursor.next()
        if not word:
            raise cursor.fail_here(f"missing ']' to close the {what}")
        if cursor.is_punctuation(word, ','):
            continue
        if cursor.is_punctuation(word, '['):
            depth += 1
        elif cursor.is_punctuation(word, ']'):
            depth -= 1
        elif cursor.is_punctuation(word, '('):
            base = _number(cursor, 'SRGB base', U24)
            if cursor.peek() == ',':
                cursor.next()
            size = _number(cursor, 'SRGB range size', U24)
            _mark(cursor, ')', 'an SRGB range')
            ranges.append((base, size))
        else:
            raise cursor.fail(f"unexpected '{word}' in {what} (expecting [ INDEX, [ ( BASE,SIZE ) ... ] ])")
    tlvs: list[TLV] = [LabelIndex(index)]
    if ranges:
        tlvs.append(OriginatorSRGB(tuple(ranges)))
    return PrefixSID.make(tuple(tlvs))


def prefix_sid_srv6(cursor: Cursor) -> PrefixSID:
    """`( l3-service|l2-service SID [BEHAVIOR [ [B,N,F,A,TL,TO] ] ] )`."""
    what = 'bgp-prefix-sid-srv6'
    _mark(cursor, '(', what)
    service = cursor.expect('l3-service or l2-service')
    if service not in _SERVICES:
        raise cursor.fail(f"expected 'l3-service' or 'l2-service' but found '{service}'")
    word = cursor.expect('SRv6 SID')
    try:
        sid = IPv6Address(word)
    except ValueError:
        raise cursor.fail(f"'{word}' is not a valid SRv6 SID (an IPv6 address)") from None
    behavior = OPAQUE_BEHAVIOR
    subs: tuple[SIDStructure, ...] = ()
    if cursor.peek() and cursor.peek() != ')':
        behavior = _number(cursor, 'endpoint behavior', 0xFFFF, hexadecimal=True)
        if cursor.peek() == '[':
            cursor.next()
            lengths = []
            for position in range(6):
                if position:
                    _mark(cursor, ',', 'the SID structure')
                lengths.append(_number(cursor, 'SID structure length', 0xFF, hexadecimal=True))
            _mark(cursor, ']', 'the SID structure')
            a, b, c, d, e, f = lengths
            subs = (SIDStructure((a, b, c, d, e, f)),)
    _mark(cursor, ')', what)
    information = SIDInformation(sid, behavior, 0, subs)
    return PrefixSID.make((Service(_SERVICES[service], (information,)),))


def text(attribute: PrefixSID) -> str:
    """The words writing `attribute` back (configuration dump): the forms above, or for a value no
    configuration writes (a received unknown TLV), the generic `attribute [ CODE FLAGS DATA ]`."""
    tlvs = attribute.tlvs
    if tlvs and isinstance(tlvs[0], LabelIndex) and len(tlvs) <= 2:
        if len(tlvs) == 1:
            return f'bgp-prefix-sid [ {tlvs[0].index} ]'
        if isinstance(tlvs[1], OriginatorSRGB):
            ranges = ', '.join(f'( {base},{size} )' for base, size in tlvs[1].ranges)
            return f'bgp-prefix-sid [ {tlvs[0].index}, [ {ranges} ] ]'
    if len(tlvs) == 1 and isinstance(tlvs[0], Service) and len(tlvs[0].subs) == 1:
        information = tlvs[0].subs[0]
        service = 'l3-service' if tlvs[0].kind == L3_SERVICE else 'l2-service'
        if isinstance(information, SIDInformation) and not information.flags:
            head = f'bgp-prefix-sid-srv6 ( {service} {information.sid} 0x{information.behavior:x}'
            if not information.subs:
                return f'{head} )'
            structure = information.subs[0]
            if len(information.subs) == 1 and isinstance(structure, SIDStructure):
                return f'{head} [{",".join(str(length) for length in structure.lengths)}] )'
    return f'attribute [ 0x{attribute.CODE:02x} 0x{attribute.FLAGS:02x} 0x{attribute.packed.hex()} ]'
