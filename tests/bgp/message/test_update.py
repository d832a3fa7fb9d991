"""The UPDATE value: decoding with RFC 7606, End-of-RIB both ways, the reference decoding cases,
round-trips through the packer and fuzzing."""

import dataclasses
import json
import pathlib
from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exabgp.bgp.attribute.attributes import EMPTY, Attributes
from exabgp.bgp.attribute.base import Action, Code
from exabgp.bgp.attribute.community import Communities
from exabgp.bgp.attribute.localpref import LocalPreference
from exabgp.bgp.attribute.med import MED
from exabgp.bgp.attribute.mp import MPReach, MPUnreach
from exabgp.bgp.attribute.origin import EGP, IGP, ORIGINS
from exabgp.bgp.errors import PeerError
from exabgp.bgp.family import AFI, IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST, SAFI, Family
from exabgp.bgp.message import update_pack
from exabgp.bgp.message.header import MARKER
from exabgp.bgp.message.table import unpack_message
from exabgp.bgp.message.update import EOR_IPV4, Update
from exabgp.bgp.negotiated import Negotiated
from exabgp.bgp.nlri import prefix
from exabgp.bgp.nlri.inet import INET
from exabgp.bgp.route import Route

ALL = (IPV4_UNICAST, IPV4_MULTICAST, IPV6_UNICAST, IPV6_MULTICAST)
# a family we have no codec for (SAFI 140 is unassigned): its MP attributes are kept raw
RAW = Family(AFI.IPV4, 140)
# what `exabgp decode` negotiates: an internal session, 4-octet ASNs, every family
DECODE = Negotiated(local_as=65533, peer_as=65533, asn4=True, families=(*ALL, RAW))
ADDPATH = Negotiated(
    local_as=65533, peer_as=65533, asn4=True, families=ALL, addpath_send=frozenset(ALL), addpath_receive=frozenset(ALL)
)

ORIGIN = '40010100'
AS_PATH = '400200'
NEXT_HOP = '4003040a000001'
LOCAL_PREF = '40050400000064'
MANDATORY = ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF


def body(withdrawn='', attributes='', nlri=''):
    withdrawn, attributes, nlri = bytes.fromhex(withdrawn), bytes.fromhex(attributes), bytes.fromhex(nlri)
    return len(withdrawn).to_bytes(2, 'big') + withdrawn + len(attributes).to_bytes(2, 'big') + attributes + nlri


def mp(code, value):
    value = bytes.fromhex(value)
    return f'80{code:02x}{len(value):02x}{value.hex()}'


def v4(text, length=32, path_id=None, family=IPV4_UNICAST):
    return INET.make(family, IPv4Address(text), length, path_id)


def v6(text, length=128, path_id=None, family=IPV6_UNICAST):
    return INET.make(family, IPv6Address(text), length, path_id)


# ---------------------------------------------------------------- the reference decoding cases

REFERENCE = pathlib.Path('/work/shared/reference')
DECODING = sorted(REFERENCE.glob('*/qa/decoding/ipv4-unicast-*'))


def expected_announces(update):
    found: dict[str, list] = {}
    for route in update.announced:
        found.setdefault(str(route.nexthop), []).append(json.loads(route.nlri.json()))
    return found


@pytest.mark.skipif(not DECODING, reason='no reference data')
@pytest.mark.parametrize('path', DECODING, ids=lambda path: f'{path.parent.parent.parent.name}/{path.name}')
def test_reference_decoding(path):
    kind, wire, output = path.read_text().splitlines()[:3]
    assert kind == 'update ipv4 unicast'
    message = bytes.fromhex(wire)
    assert message[:16] == MARKER and message[18] == 2
    update = Update.unpack(message[19:], DECODE)
    expected = json.loads(output)['neighbor']['message']['update']
    assert update.action == Action.NONE
    assert json.loads('{' + update.attributes.json() + '}') == expected['attribute']
    assert expected_announces(update) == expected.get('announce', {}).get('ipv4 unicast', {})
    assert update.withdrawn == ()
    assert 'withdraw' not in expected
    # and back: the same bytes (5.0 sends nothing for attributes without routes, nor do we)
    assert update.pack(DECODE) == (message if update.announced else b'')


