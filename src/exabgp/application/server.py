"""`exabgp server [flags] CONF...`: run the daemon on one or more configuration files.

The flags are 5.0's; they turn into setting changes here, so the rest of the daemon only ever reads
the one `Settings` object.
"""

import argparse
import asyncio
import gc
import logging
import os
import sys

from exabgp import logger
from exabgp.application import daemonise, logs, profiling, version
from exabgp.application.validate import context
from exabgp.configuration.model import Config
from exabgp.configuration.parser import checked
from exabgp.reactor.daemon import Daemon
from exabgp.reactor.notify import Notifier
from exabgp.settings import Settings

log = logger.get('configuration')
welcome = logger.get('welcome')


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
    parser.add_argument('--uvloop', help='run on uvloop (exabgp.loop.uvloop=true)', action='store_true')
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
    if args.uvloop:
        changes['loop.uvloop'] = True
    return settings.replace(changes) if changes else settings


def locate(name: str, root: str) -> str:
    """5.0's lookup: `etc/exabgp/...` under the install root, anything else as given."""
    if name.startswith('etc/exabgp'):
        name = os.path.join(root, name)
    path = os.path.abspath(os.path.normpath(name))
    return path if os.path.isfile(path) else ''


class Rotation:
    """The configuration loader: one file, or, with debug.rotate, the next file at each reload."""

    def __init__(self, paths: list[str], settings: Settings) -> None:
        self.paths = paths
        self.context = context(settings)
        self.strict = settings.configuration.strict
        self.index = -1

    def __call__(self) -> Config:
        self.index = (self.index + 1) % len(self.paths)
        path = self.paths[self.index]
        log.info(f'loading {path}')
        # a load makes a few objects per route and keeps nearly all of them, none in a cycle: the
        # collector would walk them again and again for nothing (~4% of a 100k-route load), so it
        # waits for the end of the load; nothing else runs while the loop is blocked in it
        enabled = gc.isenabled()
        gc.disable()
        try:
            config, warnings = checked(path, self.context, strict=self.strict)
        finally:
            if enabled:
                gc.enable()
        for warning in warnings:
            log.warning(warning.warning())
        return config


def serve(paths: list[str], settings: Settings, reload_after: int | None = None) -> int:
    pid_file = daemonise.PidFile(settings.daemon.pid)

    def unprivileged() -> str | None:
        return daemonise.drop_privileges(settings.daemon.user) or pid_file.save()

    daemon = Daemon(
        settings,
        Rotation(paths, settings),
        reload_after=reload_after,
        unprivileged=unprivileged,
        notify=Notifier.from_environment(os.environ),
    )
    try:
        return profiling.run(lambda: run_loop(daemon.run(), settings), settings)
    finally:
        pid_file.remove()


def run_loop(main, settings: Settings) -> int:
    if settings.loop.uvloop:
        try:
            import uvloop
        except ImportError:
            logger.get('reactor').warning('uvloop is not installed, using the standard event loop')
        else:
            return uvloop.run(main)
    return asyncio.run(main)


def run(args: argparse.Namespace, settings: Settings) -> int:
    flagged = apply_flags(args, settings)
    if flagged.log != settings.log:
        # main set logging up from the settings alone: -v and -d change it
        logs.configure(flagged)
    settings = profiling.absolute(flagged)
    welcome.info('Thank you for using ExaBGP')
    # 5.0 logs its release, location, Python and platform at debug, each under its own source
    if welcome.isEnabledFor(logging.DEBUG):
        for line in version.lines(settings):
            welcome.debug(line)
    paths = []
    for name in args.configuration:
        path = locate(name, settings.root)
        if not path:
            message = f'{name} is not an exabgp config file (file not found)'
            log.critical(message)
            sys.stderr.write(f'error: {message}\n')
            return 1
        paths.append(path)
    daemonise.set_umask(settings)
    daemonise.daemonise(settings)
    if settings.debug.rotate or len(paths) == 1:
        return serve(paths, settings, args.signal)
    # 5.0 runs each configuration in a process of its own
    children = []
    for path in paths:
        pid = os.fork()
        if pid == 0:
            os._exit(serve([path], settings, args.signal))
        children.append(pid)
    code = 0
    for pid in children:
        _, status = os.waitpid(pid, 0)
        code = code or os.waitstatus_to_exitcode(status)
    return code
