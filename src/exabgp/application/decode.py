"""`exabgp decode [flags] HEX`: decode a BGP message (or NLRI) and print it as 5.0's JSON."""

import argparse

from exabgp.application.unbuilt import missing
from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('-n', '--nlri', help='the data is only the NLRI', action='store_true')
    parser.add_argument('-u', '--update', help='the data is an update message', action='store_true')
    parser.add_argument('-o', '--open', help='the data is an open message', action='store_true')
    parser.add_argument('-d', '--debug', help='start the python debugger on errors', action='store_true')
    parser.add_argument('-p', '--pdb', help='start the python debugger on fault', action='store_true')
    parser.add_argument('-c', '--configuration', help='configuration file describing the session', type=str)
    parser.add_argument('-f', '--family', help='family expected (as "ipv4 unicast")', type=str)
    parser.add_argument('-i', '--path-information', help='decode path-information', action='store_true')
    parser.add_argument('payload', help='the BGP payload in hexadecimal', type=str)


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args, settings
    return missing('decode', 'the BGP codec')
