"""The configuration: tokenizer, grammar and templates, producing a frozen model of the whole file.

Entry points: `parser.load(path, Context(...))` (or `load_text`) -> `model.Config`, raising
`errors.ConfigError` (file, line, column, message) on the first problem; `dump.dump(config)` writes a
model back as configuration text; `route.statements` is the route grammar the API shares;
`capabilities.capabilities(neighbor, version)` is what a neighbor's OPEN offers.
"""
