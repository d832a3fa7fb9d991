"""The route grammars of the families beyond unicast, as modules loaded on first use.

The configuration's sections, dump and the API's command parser all read them; a unicast run never
does, so none of them is imported until a flow, MUP, MCAST-VPN, VPLS, SR-policy or Prefix-SID route
is read or written (exabgp.lazy). Importers read their attributes only inside functions.
"""

from typing import TYPE_CHECKING

from exabgp import lazy

if TYPE_CHECKING:
    from exabgp.configuration.route import flow, mup, mvpn, prefixsid, srpolicy, vpls
else:
    flow = lazy.module('exabgp.configuration.route.flow')
    mup = lazy.module('exabgp.configuration.route.mup')
    mvpn = lazy.module('exabgp.configuration.route.mvpn')
    prefixsid = lazy.module('exabgp.configuration.route.prefixsid')
    srpolicy = lazy.module('exabgp.configuration.route.srpolicy')
    vpls = lazy.module('exabgp.configuration.route.vpls')

__all__ = ['flow', 'mup', 'mvpn', 'prefixsid', 'srpolicy', 'vpls']
