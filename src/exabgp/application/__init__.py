"""The command line: one module per subcommand, each with `setargs(parser)` and `run(args, settings)`.

This layer builds the one `Settings` object (from `os.environ` and the env file), configures logging
and hands both down; it is the only layer besides the reactor that may touch the process environment.
"""
