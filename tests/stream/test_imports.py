"""latentd.stream's modules import each other without a cycle (issue 16: convert.py and
module.py imported each other, one of them from inside a function).

Read with ast, so that imports inside functions and under ``if TYPE_CHECKING`` count too: a cycle
hidden in a late import is still a cycle for whoever reads or moves the code.
"""

import ast
from pathlib import Path

import latentd.stream

PACKAGE = "latentd.stream"
FOLDER = Path(latentd.stream.__file__).parent


def module_name(path: Path) -> str:
    return PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"


def stream_imports(path: Path, modules: set[str]) -> set[str]:
    """The latentd.stream modules that ``path`` imports, wherever the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == PACKAGE:  # from latentd.stream import ops (a module) or a name
                for alias in node.names:
                    submodule = f"{PACKAGE}.{alias.name}"
                    found.add(submodule if submodule in modules else PACKAGE)
            elif node.module in modules:
                found.add(node.module)
    return found


def import_graph(folder: Path) -> dict[str, set[str]]:
    paths = sorted(folder.glob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): stream_imports(p, modules) - {module_name(p)} for p in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as the list of modules along it, or None."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return [*path[path.index(name):], name]
        if name in done:
            return None
        for target in sorted(graph[name]):
            cycle = visit(target, [*path, name])
            if cycle:
                return cycle
        done.add(name)
        return None

    for name in sorted(graph):
        cycle = visit(name, [])
        if cycle:
            return cycle
    return None


def test_no_import_cycle_inside_latentd_stream():
    graph = import_graph(FOLDER)
    assert f"{PACKAGE}.convert" in graph and f"{PACKAGE}.module" in graph
    assert f"{PACKAGE}.convert" in graph[f"{PACKAGE}.module"], "the graph sees imports"
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_check_finds_a_cycle_through_a_late_import(tmp_path):
    (tmp_path / "__init__.py").write_text("from latentd.stream.module import streamify\n")
    (tmp_path / "module.py").write_text("from latentd.stream.convert import convert\n")
    (tmp_path / "convert.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from latentd.stream.module import StreamGraph\n")
    cycle = find_cycle(import_graph(tmp_path))
    assert cycle is not None and cycle[0] == cycle[-1]
    assert set(cycle) == {"latentd.stream.convert", "latentd.stream.module"}
