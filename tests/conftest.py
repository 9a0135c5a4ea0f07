"""Test plumbing shared by every folder lives in importable modules under tests/support/
(``from support.tools import require_tool``: skip when a system tool is missing, fail under
``LATENTD_REQUIRE_TOOLS=1``), not in conftest files: pytest's importlib mode cannot import a
conftest. pyproject.toml's ``pythonpath`` puts tests/ and the folders whose helpers other folders
use on sys.path, so no conftest inserts paths.
"""
