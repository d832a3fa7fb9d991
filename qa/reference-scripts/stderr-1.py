#!/usr/bin/env python3
"""parse-multiple-process: a second process, copying what the daemon sends it to stderr."""

import qascript


def body(api):
    while True:
        line = api.readline(3600.0)
        if line is None:
            return
        api.log(line)


qascript.main(body)
