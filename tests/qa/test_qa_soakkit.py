"""The soak's peers (qa/lib/soakkit): the speaker's UPDATEs are what our codec reads as the routes
it means, and the counter tells received, duplicated and dropped routes apart."""

import argparse
import json
from ipaddress import IPv4Network

from soakkit import counter, speaker

from exabgp.bgp.family import IPV4_UNICAST
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.negotiated import Negotiated

SESSION = Negotiated(local_as=65001, peer_as=65002, asn4=True, families=(IPV4_UNICAST,))


def test_updates_carry_each_route_once_in_order_within_4096_octets():
    packed = speaker.updates(int(IPv4Network('10.0.0.0/24').network_address), 2500, 1000, 65002, '127.0.0.2')
    assert [len(update) <= 4096 for update in packed] == [True, True, True]
    routes = []
    for update in packed:
        message = unpack_message(update[18], update[19:], SESSION)
        assert str(message.attributes) == ' origin igp as-path ( 65002 )'
        routes.extend(str(route.nlri) for route in message.announced)
    assert len(routes) == len(set(routes)) == 2500
    assert routes[:2] == ['10.0.0.0/24', '10.0.1.0/24']
    assert routes[256] == '10.1.0.0/24'
    assert routes[-1] == '10.9.195.0/24'


def test_end_of_rib_is_the_empty_update():
    message = unpack_message(speaker.END_OF_RIB[18], speaker.END_OF_RIB[19:], SESSION)
    assert message.eor == IPV4_UNICAST


def _update(peer: str, prefixes: list[str]) -> str:
    routes = [{'nlri': prefix} for prefix in prefixes]
    message = {'update': {'announce': {'ipv4 unicast': {peer: routes}}}}
    return json.dumps({'type': 'update', 'neighbor': {'address': {'peer': peer}, 'message': message}})


def test_counter_sees_duplicates_foreign_routes_gaps_and_split_updates(tmp_path):
    args = argparse.Namespace(
        status=str(tmp_path / 'status'), peer='127.0.0.2', first='10.0.0.0', routes=6, per_update=2, stall=0
    )
    count = counter.Count(args)
    count.line(_update('127.0.0.2', ['10.0.0.0/24', '10.0.1.0/24']))
    count.line(_update('127.0.0.2', ['10.0.0.0/24', '10.0.2.0/24', '192.168.0.0/24']))
    count.line(_update('127.0.0.3', ['10.0.3.0/24']))
    count.line(json.dumps({'type': 'notification', 'notification': 'dropped', 'dropped': 3, 'peers': {'127.0.0.2': 2}}))
    count.line(json.dumps({'type': 'state', 'neighbor': {'address': {'peer': '127.0.0.3'}, 'state': 'down'}}))
    count.line(json.dumps({'type': 'update', 'neighbor': {'address': {'peer': '127.0.0.2'}, 'message': {'eor': {}}}}))
    count.report()
    status = json.loads((tmp_path / 'status').read_text())
    assert status['received'] == 3
    assert status['duplicates'] == 1
    assert status['foreign'] == 1
    assert (status['updates_whole'], status['updates_partial']) == (1, 1)
    assert (status['gaps'], status['dropped'], status['dropped_total']) == (1, 2, 3)
    assert status['states'] == {'127.0.0.3': ['down']}
    assert status['eor'] is True
