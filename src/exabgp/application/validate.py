"""`exabgp validate [-n] [-r] [-v] [-p] CONF...` (also `exabgp configuration validate`)."""

import argparse

from exabgp.application.unbuilt import missing
from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('-n', '--neighbor', help='check the parsing of the neighbors', action='store_true')
    parser.add_argument('-r', '--route', help='check the parsing of the routes', action='store_true')
    parser.add_argument('-v', '--verbose', help='be verbose', action='store_true')
    parser.add_argument('-p', '--pdb', help='start the python debugger on fault', action='store_true')
    parser.add_argument('configuration', help='configuration file(s)', nargs='+', type=str)


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args, settings
    return missing('validate', 'the configuration parser')
