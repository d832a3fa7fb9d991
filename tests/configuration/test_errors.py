"""Broken configurations: each is refused with the exact message, at the exact line and column.

The message of every case was read against the place it points at; where 5.0 has an equivalent
error, the wording follows 5.0's.
"""

import pytest

from exabgp.configuration.errors import ConfigError
from exabgp.configuration.parser import load_text
from exabgp.configuration.process import Context

NEIGHBOR = (
    'neighbor 127.0.0.1 {\n    router-id 1.2.3.4;\n    local-address 127.0.0.1;\n    local-as 1;\n    peer-as 2;\n'
)
PROCESS = 'process a {\n    run /bin/true;\n    encoder text;\n}\n'

# (case, text, line, column, message)
BROKEN = [
    ('unknown keyword', NEIGHBOR + '    foo 1;\n}\n', 6, 5, "invalid keyword 'foo' in neighbor"),
    ('hold time not a number', NEIGHBOR + '    hold-time foo;\n}\n', 6, 15, "'foo' is an invalid hold-time"),
    ('hold time too small', NEIGHBOR + '    hold-time 2;\n}\n', 6, 15, 'hold-time must be zero or at least 3 seconds'),
    ('hold time too big', NEIGHBOR + '    hold-time 65536;\n}\n', 6, 15, 'hold-time must be smaller or equal to 65535'),
    ('trailing garbage', NEIGHBOR + '    hold-time 180 foo;\n}\n', 6, 19, "unexpected 'foo'"),
    (
        'missing semicolon',
        NEIGHBOR + '    hold-time 180\n}\n',
        6,
        18,
        "missing ';' at the end of the line (or '{' to open a section)",
    ),
    (
        'missing semicolon before brace',
        NEIGHBOR + '    static { route 10.0.0.0/24 next-hop 1.1.1.1 }\n}\n',
        6,
        49,
        "missing ';' before '}'",
    ),
    ('extra closing brace', NEIGHBOR + '}\n}\n', 7, 1, "'}' closes nothing"),
    (
        'bad router id',
        'neighbor 127.0.0.1 {\n    router-id 1.2.3;\n}\n',
        2,
        15,
        "'1.2.3' is an invalid router-id, expecting an IPv4 address",
    ),
    (
        'ipv6 router id',
        'neighbor 127.0.0.1 {\n    router-id ::1;\n}\n',
        2,
        15,
        "'::1' is an invalid router-id, expecting an IPv4 address",
    ),
    ('bad peer address', 'neighbor 127.0.0.300 {\n}\n', 1, 10, "'127.0.0.300' is an invalid peer address"),
    (
        'bad peer range',
        'neighbor 10.0.0.0/33 {\n}\n',
        1,
        10,
        "'10.0.0.0/33' is an invalid peer address: the prefix length must be 0 to 32",
    ),
    (
        'missing local-as',
        'neighbor 127.0.0.1 {\n    router-id 1.2.3.4;\n    peer-as 2;\n}\n',
        1,
        1,
        'incomplete neighbor, missing local-as',
    ),
    (
        'missing router-id v6',
        'neighbor ::1 {\n    local-address ::1;\n    local-as 1;\n    peer-as 2;\n}\n',
        1,
        1,
        'incomplete neighbor, missing router-id',
    ),
    (
        'mixed address families',
        'neighbor 127.0.0.1 {\n    router-id 1.2.3.4;\n    local-address ::1;\n    local-as 1;\n    peer-as 2;\n}\n',
        3,
        19,
        'local-address and peer-address must be of the same family',
    ),
    (
        'range not passive',
        'neighbor 10.0.0.0/24 {\n    router-id 1.2.3.4;\n    local-address 10.0.0.1;\n    local-as 1;\n    peer-as 2;\n}\n',
        1,
        1,
        'can only use ip ranges for the peer address with passive neighbors',
    ),
    (
        'asn too big',
        NEIGHBOR + '    peer-as 4294967296;\n}\n',
        6,
        13,
        "'4294967296' is an invalid ASN, must be 0 to 4294967295",
    ),
    (
        'asdot bad',
        NEIGHBOR + '    peer-as 1.70000;\n}\n',
        6,
        13,
        "'1.70000' is an invalid ASN, each part must be 0 to 65535",
    ),
    (
        'boolean bad',
        NEIGHBOR + '    passive maybe;\n}\n',
        6,
        13,
        "'maybe' is not a boolean (true, enable, enabled, false, disable, disabled)",
    ),
    (
        'port too big',
        NEIGHBOR + '    listen 70000;\n}\n',
        6,
        12,
        "'70000' is an invalid port, expecting a number from 0 to 65535",
    ),
    ('ttl too big', NEIGHBOR + '    outgoing-ttl 256;\n}\n', 6, 18, 'ttl must be smaller than 256'),
    (
        'rate limit zero',
        NEIGHBOR + '    rate-limit 0;\n}\n',
        6,
        16,
        "'0' is an invalid rate-limit: a number of updates per second, or 'disable'",
    ),
    (
        'host-name bad',
        NEIGHBOR + '    host-name -bad;\n}\n',
        6,
        15,
        "'-bad' is an invalid host-name: it must start and end with a letter or a digit",
    ),
    (
        'md5 too long',
        NEIGHBOR + '    md5-password ' + 'a' * 81 + ';\n}\n',
        6,
        18,
        'the MD5 password must be no larger than 80 characters',
    ),
    (
        'md5 base64 bad',
        NEIGHBOR + '    md5-base64 true;\n    md5-password "not base64!";\n}\n',
        7,
        18,
        'invalid MD5 password: not valid base64',
    ),
    (
        'duplicate neighbor',
        NEIGHBOR
        + '}\nneighbor 127.0.0.1 {\n    router-id 1.2.3.4;\n    local-address 127.0.0.1;\n    local-as 1;\n    peer-as 2;\n}\n',
        7,
        10,
        'duplicate peer definition 127.0.0.1',
    ),
    ('unknown template', NEIGHBOR + '    inherit nothere;\n}\n', 6, 13, "unknown template 'nothere'"),
    (
        'duplicate template',
        'template {\n    neighbor a {\n    }\n    neighbor a {\n    }\n}\n',
        4,
        14,
        "the template 'a' already exists",
    ),
    (
        'capability unknown',
        NEIGHBOR + '    capability {\n        foo;\n    }\n}\n',
        7,
        9,
        "invalid keyword 'foo' in capability",
    ),
    (
        'add-path bad',
        NEIGHBOR + '    capability {\n        add-path both;\n    }\n}\n',
        7,
        18,
        "'both' is an invalid add-path, options are: send, receive, send/receive, disable",
    ),
    (
        'add-path receive/send',
        NEIGHBOR + '    capability {\n        add-path receive/send;\n    }\n}\n',
        7,
        18,
        "'receive/send' is written send/receive",
    ),
    (
        'graceful restart too big',
        NEIGHBOR + '    capability {\n        graceful-restart 70000;\n    }\n}\n',
        7,
        26,
        'graceful-restart must be smaller or equal to 65535',
    ),
    (
        'family bad safi',
        NEIGHBOR + '    family {\n        ipv4 foo;\n    }\n}\n',
        7,
        14,
        'invalid afi/safi pair ipv4/foo',
    ),
    (
        'family duplicate',
        NEIGHBOR + '    family {\n        ipv4 unicast;\n        ipv4 unicast;\n    }\n}\n',
        8,
        14,
        'duplicate afi/safi pair ipv4/unicast',
    ),
    (
        'family after all',
        NEIGHBOR + '    family {\n        all;\n        ipv4 unicast;\n    }\n}\n',
        8,
        9,
        'can not add any family once family all is set',
    ),
    (
        'nexthop bad afi',
        NEIGHBOR + '    nexthop {\n        ipv4 unicast ipv4;\n    }\n}\n',
        7,
        22,
        'invalid nexthop afi ipv4',
    ),
    ('process missing encoder', 'process a {\n    run /bin/true;\n}\n', 1, 9, "process 'a' is missing: encoder"),
    (
        'process bad encoder',
        'process a {\n    run /bin/true;\n    encoder xml;\n}\n',
        3,
        13,
        "'xml' is an invalid encoder, options are: text, json",
    ),
    (
        'process missing program',
        'process a {\n    run /nonexistent/program;\n    encoder text;\n}\n',
        2,
        9,
        "can not locate the program '/nonexistent/program'",
    ),
    (
        'process duplicate',
        'process a {\n    run /bin/true;\n    encoder text;\n}\nprocess a {\n    run /bin/true;\n    encoder text;\n}\n',
        5,
        9,
        "a process section called 'a' already exists",
    ),
    (
        'api undefined process',
        NEIGHBOR + '    api {\n        processes [ nothere ];\n    }\n}\n',
        7,
        9,
        "the api process 'nothere' used by neighbor 127.0.0.1 is not defined",
    ),
    (
        'api processes not a list',
        NEIGHBOR + '    api {\n        processes nothere;\n    }\n}\n',
        7,
        19,
        'invalid processes, it must be a list: [ name ... ]',
    ),
    (
        'api bad regex',
        NEIGHBOR + '    api {\n        processes-match [ "(" ];\n    }\n}\n',
        7,
        27,
        "'(' is not a valid regular expression (missing ), unterminated subpattern)",
    ),
    (
        'api unknown receive flag',
        NEIGHBOR + '    api {\n        receive {\n            everything;\n        }\n    }\n}\n',
        8,
        13,
        "invalid keyword 'everything' in api receive",
    ),
    (
        'route bad prefix',
        NEIGHBOR + '    static {\n        route 10.0.0.300/24 next-hop 1.1.1.1;\n    }\n}\n',
        7,
        15,
        "'10.0.0.300/24' is not a valid prefix (format: <ip>/<length>, e.g. 192.0.2.0/24)",
    ),
    (
        'route host bits',
        NEIGHBOR + '    static {\n        route 10.0.0.1/24 next-hop 1.1.1.1;\n    }\n}\n',
        7,
        15,
        'invalid network 10.0.0.1 for netmask 24',
    ),
    (
        'route missing next-hop',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 med 10;\n    }\n}\n',
        7,
        33,
        'missing next-hop: an IPv4 route needs one',
    ),
    (
        'route bad next-hop',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1;\n    }\n}\n',
        7,
        36,
        "'1.1.1' is an invalid next-hop",
    ),
    (
        'route bad med',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 med -1;\n    }\n}\n',
        7,
        48,
        "invalid med '-1'",
    ),
    (
        'route bad origin',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 origin foo;\n    }\n}\n',
        7,
        51,
        "unknown origin 'foo' (igp, egp or incomplete)",
    ),
    (
        'route bad community in list',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 community [ 1:1 70000:1 ];\n    }\n}\n',
        7,
        60,
        "invalid community '70000:1' (each part must be 0 to 65535)",
    ),
    (
        'route unclosed community list',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 community [ 1:1;\n    }\n}\n',
        7,
        59,
        "missing ']' to close the community list",
    ),
    (
        'route bad as-path',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 as-path [ 1 x ];\n    }\n}\n',
        7,
        56,
        "could not parse the as-path: 'x' is not an ASN",
    ),
    (
        'route bad extended community',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 extended-community target:1;\n    }\n}\n',
        7,
        63,
        "invalid extended-community 'target:1': 'target' is neither a number nor an IPv4 address",
    ),
    (
        'route bad large community',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 large-community 1:2;\n    }\n}\n',
        7,
        60,
        "invalid large-community '1:2' (expecting <asn>:<number>:<number>)",
    ),
    (
        'route bad aggregator',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 aggregator ( 1.2.3.4 );\n    }\n}\n',
        7,
        57,
        "invalid aggregator '1.2.3.4', expecting ( <asn>:<ipv4> )",
    ),
    (
        'route bad split',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 split /33;\n    }\n}\n',
        7,
        50,
        "'/33' is an invalid split, expecting /<length> with a length up to 32",
    ),
    (
        'route unknown keyword',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 colour red;\n    }\n}\n',
        7,
        44,
        "invalid keyword 'colour' in a route",
    ),
    (
        'route family not negotiated',
        NEIGHBOR
        + '    family {\n        ipv6 unicast;\n    }\n    static {\n        route 224.1.0.0/16 next-hop 1.1.1.1;\n    }\n}\n',
        10,
        15,
        'trying to announce a route of family ipv4 multicast when the family is not announced to the peer',
    ),
    (
        'route block missing next-hop',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 {\n            med 10;\n        }\n    }\n}\n',
        9,
        9,
        'missing next-hop: an IPv4 route needs one',
    ),
    (
        'route attribute generic bad',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 attribute [ 0x99 0xzz 0x00 ];\n    }\n}\n',
        7,
        61,
        'invalid attribute, the flag is not 0x hexadecimal',
    ),
    (
        'route vpn without label',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 rd 1:1;\n    }\n}\n',
        7,
        50,
        'missing label: ipv4 mpls-vpn routes need one',
    ),
    (
        'labeled route without label',
        NEIGHBOR
        + '    announce {\n        ipv4 {\n            nlri-mpls 10.0.0.0/24 next-hop 1.1.1.1;\n        }\n    }\n}\n',
        8,
        51,
        'missing label: ipv4 nlri-mpls routes need one',
    ),
    (
        'label in a unicast route',
        NEIGHBOR
        + '    announce {\n        ipv4 {\n            unicast 10.0.0.0/24 next-hop 1.1.1.1 label 5;\n        }\n    }\n}\n',
        8,
        50,
        "'label' can not be used in a unicast route",
    ),
    (
        'announce flow bad value',
        NEIGHBOR
        + '    announce {\n        ipv6 {\n            flow match destination 2001::/64 next-header 999;\n        }\n    }\n}\n',
        8,
        58,
        "'999' is too large, the largest value is 255",
    ),
    (
        'flow port name 5.0 does not know',
        NEIGHBOR
        + '    announce {\n        ipv4 {\n            flow match destination 10.0.0.0/8 destination-port www;\n        }\n    }\n}\n',
        8,
        64,
        "'www' is not a valid value",
    ),
    (
        'flow block bad keyword',
        NEIGHBOR
        + '    flow {\n        route drop {\n            match {\n                destination 2001::/64;\n            }\n            then {\n                bogus;\n            }\n        }\n    }\n}\n',
        12,
        17,
        "invalid keyword 'bogus' in a flow route",
    ),
    (
        'announce unicast wrong family',
        NEIGHBOR
        + '    announce {\n        ipv4 {\n            unicast 2001::/64 next-hop 1.1.1.1;\n        }\n    }\n}\n',
        8,
        21,
        'this prefix is not an IPv4 prefix',
    ),
    (
        'announce unicast missing next-hop',
        NEIGHBOR + '    announce {\n        ipv6 {\n            unicast 2001::/64;\n        }\n    }\n}\n',
        8,
        30,
        'missing next-hop',
    ),
    (
        'unterminated quote',
        NEIGHBOR + '    description "hello;\n}\n',
        6,
        17,
        'unterminated quoted string (no closing ")',
    ),
    (
        'description with spaces',
        NEIGHBOR + '    description hello world;\n}\n',
        6,
        23,
        "unexpected 'world' (quote a description holding spaces)",
    ),
    ('section used as command', NEIGHBOR + '    static;\n}\n', 6, 5, "'static' is a section: 'static { ... }'"),
    (
        'command used as section',
        NEIGHBOR + '    hold-time {\n    }\n}\n',
        6,
        5,
        "section 'hold-time' is invalid in neighbor",
    ),
    ('unknown section', NEIGHBOR + '    bgp {\n    }\n}\n', 6, 5, "section 'bgp' is invalid in neighbor"),
    ('top level command', 'hold-time 180;\n', 1, 1, "invalid keyword 'hold-time' in the top level"),
    (
        'continued line error',
        NEIGHBOR
        + '    static {\n        route 10.0.0.0/24 \\\n            next-hop 1.1.1.1 \\\n            med x;\n    }\n}\n',
        9,
        17,
        "invalid med 'x'",
    ),
    (
        'tcp-ao algorithm',
        NEIGHBOR + '    tcp-ao {\n        algorithm md5;\n    }\n}\n',
        7,
        19,
        "'md5' is an invalid tcp-ao algorithm, options are: hmac-sha-1-96, aes-128-cmac-96, hmac-sha-256",
    ),
    (
        'tcp-ao keyid',
        NEIGHBOR + '    tcp-ao {\n        keyid 256;\n    }\n}\n',
        7,
        15,
        "'256' is an invalid tcp-ao keyid, expecting a number from 0 to 255",
    ),
    ('empty statement', NEIGHBOR + '    ;\n}\n', 6, 5, "unexpected ';'"),
    (
        'operational bad',
        NEIGHBOR + '    operational {\n        asm afi ipv4 safi unicast;\n    }\n}\n',
        7,
        34,
        'missing advisory',
    ),
    ('inherit list unclosed', NEIGHBOR + '    inherit [ a b;\n}\n', 6, 18, "missing ']' to close the template list"),
    ('neighbor header garbage', 'neighbor 127.0.0.1 extra {\n}\n', 1, 20, "unexpected 'extra'"),
    ('static with a name', NEIGHBOR + '    static main {\n    }\n}\n', 6, 12, "unexpected 'main'"),
    (
        'api duplicate name',
        NEIGHBOR + '    api a {\n    }\n    api a {\n    }\n}\n',
        8,
        9,
        "the name 'a' already exists in api",
    ),
    (
        'processes and processes-match',
        'process a {\n    run /bin/true;\n    encoder text;\n}\nneighbor 127.0.0.1 {\n    router-id 1.2.3.4;\n    local-address 127.0.0.1;\n    local-as 1;\n    peer-as 2;\n    api {\n        processes [ a ];\n        processes-match [ a ];\n    }\n}\n',
        12,
        9,
        'processes and processes-match are mutually exclusive (neighbor 127.0.0.1)',
    ),
    (
        'no process matches',
        'process a {\n    run /bin/true;\n    encoder text;\n}\nneighbor 127.0.0.1 {\n    router-id 1.2.3.4;\n    local-address 127.0.0.1;\n    local-as 1;\n    peer-as 2;\n    api {\n        processes-match [ ^z ];\n    }\n}\n',
        11,
        9,
        "no process matches processes-match ['^z'] (neighbor 127.0.0.1)",
    ),
    (
        'path-information bad',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 path-information 1.2.3;\n    }\n}\n',
        7,
        61,
        "'1.2.3' is an invalid path-information (a number or an IPv4 address)",
    ),
    (
        'watchdog reserved name',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 watchdog withdraw;\n    }\n}\n',
        7,
        53,
        "'withdraw' is an invalid watchdog name",
    ),
    (
        'cluster-list empty',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 cluster-list [ ];\n    }\n}\n',
        7,
        59,
        'no cluster-id in the cluster-list',
    ),
    (
        'aigp bad',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 aigp 0xzz;\n    }\n}\n',
        7,
        49,
        "invalid aigp '0xzz' (a number, decimal or 0x hexadecimal, up to 64 bits)",
    ),
    (
        'originator-id bad',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 originator-id 1;\n    }\n}\n',
        7,
        58,
        "'1' is an invalid originator-id, expecting an IPv4 address",
    ),
    (
        'local-preference bad',
        NEIGHBOR + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 local-preference 4294967296;\n    }\n}\n',
        7,
        61,
        "invalid local-preference '4294967296'",
    ),
    (
        'attributes without nlri',
        NEIGHBOR + '    static {\n        attributes next-hop 1.1.1.1 med 10;\n    }\n}\n',
        7,
        43,
        "missing 'nlri' and the prefixes the attributes apply to",
    ),
    (
        'bad escape',
        NEIGHBOR + '    description "bad \\u12";\n}\n',
        6,
        17,
        'invalid escape: \\u must be followed by four hexadecimal digits',
    ),
    (
        'vpls block without next hop',
        NEIGHBOR + '    l2vpn {\n        vpls site5 {\n        }\n    }\n}\n',
        7,
        9,
        'vpls nlri next-hop missing',
    ),
    (
        'vpls without endpoint',
        NEIGHBOR + '    l2vpn {\n        vpls rd 1:1 base 10 offset 1 size 8 next-hop 1.1.1.1;\n    }\n}\n',
        7,
        9,
        'vpls nlri endpoint missing',
    ),
    (
        'vpls endpoint too large',
        NEIGHBOR + '    l2vpn {\n        vpls endpoint 65536;\n    }\n}\n',
        7,
        23,
        "'65536' is an invalid vpls endpoint (0 to 65535)",
    ),
    (
        'vpls label block past 20 bits',
        NEIGHBOR
        + '    announce {\n        l2vpn {\n            vpls rd 1:1 endpoint 1 base 1048570 offset 1 size 8 '
        + 'next-hop 1.1.1.1;\n        }\n    }\n}\n',
        8,
        13,
        'vpls base 1048570 with size 8 passes the 20 bits of a label',
    ),
    (
        'vpls split',
        NEIGHBOR + '    l2vpn {\n        vpls split /24;\n    }\n}\n',
        7,
        14,
        "'split' can not be used in a vpls route",
    ),
    (
        'mcast-vpn without next hop',
        NEIGHBOR
        + '    announce {\n        ipv4 {\n            mcast-vpn source-ad source 10.0.0.1 group 239.0.0.1 rd 1:1;\n        }\n    }\n}\n',
        8,
        71,
        'missing next-hop',
    ),
    (
        'mcast-vpn address of the other AFI',
        NEIGHBOR
        + '    announce {\n        ipv6 {\n            mcast-vpn source-ad source 10.0.0.1 group ff0e::1 rd 1:1;\n        }\n    }\n}\n',
        8,
        40,
        "'10.0.0.1' is not an IPv6 address",
    ),
    (
        'prefix-sid label index too large',
        NEIGHBOR
        + '    static {\n        route 10.0.0.0/24 next-hop 1.1.1.1 bgp-prefix-sid [ 4294967296 ];\n    }\n}\n',
        7,
        61,
        "'4294967296' is not a valid label index, the largest is 4294967295",
    ),
    (
        'sr-policy unknown segment type',
        NEIGHBOR
        + '    static {\n        sr-policy distinguisher 0 color 1 endpoint 10.0.0.1 next-hop 1.1.1.1 segment-list weight 1 segment type-z;\n    }\n}\n',
        7,
        108,
        "'type-z' is not a segment type (type-a, type-b, type-c, type-d, type-e, type-f, type-g, type-h, type-i, type-j, type-k)",
    ),
    (
        'sr-policy next hop of the other family',
        NEIGHBOR
        + '    static {\n        sr-policy distinguisher 0 color 1 endpoint 10.0.0.1 next-hop ::1;\n    }\n}\n',
        7,
        70,
        "'::1' is not an IPv4 next-hop",
    ),
    (
        'local-link-local global',
        NEIGHBOR + '    local-link-local 2001:db8::1;\n}\n',
        6,
        22,
        "'2001:db8::1' is not an IPv6 link-local address (fe80::/10)",
    ),
]


@pytest.mark.parametrize(('case', 'text', 'line', 'column', 'message'), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_configuration_is_refused_at_the_right_place(
    case: str, text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_text(text, Context(search_path=('/bin', '/usr/bin')), source='case.conf')
    error = raised.value
    assert (error.location.line, error.location.column, error.message) == (line, column, message)
    head = f'case.conf:{line}:{column}: {message}'
    assert str(error).startswith(head)
    # the token at the column follows, unless the message quotes it already
    found = str(error)[len(head) :]
    shown_line = text.split('\n')[line - 1]
    if found:
        assert found.startswith(', found ')
        token = found[len(', found ') :]
        assert token == 'end of line' or shown_line[column - 1 :].startswith(token.strip("'")), found
        assert f"'{token.strip(chr(39))}'" not in message
    # the caret sits under the column, on the line the error names
    shown, caret = error.report().split('\n')[1:]
    assert shown == text.split('\n')[line - 1]
    assert len(caret) == column and caret.endswith('^')


def test_there_are_enough_cases() -> None:
    assert len(BROKEN) >= 40
