"""LOCAL_PREF (type code 5, RFC 4271 5.1.5): a 4-octet preference, well-known, sent to internal peers.

Invariants: those of bgp.attribute.number, whose methods it takes. A length other than four
is treat-as-withdraw (RFC 7606 7.5). `Attributes.pack` leaves it out on external sessions.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag
from exabgp.bgp.attribute.number import FourOctets


@dataclass(frozen=True, slots=True)
class LocalPreference(FourOctets, Attribute):
    CODE: ClassVar[int] = Code.LOCAL_PREF
    FLAGS: ClassVar[int] = Flag.TRANSITIVE
    NAME: ClassVar[str] = 'local-preference'
    LABEL: ClassVar[str] = 'local preference'

    value: int
