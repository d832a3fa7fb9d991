"""Operational Message capability, code 185 (draft-ietf-idr-operational-message, ExaBGP's own code).

An empty value; anything in it is ignored, as 5.0 does.
"""

from dataclasses import dataclass
from typing import ClassVar, Self

from exabgp.bgp.capability.base import Capability, tlv


@dataclass(frozen=True, slots=True)
class Operational(Capability):
    CODE: ClassVar[int] = 185

    @classmethod
    def unpack(cls, value: bytes) -> Self:
        return cls()

    def pack(self) -> bytes:
        return tlv(self.CODE, b'')

    def json(self) -> str:
        return '{ "name": "operational" }'

    def __str__(self) -> str:
        return 'Operational'
