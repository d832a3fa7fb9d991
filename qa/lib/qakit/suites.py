"""Where the cases are, and their ids.

Our own cases: qa/encoding/*.ci, qa/api/*.ci (configurations in etc/exabgp, API scripts in
etc/exabgp/run), qa/decoding/*, and every etc/exabgp/*.conf for parsing. Their ids are
`MODE/NAME`.

Reference cases, when the reference folder exists (EXABGP_REFERENCE, else the first
`shared/reference` found walking up from the repository): for each snapshot (exabgp-5.0 as `5.0`,
exabgp-main as `main`) its qa/encoding (5.0 keeps its api-* cases there too; they are the api
mode), qa/api, qa/decoding and etc/exabgp/*.conf. Their ids are `SNAPSHOT/MODE/NAME`. Their API
scripts are not in the reference: ours are in qa/reference-scripts, named as the configurations
name them.

Invariants: discovery only lists files; it never reads a case (a broken case must fail when run,
not stop the listing). Ids are unique.
"""

import glob
import os
from dataclasses import dataclass

MODES = ('encoding', 'api', 'decoding', 'parsing')
SNAPSHOTS = (('5.0', 'exabgp-5.0'), ('main', 'exabgp-main'))


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    mode: str
    path: str  # the .ci, the decoding file or the configuration
    etc: str  # where the case's configuration files are
    reference: str  # '' for our own cases, else the snapshot name

    @property
    def name(self) -> str:
        return self.id.rsplit('/', 1)[-1]


def find_reference(root: str) -> str | None:
    explicit = os.environ.get('EXABGP_REFERENCE')
    if explicit is not None:
        return explicit if explicit and os.path.isdir(explicit) else None
    folder = os.path.abspath(root)
    while True:
        candidate = os.path.join(os.path.dirname(folder), 'shared', 'reference')
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _files(pattern: str) -> list[str]:
    return sorted(path for path in glob.glob(pattern) if os.path.isfile(path))


def _stem(path: str) -> str:
    name = os.path.basename(path)
    return name[:-3] if name.endswith('.ci') else name[:-5] if name.endswith('.conf') else name


def ours(root: str, mode: str) -> list[Entry]:
    etc = os.path.join(root, 'etc', 'exabgp')
    qa = os.path.join(root, 'qa')
    if mode in ('encoding', 'api'):
        paths = _files(os.path.join(qa, mode, '*.ci'))
    elif mode == 'decoding':
        paths = _files(os.path.join(qa, 'decoding', '*'))
    else:
        paths = _files(os.path.join(etc, '*.conf'))
    return [Entry(f'{mode}/{_stem(path)}', mode, path, etc, '') for path in paths]


def reference(folder: str, mode: str) -> list[Entry]:
    entries = []
    for label, directory in SNAPSHOTS:
        base = os.path.join(folder, directory)
        if not os.path.isdir(base):
            continue
        etc = os.path.join(base, 'etc', 'exabgp')
        if mode in ('encoding', 'api'):
            paths = _files(os.path.join(base, 'qa', 'encoding', '*.ci')) + _files(
                os.path.join(base, 'qa', 'api', '*.ci')
            )
            paths = [path for path in paths if _mode_of(path) == mode]
        elif mode == 'decoding':
            paths = _files(os.path.join(base, 'qa', 'decoding', '*'))
        else:
            paths = _files(os.path.join(etc, '*.conf'))
        entries.extend(Entry(f'{label}/{mode}/{_stem(path)}', mode, path, etc, label) for path in paths)
    return entries


def _mode_of(path: str) -> str:
    """main separates api cases into qa/api; 5.0 keeps them in qa/encoding named api-*."""
    if os.path.basename(os.path.dirname(path)) == 'api':
        return 'api'
    return 'api' if os.path.basename(path).startswith('api-') else 'encoding'


def discover(root: str, modes: list[str], reference_folder: str | None) -> list[Entry]:
    entries: list[Entry] = []
    for mode in modes:
        entries.extend(ours(root, mode))
        if reference_folder:
            entries.extend(reference(reference_folder, mode))
    return entries
