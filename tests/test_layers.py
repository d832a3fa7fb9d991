"""The layer contract of DESIGN.md, checked on the source: every import between the parts of the
package is an edge of the graph below (src/exabgp/__init__.py says it in words), and the pure parts
never touch asyncio, sockets, the clock, subprocesses or the process environment."""

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).resolve().parent.parent / 'src' / 'exabgp'

# part -> what it may import besides itself and LEAVES: a part, or a module of a part (a prefix of
# the dotted name under exabgp). Anything else is a violation, type-checking imports included.
GRAPH: dict[str, tuple[str, ...]] = {
    'bgp': (),
    'session': ('bgp',),
    'rib': ('bgp',),
    'configuration': ('bgp',),
    # BMP messages: built from BGP messages already framed, parsed back for the tests and qa
    'bmp': (),
    # the API reads routes and operational messages with the configuration's own grammar, and
    # `show` writes parts of the configuration model; it never parses configuration files
    'api': (
        'bgp',
        'configuration.tokenizer',
        'configuration.cursor',
        'configuration.errors',
        'configuration.route',
        'configuration.operational',
        'configuration.model',
    ),
    'settings': (),
    'reactor': ('bgp', 'session', 'rib', 'configuration', 'api', 'settings', 'bmp'),
    'application': ('bgp', 'session', 'rib', 'configuration', 'api', 'reactor', 'settings', 'speaker'),
    # the library API: the reactor's peers for another asyncio program
    'speaker': ('bgp', 'session', 'configuration', 'api', 'reactor', 'settings'),
    '__main__': ('application',),
    '__init__': (),
    'logger': (),
    'version': (),
    'lazy': (),
}
# leaf modules every part may use: the topic loggers, the release number, modules loaded on first use
LEAVES = ('logger', 'version', 'lazy')
PURE = ['bgp', 'session', 'rib', 'configuration', 'api', 'settings', 'bmp']
FORBIDDEN_IN_PURE = {'asyncio', 'socket', 'time', 'selectors', 'signal', 'subprocess', 'threading', 'logging.handlers'}
ENVIRONMENT = {('os', 'environ'), ('os', 'getenv'), ('os', 'putenv'), ('os', 'environb')}


def parts() -> dict[str, list[pathlib.Path]]:
    """Every part of the package (a sub-package or a top-level module) with its source files."""
    found: dict[str, list[pathlib.Path]] = {}
    for path in sorted(SRC.iterdir()):
        if path.is_dir() and (path / '__init__.py').exists():
            found[path.name] = sorted(path.rglob('*.py'))
        elif path.suffix == '.py':
            found[path.stem] = [path]
    return found


def imported(tree: ast.AST) -> list[tuple[str, int]]:
    """The dotted names a module imports: for `from a.b import c`, `a.b.c` (a submodule or a name
    of `a.b`, both inside `a.b`)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.append(('.' * node.level + (node.module or ''), node.lineno))
            elif node.module:
                names.extend((f'{node.module}.{alias.name}', node.lineno) for alias in node.names)
    return names


def environment_reads(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and (node.value.id, node.attr) in ENVIRONMENT
    ]


def allowed(part: str, target: str) -> bool:
    """Whether `part` may import `exabgp.<target>`."""
    if target.split('.')[0] == part:
        return True
    return any(target == edge or target.startswith(f'{edge}.') for edge in (*GRAPH[part], *LEAVES))


def violations(part: str, path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found: dict[str, None] = {}
    for name, line in imported(tree):
        if name.startswith('.'):
            found[f'{path}:{line}: relative import {name}: the checker reads absolute ones only'] = None
            continue
        dotted = name.split('.')
        if dotted[0] == 'exabgp' and len(dotted) > 1 and not allowed(part, '.'.join(dotted[1:])):
            found[f'{path}:{line}: {part} imports {name}, not an edge of the layer graph'] = None
        if part in PURE and (dotted[0] in FORBIDDEN_IN_PURE or '.'.join(dotted[:2]) in FORBIDDEN_IN_PURE):
            found[f'{path}:{line}: pure part {part} imports {name}'] = None
        if part in PURE and tuple(dotted[:2]) in ENVIRONMENT:
            found[f'{path}:{line}: pure part {part} imports {name}, the environment'] = None
    if part in PURE:
        for line in environment_reads(tree):
            found[f'{path}:{line}: pure part {part} reads the environment'] = None
    return list(found)


def test_every_part_is_in_the_graph() -> None:
    assert set(parts()) == set(GRAPH)
    assert all(edge.split('.')[0] in GRAPH for edges in GRAPH.values() for edge in edges)


@pytest.mark.parametrize('part', sorted(GRAPH))
def test_part_respects_the_contract(part: str) -> None:
    files = parts().get(part, [])
    assert files, f'{part} is missing'
    problems = [problem for path in files for problem in violations(part, path)]
    assert problems == []


def test_the_checker_catches_a_violation(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / 'bad.py'
    bad.write_text(
        'import asyncio\nimport os\nfrom exabgp.reactor import loop\nx = os.environ["A"]\n'
        'from os import getenv\nfrom . import sibling\n'
    )
    problems = violations('bgp', bad)
    assert len(problems) == 5
    assert any('imports asyncio' in problem for problem in problems)
    assert any('exabgp.reactor.loop' in problem for problem in problems)
    assert any('reads the environment' in problem for problem in problems)
    assert any('os.getenv, the environment' in problem for problem in problems)
    assert any('relative import' in problem for problem in problems)


def test_the_graph_is_not_a_straight_line(tmp_path: pathlib.Path) -> None:
    """Below the reactor the parts are siblings, not a stack: rib and session both sit on bgp only,
    and the API may read the configuration's grammar but not its file parser."""
    assert violations('rib', _module(tmp_path, 'from exabgp.session.state import State\n'))
    assert violations('session', _module(tmp_path, 'from exabgp.rib.outgoing import AdjRibOut\n'))
    assert violations('configuration', _module(tmp_path, 'from exabgp.api.command import parse\n'))
    assert violations('api', _module(tmp_path, 'from exabgp.configuration.parser import parse\n'))
    assert violations('api', _module(tmp_path, 'from exabgp.settings import Settings\n'))
    assert not violations('api', _module(tmp_path, 'from exabgp.configuration.route.grammar import Builder\n'))
    assert not violations('bgp', _module(tmp_path, 'from exabgp import logger\n'))
    assert not violations('reactor', _module(tmp_path, 'from exabgp.rib.incoming import AdjRibIn\n'))


def _module(folder: pathlib.Path, text: str) -> pathlib.Path:
    path = folder / 'module.py'
    path.write_text(text)
    return path
