"""The text encoder's lines for session events, as ExaBGP 5.0 writes them.

Invariants: the same names as json_events. 5.0's text encoder writes nothing for negotiated, fsm
and signal events: those return None. Lines end with 5.0's newline; the writer adds one more.
"""

from exabgp.api.envelope import Peer, packets_suffix
from exabgp.api.text_messages import oneline
from exabgp.bgp.negotiated import Negotiated


def state(peer: Peer, name: str, reason: str = '') -> str:
    if name == 'down':
        return f'neighbor {peer.peer_address} down - {oneline(reason)}\n'
    return f'neighbor {peer.peer_address} {name}\n'


def negotiated(peer: Peer, value: Negotiated) -> None:
    return None


def fsm(peer: Peer, name: str) -> None:
    return None


def signal(peer: Peer, number: int, name: str) -> None:
    return None


def packets(peer: Peer, direction: str, category: int, header: bytes, body: bytes) -> str:
    return f'neighbor {peer.peer_address} {direction} {category}{packets_suffix(header, body)}\n'


def shutdown(pid: int, ppid: int) -> str:
    return f'shutdown {pid} {ppid}\n'
