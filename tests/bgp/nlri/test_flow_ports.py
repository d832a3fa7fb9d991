"""Port names of FlowSpec rules (bgp.nlri.flow_ports): read and printed as ExaBGP 5.0.15 does.

5.0 reads 4,899 IANA service names; those written in capitals or with `_` in its table can not be
written (it reads a word in lower case, `_` as `-`), which leaves 4,822. It prints the ports of a
rule it built by name and those of a rule it received as numbers."""

from exabgp.api.command import parse
from exabgp.bgp.family import Family
from exabgp.bgp.nlri import flow_ports
from exabgp.bgp.nlri.flow import Flow
from exabgp.configuration.route.grammar import Builder


def test_names_read_as_5_0_reads_them() -> None:
    ports, printed = flow_ports._tables()
    assert len(ports) == 4822
    # from 5.0.15's table: rare names, a name given several ports (the highest), case and `_`
    assert flow_ports.port('distinct') == 9999
    assert flow_ports.port('dls-monitor') == 2048
    assert flow_ports.port('echo') == 7
    assert flow_ports.port('compressnet') == 3
    assert flow_ports.port('HTTP_ALT') == 8080
    assert flow_ports.port('Kerberos') == 88
    # in 5.0's table, but never readable there either
    assert flow_ports.port('CAIlic') is None
    assert flow_ports.port('subntbcst_tftp') is None
    assert flow_ports.port('no-such-service') is None
    # a printed name always reads back as its port
    assert all(flow_ports.port(name) == number for number, name in printed.items())


def test_names_printed_as_5_0_prints_them() -> None:
    assert flow_ports.name(80) == 'http'
    assert flow_ports.name(8080) == 'http-alt'
    assert flow_ports.name(2048) == 'dls-monitor'
    assert flow_ports.name(3) == 'compressnet'
    # 5.0 prints `compressnet` for 2 and `echo` for 4 (names that read as 3 and 7): numbers here
    assert flow_ports.name(2) is None
    assert flow_ports.name(4) is None
    assert flow_ports.name(0) is None
    assert flow_ports.name(65535) is None


def test_a_rule_built_prints_port_names_a_rule_received_numbers() -> None:
    line = 'announce flow route destination 10.0.0.1/32 destination-port [ =80 >1024&<2048 ] source-port =4 port =27017'
    (route,) = parse(line, Builder()).routes
    built = 'flow destination-ipv4 10.0.0.1/32 port =27017 destination-port [ =http >1024&<dls-monitor ] source-port =4'
    assert str(route.nlri) == built
    assert '"destination-port": [ "=http", ">1024&<dls-monitor" ]' in route.nlri.json()
    (received,) = Flow.unpack_all(Family.parse('ipv4 flow'), route.nlri.pack(False), False)
    assert received == route.nlri
    assert str(received) == built.replace('=http', '=80').replace('dls-monitor', '2048')
