"""mypy over ``latentd/`` reports no error (configuration: ``[tool.mypy]`` in pyproject.toml).

Type errors are caught here, before they reach the render thread: a one-argument clock called
with two, a ``/latent`` control name nobody declared. mypy is in the ``test`` extra, so CI runs
this; only a checkout without it skips. mypy keeps its cache in ``.mypy_cache/`` (ignored by
git): a cold run takes about 15 s on a 2-core machine, a warm one about 2 s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_mypy_reports_no_error_in_latentd() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", "mypy", "latentd"], cwd=REPOSITORY,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"
