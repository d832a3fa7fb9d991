"""`exabgp cli CMD...` (and `exabgp-cli`): send a command to a running daemon and print the answer."""

import argparse

from exabgp.application.unbuilt import missing
from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--pipename', dest='pipename', help='name of the pipes', required=False)
    parser.add_argument('command', nargs='*', help='command to run on the daemon')


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args, settings
    return missing('cli', 'the control channel to a running daemon')
