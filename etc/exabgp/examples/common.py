"""What the examples share: their command line for one BGP neighbor, as 5.0's configuration text."""

import argparse


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--local', default='127.0.0.2', help='our address (and router id)')
    parser.add_argument('--peer', default='127.0.0.1', help="the neighbor's address")
    parser.add_argument('--local-as', type=int, default=65002)
    parser.add_argument('--peer-as', type=int, default=65001)
    parser.add_argument('--port', type=int, default=179, help='the port we connect to (or listen on, --passive)')
    parser.add_argument('--passive', action='store_true', help='wait for the neighbor to connect')
    parser.add_argument('--family', default='ipv4 unicast', help="the session's family, as 5.0 writes it")
    return parser


def configuration(options: argparse.Namespace) -> str:
    side = f'passive; listen {options.port};' if options.passive else f'connect {options.port};'
    return f"""
neighbor {options.peer} {{
    router-id {options.local};
    local-address {options.local};
    local-as {options.local_as};
    peer-as {options.peer_as};
    {side}
    family {{ {options.family}; }}
}}
"""
