"""Helpers shared by several test folders (or several test files), imported as
``support.<module>``: ``osc`` (OSC clients and daemons), ``serve`` (a ``latentd serve``
process), ``jack`` (a JACK server and its clients), ``rave`` (RAVE-export look-alikes),
``hostile`` (TorchScript files that misbehave), ``engines`` (tiny real models and engines),
``faulty`` (synths that fail on demand), ``slow_model``, ``tui``, ``tools``, ``blocks``.

``tests/`` is on the import path, the only test folder there, through pytest's ``pythonpath``
setting in pyproject.toml (pytest runs with ``--import-mode=importlib``, which puts no test
folder there and cannot import a conftest), so a helper here is written once and imported,
never copied into a folder.
"""
