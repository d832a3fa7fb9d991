"""The configuration's section structure: which sections and commands may appear where.

    process NAME { run ...; encoder ...; respawn ...; }
    bmp NAME { host ...; port ...; statistics-timeout ...; adj-rib-out ...; }   (ours: configuration/bmp.py)
    template { neighbor NAME { <neighbor> } }
    neighbor ADDRESS[/LENGTH] {
        <keyword value;> ... inherit NAME|[ NAME ... ];
        capability { ... }  family { ... }  add-path { ... }  nexthop { ... }
        api [NAME] { processes [ ... ]; processes-match [ ... ]; <event>; send { ... } receive { ... } }
        static { route ...; route PREFIX { ... } attributes ... nlri ...; }
        announce { ipv4 { unicast ...; ... } ipv6 { ... } l2vpn { vpls ...; } }
        flow { route NAME { match { } then { } scope { } } }
        l2vpn { vpls ...; vpls NAME { ... } }
        operational { asm ...; ... }
    }

Invariants:
- Statements are consumed as they are read (streaming); a neighbor is resolved and checked as soon as
  its section closes. Every problem is collected, in file order, and the load raises them together
  (`ConfigErrors`): after a bad statement the parser goes on with the next one, after a bad section
  header with the statement that follows its closing `}`. A neighbor whose body had an error is not
  resolved, so one mistake is reported once, not again as a neighbor left incomplete. An error of the
  tokenizer (an unterminated quote, a missing `;`) ends the reading: what follows can not be split.
- A section left open at the end of the file is closed by it (5.0 accepts this) with a warning; so is
  a neighbor keyword written twice (the second overrides the first, as in 5.0). `strict` turns the
  warnings into errors. A `}` with nothing to close, or words before a `}` without a `;`, are errors.
- Names of processes, templates and api sections are unique in the whole configuration, as in 5.0;
  so are the names of bmp sections.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from itertools import count
from typing import Any

from exabgp.configuration import operational, resolve, values
from exabgp.configuration.bmp import BMPSection
from exabgp.configuration.cursor import Cursor
from exabgp.configuration.errors import ConfigError, ConfigErrors, Location, suggest
from exabgp.configuration.model import BMPStation, Config, Neighbor, Process
from exabgp.configuration.neighbor import (
    Draft,
    FamilySection,
    api_command,
    capability_command,
    direction_command,
    neighbor_command,
    nexthop_command,
    peer_range,
    tcp_ao_command,
)
from exabgp.configuration.process import Context, ProcessSection
from exabgp.configuration.route import sections as holding
from exabgp.configuration.route.grammar import Builder
from exabgp.configuration.tokenizer import Statement, read_file, read_text

Command = Callable[[Cursor], None]
Section = Callable[[Statement], None]


class Parser:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.stream: Iterator[Statement] = iter(())
        self.processes: dict[str, Process] = {}
        self.stations: dict[str, BMPStation] = {}
        self.templates: dict[str, Draft] = {}
        self.neighbors: list[Neighbor] = []
        self.where: list[tuple[Neighbor, Draft]] = []
        self.indexes: set[str] = set()
        self.api_names: set[str] = set()
        self.anonymous = count(1)
        self.routes = Builder()
        self.errors: list[ConfigError] = []
        self.warnings: list[ConfigError] = []
        # sections open in the statements read so far: where to resume after a bad section
        self.depth = 0
        # the end of the input closes every open section: the innermost one is reported
        self.warnings_at_end = False

    # ---------------------------------------------------------------- driving

    def parse(self, statements: Iterator[Statement]) -> None:
        """Read one source; may be called for several files, which then form one configuration."""
        self.stream = self.counted(statements)
        self.depth = 0
        try:
            self.block(
                None,
                'the top level',
                {},
                {'process': self.process, 'neighbor': self.neighbor, 'template': self.template, 'bmp': self.bmp},
            )
        except ConfigError as error:
            # from the tokenizer: the rest of the file can not be read
            self.errors.append(error)

    def ordered_warnings(self) -> list[ConfigError]:
        return sorted(self.warnings, key=lambda warning: (warning.location.line, warning.location.column))

    def counted(self, statements: Iterator[Statement]) -> Iterator[Statement]:
        for statement in statements:
            if statement.end == '{':
                self.depth += 1
            elif statement.end == '}' and self.depth:
                self.depth -= 1
            yield statement

    def skip(self, level: int) -> None:
        """Read on until the sections opened below `level` are closed (or the input ends)."""
        while self.depth > level:
            if next(self.stream, None) is None:
                return

    def config(self, strict: bool = False) -> Config:
        try:
            self.check_api()
        except ConfigError as error:
            self.errors.append(error)
        errors = self.errors
        if strict and self.warnings:
            errors = sorted(errors + self.warnings, key=lambda error: (error.location.line, error.location.column))
        if errors:
            raise ConfigErrors(errors)
        return Config(tuple(self.processes.values()), tuple(self.neighbors), tuple(self.stations.values()))

    def block(
        self,
        opening: Statement | None,
        where: str,
        commands: Mapping[str, Command],
        sections: Mapping[str, Section],
        fallback: Command | None = None,
        raw: Callable[[Statement], None] | None = None,
    ) -> Statement | None:
        """Dispatch statements until the `}` closing `opening` (returned), or the end of the input.

        A `keyword ...;` statement goes to `commands[keyword]` (else `fallback`) as a cursor, or to
        `raw` as the statement itself; a `keyword ... {` one to `sections[keyword]`. An error is
        recorded and the reading goes on at this section's level."""
        level = self.depth
        for statement in self.stream:
            if raw is not None and statement.end == ';' and statement.words:
                # a section reading its statements itself (static: a route a line) gets them first hand
                try:
                    raw(statement)
                except ConfigError as error:
                    self.errors.append(error)
                    self.skip(level)
                continue
            if statement.end == '}' and statement.words:
                self.errors.append(ConfigError("missing ';' before '}'", statement.location(len(statement.words))))
                if opening is not None:
                    return statement
                continue
            try:
                if self.statement(statement, opening, where, commands, sections, fallback, raw):
                    return statement
            except ConfigError as error:
                self.errors.append(error)
                self.skip(level)
        if opening is not None and not self.warnings_at_end:
            self.warnings_at_end = True
            self.warnings.append(
                ConfigError(f"missing '}}' to close {where}: the end of the file closes it", opening.location(0))
            )
        return None

    def statement(
        self,
        statement: Statement,
        opening: Statement | None,
        where: str,
        commands: Mapping[str, Command],
        sections: Mapping[str, Section],
        fallback: Command | None,
        raw: Callable[[Statement], None] | None,
    ) -> bool:
        """Dispatch one statement of a block; True when it closes the block."""
        words = statement.words
        end = statement.end
        if end == '}':
            if opening is None:
                raise ConfigError("'}' closes nothing", statement.location(0))
            return True
        if not words:
            raise ConfigError(f"unexpected '{end}'", statement.location(0))
        keyword = words[0]
        if end == ';':
            if raw is not None:
                # the section reads its statements itself (static: the route fast path)
                raw(statement)
                return False
            command = commands.get(keyword)
            if command is None:
                if keyword in sections:
                    raise ConfigError(f"'{keyword}' is a section: '{keyword} {{ ... }}'", statement.location(0))
                if fallback is None:
                    hint = suggest(keyword, [*commands, *sections])
                    raise ConfigError(f"invalid keyword '{keyword}' in {where}{hint}", statement.location(0))
                command = fallback
            command(Cursor(statement))
            return False
        section = sections.get(keyword)
        if section is None:
            if keyword in commands:
                raise ConfigError(f"'{keyword}' is not a section: '{keyword} ...;'", statement.location(0))
            hint = suggest(keyword, sections)
            raise ConfigError(f"section '{keyword}' is invalid in {where}{hint}", statement.location(0))
        section(statement)
        return False

    # ---------------------------------------------------------------- process

    def process(self, header: Statement) -> None:
        section = ProcessSection(header, self.context)
        if section.name in self.processes:
            raise ConfigError(f"a process section called '{section.name}' already exists", header.location(1))
        errors = len(self.errors)
        self.block(header, f'process {section.name}', {}, {}, section.command)
        if len(self.errors) == errors:
            self.processes[section.name] = section.build(header.location(1))

    def bmp(self, header: Statement) -> None:
        section = BMPSection(header)
        if section.name in self.stations:
            raise ConfigError(f"a bmp section called '{section.name}' already exists", header.location(1))
        errors = len(self.errors)
        self.block(header, f'bmp {section.name}', {}, {}, section.command)
        if len(self.errors) == errors:
            self.stations[section.name] = section.build(header.location(1))

    # ---------------------------------------------------------------- template and neighbor

    def template(self, header: Statement) -> None:
        self.no_name(header)
        self.block(header, 'template', {}, {'neighbor': self.template_neighbor})

    def template_neighbor(self, header: Statement) -> None:
        cursor = Cursor(header)
        name = values.name(cursor, 'template')
        cursor.done()
        if name in self.templates:
            raise cursor.fail(f"the template '{name}' already exists")
        draft = Draft(header)
        self.neighbor_body(header, draft, f'template {name}')
        self.templates[name] = draft

    def neighbor(self, header: Statement) -> None:
        cursor = Cursor(header)
        address = peer_range(cursor)
        cursor.done()
        draft = Draft(header)
        draft.set('peer-address', address, header.location(1))
        errors = len(self.errors)
        self.neighbor_body(header, draft, 'neighbor')
        if len(self.errors) > errors:
            # reported already: resolving would only add that the neighbor is incomplete
            return
        inherited = draft.inherits
        draft.inherits = []
        for name, where in inherited:
            template = self.templates.get(name)
            if template is None:
                raise ConfigError(f"unknown template '{name}'", where)
            draft.inherit(template)
        built = resolve.neighbor(draft, self.context.passive)
        index = f'peer-ip {built.peer()} listen {built.listen}' if built.listen else built.name()
        if index in self.indexes:
            raise ConfigError(f'duplicate peer definition {built.peer()}', header.location(1))
        self.indexes.add(index)
        self.neighbors.append(built)
        self.where.append((built, draft))
        # the routes now live in the model: the draft keeps only what error messages need
        draft.routes = []

    def neighbor_body(self, header: Statement, draft: Draft, where: str) -> None:
        self.block(
            header,
            where,
            {},
            {
                'capability': lambda st: self.simple(st, 'capability', lambda c: capability_command(draft, c)),
                'family': lambda st: self.family(st, draft, 'family'),
                'add-path': lambda st: self.family(st, draft, 'add-path'),
                'nexthop': lambda st: self.simple(st, 'nexthop', lambda c: nexthop_command(draft, c)),
                'api': lambda st: self.api(st, draft),
                'static': lambda st: self.static(st, draft),
                'announce': lambda st: self.announce(st, draft),
                'flow': lambda st: self.flow(st, draft),
                'l2vpn': lambda st: self.l2vpn(st, draft),
                'operational': lambda st: self.operational(st, draft),
                'tcp-ao': lambda st: self.simple(st, 'tcp-ao', lambda c: tcp_ao_command(draft, c)),
            },
            lambda cursor: neighbor_command(draft, cursor),
        )
        self.warnings.extend(draft.overridden)
        draft.overridden = []

    @staticmethod
    def no_name(header: Statement) -> None:
        """A section which takes no name: `static {`, not `static foo {`."""
        if len(header.words) > 1:
            raise ConfigError(f"unexpected '{header.words[1]}'", header.location(1))

    def simple(self, header: Statement, where: str, command: Command) -> None:
        self.no_name(header)
        self.block(header, where, {}, {}, command)

    def family(self, header: Statement, draft: Draft, key: str) -> None:
        section = FamilySection(key)
        self.simple(header, key, lambda cursor: section.command(draft, cursor))

    # ---------------------------------------------------------------- api

    def api(self, header: Statement, draft: Draft) -> None:
        cursor = Cursor(header)
        if cursor.more():
            name = values.name(cursor, 'api')
            cursor.done()
            if name in self.api_names:
                raise cursor.fail(f"the name '{name}' already exists in api")
        else:
            name = f'auto-named-{next(self.anonymous)}'
        self.api_names.add(name)
        api: dict[str, Any] = {}
        draft.section('api')[name] = api
        marks: dict[str, Location] = {}

        def direction(statement: Statement) -> None:
            key = statement.words[0]
            chosen = api.setdefault(key, {})
            self.simple(statement, f'api {key}', lambda c: direction_command(chosen, key, c))

        self.block(header, 'api', {}, {'send': direction, 'receive': direction}, lambda c: api_command(api, marks, c))
        for keyword in ('processes', 'processes-match'):
            if keyword in marks:
                for process in api.get(keyword, []):
                    draft.marks.setdefault(f'{keyword} {process}', marks[keyword])

    def check_api(self) -> None:
        """Every process a neighbor names exists; processes and processes-match exclude each other."""
        for built, draft in self.where:
            api = built.api
            header = draft.header.location(0)
            if api.processes and api.processes_match:
                where = draft.marks.get(f'processes-match {api.processes_match[0]}', header)
                raise ConfigError(
                    f'processes and processes-match are mutually exclusive (neighbor {built.peer()})', where
                )
            for name in api.processes:
                if name not in self.processes:
                    where = draft.marks.get(f'processes {name}', header)
                    raise ConfigError(f"the api process '{name}' used by neighbor {built.peer()} is not defined", where)
            if api.processes_match and not any(
                re.match(pattern, name) for pattern in api.processes_match for name in self.processes
            ):
                where = draft.marks.get(f'processes-match {api.processes_match[0]}', header)
                raise ConfigError(
                    f'no process matches processes-match {list(api.processes_match)} (neighbor {built.peer()})',
                    where,
                )

    # ---------------------------------------------------------------- routes

    def static(self, header: Statement, draft: Draft) -> None:
        self.no_name(header)
        builder = self.routes

        def command(statement: Statement) -> None:
            keyword = statement.words[0]
            if keyword == 'route':
                holding.static_route(builder, statement, draft)
            elif keyword in ('attributes', 'attribute'):
                holding.static_attributes(builder, Cursor(statement), draft)
            elif keyword == 'sr-policy':
                holding.static_sr_policy(Cursor(statement), draft)
            else:
                raise ConfigError(f"invalid keyword '{keyword}' in static", statement.location(0))

        def block(statement: Statement) -> None:
            holding.static_block(builder, statement, self, draft)

        self.block(header, 'static', {}, {'route': block}, raw=command)

    def announce(self, header: Statement, draft: Draft) -> None:
        self.no_name(header)

        def family(statement: Statement) -> None:
            afi = statement.words[0]
            self.no_name(statement)
            self.block(
                statement,
                f'announce {afi}',
                {},
                {},
                lambda cursor: holding.announce(self.routes, cursor, afi, draft),
            )

        self.block(header, 'announce', {}, {'ipv4': family, 'ipv6': family, 'l2vpn': family})

    def flow(self, header: Statement, draft: Draft) -> None:
        self.no_name(header)
        self.block(
            header,
            'flow',
            {'route': lambda cursor: holding.flow_line(self.routes, cursor, draft)},
            {'route': lambda statement: holding.flow_block(self.routes, statement, self, draft)},
        )

    def l2vpn(self, header: Statement, draft: Draft) -> None:
        self.no_name(header)
        self.block(
            header,
            'l2vpn',
            {'vpls': lambda cursor: holding.vpls(self.routes, cursor, draft)},
            {'vpls': lambda statement: holding.vpls_block(self.routes, statement, self, draft)},
        )

    def operational(self, header: Statement, draft: Draft) -> None:
        self.no_name(header)
        self.block(header, 'operational', {}, {}, lambda cursor: draft.operational.append(operational.parse(cursor)))


def checked(path: str, context: Context | None = None, strict: bool = False) -> tuple[Config, list[ConfigError]]:
    """Parse a configuration file: the configuration and its warnings, or ConfigErrors with every
    problem found (the warnings among them when `strict`)."""
    parser = Parser(context or Context())
    try:
        parser.parse(read_file(path))
    except OSError as exc:
        raise ConfigError(f'can not read the file: {exc.strerror}', Location(path, 0, 0, '')) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f'the file is not UTF-8 text ({exc.reason})', Location(path, 0, 0, '')) from None
    return parser.config(strict), parser.ordered_warnings()


def load(path: str, context: Context | None = None) -> Config:
    """Parse a configuration file; ConfigError says where it fails."""
    return checked(path, context)[0]


def checked_text(
    text: str, context: Context | None = None, source: str = '<text>', strict: bool = False
) -> tuple[Config, list[ConfigError]]:
    parser = Parser(context or Context())
    parser.parse(read_text(text, source))
    return parser.config(strict), parser.ordered_warnings()


def load_text(text: str, context: Context | None = None, source: str = '<text>') -> Config:
    """Parse configuration text (tests, the API's reload from a string)."""
    return checked_text(text, context, source)[0]
