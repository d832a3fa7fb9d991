"""The functional test kit: ExaBGP's case formats, a scripted BGP test peer and the suite runner.

Modules:
  case      reads a case in either of ExaBGP's formats (5.0: .ci + .msg, main: one .ci)
  checker   the matching rules (any order inside a group, groups in order, KEEPALIVEs ignored)
  wire      the few messages the peer builds itself and the OPEN it answers with
  dump      a readable rendering of BGP messages, through the project's codec when it can
  peer      the asyncio test peer (qa/sbin/bgp is its command line)
  runner    the suite runner (qa/bin/functional is its command line)

Standard library only: the kit must run before, and independently of, the daemon it tests.
"""
