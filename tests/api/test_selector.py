"""Neighbor selectors, as 5.0's extract_neighbors / match_neighbor read and match them."""

import pytest

from exabgp.api.selector import Selector, SelectorError, selected, split

NAME = 'neighbor 127.0.0.1 local-ip 127.0.0.2 local-as 65001 peer-as 65002 router-id 1.2.3.4 family-allowed in-open'


def test_no_selector() -> None:
    assert split(['announce', 'route']) == ((), 0)


def test_one_selector_with_filters() -> None:
    words = ['neighbor', '127.0.0.1', 'local-as', '65001', 'peer-as', '65002', 'announce', 'route']
    selectors, start = split(words)
    assert selectors == (Selector(('neighbor 127.0.0.1', 'local-as 65001', 'peer-as 65002')),)
    assert words[start] == 'announce'


def test_selectors_joined_by_commas() -> None:
    words = ['neighbor', '10.0.0.1', ',', 'neighbor', '10.0.0.2', 'router-id', '1.2.3.4', 'teardown', '4']
    selectors, start = split(words)
    assert [str(selector) for selector in selectors] == ['neighbor 10.0.0.1', 'neighbor 10.0.0.2 router-id 1.2.3.4']
    assert words[start:] == ['teardown', '4']


@pytest.mark.parametrize(
    'words',
    [['neighbor'], ['neighbor', '10.0.0.1'], ['neighbor', '10.0.0.1', ','], ['neighbor', '10.0.0.1', ',', 'teardown']],
)
def test_malformed_selectors(words: list[str]) -> None:
    with pytest.raises(SelectorError):
        split(words)


@pytest.mark.parametrize(
    ('items', 'matches'),
    [
        (('neighbor 127.0.0.1',), True),
        (('neighbor 127.0.0.11',), False),
        (('neighbor 127.0.0',), False),
        (('neighbor 127.0.0.1', 'local-as 65001'), True),
        (('neighbor 127.0.0.1', 'local-as 65002'), False),
        (('neighbor *',), True),
        (('neighbor 127.0.0.1', 'family-allowed in-open'), True),
    ],
)
def test_matching_is_by_whole_items_of_the_name(items: tuple[str, ...], matches: bool) -> None:
    assert Selector(items).matches(NAME) is matches


def test_any_selector_may_match() -> None:
    selectors = (Selector(('neighbor 10.0.0.9',)), Selector(('neighbor 127.0.0.1',)))
    assert selected(selectors, NAME)
    assert not selected(selectors[:1], NAME)
