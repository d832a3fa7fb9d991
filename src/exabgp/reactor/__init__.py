"""The reactor: the only code that touches asyncio, sockets, signals, subprocesses and the clock."""
