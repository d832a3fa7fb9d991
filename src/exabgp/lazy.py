"""Modules loaded on first use: the grammar and codecs of families a daemon may never see.

A unicast daemon is most of ExaBGP's users; importing FlowSpec, SR policy, MUP, Prefix-SID and the
other families' modules at start-up costs every run (every `exabgp` command, every benchmark) tens
of milliseconds for code it never calls. `module(name)` gives the module object at once and runs
its body when an attribute of it is first read.

Invariants: a name is loaded at most once (the object is the one in `sys.modules`, shared with any
ordinary import of it); importers keep a `TYPE_CHECKING` import beside it so the types are checked
as for an ordinary import, and read the module's attributes only inside functions.
"""

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    found = sys.modules.get(name)
    if found is not None:
        return found
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f'no module named {name}')
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    made = importlib.util.module_from_spec(spec)
    sys.modules[name] = made
    loader.exec_module(made)
    return made
