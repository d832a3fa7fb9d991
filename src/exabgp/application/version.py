"""`exabgp version`: our release, the Python running us and the platform, as 5.0 prints them."""

import argparse
import os
import platform
import sys

from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    del parser


def lines(settings: Settings) -> list[str]:
    python = sys.version.replace('\n', ' ')
    # the five fields by name: a slice of uname() also works out the processor, with a `uname -p` process
    system = platform.uname()
    uname = ' '.join((system.system, system.node, system.release, system.version, system.machine))
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return [f'ExaBGP : {settings.version}', f'Python : {python}', f'Uname  : {uname}', f'From   : {package}']


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args
    sys.stdout.write(''.join(f'{line}\n' for line in lines(settings)))
    return 0
