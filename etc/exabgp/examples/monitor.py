#!/usr/bin/env python3
"""A route monitor: store what a neighbor announces in an SQLite table, one row per prefix, and print
each change as a line (`+ PREFIX NEXT-HOP ATTRIBUTES`, `- PREFIX`, `state STATE`).

    python3 monitor.py --passive --port 1790 --db routes.sqlite

When the events come faster than it stores them, the library drops events and says so (`Dropped`):
the monitor then reloads the table from the speaker's Adj-RIB-In, which is always whole.
"""

import asyncio
import signal
import sqlite3
import sys

from common import arguments, configuration

from exabgp.speaker import Dropped, PeerState, Speaker, UpdateReceived


def store(database: sqlite3.Connection, peer: str, update: UpdateReceived) -> list[str]:
    lines = []
    for nlri in update.withdrawn:
        database.execute('DELETE FROM routes WHERE peer = ? AND prefix = ?', (peer, str(nlri)))
        lines.append(f'- {nlri}')
    for route in update.announced:
        row = (peer, str(route.nlri), str(route.nexthop), str(route.attributes).strip())
        database.execute('INSERT OR REPLACE INTO routes VALUES (?, ?, ?, ?)', row)
        lines.append(f'+ {row[1]} {row[2]} {row[3]}'.rstrip())
    database.commit()
    return lines


def reload(database: sqlite3.Connection, peer: str, speaker: Speaker) -> None:
    database.execute('DELETE FROM routes WHERE peer = ?', (peer,))
    for route in speaker.rib_in(peer):
        row = (peer, str(route.nlri), str(route.nexthop), str(route.attributes).strip())
        database.execute('INSERT OR REPLACE INTO routes VALUES (?, ?, ?, ?)', row)
    database.commit()


async def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument('--db', default='routes.sqlite', help='the SQLite file to store the routes in')
    options = parser.parse_args()
    database = sqlite3.connect(options.db)
    database.execute(
        'CREATE TABLE IF NOT EXISTS routes (peer TEXT, prefix TEXT, nexthop TEXT, attributes TEXT, '
        'PRIMARY KEY (peer, prefix))'
    )
    database.execute('DELETE FROM routes WHERE peer = ?', (options.peer,))
    database.commit()

    async with Speaker(configuration(options)) as speaker, speaker.events(options.peer) as events:
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, events.close)
        async for event in events:
            if isinstance(event, UpdateReceived):
                for line in store(database, options.peer, event):
                    print(line, flush=True)
            elif isinstance(event, Dropped):
                reload(database, options.peer, speaker)
                print(f'resynchronised after {event.count} lost events', flush=True)
            elif isinstance(event, PeerState) and event.state in ('up', 'down'):
                if event.state == 'down':
                    # the session's routes are gone with it
                    database.execute('DELETE FROM routes WHERE peer = ?', (options.peer,))
                    database.commit()
                print(f'state {event.state} {event.reason}'.rstrip(), flush=True)
    database.close()
    return 0


if __name__ == '__main__':
    sys.exit(asyncio.run(main()))
