"""`exabgp healthcheck` (and `exabgp-healthcheck`): check a service and announce or withdraw its routes."""

import argparse

from exabgp.application.unbuilt import missing
from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('options', nargs=argparse.REMAINDER, help='healthcheck options')


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args, settings
    return missing('healthcheck', 'the healthcheck helper')
