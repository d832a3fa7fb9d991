"""ExaBGP, rewritten natively on asyncio.

A BGP speaker with no FIB, driven by scripts, drop-in compatible with ExaBGP 5.0.

The import graph (tests/test_layers.py holds the same edges and fails on any other):

    speaker      -> reactor, api, configuration, session, bgp, settings (the library API)
    application  -> speaker, reactor, api, configuration, rib, session, bgp, settings
    reactor      -> api, configuration, rib, session, bgp, settings, bmp
    api          -> bgp; of configuration only the route and operational grammar it reads
                    commands with (tokenizer, cursor, errors, route, operational) and the model
                    `show` writes from, never the file parser
    configuration, rib, session -> bgp (siblings: none of them imports another)
    bgp          -> nothing else
    settings     -> nothing else
    bmp          -> nothing else (BMP messages around BGP messages already framed)
    logger, version, lazy: leaves any part may import (lazy: modules loaded on first use)

bgp, session, rib, configuration, api, settings and bmp are pure: no asyncio, socket, clock, subprocess,
signal, thread, or process environment; only reactor/ and application/ do I/O.
"""
