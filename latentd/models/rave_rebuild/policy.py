"""Whether latentd may play RAVE exports through their rebuilt model (``--exact-export``).

One process-wide switch, set once by ``latentd serve`` from its flag or config key before any
model loads: every load path (``--model``, ``/model/load``, ``latentd info``) then decides the
same way without each caller passing it down.
"""

from __future__ import annotations

import os

_exact_export = False
# ``LATENTD_REBUILD_TIMING=0`` skips the load-time timing that keeps the export's own methods
# when the rebuild is slower: for tests and benchmarks that need the rebuilt path on a loaded
# machine, where a timing of a few calls says little
TIMING_VARIABLE = "LATENTD_REBUILD_TIMING"


def set_exact_export(exact: bool) -> None:
    """``True``: always play exports through their own scripted methods."""
    global _exact_export
    _exact_export = bool(exact)


def exact_export() -> bool:
    return _exact_export


def timed_choice() -> bool:
    """Whether a load times the rebuilt model against the export before choosing it."""
    return os.environ.get(TIMING_VARIABLE, "1") != "0"


__all__ = ["TIMING_VARIABLE", "exact_export", "set_exact_export", "timed_choice"]