def test_decoding_values():
    # 5.0.15's `exabgp decode` of this UPDATE: attribute { "origin": "igp", "med": 200,
    # "local-preference": 100 }, announce { "ipv4 unicast": { "192.0.2.1": [ { "nlri": "0.0.0.0/0" },
    # { "nlri": "0.0.0.0/0" }, { "nlri": "10.1.1.1/32" } ] } }
    wire = '0000001c40010100400200400304c0000201800404000000c8400504000000640000200a010101'
    update = Update.unpack(bytes.fromhex(wire), DECODE)
    assert [route.nlri for route in update.announced] == [v4('0.0.0.0', 0)] * 2 + [v4('10.1.1.1')]
    assert [route.nlri.json() for route in update.announced] == [
        '{ "nlri": "0.0.0.0/0" }',
        '{ "nlri": "0.0.0.0/0" }',
        '{ "nlri": "10.1.1.1/32" }',
    ]
    assert {route.nexthop for route in update.announced} == {IPv4Address('192.0.2.1')}
    assert all(route.attributes is update.attributes for route in update.announced)
    assert update.attributes == Attributes((ORIGINS[IGP], MED(200), LocalPreference(100)))
    assert update.attributes.json() == '"origin": "igp", "med": 200, "local-preference": 100'


# ---------------------------------------------------------------- End-of-RIB


@pytest.mark.parametrize(
    ('family', 'wire'),
    [
        (IPV4_UNICAST, '00000000'),
        # 5.0.15 sends these: flags 0x90 and a 2-octet length for any family but IPv4 unicast
        (IPV6_UNICAST, '00000007900f0003000201'),
        (Family(AFI.IPV4, SAFI.MPLS_VPN), '00000007900f0003000180'),
        (IPV4_MULTICAST, '00000007900f0003000102'),
    ],
)
def test_end_of_rib_both_ways(family, wire):
    update = Update.unpack(bytes.fromhex(wire), DECODE)
    assert update == Update(eor=family)
    assert update.pack(DECODE).hex() == 'ff' * 16 + f'{19 + len(wire) // 2:04x}' + '02' + wire
    assert str(update) == f'UPDATE End-of-RIB {family}'


@pytest.mark.parametrize(
    ('wire', 'family'),
    [
        (body(attributes=mp(15, '000201')).hex(), IPV6_UNICAST),  # the short length form
        (body(attributes=mp(15, '000185')).hex(), Family(AFI.IPV4, SAFI.FLOW_IP)),
        (body(attributes=mp(15, '4242ff')).hex(), Family(0x4242, 0xFF)),  # not negotiated: still only a marker
    ],
)
def test_end_of_rib_other_forms(wire, family):
    assert Update.unpack(bytes.fromhex(wire), DECODE) == Update(eor=family)


def test_not_end_of_rib():
    # an empty MP_UNREACH_NLRI beside another attribute is an UPDATE withdrawing nothing
    update = Update.unpack(body(attributes=ORIGIN + mp(15, '000201')), DECODE)
    assert update.eor is None and update.withdrawn == () and update.announced == ()
    assert Update(eor=IPV4_UNICAST) == EOR_IPV4


# ---------------------------------------------------------------- decoding


def test_withdrawn_and_mp_unreach():
    update = Update.unpack(
        body(withdrawn='180a0000' + '00', attributes=mp(15, '000201' + '4020010db800010000')), DECODE
    )
    assert update.withdrawn == (v4('10.0.0.0', 24), v4('0.0.0.0', 0), v6('2001:db8:1::', 64))
    assert update.announced == ()
    assert update.attributes == EMPTY


def test_mp_reach_routes_have_its_next_hop():
    reach = '000201' + '20' + '20010db8' + '00' * 11 + '01' + 'fe80' + '00' * 13 + '01' + '00' + '4020010db800010000'
    update = Update.unpack(body(attributes=ORIGIN + AS_PATH + mp(14, reach)), DECODE)
    assert update.announced == (Route(v6('2001:db8:1::', 64), update.attributes, IPv6Address('2001:db8::1')),)
    assert update.link_local == IPv6Address('fe80::1')
    assert update.action == Action.NONE
    # packed back with 5.0's default LOCAL_PREF for an internal session, MP_REACH_NLRI last
    sent = body(attributes=ORIGIN + AS_PATH + LOCAL_PREF + mp(14, reach))
    assert update.pack(DECODE) == MARKER + (19 + len(sent)).to_bytes(2, 'big') + b'\x02' + sent


