"""`exabgp server --profile FILE` (profile.enable, profile.file): the daemon run under cProfile.

Invariants:
- An existing path is never overwritten: the daemon then runs without the profiler and logs why.
- The profile is saved however the daemon stops (return, exception, signal-driven shutdown), as a
  pstats file (`python -m pstats FILE`); with no file, or `stdout`, the statistics sorted by
  cumulative time are printed on stdout instead. 5.0 wrote KCacheGrind text: pstats is what Python's
  own tools read (and converters such as pyprof2calltree turn it into KCacheGrind's).
- `absolute` is applied before daemonising, which changes directory to /.
"""

import cProfile
import os
import pstats
import sys
from collections.abc import Callable

from exabgp import logger
from exabgp.settings import Settings

log = logger.get('reactor')

TO_STDOUT = ('', 'stdout')
PRINTED = 40


def absolute(settings: Settings) -> Settings:
    """The settings with profile.file relative to the current directory made absolute."""
    name = settings.profile.file
    if not settings.profile.enable or name in TO_STDOUT or os.path.isabs(name):
        return settings
    return settings.replace({'profile.file': os.path.abspath(name)})


def run(call: Callable[[], int], settings: Settings) -> int:
    """`call()`, profiled when the settings ask for it."""
    if not settings.profile.enable:
        return call()
    destination = settings.profile.file
    if destination not in TO_STDOUT and os.path.exists(destination):
        log.warning(f'profile: {destination} already exists and is never overwritten, running without profiling')
        return call()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        return call()
    finally:
        profiler.disable()
        _save(profiler, destination)


def _save(profiler: cProfile.Profile, destination: str) -> None:
    if destination in TO_STDOUT:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats('cumulative').print_stats(PRINTED)
        sys.stdout.flush()
        return
    try:
        profiler.dump_stats(destination)
    except OSError as exc:
        log.error(f'profile: could not write {destination}: {exc.strerror}')
        return
    log.info(f'profile: written to {destination} (read it with python -m pstats {destination})')
