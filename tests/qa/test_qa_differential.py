"""The differential test's pure parts: a seed always makes the same valid-looking scenario, and an
UPDATE is cut into the parts compared."""

from qakit import differential

from exabgp.configuration.parser import load_text


def test_a_seed_makes_the_same_scenario() -> None:
    first, again, other = differential.scenario(7), differential.scenario(7), differential.scenario(8)
    assert first.config('P', 'C', 'R') == again.config('P', 'C', 'R') and first.commands == again.commands
    assert (first.config('P', 'C', 'R'), first.commands) != (other.config('P', 'C', 'R'), other.commands)


def test_the_scenarios_load() -> None:
    # our parser accepts every generated configuration (5.0.15 is asked by qa/bin/differential)
    for seed in range(1, 41):
        config = load_text(differential.scenario(seed).config('/bin/true', 'C', 'R'))
        assert len(config.neighbors) == 1, seed


def test_an_update_is_cut_into_its_parts() -> None:
    # 10.0.0.0/24 withdrawn; ORIGIN, then MP_REACH_NLRI for 2001:db8::/32 next hop 2001:db8::1
    body = bytes.fromhex(
        '0004180a0000' + '0021' + '40010100' + '800e1a000201102001' + '0db8' + '00' * 11 + '0100' + '2020010db8'
    )
    message = b'\xff' * 16 + (19 + len(body)).to_bytes(2, 'big') + b'\x02' + body
    assert differential.parts(message) == (
        'withdrawn 180a0000 | attribute 40010100 | mp-reach 000201 next-hop 20010db8000000000000000000000001 '
        'nlri 2020010db8'
    )
    assert differential.parts(b'\xff' * 16 + b'\x00\x15\x03\x06\x03') == 'type 3 0603'


def test_api_lines_lose_what_changes_between_runs() -> None:
    line = '{ "exabgp": "5.0.0", "time": 1.5, "host" : "h", "pid" : 1, "ppid" : 2, "counter": 3, "type": "state" }'
    assert differential.normal(line) == '{"type": "state"}'
    assert differential.normal('done') == 'done'