def test_addpath_applies_to_both_fields():
    wire = body(withdrawn='00000001' + '180a0000', attributes=MANDATORY, nlri='00000002' + '180a0001')
    update = Update.unpack(wire, ADDPATH)
    assert update.withdrawn == (v4('10.0.0.0', 24, 1),)
    assert [route.nlri for route in update.announced] == [v4('10.0.1.0', 24, 2)]


def test_family_without_codec_is_kept_raw():
    update = Update.unpack(body(attributes=ORIGIN + AS_PATH + mp(14, '00018c000005011820010a')), DECODE)
    assert update.unparsed == (MPReach(RAW, raw=bytes.fromhex('00018c000005011820010a')),)
    assert update.announced == () and update.action == Action.NONE
    update = Update.unpack(body(attributes=mp(15, '00018c051820010a')), DECODE)
    assert update.unparsed == (MPUnreach(RAW, raw=bytes.fromhex('00018c051820010a')),)


# ---------------------------------------------------------------- RFC 7606


@pytest.mark.parametrize(
    ('wire', 'code', 'subcode'),
    [
        ('', 1, 2),  # shorter than its two length fields: Bad Message Length
        ('000000', 1, 2),
        ('0005' + '0000', 3, 1),  # the withdrawn routes length overruns the message (RFC 7606 4)
        ('0000' + '0005' + '400101', 3, 1),  # the path attribute length overruns it
        ('0001' + '21' + '0000', 3, 10),  # a /33 in the withdrawn routes (RFC 7606 5.3)
        ('0000' + '0000' + '180a00', 3, 10),  # a truncated prefix in the NLRI field
        (body(attributes=mp(14, '0001020401020304' + '00') + mp(14, '000201')).hex(), 3, 1),  # MP_REACH twice
        (body(attributes=mp(14, '0001')).hex(), 3, 9),  # the AFI/SAFI cannot be read
        (body(attributes=mp(15, '00')).hex(), 3, 9),
        (body(attributes='00630100').hex(), 3, 2),  # an unknown well-known attribute
    ],
)
def test_session_reset(wire, code, subcode):
    with pytest.raises(PeerError) as caught:
        Update.unpack(bytes.fromhex(wire), DECODE)
    assert (caught.value.code, caught.value.subcode) == (code, subcode)


def test_reset_data():
    with pytest.raises(PeerError) as caught:
        Update.unpack(b'\x00', DECODE)
    assert caught.value.data == (20).to_bytes(2, 'big')
    with pytest.raises(PeerError) as caught:
        Update.unpack(body(attributes=mp(14, '0001')), DECODE)
    assert caught.value.data == bytes.fromhex('800e020001')


def test_treat_as_withdraw_moves_announces_to_withdraws():
    # ORIGIN 5 is malformed: RFC 7606 7.1
    wire = body(withdrawn='180a0000', attributes='40010105' + AS_PATH + NEXT_HOP, nlri='180a0001' + '180a0002')
    update = Update.unpack(wire, DECODE)
    assert update.action == Action.TREAT_AS_WITHDRAW
    assert update.code == Code.ORIGIN
    assert update.announced == ()
    assert update.withdrawn == (v4('10.0.0.0', 24), v4('10.0.1.0', 24), v4('10.0.2.0', 24))


def test_treat_as_withdraw_covers_mp_reach():
    reach = '000201' + '10' + '20010db8' + '00' * 11 + '01' + '00' + '4020010db800010000'
    update = Update.unpack(body(attributes=ORIGIN + AS_PATH + '4005020000' + mp(14, reach)), DECODE)
    assert update.action == Action.TREAT_AS_WITHDRAW and update.code == Code.LOCAL_PREF
    assert update.withdrawn == (v6('2001:db8:1::', 64),) and update.announced == ()


@pytest.mark.parametrize(
    ('attributes', 'nlri', 'missing'),
    [
        (AS_PATH + NEXT_HOP, '180a0000', Code.ORIGIN),
        (ORIGIN + NEXT_HOP, '180a0000', Code.AS_PATH),
        (ORIGIN + AS_PATH, '180a0000', Code.NEXT_HOP),
        (ORIGIN + mp(14, '000201' + '10' + '00' * 16 + '00' + '00'), '', Code.AS_PATH),
    ],
)
def test_missing_mandatory_is_treat_as_withdraw(attributes, nlri, missing):
    update = Update.unpack(body(attributes=attributes, nlri=nlri), DECODE)
    assert update.action == Action.TREAT_AS_WITHDRAW
    assert update.code == missing
    assert Code(missing).name in update.reason
    assert update.announced == ()
    assert len(update.withdrawn) == 1


