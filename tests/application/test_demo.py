"""The README's first command: `exabgp_daemon_user=$(id -un) ./sbin/exabgp etc/exabgp/demo.conf` runs
a session on loopback, its API process prints the routes received as JSON and stops the daemon, with
nothing installed."""

import json
import subprocess
import sys

from conftest import ROOT


def test_the_demo_prints_the_routes_and_stops_by_itself(demo_environment) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / 'sbin' / 'exabgp'), 'etc/exabgp/demo.conf'],
        cwd=ROOT,
        env=demo_environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    printed = [
        json.loads(line.split('process demo-receive: ', 1)[1])
        for line in output.splitlines()
        if 'process demo-receive: {' in line
    ]
    announced = {
        route['nlri']
        for message in printed
        for family in message.get('update', {}).get('announce', {}).values()
        for routes in family.values()
        for route in routes
    }
    assert announced == {'192.0.2.0/24', '198.51.100.0/24'}
    assert 'both routes received, stopping the daemon' in output
