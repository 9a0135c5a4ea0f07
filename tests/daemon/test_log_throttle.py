"""The log throttle on the daemon's handler: a flood of one line is capped per second and
summarised; distinct lines and other loggers still get through."""

import io
import logging

import pytest

from latentd.daemon.log_throttle import LogThrottle


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


def test_a_flood_of_one_line_is_capped_and_summarised(rig):
    logger, clock, throttle, stream, _ = rig
    for k in range(10000):
        logger.warning("bad packet from %s", k)
    assert len(lines(stream)) == 5
    clock.now = 1.5
    logger.warning("bad packet from %s", "later")
    out = lines(stream)
    assert out[5] == "flooded WARNING: suppressed 9995 similar lines (over 5 a second): " \
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
