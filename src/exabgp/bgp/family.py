"""Address families: AFI and SAFI codes with the names ExaBGP 5.0 uses.

Invariants: `AFI` and `SAFI` are IntEnums, so they compare equal to their wire codes; an unknown
code is kept as a plain int and named `unknown-afi-0x..` / `unknown safi N` as 5.0 does (AFI 0: `undefined`).
A `Family` is a (afi, safi) named tuple: hashable, cheap, usable as a dict key everywhere.
"""

from enum import IntEnum
from typing import NamedTuple


class AFI(IntEnum):
    IPV4 = 1
    IPV6 = 2
    L2VPN = 25
    BGP_LS = 16388

    @property
    def label(self) -> str:
        return _AFI_NAMES[self]


class SAFI(IntEnum):
    UNICAST = 1
    MULTICAST = 2
    NLRI_MPLS = 4
    MCAST_VPN = 5
    VPLS = 65
    EVPN = 70
    BGP_LS = 71
    BGP_LS_VPN = 72
    SR_POLICY = 73
    MUP = 85
    MPLS_VPN = 128
    RTC = 132
    FLOW_IP = 133
    FLOW_VPN = 134

    @property
    def label(self) -> str:
        return _SAFI_NAMES[self]


# keyed by int: a name is looked up by wire code, which may be no member
_AFI_NAMES: dict[int, str] = {AFI.IPV4: 'ipv4', AFI.IPV6: 'ipv6', AFI.L2VPN: 'l2vpn', AFI.BGP_LS: 'bgp-ls'}
_SAFI_NAMES: dict[int, str] = {
    SAFI.UNICAST: 'unicast',
    SAFI.MULTICAST: 'multicast',
    SAFI.NLRI_MPLS: 'nlri-mpls',
    SAFI.MCAST_VPN: 'mcast-vpn',
    SAFI.VPLS: 'vpls',
    SAFI.EVPN: 'evpn',
    SAFI.BGP_LS: 'bgp-ls',
    SAFI.BGP_LS_VPN: 'bgp-ls-vpn',
    SAFI.SR_POLICY: 'sr-policy',
    SAFI.MUP: 'mup',
    SAFI.MPLS_VPN: 'mpls-vpn',
    SAFI.RTC: 'rtc',
    SAFI.FLOW_IP: 'flow',
    SAFI.FLOW_VPN: 'flow-vpn',
}
AFI_BY_NAME = {afi.label: afi for afi in AFI}
SAFI_BY_NAME = {safi.label: safi for safi in SAFI}


def afi(code: int) -> AFI | int:
    try:
        return AFI(code)
    except ValueError:
        return code


def safi(code: int) -> SAFI | int:
    try:
        return SAFI(code)
    except ValueError:
        return code


def afi_name(code: int) -> str:
    if code == 0:  # 5.0 names the reserved AFI 0 'undefined' (it is no name the configuration accepts)
        return 'undefined'
    return _AFI_NAMES.get(code, f'unknown-afi-{code:#x}')


def safi_name(code: int) -> str:
    return _SAFI_NAMES.get(code, f'unknown safi {int(code)}')


class Family(NamedTuple):
    afi: int
    safi: int

    @classmethod
    def of(cls, afi_code: int, safi_code: int) -> 'Family':
        return cls(afi(afi_code), safi(safi_code))

    @classmethod
    def parse(cls, text: str) -> 'Family':
        """'ipv4 unicast' or 'ipv4/unicast' -> Family; KeyError when either name is unknown."""
        afi_text, safi_text = text.replace('/', ' ').split()
        return cls(AFI_BY_NAME[afi_text.lower()], SAFI_BY_NAME[safi_text.lower()])

    def __str__(self) -> str:
        """'ipv4 unicast': the form of update JSON keys and of the configuration."""
        return f'{afi_name(self.afi)} {safi_name(self.safi)}'

    @property
    def slashed(self) -> str:
        """'ipv4/unicast': the form of OPEN capability JSON."""
        return f'{afi_name(self.afi)}/{safi_name(self.safi)}'


IPV4_UNICAST = Family(AFI.IPV4, SAFI.UNICAST)
IPV4_MULTICAST = Family(AFI.IPV4, SAFI.MULTICAST)
IPV6_UNICAST = Family(AFI.IPV6, SAFI.UNICAST)
IPV6_MULTICAST = Family(AFI.IPV6, SAFI.MULTICAST)