def test_what_is_not_mandatory():
    # no NEXT_HOP is needed for MP_REACH_NLRI, no attribute at all for withdrawals, and an internal
    # UPDATE without LOCAL_PREF is accepted as 5.0 accepts it
    reach = '000201' + '10' + '00' * 15 + '01' + '00' + '00'
    assert Update.unpack(body(attributes=ORIGIN + AS_PATH + mp(14, reach)), DECODE).action == Action.NONE
    assert Update.unpack(body(withdrawn='180a0000'), DECODE).action == Action.NONE
    update = Update.unpack(body(attributes=ORIGIN + AS_PATH + NEXT_HOP, nlri='180a0000'), DECODE)
    assert update.action == Action.NONE and len(update.announced) == 1
    # attributes without any NLRI (the reference decoding ipv4-unicast-2) announce nothing and lack nothing
    assert Update.unpack(body(attributes=ORIGIN), DECODE).action == Action.NONE


def test_attribute_discard_keeps_the_routes():
    # an ATOMIC_AGGREGATE with a value is malformed: RFC 7606 7.6, attribute discard
    update = Update.unpack(body(attributes=MANDATORY + '40060100', nlri='180a0000'), DECODE)
    assert update.action == Action.DISCARD
    assert update.discarded == (Code.ATOMIC_AGGREGATE,)
    assert [route.nlri for route in update.announced] == [v4('10.0.0.0', 24)]
    assert Code.ATOMIC_AGGREGATE not in update.attributes


@pytest.mark.parametrize(
    ('code', 'value', 'negotiated', 'family'),
    [
        (14, '000201' + '0c' + '00' * 12 + '00' + '00', DECODE, IPV6_UNICAST),  # next-hop length 12 (RFC 7606 7.3)
        (14, '000201' + '10' + '00' * 16 + '00' + '81', DECODE, IPV6_UNICAST),  # a /129
        (15, '000201' + '40', DECODE, IPV6_UNICAST),
        (14, '000102' + '04' + '01020304' + '00' + '00', Negotiated(), IPV4_MULTICAST),  # not negotiated
        (15, '000102' + '00', Negotiated(), IPV4_MULTICAST),
    ],
)
def test_mp_attribute_that_cannot_be_parsed_disables_its_family(code, value, negotiated, family):
    # the NLRI field beside it is decoded and kept
    wire = body(attributes=MANDATORY + mp(code, value), nlri='180a0000')
    update = Update.unpack(wire, negotiated)
    assert update.action == Action.DISABLE_FAMILY
    assert update.code == code
    assert update.disabled == (family,)
    assert [route.nlri for route in update.announced] == [v4('10.0.0.0', 24)]


def test_the_worst_action_is_reported():
    # a malformed MED (treat-as-withdraw) and an MP_REACH_NLRI with a bad next hop (AFI/SAFI disable)
    wire = body(attributes=MANDATORY + '80040100' + mp(14, '000201' + '03' + '000000' + '00'), nlri='180a0000')
    update = Update.unpack(wire, DECODE)
    assert update.action == Action.DISABLE_FAMILY
    assert update.code == Code.MP_REACH_NLRI
    assert update.disabled == (IPV6_UNICAST,)
    # treat-as-withdraw still withdraws the NLRI field's routes
    assert update.announced == () and update.withdrawn == (v4('10.0.0.0', 24),)


# ---------------------------------------------------------------- round-trips


def nlris(family):
    size = 4 if family.afi == AFI.IPV4 else 16
    return st.builds(
        lambda raw, length, path_id: INET(family, prefix.pack(raw, length), path_id),
        st.binary(min_size=size, max_size=size),
        st.integers(0, size * 8),
        st.integers(0, 0xFFFFFFFF),
    )


