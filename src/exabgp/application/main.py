"""The `exabgp` command: subcommand dispatch, settings and logging set up once.

`exabgp CONF...` (the 4.x form) means `exabgp server CONF...`; `exabgp configuration validate` is
main's spelling of `exabgp validate`. `--env-file PATH` (or `EXABGP_ENVFILE`) chooses the ini file
before anything reads it.
"""

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from exabgp import settings as settings_module
from exabgp.application import logs
from exabgp.settings import SettingError

# name -> (module, summary). Only the module of the command given is imported: `exabgp decode`
# or `exabgp cli` would otherwise pay for the daemon's imports (asyncio, the reactor, the
# configuration grammar) at every start.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    'version': ('exabgp.application.version', 'report the version'),
    'cli': ('exabgp.application.cli', 'control a running daemon'),
    'healthcheck': ('exabgp.application.healthcheck', 'monitor a service and announce or withdraw its routes'),
    'env': ('exabgp.application.environ', 'show the settings'),
    'decode': ('exabgp.application.decode', 'decode hex-encoded BGP messages'),
    'encode': ('exabgp.application.encode', 'encode a route into the hex of its BGP UPDATE (upstream 6.0)'),
    'mrt': ('exabgp.application.mrt', 'print or replay MRT files (TABLE_DUMP_V2, BGP4MP)'),
    'server': ('exabgp.application.server', 'start the daemon'),
    'validate': ('exabgp.application.validate', 'validate configuration files'),
}

# Logging set up for these commands only: the others print their answer and nothing else.
LOGGING = ('server', 'validate', 'decode', 'configuration', 'mrt')

DESCRIPTION = """\
The BGP swiss army knife of networking, on asyncio.

A configuration file can be passed directly:
  exabgp config.conf     (the same as: exabgp server config.conf)

The settings file can be chosen:
  exabgp --env-file /path/to/exabgp.env server config.conf
  EXABGP_ENVFILE=/path/to/exabgp.env exabgp server config.conf
"""


def _split_env_file(argv: list[str]) -> tuple[list[str], str | None]:
    for index, arg in enumerate(argv):
        if arg == '--env-file' and index + 1 < len(argv):
            return argv[:index] + argv[index + 2 :], argv[index + 1]
        if arg.startswith('--env-file='):
            return argv[:index] + argv[index + 1 :], arg.split('=', 1)[1]
    return argv, None


def _normalise(argv: list[str]) -> list[str]:
    if not argv or '-h' in argv or '--help' in argv:
        return argv
    if argv[0] not in SUBCOMMANDS and argv[0] != 'configuration':
        return ['server', *argv]
    return argv


def _module(name: str) -> ModuleType:
    return importlib.import_module(SUBCOMMANDS[name][0])


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `chosen`, only that command's arguments are known (the others are
    listed, and their modules left unimported)."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog='exabgp',
        description=DESCRIPTION,
        epilog='settings:\n' + '\n'.join(f'  {line}' for line in settings_module.help_lines()),
        formatter_class=formatter,
    )
    subparsers = parser.add_subparsers(dest='command')
    for name, (_, summary) in SUBCOMMANDS.items():
        if chosen is not None and name != chosen:
            subparsers.add_parser(name, help=summary)
            continue
        module = _module(name)
        sub = subparsers.add_parser(name, help=summary, description=module.__doc__, formatter_class=formatter)
        module.setargs(sub)
        sub.set_defaults(module=module)
    configuration = subparsers.add_parser('configuration', help='configuration tools (validate)')
    if chosen is None or chosen == 'configuration':
        validate = _module('validate')
        actions = configuration.add_subparsers(dest='action', required=True)
        sub = actions.add_parser('validate', help='validate configuration files', description=validate.__doc__)
        validate.setargs(sub)
        sub.set_defaults(module=validate)
    return parser


# Every command allocates a few objects per route and keeps most of them (RIBs, the configuration);
# with CPython's default of a young collection every 700 allocations, collections cost several
# percent of a big table's load or decode. Our objects are nearly all acyclic, freed by reference
# counting, so rarer collections cost little memory.
GC_THRESHOLDS = (50_000, 20, 100)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    arguments, env_file = _split_env_file(arguments)
    arguments = _normalise(arguments)
    chosen = arguments[0] if arguments and arguments[0] not in ('-h', '--help') else None
    parser = build_parser(chosen if chosen in SUBCOMMANDS or chosen == 'configuration' else None)
    args = parser.parse_args(arguments)
    if getattr(args, 'module', None) is None:
        parser.print_help()
        return 1

    root = settings_module.default_root(sys.argv[0], os.environ)
    try:
        settings = settings_module.load(
            os.environ, env_file or settings_module.default_env_file(root, os.environ), root
        )
    except SettingError as exc:
        sys.stderr.write(f'exabgp: {exc}\n')
        return 1

    if args.command in LOGGING:
        logs.configure(settings)
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return args.module.run(args, settings)
    except BrokenPipeError:
        # our output was piped into a command that exited early
        return 1
    except KeyboardInterrupt:
        return 130


def cli_main() -> int:
    return main(['cli', *sys.argv[1:]])


def healthcheck_main() -> int:
    return main(['healthcheck', *sys.argv[1:]])
