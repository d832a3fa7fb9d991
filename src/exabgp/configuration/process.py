"""`process NAME { run PROGRAM ARGS; encoder text|json; respawn BOOL; }`: an API process.

Invariants (5.0's):
- `run` and `encoder` are mandatory, `respawn` defaults to true; names are unique.
- A relative program is looked for in /etc/exabgp, next to the configuration file and in every PATH
  directory, and the last of those which exists is used (5.0's order). `etc/exabgp/...` is resolved
  against EXABGP_ETC, or against the working directory. The program must exist, be a regular file we
  may execute, and be neither setuid nor setgid. The search path, EXABGP_ETC and the working directory
  come from the caller (`Context`): this layer never reads the environment.
"""

import os
import stat
from dataclasses import dataclass

from exabgp.configuration import values
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError, Location, suggest
from exabgp.configuration.model import Process
from exabgp.configuration.tokenizer import Statement


@dataclass(frozen=True, slots=True)
class Context:
    """What the configuration needs from the world outside the files it reads."""

    # the PATH directories searched for a relative `run` program
    search_path: tuple[str, ...] = ()
    # EXABGP_ETC, for programs written etc/exabgp/...
    etc: str = ''
    # the working directory (PWD)
    cwd: str = ''
    # settings bgp.passive: every neighbor is passive (peer ranges allowed)
    passive: bool = False
    # check that `run` programs exist and may be executed
    check_programs: bool = True


def _candidates(program: str, config: str, context: Context) -> list[str]:
    if program.startswith('etc/exabgp'):
        parts = program.split('/')
        if context.etc:
            return [os.path.join(context.etc.rstrip('/'), *parts[2:]), '/etc/exabgp']
        options = ['/etc/exabgp']
        cwd = [part for part in context.cwd.split('/') if part]
        if cwd and cwd[-1] in ('etc', 'sbin'):
            options.append(os.path.abspath('/' + os.path.join(*cwd[:-1], program)))
        if 'etc' not in cwd:
            options.append(os.path.abspath(os.path.join('/' + '/'.join(cwd), program)))
        return options
    options = [
        os.path.abspath(os.path.join('/etc/exabgp', program)),
        os.path.abspath(os.path.join(os.path.dirname(config), program)),
    ]
    options.extend(os.path.abspath(os.path.join(directory, program)) for directory in context.search_path)
    return options


def locate(program: str, config: str, context: Context) -> str:
    """The program 5.0 would run; ValueError saying why it can not be run."""
    if not program.startswith('/'):
        for option in _candidates(program, config, context):
            if os.path.exists(option):
                program = option
    if not context.check_programs:
        return program
    try:
        status = os.stat(program)
    except FileNotFoundError:
        raise ValueError(f"can not locate the program '{program}'") from None
    except OSError as exc:
        raise ValueError(f"can not access the program '{program}': {exc.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise ValueError(f"can not execute directories '{program}'")
    if status.st_mode & stat.S_ISUID:
        raise ValueError(f"refusing to run setuid programs '{program}'")
    if status.st_mode & stat.S_ISGID:
        raise ValueError(f"refusing to run setgid programs '{program}'")
    if not stat.S_ISREG(status.st_mode):
        raise ValueError(f"the program must be a regular file '{program}'")
    if not os.access(program, os.X_OK):
        raise ValueError(f"exabgp will not be able to run this program '{program}'")
    return program


class ProcessSection:
    """Collects one process section; `build()` checks it is complete."""

    __slots__ = ('context', 'encoder', 'header', 'name', 'respawn', 'run')

    def __init__(self, header: Statement, context: Context) -> None:
        self.header = header
        self.context = context
        cursor = Cursor(header)
        self.name = values.name(cursor, 'process')
        cursor.done()
        self.run: tuple[str, ...] | None = None
        self.encoder: str | None = None
        self.respawn = True

    def command(self, cursor: Cursor) -> None:
        keyword = cursor.words[0]
        if keyword == 'run':
            program = cursor.expect('program to run')
            try:
                program = locate(program, cursor.statement.line.source, self.context)
            except ValueError as exc:
                raise cursor.fail(str(exc)) from None
            arguments = []
            while cursor.more():
                arguments.append(cursor.glued())
            self.run = (program, *arguments)
            return
        if keyword == 'encoder':
            encoder = cursor.expect("encoder ('text' or 'json')")
            if encoder not in ('text', 'json'):
                raise cursor.fail(f"'{encoder}' is an invalid encoder, options are: text, json")
            cursor.done()
            self.encoder = encoder
            return
        if keyword == 'respawn':
            self.respawn = values.boolean(cursor, True)
            cursor.done()
            return
        hint = suggest(keyword, ('run', 'encoder', 'respawn'))
        raise cursor.fail_at(0, f"invalid keyword '{keyword}' in process{hint}")

    def build(self, closing: Location) -> Process:
        if self.run is None or self.encoder is None:
            missing = [keyword for keyword, value in (('run', self.run), ('encoder', self.encoder)) if value is None]
            raise ConfigError(f"process '{self.name}' is missing: {', '.join(missing)}", closing)
        return Process(self.name, self.run, self.encoder, self.respawn)
