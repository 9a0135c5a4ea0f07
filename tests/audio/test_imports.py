"""The audio room's imports: the audio callback's contract (ring, clock) lives here, so
``latentd.audio`` needs nothing from ``latentd.engine`` (docs/architecture.md), and the backend
interface imports no backend, so that the backends and ``backend.py`` do not import each other.

Imports are read from the source with ``ast`` (function-level imports included), not by
importing the modules, so a lazy import inside a function cannot hide a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import latentd.audio

AUDIO = Path(latentd.audio.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, as absolute dotted names."""
    package = "latentd.audio"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_the_audio_room_has_modules_to_check() -> None:
    names = {path.name for path in AUDIO.glob("*.py")}
    assert {"backend.py", "ring.py", "clock.py", "factory.py", "portaudio.py"} <= names


def test_no_audio_module_imports_the_engine() -> None:
    offenders = {path.name: sorted(m for m in imported_modules(path)
                                   if m == "latentd.engine" or m.startswith("latentd.engine."))
                 for path in sorted(AUDIO.glob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_backend_interface_imports_no_backend() -> None:
    """Backends import ``backend.py``; only ``factory.py`` imports the backends."""
    backends = {f"latentd.audio.{name}" for name in ("null", "wavfile", "portaudio", "factory")}
    assert imported_modules(AUDIO / "backend.py") & backends == set()
    for name in ("null.py", "wavfile.py", "portaudio.py"):
        assert "latentd.audio.factory" not in imported_modules(AUDIO / name), name


def test_the_import_reader_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    """The check above can fail: an engine import hidden in a function, or written relative
    to the package, is found."""
    source = tmp_path / "sneaky.py"
    source.write_text("def f():\n    from latentd.engine.ring import RingBuffer\n"
                      "from ..engine import clock\n", encoding="utf-8")
    found = imported_modules(source)
    assert "latentd.engine.ring" in found
    assert "latentd.engine" in found and "latentd.engine.clock" in found
