"""How the playing model is doing, for ``/status.reply``: errors, non-finite samples, stalls.

A model is code the daemon does not control: it may raise, answer with the wrong shape, type or
values, or never return. The render thread answers all of these with silence and goes on; this
is where they are counted, so a client can see it (``model_state``, ``model_errors``,
``nonfinite_samples``) instead of hearing an unexplained silence.

States:
* ``ok``: the last blocks decoded normally.
* ``failing``: the model raised or answered wrongly within the last ``FAILING_SECONDS``.
* ``stalled``: a decode did not return within the engine's bound; the model was abandoned and
  is never called again. Loading a model ends this state.

Writers: the render thread (errors, non-finite samples) and the render watchdog (stalls), each
counter by one thread only; readers on any thread see plain ints and floats.
"""

from __future__ import annotations

import logging
import math
import time

log = logging.getLogger("latentd.engine")

OK, FAILING, STALLED = "ok", "failing", "stalled"
FAILING_SECONDS = 2.0  # a model that failed this recently is reported as failing
LOG_EVERY_SECONDS = 10.0  # a model failing on every block is logged once per this long


def one_line(error: BaseException, limit: int = 200) -> str:
    """An exception as one short line: TorchScript errors carry a whole traceback in their
    message, whose last line says what happened ("builtins.RuntimeError: boom")."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    traceback = "TorchScript" in lines[0] or lines[0].startswith("Traceback")
    text = lines[-1] if traceback else " ".join(lines)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ModelHealth:
    def __init__(self) -> None:
        self.errors = 0  # blocks the model failed to decode (answered with silence)
        self.nonfinite_samples = 0  # NaN or infinite samples replaced by silence
        self.stalls = 0  # decodes abandoned by the watchdog
        self.stalled = False
        self.last_error = ""
        self._last_error_at = -math.inf
        self._logged_at = -math.inf
        self._unlogged = 0

    @property
    def state(self) -> str:
        if self.stalled:
            return STALLED
        if time.monotonic() - self._last_error_at < FAILING_SECONDS:
            return FAILING
        return OK

    def model_error(self, model: str, error: BaseException) -> None:
        """Render thread: the model failed one block. Logged at most once per
        LOG_EVERY_SECONDS, with the count of failures not logged since."""
        self.errors += 1
        now = time.monotonic()
        self._last_error_at = now
        self.last_error = f"{type(error).__name__}: {one_line(error)}"
        if now - self._logged_at < LOG_EVERY_SECONDS:
            self._unlogged += 1
            return
        more = f" (+{self._unlogged} more since the last report)" if self._unlogged else ""
        log.warning("model '%s' failed to decode a block, playing silence for it: %s%s; "
                    "%d failed blocks so far", model, self.last_error, more, self.errors)
        self._logged_at, self._unlogged = now, 0

    def nonfinite(self, count: int) -> None:
        """Render thread: ``count`` NaN/inf samples were silenced."""
        if self.nonfinite_samples == 0:
            log.warning("the model produced NaN or infinite samples; they are played as "
                        "silence and counted in /status.reply nonfinite_samples")
        self.nonfinite_samples += count

    def stall(self, playing: bool = True) -> None:
        """Watchdog: a model was abandoned; ``playing`` False when it was only fading out
        (the model now playing is fine)."""
        self.stalls += 1
        self.stalled = self.stalled or playing

    def recovered(self) -> None:
        """A new model plays: a past stall or failure no longer describes it."""
        self.stalled = False
        self._last_error_at = -math.inf
