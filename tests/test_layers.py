"""The layer contract of DESIGN.md, checked on the source: imports point down only, and the pure
layers never touch asyncio, sockets, the clock, subprocesses or the process environment."""

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).resolve().parent.parent / 'src' / 'exabgp'

# top to bottom: a layer may import itself and anything after it in this list
ORDER = ['application', 'reactor', 'api', 'configuration', 'rib', 'session', 'bgp']
PURE = ['api', 'configuration', 'rib', 'session', 'bgp']
FORBIDDEN_IN_PURE = {'asyncio', 'socket', 'time', 'selectors', 'signal', 'subprocess', 'threading', 'logging.handlers'}
ENVIRONMENT = {('os', 'environ'), ('os', 'getenv'), ('os', 'putenv'), ('os', 'environb')}


def imported(tree: ast.AST) -> list[tuple[str, int]]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.module, node.lineno))
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


def violations(layer: str, path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    allowed = set(ORDER[ORDER.index(layer) :])
    found: dict[str, None] = {}
    for name, line in imported(tree):
        parts = name.split('.')
        if parts[0] == 'exabgp' and len(parts) > 1 and parts[1] in ORDER and parts[1] not in allowed:
            found[f'{path}:{line}: {layer} imports exabgp.{parts[1]}, a layer above it'] = None
        if layer in PURE and (parts[0] in FORBIDDEN_IN_PURE or '.'.join(parts[:2]) in FORBIDDEN_IN_PURE):
            found[f'{path}:{line}: pure layer {layer} imports {name}'] = None
    if layer in PURE:
        for line in environment_reads(tree):
            found[f'{path}:{line}: pure layer {layer} reads the environment'] = None
    return list(found)


@pytest.mark.parametrize('layer', ORDER)
def test_layer_respects_the_contract(layer: str) -> None:
    folder = SRC / layer
    assert folder.is_dir(), f'{folder} is missing'
    problems = [problem for path in sorted(folder.rglob('*.py')) for problem in violations(layer, path)]
    assert problems == []


def test_the_checker_catches_a_violation(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / 'bad.py'
    bad.write_text('import asyncio\nimport os\nfrom exabgp.reactor import loop\nx = os.environ["A"]\n')
    problems = violations('bgp', bad)
    assert len(problems) == 3
    assert any('imports asyncio' in problem for problem in problems)
    assert any('exabgp.reactor' in problem for problem in problems)
    assert any('reads the environment' in problem for problem in problems)