ATTRIBUTES = st.builds(
    lambda origin, med, preference, communities: Attributes(
        [ORIGINS[origin], LocalPreference(preference)]
        + ([MED(med)] if med is not None else [])
        + ([Communities(tuple(communities))] if communities else [])
    ),
    st.sampled_from([IGP, EGP]),
    st.none() | st.integers(0, 0xFFFFFFFF),
    st.integers(0, 0xFFFFFFFF),
    st.lists(st.integers(0, 0xFFFFFFFF), unique=True, max_size=5),
)


def nexthops(family):
    v4_hop = st.builds(IPv4Address, st.binary(min_size=4, max_size=4))
    v6_hop = st.builds(IPv6Address, st.binary(min_size=16, max_size=16))
    # RFC 8950 lets IPv4 unicast routes take an IPv6 next hop, and 5.0 sends IPv6 ones with IPv4
    if family == IPV4_UNICAST:
        return v4_hop | v6_hop
    if family == IPV6_UNICAST:
        return v6_hop | v4_hop
    return v4_hop if family.afi == AFI.IPV4 else v6_hop


ROUND_TRIP = Negotiated(
    local_as=65533,
    peer_as=65533,
    asn4=True,
    families=ALL,
    addpath_send=frozenset({IPV4_UNICAST, IPV6_UNICAST}),
    addpath_receive=frozenset({IPV4_UNICAST, IPV6_UNICAST}),
    nexthop=((IPV4_UNICAST, AFI.IPV6), (IPV6_UNICAST, AFI.IPV4)),
    msg_size=512,
)


def decoded(messages):
    announced, withdrawn = [], []
    for message in messages:
        assert len(message) <= ROUND_TRIP.msg_size
        update = Update.unpack(message[19:], ROUND_TRIP)
        assert update.action == Action.NONE
        announced.extend(update.announced)
        withdrawn.extend(update.withdrawn)
    return announced, withdrawn


@settings(max_examples=60)
@given(data=st.data())
def test_whole_updates_round_trip(data):
    family = data.draw(st.sampled_from(ALL))
    addpath = ROUND_TRIP.send_path(family)
    unique = st.lists(nlris(family), max_size=120, unique_by=lambda nlri: (nlri.packed, nlri.path_id))
    announce = data.draw(unique)
    withdraw = data.draw(unique)
    if not addpath:
        announce = list({nlri.packed: INET(family, nlri.packed) for nlri in announce}.values())
        withdraw = list({nlri.packed: INET(family, nlri.packed) for nlri in withdraw}.values())
    attributes = data.draw(ATTRIBUTES)
    nexthop = data.draw(nexthops(family))
    routes = [Route(nlri, attributes, nexthop) for nlri in announce]

    messages = update_pack.messages(routes, withdraw, ROUND_TRIP)
    announced, withdrawn = decoded(messages)
    assert sorted(withdrawn, key=update_pack.order) == sorted(withdraw, key=update_pack.order)
    assert sorted(announced, key=lambda route: update_pack.order(route.nlri)) == sorted(
        routes, key=lambda route: update_pack.order(route.nlri)
    )
    # withdrawals are sent first, then announcements
    kinds = [bool(Update.unpack(message[19:], ROUND_TRIP).announced) for message in messages]
    assert kinds == sorted(kinds)


@settings(max_examples=60)
@given(data=st.data())
def test_unpack_of_pack_is_identity(data):
    # one family, one path, NLRI in 5.0's order and few enough for one message: one UPDATE exactly
    family = data.draw(st.sampled_from(ALL))
    negotiated = dataclasses.replace(ROUND_TRIP, msg_size=4096)
    addpath = negotiated.send_path(family)
    found = data.draw(st.lists(nlris(family), min_size=1, max_size=100, unique_by=update_pack.order))
    if not addpath:
        found = list({nlri.packed: INET(family, nlri.packed) for nlri in found}.values())
    attributes = data.draw(ATTRIBUTES)
    nexthop = data.draw(nexthops(family))
    routes = tuple(Route(nlri, attributes, nexthop) for nlri in sorted(found, key=update_pack.order))
    update = Update(announced=routes, attributes=attributes)
    (message,) = update.messages(negotiated)
    assert Update.unpack(message[19:], negotiated) == update
    withdrawal = Update(withdrawn=tuple(nlri for nlri in sorted(found, key=update_pack.order)))
    (message,) = withdrawal.messages(negotiated)
    assert Update.unpack(message[19:], negotiated) == withdrawal


