"""Watch a service and tell the daemon to announce or withdraw its routes.

Run as an API process of the daemon, for example:

    process watch-web {
        run exabgp healthcheck --cmd "curl -sf http://127.0.0.1/health" --ip 192.0.2.1/32;
    }

The check command runs every --interval seconds (every --fast-interval while the state is about
to change). After --rise successes in a row the service is up and its addresses are announced with
--up-metric as MED; after --fall failures it is down (MED --down-metric, or withdrawn with
--withdraw-on-down); while the --disable file exists it is disabled. Each further address gets a
MED higher by --increase. Without --ip, the addresses of the loopback are used (those labelled
lo:LABEL... with --label). Missing addresses are added to the loopback unless --no-ip-setup.

Options can also be read from a file (--config FILE), one long option a line, `name = value` or
just `name` for a flag; `#` starts a comment line:

    debug
    name = web
    interval = 10
    command = curl -sf http://127.0.0.1/health
"""

import argparse
import sys

from exabgp.application.healthcheck.options import OptionError, resolve, setargs
from exabgp.settings import Settings

__all__ = ['run', 'setargs']


def run(args: argparse.Namespace, settings: Settings) -> int:
    del settings  # the healthcheck is not the daemon: exabgp's settings do not apply to it
    try:
        options = resolve(vars(args))
    except OptionError as exc:
        sys.stderr.write(f'exabgp healthcheck: {exc}\n')
        return 1
    from exabgp.application.healthcheck import runner

    return runner.main(options)
