"""What the kernel lets us see of TCP MD5 (RFC 2385) failures.

A segment whose signature cannot be checked is dropped without an answer, so a session that fails
authentication looks like a peer that is not there: the connection attempt times out, or nothing
ever arrives. Linux counts those drops per network namespace (/proc/net/netstat, TcpExt):

- TCPMD5NotFound: an unsigned segment from an address we hold a key for (the other side has no
  password for this session, or nothing listens there: the kernel's refusal, a RST, is unsigned);
- TCPMD5Unexpected: a signed segment from an address we hold no key for (a password there, none
  here for that address);
- TCPMD5Failure: a signed segment whose signature is wrong (the passwords differ).

Invariants: reading never raises; where the file or a counter is missing (not Linux), nothing is
counted and no warning is ever built. The counts are the namespace's, not one socket's, so what is
said from them is a likely cause, never a certainty.
"""

NETSTAT = '/proc/net/netstat'

CAUSES = {
    'TCPMD5NotFound': (
        'unsigned segments arrived from a peer we hold a key for (no password on its side, '
        'or nothing listening there: a refusal is not signed)'
    ),
    'TCPMD5Unexpected': 'signed segments arrived from an address we hold no key for (no password here for it)',
    'TCPMD5Failure': 'segments arrived with a wrong signature (the passwords differ)',
}


def read(path: str = NETSTAT) -> dict[str, int]:
    """The kernel's MD5 drop counters, by name; empty where they cannot be read."""
    try:
        with open(path) as handle:
            lines = handle.read().splitlines()
    except OSError:
        return {}
    counters: dict[str, int] = {}
    # the file is pairs of lines: `TcpExt: names...` then `TcpExt: values...`
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if not names.startswith('TcpExt:') or not values.startswith('TcpExt:'):
            continue
        for name, value in zip(names.split()[1:], values.split()[1:], strict=False):
            if name in CAUSES and value.isdigit():
                counters[name] = int(value)
    return counters


def moved(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The counters that went up from `before` to `after`, by how much (one missing from either
    is not counted: nothing can be said of it)."""
    common = [name for name in CAUSES if name in before and name in after]
    return {name: after[name] - before[name] for name in common if after[name] > before[name]}


def explain(drops: dict[str, int]) -> str:
    """The drops in words: '3 unsigned segments arrived ... (TCPMD5NotFound +3); ...'."""
    return '; '.join(f'{CAUSES[name]} ({name} +{count})' for name, count in drops.items())


class Watch:
    """The counters since the last look."""

    def __init__(self, path: str = NETSTAT) -> None:
        self.path = path
        self.last = read(path)

    def since(self) -> dict[str, int]:
        """The counters that moved since the last call (or since the watch began)."""
        now = read(self.path)
        drops = moved(self.last, now)
        self.last = now
        return drops
