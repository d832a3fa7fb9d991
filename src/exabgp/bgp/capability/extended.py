"""BGP Extended Message capability, code 6 (RFC 8654): an empty value, messages up to 65535 octets.

Anything in the value is ignored, as 5.0 does.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.capability.base import EmptyCapability
from exabgp.bgp.negotiated import EXTENDED_SIZE


@dataclass(frozen=True, slots=True)
class ExtendedMessage(EmptyCapability):
    CODE: ClassVar[int] = 6

    def json(self) -> str:
        return f'{{ "name": "extended-message", "size": {EXTENDED_SIZE} }}'

    def __str__(self) -> str:
        return f'Extended Message({EXTENDED_SIZE})'
