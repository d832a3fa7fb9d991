"""The commands the healthcheck writes, checked against lines 5.0.15 wrote for the same options
(captured by running `/work/oracle/venv/bin/exabgp healthcheck`; test_healthcheck_process.py compares
whole runs when the oracle is there)."""

import pytest

from exabgp.application.healthcheck.announce import Advertise, lines
from exabgp.application.healthcheck.machine import State

TWO = ('10.0.0.1/32', '10.0.0.2/32')


def test_defaults_announce_with_the_state_metric_growing_by_one() -> None:
    routes = Advertise(ips=TWO)
    assert lines(routes, State.UP) == (
        'neighbor * announce route 10.0.0.1/32 next-hop self med 100',
        'neighbor * announce route 10.0.0.2/32 next-hop self med 101',
    )
    assert lines(routes, State.DOWN)[0] == 'neighbor * announce route 10.0.0.1/32 next-hop self med 1000'
    assert lines(routes, State.DISABLED)[1] == 'neighbor * announce route 10.0.0.2/32 next-hop self med 501'


def test_exit_withdraws_every_address() -> None:
    assert lines(Advertise(ips=TWO, path_id=7), State.EXIT) == (
        'neighbor * withdraw route 10.0.0.1/32 next-hop self path-information 7',
        'neighbor * withdraw route 10.0.0.2/32 next-hop self path-information 7',
    )


@pytest.mark.parametrize('state', [State.INIT, State.RISING, State.FALLING, State.END])
def test_the_passing_states_send_nothing(state: State) -> None:
    assert lines(Advertise(ips=TWO), state) == ()


def test_every_attribute_in_5_0_order() -> None:
    routes = Advertise(
        ips=('192.0.2.1/32', '2001:db8::1/128'),
        next_hop='192.0.2.254',
        neighbors=('127.0.0.2', '::1'),
        up_metric=10,
        increase=5,
        local_preference=200,
        community='65000:1 65000:2',
        extended_community='target:65000:1',
        large_community='65000:1:1',
        disabled_community='65000:666',
        as_path='65001 65002',
        up_as_path='65001',
        path_id=7,
    )
    # the first two lines 5.0.15 wrote for these options (UP)
    assert lines(routes, State.UP) == (
        'neighbor 127.0.0.2, neighbor ::1 announce route 192.0.2.1/32 next-hop 192.0.2.254 med 10 local-preference 200'
        ' community [ 65000:1 65000:2 ] extended-community [ target:65000:1 ] large-community [ 65000:1:1 ]'
        ' as-path [ 65001 ] path-information 7',
        'neighbor 127.0.0.2, neighbor ::1 announce route 2001:db8::1/128 next-hop 192.0.2.254 med 15 local-preference 200'
        ' community [ 65000:1 65000:2 ] extended-community [ target:65000:1 ] large-community [ 65000:1:1 ]'
        ' as-path [ 65001 ] path-information 7',
    )
    # down: the disabled community, and the general AS path (no --down-as-path)
    assert lines(routes, State.DOWN)[0] == (
        'neighbor 127.0.0.2, neighbor ::1 announce route 192.0.2.1/32 next-hop 192.0.2.254 med 1000'
        ' local-preference 200 community [ 65000:666 ] extended-community [ target:65000:1 ]'
        ' large-community [ 65000:1:1 ] as-path [ 65001 65002 ] path-information 7'
    )


def test_withdraw_on_down_withdraws_down_and_disabled_and_counts_the_metric_on() -> None:
    routes = Advertise(ips=TWO, withdraw_on_down=True)
    assert lines(routes, State.DOWN) == (
        'neighbor * withdraw route 10.0.0.1/32 next-hop self',
        'neighbor * withdraw route 10.0.0.2/32 next-hop self',
    )
    assert lines(routes, State.DISABLED)[0].startswith('neighbor * withdraw ')
    assert lines(routes, State.UP)[1] == 'neighbor * announce route 10.0.0.2/32 next-hop self med 101'


def test_a_star_among_the_neighbors_means_all_of_them() -> None:
    assert lines(Advertise(ips=TWO[:1], neighbors=('127.0.0.1', '*')), State.UP)[0].startswith('neighbor * announce')


def test_zero_path_id_and_negative_local_preference_are_left_out() -> None:
    assert lines(Advertise(ips=TWO[:1], path_id=0, local_preference=-1), State.UP) == (
        'neighbor * announce route 10.0.0.1/32 next-hop self med 100',
    )
    assert lines(Advertise(ips=TWO[:1], local_preference=0), State.UP)[0].endswith(' med 100 local-preference 0')


def test_an_empty_state_as_path_removes_the_general_one() -> None:
    routes = Advertise(ips=TWO[:1], as_path='65001', up_as_path='', down_as_path='65009')
    assert 'as-path' not in lines(routes, State.UP)[0]
    assert lines(routes, State.DOWN)[0].endswith(' as-path [ 65009 ]')
    assert lines(routes, State.DISABLED)[0].endswith(' as-path [ 65001 ]')


def test_the_disabled_community_alone_applies_to_down_and_disabled_only() -> None:
    routes = Advertise(ips=TWO[:1], disabled_community='65000:666')
    assert 'community' not in lines(routes, State.UP)[0]
    assert lines(routes, State.DISABLED)[0].endswith(' community [ 65000:666 ]')
