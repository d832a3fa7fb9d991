"""The healthcheck's process: logging, the pid file, the addresses, then the loop around the machine.

The loop is the only part with a clock: check (or find the disable file), step the machine, run the
--execute commands of the state entered, write the routes, sleep. Every command written is
followed by reading the daemon's answer (one line) unless --no-ack, or unless our output is a
terminal (a person running us by hand answers nothing). SIGTERM or Ctrl-C withdraws the routes
(EXIT) and ends with exit code 0; an interval of zero ends after the first settled state and leaves
the routes (END).
"""

import argparse
import collections
import contextlib
import ipaddress
import logging
import logging.handlers
import os
import signal
import subprocess
import sys
import time
from typing import TextIO

from exabgp.application.healthcheck import addresses
from exabgp.application.healthcheck.announce import Advertise, lines
from exabgp.application.healthcheck.machine import Health, State, announces, pause, step
from exabgp.application.healthcheck.options import OptionError

logger = logging.getLogger('healthcheck')

SYSLOG_SOCKETS = (
    ('darwin', '/var/run/syslog'),
    ('freebsd', '/var/run/log'),
    ('netbsd', '/var/run/log'),
    ('linux', '/dev/log'),
)


class Stop(Exception):
    """SIGTERM arrived: withdraw and leave."""


def _terminate(signum: int, frame: object) -> None:
    del signum, frame
    raise Stop


def setup_logging(options: argparse.Namespace) -> None:
    """Console (stderr) unless --silent, syslog unless --no-syslog or --debug."""
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.setLevel(logging.DEBUG if options.debug else logging.INFO)
    logger.propagate = False
    logger.addHandler(logging.NullHandler())
    if not options.silent:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter('%(levelname)s[%(name)s] %(message)s'))
        logger.addHandler(console)
    if options.no_syslog or options.debug:
        return
    facility = logging.handlers.SysLogHandler.facility_names.get(options.syslog_facility.lower())
    if facility is None:
        raise OptionError(f'--syslog-facility {options.syslog_facility!r}: not a syslog facility')
    socket = next((path for platform, path in SYSLOG_SOCKETS if sys.platform.startswith(platform)), None)
    if socket is None or not os.path.exists(socket):
        logger.warning('no syslog socket on this system, logging to syslog is off')
        return
    handler = logging.handlers.SysLogHandler(address=socket, facility=facility)
    name = f'healthcheck-{options.name}' if options.name else 'healthcheck'
    handler.setFormatter(logging.Formatter(f'{name}[{os.getpid()}]: %(message)s'))
    logger.addHandler(handler)


def check(command: str | None, timeout: int) -> bool:
    """Whether the shell command succeeded within `timeout` seconds (0: no limit); no command is a success.
    On a timeout, the command's whole process group is killed."""
    if command is None:
        return True
    logger.debug('Checking command %r', command)
    process = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, process_group=0)
    try:
        output, _ = process.communicate(timeout=timeout or None)
    except subprocess.TimeoutExpired:
        logger.warning('Timeout (%s) while running check command %s', timeout, command)
        _kill(process)
        return False
    except BaseException:
        _kill(process)
        raise
    text = output.decode('utf-8', 'replace').strip()
    if process.returncode != 0:
        logger.warning('Check command was unsuccessful: %s', process.returncode)
        if text:
            logger.info('Output of check command: %s', text)
        return False
    logger.debug('Command was executed successfully %s %s', process.returncode, text)
    return True


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def execute(options: argparse.Namespace, state: State) -> None:
    """Run the commands for entering `state` (its own first, then every --execute), $STATE set."""
    own = {State.UP: options.up_execute, State.DOWN: options.down_execute, State.DISABLED: options.disabled_execute}
    logger.debug('Transition to %s', state)
    environment = {**os.environ, 'STATE': str(state)}
    for command in [*(own.get(state) or []), *(options.execute or [])]:
        logger.debug('Transition to %s, execute `%s`', state, command)
        subprocess.run(
            command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment, check=False
        )


def drop_privileges(user: str | None, group: str | None) -> None:
    if group is not None:
        import grp

        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise OptionError(f'--group {group!r}: no such group') from None
        logger.debug('Dropping privileges to group %s/%s', group, gid)
        os.setresgid(gid, gid, gid)
    if user is not None:
        import pwd

        try:
            uid = pwd.getpwnam(user).pw_uid
        except KeyError:
            raise OptionError(f'--user {user!r}: no such user') from None
        logger.debug('Dropping privileges to user %s/%s', user, uid)
        os.setresuid(uid, uid, uid)


