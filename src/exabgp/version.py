"""Version strings.

RELEASE is this package's version: `<ExaBGP release we are a drop-in for>+asyncio.<our release>`,
a PEP 440 local version. It says what this is wherever it is shown (`exabgp version`, the `version`
API command, the software-version capability: `ExaBGP/5.0.15+asyncio.1`), sorts after the upstream
release it follows, and, being local, can never be mistaken for (or uploaded as) upstream's package
of the same name. JSON_VERSION and TEXT_VERSION are the versions of the API encodings written to
processes; they stay at the ExaBGP 5.0 values because consumers key on them. The
`exabgp_version` setting overrides RELEASE where it is shown (the functional suite does so to get
stable bytes).
"""

RELEASE = '5.0.15+asyncio.1'
JSON_VERSION = '5.0.0'
TEXT_VERSION = '5.0.0'
