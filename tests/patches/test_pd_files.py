"""The Pd patches as files: every record is one a patch holds, every connection joins existing
boxes at existing inlets and outlets, every object is vanilla or one of the patches, and the
committed files are what patches/tools/build_pd.py writes. The inlet/outlet table these checks
rely on is itself checked against a real Pd."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from patches.pd_patch import (
    PD_DIR,
    REPOSITORY,
    abstractions,
    box_counts,
    canvases,
    object_counts,
    parse,
)
from support.tools import require_tool

PATCHES = sorted(PD_DIR.glob("*.pd"))


def test_the_three_patches_exist():
    assert {path.name for path in PATCHES} == {"latentd.pd", "latentd-control.pd",
                                                "latentd-help.pd"}


@pytest.mark.parametrize("path", PATCHES, ids=lambda path: path.name)
def test_every_connection_joins_existing_inlets_and_outlets(path):
    known = abstractions()
    top = parse(path.read_text())
    checked = 0
    for canvas in canvases(top):
        counts = [box_counts(box, known) for box in canvas.boxes]
        for source, outlet, sink, inlet in canvas.connects:
            assert source < len(canvas.boxes) and sink < len(canvas.boxes), \
                f"connect {source} {outlet} {sink} {inlet}: no such box"
            assert outlet < counts[source][1], \
                f"[{canvas.boxes[source].text}] has no outlet {outlet}"
            assert inlet < counts[sink][0], f"[{canvas.boxes[sink].text}] has no inlet {inlet}"
            checked += 1
    assert checked > 10


@pytest.mark.parametrize("path", PATCHES, ids=lambda path: path.name)
def test_every_object_is_vanilla_or_one_of_the_patches(path):
    known = abstractions()
    for canvas in canvases(parse(path.read_text())):
        for box in canvas.boxes:
            if box.kind == "obj":
                object_counts(box.atoms, known)  # KeyError names an unknown object


def test_the_parser_refuses_what_a_patch_should_not_hold():
    with pytest.raises(ValueError, match="unexpected record"):
        parse("#N canvas 0 0 100 100 12;\n#X whatever 1 2;\n")
    with pytest.raises(ValueError, match="position"):
        parse("#N canvas 0 0 100 100 12;\n#X obj x 2 print;\n")
    with pytest.raises(ValueError, match="restore"):
        parse("#N canvas 0 0 100 100 12;\n#N canvas 0 0 100 100 sub 0;\n")


def test_a_wrong_connection_is_caught():
    known = abstractions()
    top = parse("#N canvas 0 0 100 100 12;\n#X obj 0 0 print;\n#X obj 0 0 loadbang;\n"
                "#X connect 0 0 1 0;\n")
    source, outlet, sink, inlet = top.connects[0]
    assert outlet >= box_counts(top.boxes[source], known)[1]
    assert inlet >= box_counts(top.boxes[sink], known)[0]


def test_the_committed_patches_are_what_the_script_writes(tmp_path):
    subprocess.run([sys.executable, str(REPOSITORY / "patches" / "tools" / "build_pd.py"),
                    str(tmp_path)], check=True, timeout=60)
    for path in PATCHES:
        assert (tmp_path / path.name).read_text() == path.read_text(), \
            f"{path.name} differs from what patches/tools/build_pd.py writes: run it"


def _objects_in_patches() -> list[list[str]]:
    known = abstractions()
    seen: dict[str, list[str]] = {}
    for path in PATCHES:
        for canvas in canvases(parse(path.read_text())):
            for box in canvas.boxes:
                if box.kind == "obj" and box.atoms[0] not in known:
                    seen.setdefault(box.text, box.atoms)
    return list(seen.values())


@pytest.mark.pd
def test_the_count_table_is_what_pd_says(tmp_path):
    """For each object the patches use: a cord into its last inlet and out of its last outlet
    is accepted by Pd, one past them is refused ("connection failed")."""
    pd = require_tool("pd", "puredata-core")
    known = abstractions()
    lines = ["#N canvas 0 0 800 600 12;", "#X msg 0 0 bang;", "#X obj 0 30 print unused;"]
    connects, expected_failures = [], set()
    for number, atoms in enumerate(_objects_in_patches()):
        index = number + 2
        lines.append(f"#X obj 0 {60 + 30 * number} {' '.join(atoms)};")
        inlets, outlets = object_counts(atoms, known)
        if inlets:
            connects.append((0, 0, index, inlets - 1))
        connects.append((0, 0, index, inlets))
        expected_failures.add(f"0 0 {index} {inlets}")
        if outlets:
            connects.append((index, outlets - 1, 1, 0))
        connects.append((index, outlets, 1, 0))
        expected_failures.add(f"{index} {outlets} 1 0")
    lines += [f"#X connect {a} {b} {c} {d};" for a, b, c, d in connects]
    patch = tmp_path / "counts.pd"
    patch.write_text("\n".join(lines) + "\n")
    result = subprocess.run([pd, "-nogui", "-nosound", "-noprefs", "-stderr", "-open",
                             str(patch), "-send", "pd quit"],
                            capture_output=True, text=True, timeout=30)
    output = result.stdout + result.stderr
    assert "couldn't create" not in output, output
    failures = {line.split("counts.pd ")[1].split(" (")[0] for line in output.splitlines()
                if "connection failed" in line}
    assert failures == expected_failures, output
    assert len(expected_failures) > 40


def test_pd_files_are_plain_text_with_unix_lines():
    for path in PATCHES:
        data = Path(path).read_bytes()
        assert b"\r" not in data and data.endswith(b";\n"), path.name
        data.decode("ascii")


def test_the_help_patch_prints_replies_not_telemetry():
    """The help patch's [print] shows what the clicked messages answer (done, fail, synced,
    the list replies); telemetry ~30 times a second there (meter, latent.state, spectrum, the
    control states: ~200 lines a second) would bury them. So every path from [latentd] to the
    [print] passes a [route] naming each ~30 Hz address of docs/osc.md, through its last
    outlet."""
    fast = set()
    for line in (REPOSITORY / "docs" / "osc.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`/") and "30 Hz" in cells[1]:
            # a row may name several addresses; [route] sees the first word: /meter gives
            # "meter ...", /voice/<n>/meter gives "voice <n> meter ..."
            fast.update(address.split("/")[1] for address in re.findall(r"`(/[^`]*)`", cells[0]))
    assert {"meter", "latent.state", "spectrum", "controls.state", "voice"} <= fast
    top = parse((PD_DIR / "latentd-help.pd").read_text())
    boxes = top.boxes
    start = next(index for index, box in enumerate(boxes)
                 if box.kind == "obj" and box.atoms[0] == "latentd" and len(box.atoms) > 1)
    for name in sorted(fast):
        todo, seen = [(start, 0)], set()
        while todo:
            source, outlet = todo.pop()
            for a, b, sink, _ in top.connects:
                if (a, b) != (source, outlet) or sink in seen:
                    continue
                seen.add(sink)
                atoms = boxes[sink].atoms
                assert atoms[0] != "print", f"{name} reaches [{boxes[sink].text}]"
                if atoms[0] == "route":
                    if name not in atoms[1:]:
                        todo.append((sink, len(atoms) - 1))
                elif atoms[0] == "t":
                    todo += [(sink, out) for out in range(len(atoms) - 1)]
