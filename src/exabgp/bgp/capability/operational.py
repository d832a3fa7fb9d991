"""Operational Message capability, code 185 (draft-ietf-idr-operational-message, ExaBGP's own code).

An empty value; anything in it is ignored, as 5.0 does.
"""

from dataclasses import dataclass
from typing import ClassVar

from exabgp.bgp.capability.base import EmptyCapability


@dataclass(frozen=True, slots=True)
class Operational(EmptyCapability):
    CODE: ClassVar[int] = 185

    def json(self) -> str:
        return '{ "name": "operational" }'

    def __str__(self) -> str:
        return 'Operational'
