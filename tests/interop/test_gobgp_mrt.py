"""`exabgp mrt replay` of a TABLE_DUMP_V2 table to GoBGP (gobgpd) on loopback: the short version of
qa/bench/mrt_replay.py (10k routes of its realistic table, gzip), checked route by route.

Skipped when gobgpd or gobgp is not installed.
"""

import asyncio
import os
import sys
from pathlib import Path

import mrt_replay
from peers import GoBGP, free_port

from interop import installed, until

pytestmark = installed(GoBGP, 'GoBGP', 'gobgpd')

ROOT = Path(__file__).resolve().parents[2]
COUNT = 10_000


async def test_a_table_replayed_to_gobgp_arrives_whole(tmp_path):
    routes = mrt_replay.table(COUNT)
    dump = tmp_path / 'bview.mrt.gz'
    mrt_replay.write_table(str(dump), routes)
    gobgp = GoBGP(
        str(tmp_path),
        address=mrt_replay.GOBGP_ADDRESS,
        port=free_port(mrt_replay.GOBGP_ADDRESS),
        api_port=free_port('127.0.0.1'),
        asn=mrt_replay.GOBGP_AS,
        neighbor=mrt_replay.OURS_ADDRESS,
        neighbor_as=mrt_replay.PEER_AS,
    )
    config = tmp_path / 'replay.conf'
    config.write_text(f"""
neighbor {mrt_replay.GOBGP_ADDRESS} {{
    router-id {mrt_replay.OURS_ADDRESS}; local-address {mrt_replay.OURS_ADDRESS};
    local-as {mrt_replay.PEER_AS}; peer-as {mrt_replay.GOBGP_AS}; connect {gobgp.port};
    family {{ ipv4 unicast; }}
}}
""")
    gobgp.start()
    replay = await asyncio.create_subprocess_exec(
        *(sys.executable, '-m', 'exabgp', 'mrt', 'replay', str(config), str(dump)),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, 'exabgp_log_level': 'CRITICAL'},
    )
    try:
        held = lambda: replay.returncode is not None or mrt_replay.held_by(gobgp, 0) == COUNT  # noqa: E731
        await until(held, 30, f'gobgpd to hold {COUNT} routes', 0.25)
        assert replay.returncode is None, (await replay.stderr.read()).decode()  # type: ignore[union-attr]
        received = {route.prefix: route for route in gobgp.received('ipv4')}
        assert len(received) == COUNT
        for address, length, origin in routes[:: COUNT // 100]:
            route = received[mrt_replay.prefix_text(address, length)]
            assert route.as_path == origin.path
            assert route.communities == origin.communities
            assert route.med == origin.med
            assert route.nexthop == origin.nexthop
        line = await replay.stdout.readline()  # type: ignore[union-attr]
        assert line.decode().startswith(f'replayed {COUNT} announcements and 0 withdrawals')
    finally:
        if replay.returncode is None:
            replay.terminate()
        await replay.wait()
        gobgp.stop()
