"""SECURITY.md backs every statement with tests it names (``tests/<path>.py::<test>``): each
named test must exist, and each bullet, each row of the bounds table and each bold-led
paragraph must name at least one. A renamed or deleted test, or a new claim without a test,
fails here."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def statements(text: str) -> list[str]:
    """Bullets (with their continuation lines), table body rows and paragraphs led by a bold
    phrase: the page's claims."""
    found: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        starts = line.startswith(("- ", "**")) or (line.startswith("| ")
                                                   and not line.startswith(("| ---",
                                                                            "| resource")))
        if starts or not line.strip() or line.startswith("#"):
            if current:
                found.append(" ".join(current))
            current = [line] if starts else None
        elif current is not None:
            current.append(line.strip())
    if current:
        found.append(" ".join(current))
    return found


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_test_security_md_names_exists():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    references = REFERENCE.findall(text)
    assert len(references) > 50
    missing = []
    for file, name in sorted(set(references)):
        path = ROOT / file
        if not path.is_file() or name not in defined_tests(path):
            missing.append(f"{file}::{name}")
    assert not missing, f"SECURITY.md names tests that do not exist: {missing}"


def test_every_statement_of_security_md_names_a_test():
    claims = statements((ROOT / "SECURITY.md").read_text(encoding="utf-8"))
    assert len(claims) > 40
    untested = [claim[:100] for claim in claims if not REFERENCE.search(claim)]
    assert not untested, f"statements in SECURITY.md that name no test: {untested}"
