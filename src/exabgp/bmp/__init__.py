"""BGP Monitoring Protocol (RFC 7854) messages: built and parsed, never sent (reactor/bmp.py sends).

Pure like bgp/: no I/O, no clock (time stamps are arguments). The builders take the BGP messages
already framed, as they went on the wire; the parser serves the tests and qa/bin/bmp-station.
"""
