"""`exabgp encode` (upstream 6.0's command): a route in configuration syntax to its UPDATE, which
`exabgp decode` reads back to the same route."""

import json
import os
import pathlib

import pytest

from exabgp.application.main import main


@pytest.fixture(autouse=True)
def _no_exabgp_settings(monkeypatch):
    for key in list(os.environ):
        if key.lower().startswith('exabgp'):
            monkeypatch.delenv(key)


def run(capsys, command: str, *args: str) -> tuple[int, str, str]:
    code = main([command, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_encode_then_decode_gives_the_route_back(capsys) -> None:
    code, out, err = run(capsys, 'encode', 'route 10.0.0.0/24 next-hop 192.0.2.1 med 200 community [ 65000:1 ]')
    assert (code, err) == (0, '')
    (line,) = out.split()
    assert line == (
        'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003E02000000'
        '2340010100400200400304C0000201800404000000C840050400000064C00804FDE80001180A0000'
    )
    code, out, err = run(capsys, 'decode', '-f', 'ipv4 unicast', line)
    update = json.loads(out)['neighbor']['message']['update']
    assert update['announce'] == {'ipv4 unicast': {'192.0.2.1': [{'nlri': '10.0.0.0/24'}]}}
    assert update['attribute']['med'] == 200


def encoded(capsys, *args: str) -> str:
    code, out, err = run(capsys, 'encode', *args)
    assert (code, err) == (0, '')
    return out.strip()


def test_other_families_add_path_and_the_output_forms(capsys) -> None:
    route = 'route 2001:db8::/32 next-hop 2001:db8::1 path-information 9'
    message = encoded(capsys, '-f', 'ipv6 unicast', '-i', route)
    _, decoded, _ = run(capsys, 'decode', '-i', '-f', 'ipv6 unicast', message)
    announced = json.loads(decoded)['neighbor']['message']['update']['announce']
    assert announced == {'ipv6 unicast': {'2001:db8::1': [{'nlri': '2001:db8::/32', 'path-information': '0.0.0.9'}]}}
    assert encoded(capsys, '-n', 'route 10.0.0.0/24 next-hop 1.2.3.4') == '180A0000'
    whole = encoded(capsys, 'route 10.0.0.0/24 next-hop 1.2.3.4')
    assert whole[38:] == encoded(capsys, '--no-header', 'route 10.0.0.0/24 next-hop 1.2.3.4')
    external = encoded(capsys, '-a', '65000', '-z', '65001', 'route 10.0.0.0/24 next-hop 1.2.3.4')
    # an external session: the AS_PATH starts with our AS, no LOCAL_PREF
    assert '400206020100' + '00FDE8' in external and '400504' not in external


def test_a_configuration_file(capsys, tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'routes.conf'
    path.write_text(
        'neighbor 127.0.0.1 { router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 1;\n'
        ' static { route 10.0.0.0/24 next-hop self; route 10.1.0.0/16 next-hop 1.2.3.4; } }\n'
    )
    code, out, _ = run(capsys, 'encode', '-c', str(path))
    assert code == 0 and len(out.split()) == 2
    # next-hop self: the local address
    assert '4003047F000001' in out.split()[0]


@pytest.mark.parametrize(
    ('args', 'message'),
    [
        (['route 10.0.0.0/33 next-hop 1.2.3.4'], "'10.0.0.0/33' is not a valid prefix"),
        (['-f', 'ipv4', 'route 10.0.0.0/24 next-hop 1.2.3.4'], 'families provided are invalid'),
        ([], 'give a route'),
    ],
)
def test_mistakes_are_one_line_on_stderr(capsys, args: list[str], message: str) -> None:
    code, out, err = run(capsys, 'encode', *args)
    assert (code, out) == (1, '')
    assert err.startswith('exabgp encode: ') and message in err and err.count('\n') == 1
