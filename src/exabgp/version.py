"""Version strings.

RELEASE is this package's version. JSON_VERSION and TEXT_VERSION are the versions of the API
encodings written to processes; they stay at the ExaBGP 5.0 values because consumers key on them.
The software-version capability and `exabgp version` report the release, unless the
`exabgp_version` setting overrides it (the functional suite does so to get stable bytes).
"""

RELEASE = '5.0.0.dev1'
JSON_VERSION = '5.0.0'
TEXT_VERSION = '5.0.0'
