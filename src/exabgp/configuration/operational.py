"""`operational { KIND afi A safi S ...; }`: operational messages (draft-ietf-idr-operational-message).

    asm|adm afi A safi S advisory "TEXT";                     advisory (ASM, ADM)
    rpcq|apcq|lpcq afi A safi S sequence N;                   queries
    rpcp|apcp|lpcp afi A safi S sequence N counter N;         responses

The fields come in this order (5.0's); `router-id IPV4` may be given as well. Limits are 5.0's: a
sequence fits in 32 bits, a counter in 64, an advisory in 2046 octets of UTF-8.
"""

from ipaddress import IPv4Address

from exabgp.bgp.family import AFI_BY_NAME, SAFI_BY_NAME, Family
from exabgp.configuration import values
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.model import Operational

FIELDS = {
    'asm': ('afi', 'safi', 'advisory'),
    'adm': ('afi', 'safi', 'advisory'),
    'rpcq': ('afi', 'safi', 'sequence'),
    'apcq': ('afi', 'safi', 'sequence'),
    'lpcq': ('afi', 'safi', 'sequence'),
    'rpcp': ('afi', 'safi', 'sequence', 'counter'),
    'apcp': ('afi', 'safi', 'sequence', 'counter'),
    'lpcp': ('afi', 'safi', 'sequence', 'counter'),
}
ADVISORY_MAX = 2046
LIMITS = {'sequence': 0xFFFFFFFF, 'counter': 0xFFFFFFFFFFFFFFFF}


def parse(cursor: Cursor) -> Operational:
    kind = cursor.words[0].lower()
    if kind not in FIELDS:
        raise cursor.fail_at(0, f"invalid keyword '{kind}' in operational")
    # every kind starts with afi and safi (FIELDS): they are set before the value is built
    afi = safi = 0
    advisory = ''
    numbers: dict[str, int] = {}
    router_id: IPv4Address | None = None
    for expected in FIELDS[kind]:
        keyword = cursor.expect(expected).lower()
        if keyword == 'router-id':
            router_id = values.ipv4(cursor, 'router-id')
            keyword = cursor.expect(expected).lower()
        if keyword != expected:
            raise cursor.fail(f"expected '{expected}' but found '{keyword}'")
        if expected == 'afi':
            word = cursor.expect('afi').lower()
            if word not in AFI_BY_NAME:
                raise cursor.fail(f"'{word}' is an invalid afi")
            afi = AFI_BY_NAME[word]
        elif expected == 'safi':
            word = cursor.expect('safi').lower()
            if word not in SAFI_BY_NAME:
                raise cursor.fail(f"'{word}' is an invalid safi")
            safi = SAFI_BY_NAME[word]
        elif expected == 'advisory':
            text = cursor.expect('advisory')
            if len(text.encode('utf-8')) > ADVISORY_MAX:
                raise cursor.fail(f'the advisory is longer than {ADVISORY_MAX} octets')
            advisory = text
        else:
            numbers[expected] = values.integer(cursor, expected, 0, LIMITS[expected])
    if cursor.peek().lower() == 'router-id':
        cursor.next()
        router_id = values.ipv4(cursor, 'router-id')
    cursor.done()
    return Operational(
        kind=kind,
        family=Family(afi, safi),
        advisory=advisory,
        sequence=numbers.get('sequence', 0),
        counter=numbers.get('counter', 0),
        router_id=router_id,
    )
