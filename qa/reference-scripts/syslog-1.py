#!/usr/bin/env python3
"""parse-process: a process receiving what the daemon sends it, copied to syslog."""

import syslog

import qascript

syslog.openlog('exabgp-qa')


def body(api):
    while True:
        line = api.readline(3600.0)
        if line is None:
            return
        syslog.syslog(syslog.LOG_INFO, line)


qascript.main(body)