def test_an_update_value_packs_back():
    attributes = Attributes((ORIGINS[IGP], LocalPreference(100)))
    other = Attributes((ORIGINS[EGP], LocalPreference(200)))
    update = Update(
        announced=(
            Route(v4('10.0.0.0', 24), attributes, IPv4Address('10.0.0.1')),
            Route(v4('10.0.1.0', 24), other, IPv4Address('10.0.0.1')),
            Route(v6('2001:db8::', 32), attributes, IPv6Address('2001:db8::1')),
        ),
        withdrawn=(v4('10.9.0.0', 16), v6('2001:db8:9::', 48)),
        attributes=attributes,
    )
    messages = update.messages(DECODE)
    # per family the withdrawals then one UPDATE per (attributes, next hop); IPv4 unicast first
    merged = [Update.unpack(message[19:], DECODE) for message in messages]
    assert [(len(part.withdrawn), len(part.announced)) for part in merged] == [(1, 0), (0, 1), (0, 1), (1, 0), (0, 1)]
    assert [route for part in merged for route in part.announced] == list(update.announced)
    assert tuple(nlri for part in merged for nlri in part.withdrawn) == update.withdrawn
    assert update.pack(DECODE) == b''.join(messages)


# ---------------------------------------------------------------- fuzzing


def check(wire, negotiated):
    try:
        update = Update.unpack(wire, negotiated)
    except PeerError:
        return
    assert isinstance(update, Update)


def reference_bodies() -> list[bytes]:
    """The UPDATE bodies of the reference decoding and encoding cases, when the folder is there."""
    found = []
    for path in sorted(REFERENCE.glob('*/qa/decoding/*')):
        lines = path.read_text().splitlines()
        if len(lines) > 1 and lines[0].startswith('update'):
            found.append(bytes.fromhex(lines[1].replace(':', ''))[19:])
    for path in sorted(REFERENCE.glob('*/qa/encoding/*')):
        for line in path.read_text().splitlines():
            if ':raw:' in line and not line.startswith('#'):
                message = bytes.fromhex(line.split(':raw:', 1)[1].replace(':', ''))
                if message[18] == 2:
                    found.append(message[19:])
    return found


SEEDS = [
    body(withdrawn='180a0000', attributes=MANDATORY, nlri='180a0001'),
    body(attributes=ORIGIN + AS_PATH + mp(14, '000201' + '10' + '00' * 15 + '01' + '00' + '4020010db800010000')),
    body(attributes=mp(15, '000201' + '4020010db800010000')),
    body(attributes=ORIGIN + AS_PATH + mp(14, '00018c000005011820010a')),
    bytes.fromhex('0000001c40010100400200400304c0000201800404000000c8400504000000640000200a010101'),
    *reference_bodies(),
]


@given(wire=st.binary(max_size=200))
def test_fuzz_random(wire):
    check(wire, DECODE)
    check(wire, ADDPATH)


@given(data=st.data())
def test_fuzz_mutated(data):
    seed = bytearray(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(['flip', 'cut', 'insert']))
        if action == 'flip' and seed:
            seed[data.draw(st.integers(0, len(seed) - 1))] = data.draw(st.integers(0, 255))
        elif action == 'cut' and seed:
            del seed[data.draw(st.integers(0, len(seed) - 1)) :]
        else:
            seed[data.draw(st.integers(0, len(seed))) : 0] = data.draw(st.binary(min_size=1, max_size=8))
    check(bytes(seed), DECODE)
    check(bytes(seed), ADDPATH)


def test_the_message_table_dispatches_updates():
    wire = body(withdrawn='180a0000')
    assert unpack_message(2, wire, DECODE) == Update(withdrawn=(v4('10.0.0.0', 24),))
    assert unpack_message(2, memoryview(wire), DECODE) == Update(withdrawn=(v4('10.0.0.0', 24),))
    assert unpack_message(2, memoryview(b'\x00\x00\x00\x00'), DECODE) == EOR_IPV4


# ---------------------------------------------------------------- 5.0's layouts, built from values

# ADD-PATH on every family, IPv4 next hops allowed for IPv6 routes; the messages are those 5.0.15 sent
# for the same announcements and withdrawals made through its API (`announce route ... path-information`)
LAYOUT = Negotiated(
    local_as=65533,
    peer_as=65533,
    asn4=True,
    families=(IPV4_UNICAST, IPV4_MULTICAST, IPV6_UNICAST),
    addpath_send=frozenset(ALL),
    addpath_receive=frozenset(ALL),
    nexthop=((IPV6_UNICAST, AFI.IPV4),),
)
PLAIN_PATH = Attributes((ORIGINS[IGP], LocalPreference(100)))


