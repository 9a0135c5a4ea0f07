"""Helpers shared by several test folders (or several test files), imported as
``support.<module>``.

``tests/`` is on ``sys.path`` through pytest's ``pythonpath`` setting in pyproject.toml (pytest
runs with ``--import-mode=importlib``, which puts no test folder there and cannot import a
conftest), so a helper here is written once and imported, never copied into a folder.
"""
