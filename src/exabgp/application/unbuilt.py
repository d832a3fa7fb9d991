"""The answer of a subcommand whose feature has not landed yet: a clear message and exit code 1."""

import sys


def missing(command: str, what: str) -> int:
    sys.stderr.write(f'exabgp {command}: {what} is not built yet in this version\n')
    return 1
