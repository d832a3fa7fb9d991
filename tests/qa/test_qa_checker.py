"""The matching rules: any order inside a group, groups in order, KEEPALIVEs ignored, actions
when their turn comes, and a message that does not fit is a failure naming what was expected."""

from qakit import wire
from qakit.case import group_steps, parse_lines
from qakit.checker import Checker, Mismatch


def update(last: int) -> bytes:
    """A distinct small UPDATE (withdrawing 10.0.0.last/32)."""
    return wire.frame(wire.UPDATE, b'\x00\x05\x20\x0a\x00\x00' + bytes([last]) + b'\x00\x00')


def raw(label: str, message: bytes) -> str:
    return f'{label}:raw:{message.hex()}'


def checker(*lines: str) -> Checker:
    _, _, steps, _ = parse_lines(list(lines), 'case.ci')
    return Checker(group_steps(steps))


def test_any_order_inside_a_group():
    check = checker(raw('1', update(1)), raw('1', update(2)), raw('1', update(3)))
    assert check.start() == []
    for last in (3, 1, 2):
        assert check.receive(update(last)) == []
    assert check.done


def test_groups_in_order():
    check = checker(raw('1', update(1)), raw('2', update(2)))
    check.start()
    early = check.receive(update(2))
    assert isinstance(early, Mismatch)
    assert early.group == 'A1'
    assert [step.wire for step in early.candidates] == [update(1)]
    assert not check.done
    # a mismatch consumes nothing: the right message still matches
    assert check.receive(update(1)) == []
    assert check.receive(update(2)) == []
    assert check.done


def test_numbers_order_numerically_and_letters_first():
    check = checker(raw('B1', update(4)), raw('10', update(3)), raw('2', update(2)), raw('1', update(1)))
    check.start()
    for last in (1, 2, 3, 4):
        assert check.receive(update(last)) == [], last
    assert check.done


def test_keepalives_never_count():
    check = checker(raw('1', update(1)))
    check.start()
    assert check.receive(wire.keepalive()) == []
    assert check.group == 'A1'
    assert check.receive(update(1)) == []
    assert check.done


def test_a_repeated_message_must_arrive_as_often_as_listed():
    check = checker(raw('1', update(1)), raw('1', update(1)), raw('2', update(2)))
    check.start()
    assert check.receive(update(1)) == []
    assert isinstance(check.receive(update(2)), Mismatch)
    assert check.receive(update(1)) == []
    assert check.receive(update(2)) == []


def test_an_unexpected_message_fails():
    check = checker(raw('1', update(1)))
    check.start()
    verdict = check.receive(update(9))
    assert isinstance(verdict, Mismatch)
    assert verdict.received == update(9)


def test_nothing_more_is_expected_once_done():
    check = checker(raw('1', update(1)))
    check.start()
    check.receive(update(1))
    assert check.done
    verdict = check.receive(update(1))
    assert isinstance(verdict, Mismatch)
    assert verdict.candidates == ()


def test_an_action_heading_a_group_runs_when_the_group_opens():
    check = checker('A1:notification:bye')
    actions = check.start()
    assert [(step.kind, step.payload) for step in actions] == [('notification', 'bye')]
    assert check.done


def test_an_action_runs_once_the_steps_before_it_are_done():
    check = checker(raw('A1', update(1)), raw('A1', update(2)), 'A2:signal:SIGUSR1', raw('A3', update(3)))
    assert check.start() == []
    assert check.receive(update(2)) == []
    actions = check.receive(update(1))
    assert [(step.kind, step.payload) for step in actions] == [('signal', 'SIGUSR1')]
    assert check.group == 'A3'
    assert check.receive(update(3)) == []
    assert check.done


def test_documentation_steps_never_wait():
    check = checker('1:cmd:announce route 10.0.0.1/32 next-hop 1.1.1.1', raw('1', update(1)), '2:json:{}')
    check.start()
    assert check.receive(update(1)) == []
    assert check.done
