"""`exabgp server [flags] CONF...`: run the daemon on one or more configuration files.

The flags are 5.0's; they turn into setting changes here, so the rest of the daemon only ever reads
the one `Settings` object.
"""

import argparse

from exabgp.application.unbuilt import missing
from exabgp.settings import Settings


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('-v', '--verbose', help='log everything', action='store_true')
    parser.add_argument(
        '-d', '--debug', help='start the python debugger on issue (implies -v, -p)', action='store_true'
    )
    parser.add_argument('-s', '--signal', help='send SIGUSR1 (reload) to ourselves after N seconds', type=int)
    parser.add_argument('-1', '--once', help='only one connection attempt per peer', action='store_true')
    parser.add_argument(
        '-p', '--pdb', help='start the python debugger on fault (exabgp.pdb.enable=true)', action='store_true'
    )
    parser.add_argument('-P', '--passive', help='only accept incoming connections', action='store_true')
    parser.add_argument('-m', '--memory', help='report memory usage on exit', action='store_true')
    parser.add_argument('--profile', help='profile the daemon and save the result in this file', type=str, default='')
    parser.add_argument('configuration', help='configuration file(s)', nargs='+', type=str)


def apply_flags(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings the flags ask for, as 5.0 maps each flag onto a setting."""
    changes: dict[str, object] = {}
    if args.verbose or args.debug:
        changes.update({'log.all': True, 'log.level': 'DEBUG', 'log.short': False})
    if args.debug or args.pdb:
        changes['debug.pdb'] = True
    if args.profile:
        changes.update({'profile.enable': True, 'profile.file': args.profile})
    if args.once:
        changes.update({'tcp.once': True, 'tcp.attempts': 1})
    if args.memory:
        changes['debug.memory'] = True
    if args.passive:
        changes['bgp.passive'] = True
    return settings.replace(changes) if changes else settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    apply_flags(args, settings)
    return missing('server', 'the reactor (peers, sessions and API processes)')
