"""The known-failures list: its format and the verdict it gives each outcome."""

import os

import pytest
from qakit import known

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_parse_and_verdicts():
    listed = known.parse('# title\n\nencoding/a   reactor#6   # why\n5.0/api/b  api#7\n', 'list')
    assert listed == {'encoding/a': 'reactor#6', '5.0/api/b': 'api#7'}
    assert known.verdict(True, 'encoding/z', listed) == (True, '')
    assert known.verdict(False, 'encoding/z', listed) == (False, '')
    fine, note = known.verdict(False, 'encoding/a', listed)
    assert fine and 'reactor#6' in note
    fine, note = known.verdict(True, 'encoding/a', listed)
    assert not fine and 'remove it' in note


@pytest.mark.parametrize(
    ('text', 'problem'), [('encoding/a\n', 'needs a case id and the feature'), ('a x\na y\n', 'twice')]
)
def test_parse_errors(text, problem):
    with pytest.raises(known.KnownError, match=problem):
        known.parse(text, 'list')


def test_choice_by_daemon(tmp_path, monkeypatch):
    monkeypatch.delenv('EXABGP_KNOWN_FAILURES', raising=False)
    (tmp_path / 'exabgp').write_text('')
    (tmp_path / 'exabgp-5.0.15').write_text('')
    assert known.name_for('ExaBGP : 5.0.15\nPython : 3.11') == 'exabgp-5.0.15'
    assert known.choose(str(tmp_path), None, True, '') == str(tmp_path / 'exabgp')
    assert known.choose(str(tmp_path), None, False, 'ExaBGP : 5.0.15') == str(tmp_path / 'exabgp-5.0.15')
    assert known.choose(str(tmp_path), None, False, 'ExaBGP : 4.2.0') is None
    assert known.choose(str(tmp_path), 'given', False, '') == 'given'
    monkeypatch.setenv('EXABGP_KNOWN_FAILURES', 'from-env')
    assert known.choose(str(tmp_path), None, True, '') == 'from-env'


@pytest.mark.parametrize('name', ['exabgp', 'exabgp-5.0.15'])
def test_the_shipped_lists_parse(name):
    listed = known.load(os.path.join(ROOT, 'qa', 'known-failures', name))
    assert listed
    assert all('/' in case for case in listed)
