"""Connection collision resolution (RFC 4271 section 6.8).

When two connections to one peer exist and the peer's BGP Identifier is known (its OPEN arrived on
one of them), the connection initiated by the speaker with the higher BGP Identifier is kept; the
other is closed with Cease / Connection Collision Resolution (6/7). BGP Identifiers compare as
unsigned 32-bit integers.
"""

from ipaddress import IPv4Address


def keep_outgoing(local_id: IPv4Address, remote_id: IPv4Address) -> bool:
    """True when the connection we initiated wins, False when the peer's does."""
    return int(local_id) > int(remote_id)
