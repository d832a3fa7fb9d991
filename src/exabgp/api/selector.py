"""Neighbor selectors: the `neighbor IP [filters] [, neighbor IP [filters]]...` prefix of an API command.

    neighbor 192.0.2.1 announce route ...
    neighbor 192.0.2.1 local-as 65000 peer-as 65001 teardown 2
    neighbor 192.0.2.1 , neighbor 192.0.2.2 announce route ...
    neighbor * announce route ...

Invariants (5.0's rules):
- A selector is a list of `key value` items; the keys are those of a neighbor's name (`neighbor`,
  `local-ip`, `local-as`, `peer-as`, `router-id`, `family-allowed`). It matches a neighbor when
  every item appears in the neighbor's name as whole words; `neighbor *` matches every neighbor.
- Several selectors joined by commas match a neighbor when any of them does.
- No selector at all is different from a selector matching nothing: the caller decides what a
  command without selector applies to (the neighbors its process is bound to).
"""

import re
from dataclasses import dataclass

KEYS = ('neighbor', 'local-ip', 'local-as', 'peer-as', 'router-id', 'family-allowed')


class SelectorError(ValueError):
    """The selector prefix is malformed."""


@dataclass(frozen=True, slots=True)
class Selector:
    items: tuple[str, ...]

    def matches(self, name: str) -> bool:
        """Whether a neighbor, by its name (`Neighbor.name()`), is selected."""
        for item in self.items:
            if item == 'neighbor *':
                return True
            if re.search(rf'(^|\s){re.escape(item)}($|\s|,)', name) is None:
                return False
        return True

    def __str__(self) -> str:
        return ' '.join(self.items)


Selectors = tuple[Selector, ...]


def selected(selectors: Selectors, name: str) -> bool:
    return any(selector.matches(name) for selector in selectors)


def split(words: list[str]) -> tuple[Selectors, int]:
    """The selectors at the start of `words`, and the index of the first word of the command."""
    if not words or words[0] != 'neighbor':
        return (), 0
    found: list[Selector] = []
    index = 0
    while index < len(words) and words[index] == 'neighbor':
        if index + 1 >= len(words):
            raise SelectorError('a neighbor address is missing after "neighbor"')
        items = [f'neighbor {words[index + 1]}']
        index += 2
        while index + 1 < len(words) and words[index] in KEYS[1:]:
            items.append(f'{words[index]} {words[index + 1]}')
            index += 2
        found.append(Selector(tuple(items)))
        if index < len(words) and words[index] == ',':
            index += 1
            if index >= len(words) or words[index] != 'neighbor':
                raise SelectorError('a neighbor must follow the comma')
    if index >= len(words):
        raise SelectorError('the command is missing after the neighbor selection')
    return tuple(found), index