@pytest.mark.parametrize(
    ('announced', 'withdrawn', 'wire'),
    [
        (
            [Route(v6('2001:db8:1::', 48), PLAIN_PATH, IPv6Address('2001:db8::1'))],
            [],
            '02000000314001010040020040050400000064800e200002011020010db8000000000000000000000001'
            '00000000003020010db80001',
        ),
        (
            [Route(v6('2001:db8:2::', 48, 9), PLAIN_PATH, IPv6Address('2001:db8::1'))],
            [],
            '02000000314001010040020040050400000064800e200002011020010db8000000000000000000000001'
            '00000000093020010db80002',
        ),
        (
            # the routes without a path identifier sort after those with one, and go with 0
            [
                Route(v4('10.2.0.0', 16), PLAIN_PATH, IPv4Address('10.0.0.1')),
                Route(v4('10.1.0.0', 16, 0x01020304), PLAIN_PATH, IPv4Address('10.0.0.1')),
            ],
            [],
            '0200000015400101004002004003040a0000014005040000006401020304100a0100000000100a02',
        ),
        (
            # an IPv4 next hop for an IPv6 route: MP_REACH_NLRI with 4 octets, and NEXT_HOP too
            [Route(v6('2001:db8:3::', 48), PLAIN_PATH, IPv4Address('10.0.0.1'))],
            [],
            '020000002c400101004002004003040a00000140050400000064800e14000201040a00000100000000003020010db80003',
        ),
        ([], [v6('2001:db8:2::', 48, 9)], '0200000011800f0e000201000000093020010db80002'),
        ([], [v4('10.1.0.0', 16, 0x01020304)], '02000701020304100a010000'),
    ],
)
def test_layouts_5_0_sends(announced, withdrawn, wire):
    expected = MARKER + (18 + len(wire) // 2).to_bytes(2, 'big') + bytes.fromhex(wire)
    assert update_pack.messages(announced, withdrawn, LAYOUT) == [expected]
    update = Update.unpack(expected[19:], LAYOUT)
    assert {(route.nlri.packed, route.nexthop) for route in update.announced} == {
        (route.nlri.packed, route.nexthop) for route in announced
    }
    assert list(update.withdrawn) == withdrawn


def test_a_repeated_attribute_field_is_parsed_once_per_session() -> None:
    from exabgp.bgp.attribute.attributes import LastParsed
    from exabgp.bgp.negotiated import Negotiated as _Negotiated

    session = _Negotiated(asn4=True)
    other = _Negotiated(asn4=False)
    body = bytes.fromhex('0000' + '0015' + '40010100' + '400200' + '4003040a000001' + '40050400000064' + '080a')
    second = body[:-2] + bytes.fromhex('100a01')
    last = LastParsed()
    first_update = Update.unpack(body, session, last)
    cached = last.parsed
    second_update = Update.unpack(second, session, last)
    assert last.parsed is cached
    assert second_update.attributes is first_update.attributes
    assert [str(r.nlri) for r in second_update.announced] == ['10.1.0.0/16']
    # another session's view of the same bytes is parsed again
    Update.unpack(second, other, last)
    assert last.parsed is not cached
    assert Update.unpack(body, session) == first_update


def test_announce_each_is_announce_of_each_nlri_alone() -> None:
    """The families 5.0 sends one NLRI an UPDATE (FlowSpec, multicast, ...): the messages made with
    the attributes packed once are those of `announce` for each NLRI alone, in the order given,
    with path identifiers, an IPv4 or IPv6 next hop, or none, and an NLRI too long left out."""
    from exabgp.api.command import parse
    from exabgp.configuration.route.grammar import Builder

    flow4, flow6 = Family(AFI.IPV4, SAFI.FLOW_IP), Family(AFI.IPV6, SAFI.FLOW_IP)
    families = (*ALL, flow4, flow6)
    plain = Negotiated(local_as=65000, peer_as=65001, asn4=True, families=families)
    small = Negotiated(local_as=65000, peer_as=65001, asn4=True, families=families, msg_size=80)
    builder = Builder()
    lines = [
        'announce flow route destination 10.0.0.2/32 protocol tcp rate-limit 9600',
        'announce flow route destination 10.0.0.1/32 protocol tcp rate-limit 9600',
        'announce flow route destination 10.0.0.3/32 source 10.9.0.0/16 packet-length [ >100 =200 =300 =400 '
        '=500 =600 =700 =800 =900 =1000 =1100 =1200 =1300 =1400 ] protocol tcp rate-limit 9600',
        'announce flow route destination 10.0.0.4/32 protocol tcp redirect 192.0.2.1',
        'announce flow route destination 2001:db8::/32 protocol tcp redirect 2001:db8::1',
    ]
    routes = [parse(line, builder).routes[0] for line in lines]
    multicast = [
        Route(INET.make(IPV4_MULTICAST, IPv4Address(f'224.0.{n}.0'), 24), EMPTY, IPv4Address('10.0.0.1'))
        for n in (2, 1)
    ]
    # 6.0's link-local next hop capability: the global next hop then ours, in each message
    ipv6 = [Route(v6(f'2001:db8:{n}::', 48, family=IPV6_MULTICAST), EMPTY, IPv6Address('2001:db8::1')) for n in (2, 1)]
    link_local = dataclasses.replace(plain, link_local=IPv6Address('fe80::1'))
    assert (
        b'\xfe\x80'
        in update_pack.announce_each(IPV6_MULTICAST, [r.nlri for r in ipv6], EMPTY, ipv6[0].nexthop, link_local)[0]
    )
    for negotiated in (plain, small, link_local):
        for group in (routes[:3], routes[3:4], routes[4:], multicast, ipv6):
            first = group[0]
            family = first.nlri.family
            nlris = [route.nlri for route in group]
            alone = [
                m
                for n in nlris
                for m in update_pack.announce(family, (n,), first.attributes, first.nexthop, negotiated)
            ]
            assert update_pack.announce_each(family, nlris, first.attributes, first.nexthop, negotiated) == alone
    # the long rule does not fit 80 octets: left out, the others sent
    assert len(update_pack.announce_each(flow4, [r.nlri for r in routes[:3]], routes[0].attributes, None, small)) == 2


def test_announce_each_makes_each_size_of_nlri_as_announce_does() -> None:
    """announce_each makes what goes before an NLRI once per NLRI size: NLRI of several sizes mixed,
    one long enough for MP_REACH_NLRI's extended length (past 255 octets), and, in small messages,
    the ones that can not fit left out wherever they come, give the messages of `announce`."""
    from exabgp.api.command import parse
    from exabgp.configuration.route.grammar import Builder

    flow4 = Family(AFI.IPV4, SAFI.FLOW_IP)
    builder = Builder()
    values = ' '.join(f'={value}' for value in range(1000, 1100))
    lines = [
        'announce flow route destination 10.0.0.1/32 protocol tcp rate-limit 9600',
        f'announce flow route destination 10.0.0.2/32 packet-length [ {values} ] rate-limit 9600',
        'announce flow route destination 10.0.0.3/32 source 10.9.0.0/16 rate-limit 9600',
        'announce flow route destination 10.0.0.4/32 protocol tcp rate-limit 9600',
        f'announce flow route destination 10.0.0.5/32 packet-length [ {values} =7 ] rate-limit 9600',
        'announce flow route destination 10.0.0.6/32 source 10.9.0.0/16 rate-limit 9600',
    ]
    routes = [parse(line, builder).routes[0] for line in lines]
    nlris = [route.nlri for route in routes]
    attributes = routes[0].attributes
    assert all(route.attributes == attributes for route in routes)
    for size in (4096, 300, 80):
        negotiated = Negotiated(local_as=65000, peer_as=65001, asn4=True, families=(flow4,), msg_size=size)
        alone = [m for n in nlris for m in update_pack.announce(flow4, (n,), attributes, None, negotiated)]
        each = update_pack.announce_each(flow4, nlris, attributes, None, negotiated)
        assert each == alone
        if size == 4096:
            # MP_REACH_NLRI takes the extended length form (flags 0x90) for the long rules
            assert [message[23 + len(attributes.pack(negotiated))] for message in each] == [
                0x80,
                0x90,
                0x80,
                0x80,
                0x90,
                0x80,
            ]
        else:
            assert len(each) == 4
