"""Test plumbing shared by every folder lives in importable modules under tests/support/
(``from support.tools import require_tool``: skip when a system tool is missing, fail under
``LATENTD_REQUIRE_TOOLS=1``), not in conftest files: pytest's importlib mode cannot import a
conftest. pyproject.toml's ``pythonpath`` puts tests/ (and only it) on the import path, so
no conftest or helper inserts paths: every helper a test imports is ``support.<module>``.
"""

import compileall
from pathlib import Path


def pytest_sessionstart(session: object) -> None:
    """Byte-compile the package once: hundreds of tests start ``latentd`` processes, and with
    PYTHONDONTWRITEBYTECODE set (as on these machines) each compiled every module it imported
    from source again, 0.4 s of each start. compileall writes the caches regardless."""
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "latentd", quiet=1)
