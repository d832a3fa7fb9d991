"""`exabgp healthcheck` as the daemon runs it: a real process, a check command whose answers the test
scripts, stdout read back. Our runs are checked against expected lines; where 5.0.15 is installed
(/work/oracle/venv), each scenario also runs under it and the two stdouts must be byte-identical.

The check is a small script reading its answers from `sequence` (up, down, hang: sleeps past the
timeout, disable: creates the disable file and succeeds); once they are used up it sends SIGTERM
to the healthcheck (its pid from --pid), which then withdraws its routes and exits."""

import grp
import os
import pwd
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
OURS = [sys.executable, str(ROOT / 'sbin' / 'exabgp')]
ORACLE = Path('/work/oracle/venv/bin/exabgp')

CHECK = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path

    here = Path(sys.argv[1])
    answers = (here / 'sequence').read_text().split()
    count = here / 'count'
    done = int(count.read_text()) if count.exists() else 0
    count.write_text(str(done + 1))
    if done >= len(answers):
        os.kill(int((here / 'pid').read_text()), signal.SIGTERM)
        time.sleep(2)
        sys.exit(1)
    answer = answers[done]
    if answer == 'disable':
        (here / 'disabled').touch()
    if answer == 'hang':
        time.sleep(3)
    sys.exit(0 if answer in ('up', 'disable') else 1)
    """
)


@dataclass
class Scenario:
    options: list[str]
    sequence: list[str] = field(default_factory=list)
    ack: bool = False
    config: str | None = None


@dataclass
class Result:
    stdout: str
    code: int
    states: str


def start(program: list[str], here: Path, scenario: Scenario) -> subprocess.Popen:
    here.mkdir()
    (here / 'check.py').write_text(CHECK)
    (here / 'sequence').write_text(' '.join(scenario.sequence))
    argv = [*program, 'healthcheck', '--no-syslog', '--no-ip-setup', '--pid', str(here / 'pid')]
    argv += ['--interval', '0.02', '--fast-interval', '0.01']
    if scenario.sequence:
        argv += ['--cmd', f'{sys.executable} {here / "check.py"} {here}']
    if not scenario.ack:
        argv.append('--no-ack')
    if scenario.config is not None:
        (here / 'config').write_text(scenario.config)
        argv += ['--config', str(here / 'config')]
    argv += [option.replace('{here}', str(here)) for option in scenario.options]
    environment = {key: value for key, value in os.environ.items() if key != 'PYTHONPATH'}
    return subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=here,
    )


def finish(process: subprocess.Popen, here: Path, scenario: Scenario) -> Result:
    # the daemon's acknowledgements: more than any scenario needs, read one per command
    stdout, _ = process.communicate('done\n' * 200 if scenario.ack else '', timeout=30)
    states = here / 'states'
    return Result(stdout, process.returncode, states.read_text() if states.exists() else '')


def run(tmp_path: Path, scenario: Scenario, program: list[str] = OURS, name: str = 'ours') -> Result:
    return finish(start(program, tmp_path / name, scenario), tmp_path / name, scenario)


STATES = ['--execute', 'echo $STATE >> {here}/states']

SCENARIOS = {
    'defaults with rise and fall of 2': Scenario(
        ['--ip', '10.0.0.1/32', '--ip', '10.0.0.2/32', '--rise', '2', '--fall', '2', *STATES],
        ['up', 'up', 'up', 'down', 'down', 'down', 'up'],
    ),
    'every attribute, disable file and executes': Scenario(
        [
            *('--ip', '192.0.2.1/32', '--ip', '2001:db8::1/128', '--next-hop', '192.0.2.254'),
            *('--local-preference', '200', '--community', '65000:1 65000:2', '--extended-community', 'target:65000:1'),
            *('--large-community', '65000:1:1', '--disabled-community', '65000:666', '--as-path', '65001 65002'),
            *('--up-as-path', '65001', '--down-as-path', '', '--path-id', '7'),
            *('--neighbor', '127.0.0.2', '--neighbor', '::1', '--up-metric', '10', '--down-metric', '20'),
            *('--disabled-metric', '30', '--increase', '5', '--rise', '1', '--fall', '1'),
            *('--disable', '{here}/disabled', '--disabled-execute', 'rm -f {here}/disabled', *STATES),
        ],
        ['up', 'down', 'disable', 'up', 'up', 'down', 'up'],
    ),
    'withdraw on down, deaggregated, rotated, debounced': Scenario(
        [
            *('--ip', '10.1.0.0/30', '--deaggregate-networks', '--start-ip', '1', '--withdraw-on-down'),
            *('--neighbor', '127.0.0.1', '--neighbor', '*', '--debounce', '--rise', '2', '--fall', '3'),
            *('--up-execute', 'echo up $STATE >> {here}/states', '--down-execute', 'echo down >> {here}/states'),
            *STATES,
        ],
        ['down', 'down', 'down', 'up', 'up', 'up', 'up', 'down', 'up', 'down', 'down', 'down'],
    ),
    'waiting for the daemon acknowledgements': Scenario(
        ['--ip', '10.0.0.1/32', '--ip', '10.0.0.2/32', '--rise', '1', '--fall', '1', '--local-preference', '0'],
        ['up', 'down', 'up'],
        ack=True,
    ),
    'configuration file under the command line': Scenario(
        ['--rise', '2', '--ip', '10.9.0.2/32', *STATES],
        ['up', 'up', 'down'],
        config='# options\n\nrise = 1\nfall=1\nip = 10.9.0.1/32\n  community = 65000:9\nwithdraw-on-down\n',
    ),
    'an interval of zero stops once settled and keeps the routes': Scenario(
        ['--ip', '10.0.0.1/32', '--interval', '0', '--rise', '2', '--path-id', '0'],
        ['down', 'up', 'up'],
    ),
    'a check past its timeout fails': Scenario(
        ['--ip', '10.0.0.1/32', '--timeout', '1', '--rise', '1', '--fall', '1', *STATES],
        ['up', 'hang', 'up'],
    ),
    'no check command is always up': Scenario(
        ['--ip', '10.0.0.1/32', '--ip', '::2/128', '--interval', '0', '--rise', '1']
    ),
}


def test_defaults_go_rising_up_falling_down_and_withdraw_on_sigterm(tmp_path: Path) -> None:
    result = run(tmp_path, SCENARIOS['defaults with rise and fall of 2'])
    up = [
        'neighbor * announce route 10.0.0.1/32 next-hop self med 100',
        'neighbor * announce route 10.0.0.2/32 next-hop self med 101',
    ]
    down = [
        'neighbor * announce route 10.0.0.1/32 next-hop self med 1000',
        'neighbor * announce route 10.0.0.2/32 next-hop self med 1001',
    ]
    exit_ = [
        'neighbor * withdraw route 10.0.0.1/32 next-hop self',
        'neighbor * withdraw route 10.0.0.2/32 next-hop self',
    ]
    # up up (UP) up (UP again) down (FALLING) down (DOWN) down (DOWN again) up (RISING), then SIGTERM
    assert result.stdout.splitlines() == [*up, *up, *down, *down, *exit_]
    assert result.states.split() == ['RISING', 'UP', 'FALLING', 'DOWN', 'RISING']
    assert result.code == 0


def test_debounce_and_withdraw_on_down(tmp_path: Path) -> None:
    result = run(tmp_path, SCENARIOS['withdraw on down, deaggregated, rotated, debounced'])
    addresses = ['10.1.0.1/32', '10.1.0.2/32', '10.1.0.3/32', '10.1.0.0/32']
    withdraw = [f'neighbor * withdraw route {ip} next-hop self' for ip in addresses]
    up = [f'neighbor * announce route {ip} next-hop self med {100 + n}' for n, ip in enumerate(addresses)]
    assert result.stdout.splitlines() == [*withdraw, *up, *withdraw, *withdraw]
    # the state's own commands first, then --execute's
    expected = 'FALLING down DOWN RISING up UP UP FALLING RISING FALLING down DOWN'
    assert result.states.split() == expected.split()


def test_acknowledgements_are_read_one_per_command(tmp_path: Path) -> None:
    result = run(tmp_path, SCENARIOS['waiting for the daemon acknowledgements'])
    assert len(result.stdout.splitlines()) == 8
    assert result.code == 0


def test_each_command_waits_for_the_daemon_answer(tmp_path: Path) -> None:
    scenario = Scenario(['--ip', '10.0.0.1/32', '--ip', '10.0.0.2/32', '--rise', '1', '--interval', '0'], ack=True)
    process = start(OURS, tmp_path / 'ack', scenario)
    assert process.stdout.readline() == 'neighbor * announce route 10.0.0.1/32 next-hop self med 100\n'
    time.sleep(0.3)
    assert process.poll() is None  # still waiting for an answer to the first command
    process.stdin.write('done\n')
    process.stdin.flush()
    assert process.stdout.readline() == 'neighbor * announce route 10.0.0.2/32 next-hop self med 101\n'
    process.stdin.write('done\n')
    process.stdin.flush()
    assert process.wait(timeout=10) == 0
    process.communicate()


def test_the_configuration_file_and_the_command_line_together(tmp_path: Path) -> None:
    result = run(tmp_path, SCENARIOS['configuration file under the command line'])
    assert result.stdout.splitlines() == [
        'neighbor * announce route 10.9.0.1/32 next-hop self med 100 community [ 65000:9 ]',
        'neighbor * announce route 10.9.0.2/32 next-hop self med 101 community [ 65000:9 ]',
        'neighbor * withdraw route 10.9.0.1/32 next-hop self',
        'neighbor * withdraw route 10.9.0.2/32 next-hop self',
        'neighbor * withdraw route 10.9.0.1/32 next-hop self',
        'neighbor * withdraw route 10.9.0.2/32 next-hop self',
    ]


def test_an_interval_of_zero_ends_without_withdrawing(tmp_path: Path) -> None:
    result = run(tmp_path, SCENARIOS['an interval of zero stops once settled and keeps the routes'])
    assert result.stdout == 'neighbor * announce route 10.0.0.1/32 next-hop self med 100\n'
    assert result.code == 0


def test_no_address_is_an_error(tmp_path: Path) -> None:
    # the loopback of a test machine has no service address; a label nobody uses makes sure of it
    result = run(tmp_path, Scenario(['--label', 'exabgp-test-no-such-label', '--interval', '0']))
    assert result.code == 1
    assert result.stdout == ''


def test_a_bad_configuration_line_is_named_and_fails(tmp_path: Path) -> None:
    process = start(OURS, tmp_path / 'bad', Scenario(['--ip', '10.0.0.1/32'], config='rise = 1\nrize = 2\n'))
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert stderr.startswith('exabgp healthcheck: ')
    assert "line 2 ('rize = 2')" in stderr
    assert len(stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ('options', 'message'),
    [
        (['--syslog-facility', 'bogus'], "--syslog-facility 'bogus': not a syslog facility"),
        (['--user', 'no-such-user-here'], "--user 'no-such-user-here': no such user"),
        (['--group', 'no-such-group-here'], "--group 'no-such-group-here': no such group"),
        (['--pid', '/nonexistent/pid'], "--pid '/nonexistent/pid': No such file or directory"),
    ],
)
def test_unusable_options_fail_with_one_line(tmp_path: Path, options: list[str], message: str) -> None:
    argv = [*OURS, 'healthcheck', '--no-ip-setup', '--ip', '10.0.0.1/32', '--no-ack', *options]
    if options[0] != '--syslog-facility':
        argv.append('--no-syslog')
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f'exabgp healthcheck: {message}\n'
    assert result.stdout == ''


@pytest.mark.skipif(os.geteuid() != 0, reason='only root can change its user')
def test_user_and_group_are_taken_before_the_loop() -> None:
    try:
        uid, gid = pwd.getpwnam('nobody').pw_uid, grp.getgrnam('nogroup').gr_gid
    except KeyError:
        pytest.skip('no nobody user or nogroup group here')
    # a failing check's output is logged: it says who ran it
    check = 'echo "ids $(id -u) $(id -g)"; exit 1'
    options = ['--user', 'nobody', '--group', 'nogroup', '--cmd', check, '--fall', '1', '--interval', '0']
    argv = [*OURS, 'healthcheck', '--no-ip-setup', '--no-syslog', '--no-ack', '--ip', '10.0.0.1/32', *options]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd='/')
    assert result.returncode == 0, result.stderr
    assert f'INFO[healthcheck] Output of check command: ids {uid} {gid}\n' in result.stderr


@pytest.mark.skipif(not ORACLE.exists(), reason='ExaBGP 5.0.15 is not installed at /work/oracle/venv')
@pytest.mark.parametrize('name', SCENARIOS)
def test_the_same_lines_as_5_0(tmp_path: Path, name: str) -> None:
    scenario = SCENARIOS[name]
    # both at once: most of the time is the check's pauses
    ours = start(OURS, tmp_path / 'ours', scenario)
    theirs = start([str(ORACLE)], tmp_path / 'oracle', scenario)
    expected = finish(theirs, tmp_path / 'oracle', scenario)
    got = finish(ours, tmp_path / 'ours', scenario)
    assert expected.stdout  # the scenario produced something to compare
    assert got.stdout == expected.stdout
    assert got.states == expected.states
    assert got.code == expected.code
