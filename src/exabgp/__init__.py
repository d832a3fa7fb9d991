"""ExaBGP, rewritten natively on asyncio.

A BGP speaker with no FIB, driven by scripts, drop-in compatible with ExaBGP 5.0.
The layers, top to bottom, are application, reactor, api, configuration, rib, session and bgp;
imports only ever point down (see tests/test_layers.py).
"""
