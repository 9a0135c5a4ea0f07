"""The log throttle: a flood of one line is capped per window and summarised; distinct lines and
other loggers still get through; the daemon's handler and the OSC server's per-kind lines use
the same mechanism (latentd/log_throttle.py)."""

import io
import logging

import pytest

from latentd.log_throttle import LogThrottle, ThrottledLog


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def rig():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
    clock = Clock()
    throttle = LogThrottle(per_key=5, total=50, clock=clock).install(handler)
    logger = logging.getLogger("flooded")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield logger, clock, throttle, stream, handler
    logger.removeHandler(handler)


def lines(stream):
    return stream.getvalue().splitlines()


# --------------------------------------------------------------------------- on a handler
def test_a_flood_of_one_line_is_capped_and_summarised(rig):
    logger, clock, throttle, stream, _ = rig
    for k in range(10000):
        logger.warning("bad packet from %s", k)
    assert len(lines(stream)) == 5
    clock.now = 1.5
    logger.warning("bad packet from %s", "later")
    out = lines(stream)
    assert out[5] == "flooded WARNING: suppressed 9995 similar lines (over 5 in 1 s): " \
                     "'bad packet from %s'"
    assert out[6] == "flooded WARNING: bad packet from later"
    assert throttle.suppressed_total == 9995


def test_other_lines_pass_while_one_floods(rig):
    logger, _clock, _, stream, _ = rig
    for _ in range(100):
        logger.warning("flood")
    logger.info("model swap: %s", "x")
    assert lines(stream)[-1] == "flooded INFO: model swap: x"


def test_a_flood_of_distinct_templates_is_capped_in_all(rig):
    logger, _clock, throttle, stream, _ = rig
    for k in range(5000):
        logger.warning(f"library line {k}")  # preformatted: a new template every time
    assert len(lines(stream)) == 50
    assert len(throttle._windows) <= throttle.max_keys
    throttle.flush()  # the summaries are bounded too: ten, and one line for the rest
    out = lines(stream)
    assert len(out) == 50 + 10 + 1, out[50:]
    assert out[-1] == "latentd.log WARNING: suppressed 4940 more lines of 4940 other kinds"


def test_close_writes_the_pending_summary(rig):
    logger, _clock, _, stream, handler = rig
    for _ in range(8):
        logger.error("disk full")
    handler.close()
    assert "suppressed 3 similar lines" in lines(stream)[-1]


def test_the_daemon_installs_it_on_its_handler():
    from latentd.daemon.serve import configure_logging

    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        throttle = configure_logging("debug")
        assert root.level == logging.DEBUG
        assert [throttle] == [f for h in root.handlers for f in h.filters]
        assert (throttle.per_key, throttle.window_seconds, throttle.total) == (20, 1.0, 200)
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


def test_the_daemons_lifecycle_lines_pass_a_flood_of_others(rig):
    logger, _clock, _, stream, handler = rig
    for k in range(5000):
        logger.warning(f"library line {k}")
    daemon = logging.getLogger("latentd")
    level = daemon.level
    daemon.addHandler(handler)
    try:
        daemon.propagate = False
        daemon.setLevel(logging.INFO)
        daemon.info("stopping: %s", "fading out")
    finally:
        daemon.removeHandler(handler)
        daemon.propagate = True
        daemon.setLevel(level)
    assert lines(stream)[-1] == "latentd INFO: stopping: fading out"


# ------------------------------------------------------------------- per kind, at the source
@pytest.fixture
def counted():
    """The messages a logger's handler gets, one per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("test.throttle")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, lambda: lines(stream)
    logger.removeHandler(handler)


def test_a_kind_gets_its_lines_then_says_how_many_it_held_back(counted):
    logger, messages = counted
    clock = Clock()
    log = ThrottledLog(logger, lines=3, interval_seconds=10, clock=clock)
    for i in range(100):
        log.info("key", "line %d", i)
    log.info("other", "another kind")
    assert messages() == ["line 0", "line 1", "line 2", "another kind"]
    clock.now = 12.0
    log.info("key", "line again")
    assert messages()[-2:] == ["suppressed 97 similar lines (over 3 in 10 s): 'line %d'",
                             "line again"]


def test_the_kind_not_the_text_is_the_key(counted):
    """A peer's address in the template (or a new template per line) makes no new key."""
    logger, messages = counted
    log = ThrottledLog(logger, lines=2, interval_seconds=10, clock=Clock())
    for i in range(50):
        log.warning("malformed", f"bad packet {i} from %s", "10.0.0.1")
    assert messages() == ["bad packet 0 from 10.0.0.1", "bad packet 1 from 10.0.0.1"]


def test_a_held_back_line_costs_no_record_and_a_disabled_level_no_count(counted):
    logger, messages = counted
    log = ThrottledLog(logger, lines=1, interval_seconds=10, clock=Clock())
    made = []
    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(lambda *a, **k: made.append(1) or factory(*a, **k))
    try:
        for _ in range(1000):
            log.info("flood", "line")
        assert not log.debug("flood", "below the logger's level")
    finally:
        logging.setLogRecordFactory(factory)
    assert len(made) == 1 and messages() == ["line"]
    assert log.throttle.suppressed_total == 999


def test_the_source_table_of_kinds_is_capped(counted):
    logger, messages = counted
    log = ThrottledLog(logger, lines=1, interval_seconds=10, clock=Clock())
    for i in range(1000):
        log.info(f"kind {i}", "line %d", i)
    assert len(log.throttle._windows) <= 256
    assert len(messages()) == 1000  # each kind its first line; the table forgets, not the bound


def test_a_summary_keeps_to_the_loggers_level(counted):
    """Lines held back at info level are not summarised once the logger says warnings only."""
    logger, messages = counted
    clock = Clock()
    log = ThrottledLog(logger, lines=1, interval_seconds=10, clock=clock)
    for _ in range(5):
        log.info("chatty", "info line")
    logger.setLevel(logging.WARNING)
    clock.now = 11.0
    log.warning("bad", "warning line")
    assert messages() == ["info line", "warning line"]
