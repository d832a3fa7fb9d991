"""Known failures: the cases a daemon is expected to fail today, and what each one waits for.

One file per daemon under qa/known-failures/. A line is `CASE-ID  FEATURE...`; '#' at the start
of a line or after a blank starts a comment. The file is chosen by `--known-failures`, then `EXABGP_KNOWN_FAILURES`, then by the
daemon: our own `sbin/exabgp` uses `exabgp`, another daemon (EXABGP_CMD) uses `exabgp-VERSION`
after the version it reports (`exabgp version`), and no file at all when there is none for it.

The verdict of a case compares its outcome with the list: a listed case must fail and an
unlisted case must pass; anything else fails the run.

Invariants: parsing is strict (a malformed line or a duplicate id is an error naming the line).
"""

import os
import re

_COMMENT = re.compile(r'(^|\s)#.*$')  # '#' after a blank: 'reactor#6' is a feature, not a comment


class KnownError(Exception):
    pass


def parse(text: str, source: str) -> dict[str, str]:
    known: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        content = _COMMENT.sub('', line).strip()
        if not content:
            continue
        parts = content.split(None, 1)
        if len(parts) != 2:
            raise KnownError(f'{source}:{number}: a known failure needs a case id and the feature it waits for')
        case, feature = parts
        if case in known:
            raise KnownError(f'{source}:{number}: {case} is listed twice')
        known[case] = feature.strip()
    return known


def load(path: str) -> dict[str, str]:
    with open(path, encoding='utf-8') as handle:
        return parse(handle.read(), path)


def name_for(version_output: str) -> str | None:
    """`exabgp-5.0.15` from the output of `exabgp version` ('ExaBGP : 5.0.15')."""
    match = re.search(r'ExaBGP\s*:\s*(\S+)', version_output)
    return f'exabgp-{match.group(1)}' if match else None


def verdict(passed: bool, case: str, known: dict[str, str]) -> tuple[bool, str]:
    """(run is fine, note) for a case outcome."""
    if case in known:
        if passed:
            return False, f'passed, but the known failures list it (waits for {known[case]}): remove it from the list'
        return True, f'expected failure, waits for {known[case]}'
    return passed, ''


def choose(directory: str, explicit: str | None, daemon_is_ours: bool, version_output: str) -> str | None:
    """The path of the known-failures file to use, or None."""
    if explicit:
        return explicit
    from_env = os.environ.get('EXABGP_KNOWN_FAILURES')
    if from_env:
        return from_env
    name = 'exabgp' if daemon_is_ours else name_for(version_output)
    if name is None:
        return None
    path = os.path.join(directory, name)
    return path if os.path.exists(path) else None
