"""Reading cases in both of ExaBGP's formats."""

import os

import pytest
from qakit import suites
from qakit.case import CaseError, load, parse_lines

EOR = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000'
ROUTE = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0030:02:0000001540010100400200400304650165014005040000006418010100'


def write(directory, name: str, text: str) -> str:
    path = os.path.join(directory, name)
    with open(path, 'w') as handle:
        handle.write(text)
    return path


def test_main_format(tmp_path):
    path = write(
        tmp_path,
        'case.ci',
        '\n'.join(
            [
                'option:file:one.conf',
                'option:file:two.conf',
                'option:asn:65000',
                'option:tcp_connections:3',
                'option:bind:ipv6',
                'option:open:send-unknown-capability',
                'option:open:send-unknown-message',
                'option:open:inspect-open-message',
                'option:update:send-default-route',
                'option:timeout:5',
                '# a comment',
                '',
                f'2:raw:{ROUTE}',
                '1:cmd:announce eor ipv4 unicast',
                f'1:raw:{EOR}',
                '1:json:{"type": "update"}',
                'B1:notification:bye now',
                'A10:signal:usr1',
            ]
        ),
    )
    case = load(path, '/etc/x')
    assert case.style == 'main'
    assert case.configs == ('/etc/x/one.conf', '/etc/x/two.conf')
    options = case.options
    assert (options.asn, options.tcp_connections, options.timeout) == (65000, 3, 5.0)
    assert options.ipv6 and options.send_unknown_capability and options.send_unknown_message
    assert options.inspect_open and options.send_default_route
    assert [group.label for group in case.groups] == ['A1', 'A2', 'A10', 'B1']
    first = case.groups[0]
    assert [step.kind for step in first.steps] == ['cmd', 'raw', 'json']
    assert first.steps[1].payload == EOR.replace(':', '')
    assert case.groups[2].steps[0].payload == 'SIGUSR1'
    assert case.groups[3].steps[0].payload == 'bye now'
    assert [step.payload for step in case.commands] == ['announce eor ipv4 unicast']
    assert case.comments == ('a comment',)


def test_five_zero_format(tmp_path):
    write(tmp_path, 'case.ci', 'a.conf b.conf')
    write(
        tmp_path,
        'case.msg',
        f'option:tcp_connections:2\nA1:raw:{EOR}\n# note\nB1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001702:00000000\n',
    )
    case = load(os.path.join(tmp_path, 'case.ci'), 'etc')
    assert case.style == '5.0'
    assert case.configs == ('etc/a.conf', 'etc/b.conf')
    assert case.options.tcp_connections == 2
    assert [group.label for group in case.groups] == ['A1', 'B1']
    # colons may sit anywhere in a raw payload: the bytes are what counts
    assert case.groups[0].steps[0].wire == case.groups[1].steps[0].wire


@pytest.mark.parametrize(
    ('line', 'problem'),
    [
        ('1:raw:FFFF', 'shorter than a BGP header'),
        ('1:raw:XYZ', 'hex digits'),
        ('1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0018:02:00000000', 'declares length 24 but holds 23'),
        ('option:colour:blue', 'unknown option'),
        ('option:asn:many', 'needs a number'),
        ('1:teleport:somewhere', 'unknown step kind'),
        ('hello world', 'neither an option nor a step'),
    ],
)
def test_errors_name_the_line(line, problem):
    with pytest.raises(CaseError, match=problem) as caught:
        parse_lines(['option:file:x.conf', line], 'case.ci')
    assert 'case.ci:2' in str(caught.value)


def test_a_case_needs_a_configuration(tmp_path):
    path = write(tmp_path, 'case.ci', f'1:raw:{EOR}\n')
    with pytest.raises(CaseError, match='no configuration'):
        load(path, 'etc')


REFERENCE = suites.find_reference(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.mark.skipif(REFERENCE is None, reason='no reference folder (shared/reference) next to the repository')
def test_every_reference_case_reads():
    entries = suites.reference(REFERENCE, 'encoding') + suites.reference(REFERENCE, 'api')
    assert len(entries) > 100
    for entry in entries:
        case = load(entry.path, entry.etc)
        assert case.groups, entry.id
        assert all(os.path.exists(config) for config in case.configs), entry.id
