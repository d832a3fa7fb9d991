"""The runner end to end, with a small scripted stand-in for the daemon (EXABGP_CMD): what passes,
what fails and how fast, the known-failures verdicts, decoding and parsing."""

import json
import os
import sys
import textwrap
import time

from qakit import runner

OPEN = (
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003101'
    + '04FDE900B40A00000114'
    + '0206010400010001'
    + '020641040000FDE9'
    + '02020600'
)
EOR = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001702' + '00000000'
WITHDRAW = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B02' + '000418C000020000'

# A stand-in daemon: `-d -p CONF` sends the OPEN then every `send HEX` line of CONF to the test
# peer, and exits with the code of an `exit N` line (at once when the line comes first); `validate`
# exits with that code too; `decode` prints $FAKE_JSON.
DAEMON = textwrap.dedent(
    f"""
    import os, socket, sys, time
    args = sys.argv[1:]
    if args[0] == 'version':
        print('ExaBGP : 0.0.0-fake')
        sys.exit(0)
    if args[0] == 'decode':
        print(os.environ['FAKE_JSON'])
        sys.exit(0)
    config = open(args[-1]).read().split(chr(10))
    code = 0
    for line in config:
        if line.startswith('exit'):
            code = int(line.split()[1])
            break
    if args[0] == 'validate' or config[0].startswith('exit'):
        sys.exit(code)
    assert os.environ['exabgp_tcp_bind'] == '' and os.environ['exabgp_version'] == '5.0.0-0+test'
    connection = socket.create_connection(('127.0.0.1', int(os.environ['exabgp_tcp_port'])))
    connection.sendall(bytes.fromhex('{OPEN}'))
    for line in config:
        if line.startswith('send'):
            connection.sendall(bytes.fromhex(line.split()[1]))
    connection.settimeout(5)
    try:
        while connection.recv(4096):
            pass
    except OSError:
        pass
    sys.exit(code)
    """
)


def tree(tmp_path, monkeypatch, cases: dict[str, str], configs: dict[str, str]) -> str:
    daemon = tmp_path / 'daemon.py'
    daemon.write_text(DAEMON)
    monkeypatch.setenv('EXABGP_CMD', f'{sys.executable} {daemon}')
    monkeypatch.delenv('EXABGP_KNOWN_FAILURES', raising=False)
    for name, text in cases.items():
        path = tmp_path / 'qa' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for name, text in configs.items():
        path = tmp_path / 'etc' / 'exabgp' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(tmp_path)


def functional(root: str, *args: str) -> int:
    return runner.main(
        ['--root', root, '--no-reference', '--logs', os.path.join(root, 'logs'), '--timeout', '10', *args]
    )


def test_pass_and_fail(tmp_path, monkeypatch, capsys):
    root = tree(
        tmp_path,
        monkeypatch,
        {
            'encoding/good.ci': f'option:file:good.conf\n1:raw:{WITHDRAW}\n1:raw:{EOR}\n',
            'encoding/bad.ci': f'option:file:bad.conf\n1:raw:{EOR}\n',
        },
        {'good.conf': f'send {EOR}\nsend {WITHDRAW}\n', 'bad.conf': f'send {WITHDRAW}\n'},
    )
    assert functional(root, 'encoding') == 1
    out = capsys.readouterr().out
    assert 'PASS  encoding/good' in out
    assert 'FAIL  encoding/bad' in out
    assert '1 passed, 1 failed' in out
    log = tmp_path / 'logs' / 'encoding' / 'bad.log'
    text = log.read_text()
    assert 'unexpected UPDATE in group A1' in text
    assert '192.0.2.0/24' in text and 'ipv4 unicast' in text


def test_a_daemon_that_exits_fails_at_once(tmp_path, monkeypatch, capsys):
    root = tree(
        tmp_path, monkeypatch, {'api/gone.ci': f'option:file:gone.conf\n1:raw:{EOR}\n'}, {'gone.conf': 'exit 1\n'}
    )
    started = time.monotonic()
    assert functional(root, 'api', '--timeout', '60') == 1
    assert time.monotonic() - started < 10
    assert 'the daemon exited with code 1: it never connected' in capsys.readouterr().out


def test_known_failures(tmp_path, monkeypatch, capsys):
    root = tree(
        tmp_path,
        monkeypatch,
        {
            'encoding/good.ci': f'option:file:good.conf\n1:raw:{EOR}\n',
            'encoding/bad.ci': f'option:file:bad.conf\n1:raw:{EOR}\n',
        },
        {'good.conf': f'send {EOR}\n', 'bad.conf': 'exit 1\n'},
    )
    listing = tmp_path / 'known'
    listing.write_text('encoding/bad  reactor#6\n')
    assert functional(root, 'encoding', '--known-failures', str(listing)) == 0
    out = capsys.readouterr().out
    assert 'PASS  encoding/bad' in out and 'expected failure, waits for reactor#6' in out
    listing.write_text('encoding/bad  reactor#6\nencoding/good  reactor#6\n')
    assert functional(root, 'encoding', '--known-failures', str(listing)) == 1
    assert 'FAIL  encoding/good' in capsys.readouterr().out


def test_decoding_ignores_the_volatile_keys(tmp_path, monkeypatch, capsys):
    expected = {'exabgp': '5.0.0', 'time': 1, 'host': 'a', 'pid': 1, 'ppid': 1, 'type': 'update', 'counter': 1}
    root = tree(
        tmp_path,
        monkeypatch,
        {
            'decoding/same': f'update ipv4 unicast\n{EOR}\n{json.dumps(expected)}\n',
            'decoding/other': f'update ipv4 unicast\n{WITHDRAW}\n{json.dumps(dict(expected, type="open"))}\n',
        },
        {},
    )
    monkeypatch.setenv('FAKE_JSON', json.dumps(dict(expected, time=2, host='b', pid=2, ppid=2, exabgp='6.0.0')))
    assert functional(root, 'decoding') == 1
    out = capsys.readouterr().out
    assert 'PASS  decoding/same' in out and 'FAIL  decoding/other' in out
    assert '"type": "open"' in (tmp_path / 'logs' / 'decoding' / 'other.log').read_text()


def test_parsing_and_listing(tmp_path, monkeypatch, capsys):
    root = tree(tmp_path, monkeypatch, {}, {'fine.conf': '# ok\n', 'broken.conf': 'exit 3\n'})
    assert functional(root, 'parsing') == 1
    out = capsys.readouterr().out
    assert 'PASS  parsing/fine' in out and 'FAIL  parsing/broken' in out
    assert functional(root, '--list') == 0
    assert capsys.readouterr().out.split() == ['parsing/broken', 'parsing/fine']