def write_pid(path: str) -> None:
    try:
        with open(path, 'w') as pid:
            pid.write(f'{os.getpid()}\n')
    except OSError as exc:
        raise OptionError(f'--pid {path!r}: {exc.strerror}') from None


def advertise(options: argparse.Namespace, ips: list) -> Advertise:
    return Advertise(
        ips=tuple(str(ip) for ip in ips),
        next_hop=str(options.next_hop) if options.next_hop is not None else 'self',
        neighbors=tuple(options.neighbors or ()),
        up_metric=options.up_metric,
        down_metric=options.down_metric,
        disabled_metric=options.disabled_metric,
        increase=options.increase,
        local_preference=options.local_preference,
        community=options.community,
        extended_community=options.extended_community,
        large_community=options.large_community,
        disabled_community=options.disabled_community,
        as_path=options.as_path,
        up_as_path=options.up_as_path,
        down_as_path=options.down_as_path,
        disabled_as_path=options.disabled_as_path,
        withdraw_on_down=options.withdraw_on_down,
        path_id=options.path_id,
    )


class Speaker:
    """Writes the routes of a state to the daemon and keeps the addresses in step with it."""

    def __init__(self, options: argparse.Namespace, ips: list, output: TextIO, answers: TextIO) -> None:
        self.options = options
        self.ips = ips
        self.routes = advertise(options, ips)
        self.output = output
        self.answers = answers
        self.acknowledged = not options.no_ack and not output.isatty()

    def _addresses(self, verb: str) -> None:
        options = self.options
        change = addresses.add if verb == 'add' else addresses.remove
        change(self.ips, options.ip_ifnames, options.label, options.label_exact_match, options.sudo)

    def send(self, state: State) -> None:
        written = lines(self.routes, state)
        if not written:
            return
        if state is State.UP and self.options.ip_dynamic:
            logger.info('service up, restoring loopback and ip-ifname ips')
            self._addresses('add')
        logger.info('send announces for %s state to ExaBGP', state)
        for line in written:
            logger.debug('exabgp: %s', line)
            self.output.write(line + '\n')
            self.output.flush()
            if self.acknowledged:
                self.answers.readline()
        if state is State.EXIT and (self.options.ip_dynamic or self.options.ip_setup):
            logger.info('exiting, deleting setup ips')
            self._addresses('delete')
        elif state in (State.DOWN, State.DISABLED) and self.options.ip_dynamic:
            logger.info('service down, deleting setup ips')
            self._addresses('delete')


def loop(options: argparse.Namespace, speaker: Speaker) -> int:
    health = Health()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        while True:
            disabled = options.disable is not None and os.path.exists(options.disable)
            successful = disabled or check(options.check, options.timeout)
            before = health.state
            health, entered = step(
                health, rise=options.rise, fall=options.fall, disabled=disabled, successful=successful
            )
            if entered is not None:
                execute(options, entered)
            if announces(before, health.state, options.debounce):
                speaker.send(health.state)
            wait = pause(health.state, options.interval, options.fast)
            if wait is None:
                logger.info('interval set to zero, exiting after the announcement')
                return 0
            time.sleep(wait)
    except (Stop, KeyboardInterrupt):
        # a second SIGTERM must not cut the withdrawals short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        speaker.send(State.EXIT)
        return 0


def service_addresses(options: argparse.Namespace) -> list:
    """The --ip networks (or those found on the loopback), set up, in the order they are advertised."""
    ips = options.ips or addresses.present({}, options.label, False, options.label_exact_match)
    if not ips:
        return []
    if options.ip_setup:
        addresses.add(ips, options.ip_ifnames, options.label, options.label_exact_match, options.sudo)
    drop_privileges(options.user, options.group)
    if options.deaggregate_networks:
        ips = [ipaddress.ip_network(ip) for net in ips for ip in net]
    ordered = collections.deque(ips)
    ordered.rotate(-options.start_ip)
    return list(ordered)


def main(options: argparse.Namespace) -> int:
    try:
        setup_logging(options)
        if options.pid:
            write_pid(options.pid)
        ips = service_addresses(options)
        if not ips:
            logger.error('No IP found')
            return 1
        return loop(options, Speaker(options, ips, sys.stdout, sys.stdin))
    except OptionError as exc:
        sys.stderr.write(f'exabgp healthcheck: {exc}\n')
        return 1
    except (OSError, subprocess.CalledProcessError) as exc:
        if isinstance(exc, BrokenPipeError):
            # the daemon is gone: nobody reads what is left in our buffer
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        logger.error('%s', exc)
        if options.silent:
            # the log has no console: the reason must still be seen
            sys.stderr.write(f'exabgp healthcheck: {exc}\n')
        return 1
