"""`exabgp env [-d] [-e]`: the settings in ini form (the default) or environment form."""

import argparse
import sys

from exabgp import settings as settings_module
from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('-d', '--diff', help='show only the values that differ from the defaults', action='store_true')
    parser.add_argument('-e', '--env', help='print as environment variables, not ini', action='store_true')


def run(args: argparse.Namespace, settings: Settings) -> int:
    produce = settings_module.env_lines if args.env else settings_module.ini_lines
    sys.stdout.write(''.join(f'{line}\n' for line in produce(settings, args.diff)))
    return 0
