"""MULTI_EXIT_DISC (type code 4, RFC 4271 5.1.4): a 4-octet unsigned metric, optional non-transitive.

Invariants: those of bgp.attribute.number, whose methods it takes. A length other than four
is treat-as-withdraw (RFC 7606 7.4).
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.attribute.base import Attribute, Code, Flag
from exabgp.bgp.attribute.number import FourOctets


@dataclass(frozen=True, slots=True)
class MED(FourOctets, Attribute):
    CODE: ClassVar[int] = Code.MED
    FLAGS: ClassVar[int] = Flag.OPTIONAL
    NAME: ClassVar[str] = 'med'
    LABEL: ClassVar[str] = 'MED'

    value: int
