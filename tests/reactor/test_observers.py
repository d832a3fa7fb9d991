"""The observer fan-out: every observer hears every event, in order, and a lone one is used as is."""

from ipaddress import IPv4Address

from exabgp.configuration.model import Neighbor
from exabgp.reactor.observer import Observer, Observers, PeerView, combined


class Recording(Observer):
    def __init__(self, name: str, log: list, sent: bool = False) -> None:
        self.name = name
        self.log = log
        self.sent_wanted = sent

    def wants_sent(self, neighbor: Neighbor) -> bool:
        return self.sent_wanted

    def up(self, peer: PeerView) -> None:
        self.log.append((self.name, 'up', peer.key))

    def down(self, peer: PeerView, reason: str) -> None:
        self.log.append((self.name, 'down', reason))

    def signal(self, peers, number: int) -> None:
        self.log.append((self.name, 'signal', len(list(peers)), number))


NEIGHBOR = Neighbor(IPv4Address('127.0.0.2'), 32, IPv4Address('127.0.0.1'), None, 65001, 65002)


def view(key: int) -> PeerView:
    return PeerView(key, NEIGHBOR, IPv4Address('127.0.0.1'), None, None, None)


def test_lone_observer_is_used_as_is():
    lone = Recording('a', [])
    assert combined([lone]) is lone


def test_every_observer_hears_every_event_in_order():
    log: list = []
    both = combined([Recording('a', log), Recording('b', log, sent=True)])
    assert isinstance(both, Observers)
    both.up(view(1))
    both.down(view(1), 'gone')
    # a generator of views is read once, yet each observer sees all of them
    both.signal((view(n) for n in range(3)), 15)
    assert log == [
        ('a', 'up', 1),
        ('b', 'up', 1),
        ('a', 'down', 'gone'),
        ('b', 'down', 'gone'),
        ('a', 'signal', 3, 15),
        ('b', 'signal', 3, 15),
    ]
    assert both.wants_sent(NEIGHBOR)
    assert not combined([Recording('a', log), Recording('b', log)]).wants_sent(NEIGHBOR)
