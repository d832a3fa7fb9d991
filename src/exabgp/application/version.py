"""`exabgp version`: our release, the Python running us and the platform, as 5.0 prints them."""

import argparse
import os
import sys

from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    del parser


def lines(settings: Settings) -> list[str]:
    python = sys.version.replace('\n', ' ')
    # the five fields platform.uname() gives first, from os.uname() (the same values on a POSIX
    # system): importing platform costs ~1 ms at every start of the daemon, which logs these lines
    system = os.uname()
    uname = ' '.join((system.sysname, system.nodename, system.release, system.version, system.machine))
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return [f'ExaBGP : {settings.version}', f'Python : {python}', f'Uname  : {uname}', f'From   : {package}']


def run(args: argparse.Namespace, settings: Settings) -> int:
    del args
    sys.stdout.write(''.join(f'{line}\n' for line in lines(settings)))
    return 0
