"""Logging: destinations, formats, levels and the per-topic switches."""

import json
import logging
import pathlib

import pytest

from exabgp import logger
from exabgp.application import logs
from exabgp.settings import load


@pytest.fixture(autouse=True)
def restore_logging():
    yield
    root = logging.getLogger(logger.ROOT)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for source in logger.TOPICS:
        logger.get(source).setLevel(logging.NOTSET)


def configure(tmp_path: pathlib.Path, **values: str) -> pathlib.Path:
    path = tmp_path / 'exabgp.log'
    environ = {'exabgp_log_destination': f'file:{path}', **{f'exabgp_log_{k}': v for k, v in values.items()}}
    logs.configure(load(environ, ''))
    return path


def flushed(path: pathlib.Path) -> list[str]:
    for handler in logging.getLogger(logger.ROOT).handlers:
        handler.flush()
    return path.read_text().splitlines()


def test_file_destination_uses_long_format_one_line_per_line(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path)
    logger.get('welcome').info('first\nsecond')
    lines = flushed(path)
    assert len(lines) == 2
    assert lines[0].endswith(' welcome         first')
    assert lines[1].endswith(' welcome         second')
    assert lines[0][2] == ':'


def test_short_format() -> None:
    record = logging.LogRecord('exabgp.network', logging.INFO, __file__, 1, 'connected', None, None)
    assert logs.Format(short=True).format(record) == 'network         connected'


def test_topic_switches_follow_settings(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path, network='false', packets='true')
    logger.get('network').critical('hidden')
    logger.get('wire').info('packet shown')
    logger.get('rib').info('rib hidden by default')
    logger.get('cli').info('always shown')
    text = '\n'.join(flushed(path))
    assert 'hidden' not in text
    assert 'packet shown' in text
    assert 'always shown' in text


def test_all_switches_every_topic_on(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path, all='true')
    logger.get('rib').info('rib shown')
    assert 'rib shown' in '\n'.join(flushed(path))


def test_log_enable_false_silences_topics(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path, enable='false')
    logger.get('configuration').error('silenced')
    logger.get('welcome').info('still shown')
    lines = flushed(path)
    assert len(lines) == 1
    assert lines[0].endswith('still shown')


def test_level_filters(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path, level='WARNING')
    logger.get('reactor').info('too low')
    logger.get('reactor').warning('high enough')
    text = '\n'.join(flushed(path))
    assert 'too low' not in text
    assert 'high enough' in text


def test_peer_adapter_prefixes_the_peer(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path)
    logger.PeerLog(logger.get('network'), '127.0.0.1').info('up')
    assert flushed(path)[0].endswith('network         peer 127.0.0.1 up')


def test_bad_destination_falls_back_to_stderr_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    handler = logs.handler_for('nowhere', True)
    assert isinstance(handler, logging.StreamHandler)
    assert "can not log to 'nowhere'" in capsys.readouterr().err


def test_remote_syslog_destination() -> None:
    handler = logs.handler_for('host:127.0.0.1', False)
    assert isinstance(handler, logging.handlers.SysLogHandler)
    assert handler.address == ('127.0.0.1', 514)
    assert handler.formatter.short is True
    handler.close()


def test_json_format_writes_one_object_a_line_with_the_event_and_its_fields(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path, format='json')
    peer = logger.PeerLog(logger.get('network'), '127.0.0.2 ASN 65002')
    peer.info('session established', extra=logger.event('peer.state', state='established', message='kept out'))
    logger.get('reactor').warning('two\nlines')
    first, second = (json.loads(line) for line in flushed(path))
    assert first['level'] == 'INFO' and first['topic'] == 'network' and first['event'] == 'peer.state'
    assert first['peer'] == '127.0.0.2' and first['state'] == 'established'
    # a field never replaces one of the line's own keys
    assert first['message'] == 'peer 127.0.0.2 ASN 65002 session established'
    assert first['time'].endswith('Z') and isinstance(first['pid'], int)
    assert second['event'] == 'reactor.message' and second['message'] == 'two\nlines' and 'peer' not in second


def test_text_format_is_unchanged_by_events(tmp_path: pathlib.Path) -> None:
    path = configure(tmp_path)
    logger.PeerLog(logger.get('network'), '127.0.0.1').info('up', extra=logger.event('peer.state', state='up'))
    assert flushed(path)[0].endswith('network         peer 127.0.0.1 up')
