"""`exabgp validate [-n] [-r] [-v] [-p] CONF...` (also `exabgp configuration validate`).

Each file is loaded on its own, as 5.0 does. A valid file logs `loading FILE` and `✓ loading` (5.0's
lines, on the `configuration` topic); an invalid one prints one `FILE:LINE:COLUMN: message, found TOKEN`
with the line and a caret per problem (all of them) on stderr, and the command exits 1 at the first
invalid file. A warning (a form 5.0 accepts silently: a section the end of the file closes, a keyword
written twice) is printed the same way, marked `warning:`; `--strict` makes warnings errors. `-v` logs everything, including
each neighbor written back as configuration. `-n` and `-r` re-encode what was loaded (the neighbors'
OPEN capabilities, the routes' UPDATEs), decode it back and report any difference.
"""

import argparse
import logging
import os
import sys

from exabgp.configuration import selfcheck
from exabgp.configuration.dump import dump_neighbor
from exabgp.configuration.errors import ConfigError
from exabgp.configuration.model import Config
from exabgp.configuration.parser import checked
from exabgp.configuration.process import Context
from exabgp.logger import get
from exabgp.settings import Settings

log = get('configuration')


def setargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('-n', '--neighbor', help='check the parsing of the neighbors', action='store_true')
    parser.add_argument('-r', '--route', help='check the parsing of the routes', action='store_true')
    parser.add_argument('-v', '--verbose', help='be verbose', action='store_true')
    parser.add_argument('-p', '--pdb', help='start the python debugger on fault', action='store_true')
    parser.add_argument('-s', '--strict', help='treat warnings as errors', action='store_true')
    parser.add_argument('configuration', help='configuration file(s)', nargs='+', type=str)


def context(settings: Settings) -> Context:
    """What the configuration needs from the process environment."""
    path = os.environ.get('PATH', '')
    return Context(
        search_path=tuple(directory for directory in path.split(':') if directory),
        etc=os.environ.get('EXABGP_ETC', ''),
        cwd=os.environ.get('PWD', '') or os.getcwd(),
        passive=bool(settings.bgp.passive),
    )


def _verbose(settings: Settings) -> Settings:
    return settings.replace({'log.all': True, 'log.level': 'DEBUG', 'log.parser': True})


def check(config: Config, neighbors: bool, routes: bool, version: str) -> list[str]:
    """`-n`: the OPENs encode and decode back; `-r`: the routes encode and decode back."""
    problems: list[str] = []
    if neighbors:
        log.warning('checking neighbors')
        for neighbor in config.neighbors:
            found = selfcheck.neighbor(neighbor, version)
            problems.extend(found)
            if not found:
                log.info(f'\u2713 neighbor  {neighbor.peer()}')
    if routes:
        log.warning('checking routes')
        found = [problem for neighbor in config.neighbors for problem in selfcheck.routes(neighbor, version)]
        problems.extend(found)
        if not found:
            log.info('\u2713 routes')
    return problems


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.verbose:
        from exabgp.application import logs

        settings = _verbose(settings)
        logs.configure(settings)
    where = context(settings)
    for path in args.configuration:
        log.info(f'loading {path}')
        if not os.path.isfile(path):
            message = f'{path} is not an exabgp config file (file not found)'
            log.critical(message)
            sys.stderr.write(f'error: {message}\n')
            return 1
        try:
            config, warnings = checked(path, where, strict=args.strict or settings.configuration.strict)
        except ConfigError as exc:
            log.critical(f'{path} is not a valid config file')
            sys.stderr.write(f'{exc.report()}\n')
            if args.pdb:
                import pdb

                pdb.post_mortem(exc.__traceback__)
            return 1
        for warning in warnings:
            sys.stderr.write(f'{warning.warning()}\n')
        log.info('\u2713 loading')
        if log.isEnabledFor(logging.DEBUG):
            for neighbor in config.neighbors:
                log.debug(f'{path} is understood as:\n{dump_neighbor(neighbor)}')
        problems = check(config, args.neighbor, args.route, settings.version)
        if problems:
            for problem in problems:
                log.critical(problem)
                sys.stderr.write(f'{path}: {problem}\n')
            return 1
    return 0
