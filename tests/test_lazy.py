"""A unicast run loads no other family's modules; using a family loads its modules on demand.

Checked in a fresh interpreter: `validate` of a configuration, then an UPDATE decoded, and the
family modules listed that were actually run (a module `exabgp.lazy` made stays a placeholder of
another type until an attribute of it is read)."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / 'src'

FAMILY_MODULES = (
    'exabgp.bgp.nlri.flow',
    'exabgp.bgp.nlri.flow_match',
    'exabgp.bgp.nlri.bgpls',
    'exabgp.bgp.nlri.evpn',
    'exabgp.bgp.nlri.mup',
    'exabgp.bgp.nlri.mvpn',
    'exabgp.bgp.nlri.vpls',
    'exabgp.bgp.nlri.srpolicy',
    'exabgp.bgp.attribute.linkstate',
    'exabgp.bgp.attribute.prefixsid',
    'exabgp.bgp.attribute.tunnel',
    'exabgp.configuration.route.flow',
    'exabgp.configuration.route.mup',
    'exabgp.configuration.route.mvpn',
    'exabgp.configuration.route.vpls',
    'exabgp.configuration.route.srpolicy',
    'exabgp.configuration.route.prefixsid',
)

UNICAST = """
neighbor 127.0.0.2 {
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;
    family { ipv4 unicast; }
    static { route 10.0.0.0/24 next-hop 192.0.2.1 community [ 65000:1 ]; }
}
"""

FLOW = """
neighbor 127.0.0.2 {
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;
    family { ipv4 flow; }
    flow { route drop { match { destination 10.0.0.1/32; } then { discard; } } }
}
"""

# ORIGIN IGP, empty AS_PATH, NEXT_HOP 192.0.2.1, LOCAL_PREF 100, NLRI 10.0.0.0/24
UPDATE = ''.join(('0000', '0015', '40010100', '400200', '400304c0000201', '40050400000064', '180a0000'))


def loaded(tmp_path: Path, config: str) -> list[str]:
    path = tmp_path / 'exabgp.conf'
    path.write_text(config)
    script = textwrap.dedent(
        f"""
        import contextlib, io, json, sys, types
        sys.path.insert(0, {str(SRC)!r})
        from exabgp.application.main import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(['validate', {str(path)!r}]) == 0
            assert main(['decode', {UPDATE!r}]) == 0
        modules = {list(FAMILY_MODULES)!r}
        print(json.dumps([name for name in modules if type(sys.modules.get(name)) is types.ModuleType]))
        """
    )
    ran = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def test_a_unicast_run_loads_no_other_family(tmp_path: Path) -> None:
    assert loaded(tmp_path, UNICAST) == []


def test_a_flow_configuration_loads_the_flow_modules_it_uses(tmp_path: Path) -> None:
    found = loaded(tmp_path, FLOW)
    assert 'exabgp.configuration.route.flow' in found
    assert 'exabgp.bgp.nlri.flow' in found
    assert 'exabgp.bgp.nlri.srpolicy' not in found
