"""Text encoder lines for session events, as ExaBGP 5.0.15's text encoder wrote them."""

from exabgp.api.envelope import Peer
from exabgp.api.text_events import fsm, negotiated, packets, shutdown, signal, state
from exabgp.bgp.negotiated import DEFAULT

PEER = Peer('127.0.0.1', '127.0.0.2', 65000, 65001, '10.0.0.2')


def test_state() -> None:
    assert state(PEER, 'up') == 'neighbor 127.0.0.2 up\n'
    assert state(PEER, 'connected') == 'neighbor 127.0.0.2 connected\n'
    assert state(PEER, 'down', 'bad\nline\x7f\u00e9') == 'neighbor 127.0.0.2 down - bad\\x0aline\\x7fé\n'


def test_packets() -> None:
    header = b'\xff' * 16 + b'\x00\x17\x02'
    assert (
        packets(PEER, 'receive', 2, header, b'\x00' * 4)
        == 'neighbor 127.0.0.2 receive 2 header 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001702 body 0x00000000\n'
    )
    assert (
        packets(PEER, 'receive', 4, b'\xff' * 16 + b'\x00\x13\x04', b'')
        == 'neighbor 127.0.0.2 receive 4 header 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304\n'
    )


def test_shutdown() -> None:
    assert shutdown(10, 20) == 'shutdown 10 20\n'


def test_text_writes_nothing_for_negotiated_fsm_and_signal() -> None:
    assert negotiated(PEER, DEFAULT) is None
    assert fsm(PEER, 'IDLE') is None
    assert signal(PEER, 15, 'SIGTERM') is None
