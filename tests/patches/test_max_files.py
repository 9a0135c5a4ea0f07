"""The Max patches as files: JSON as Max 8/9 writes it, boxes with the keys Max needs and unique
ids, patchlines joining existing boxes at existing inlets and outlets, every object a known Max
object or one of the patches, and the committed files what patches/tools/build_max.py writes.
(There is no Max on the test machines: this checks the files, not Max's behaviour.)"""

import json
import subprocess
import sys

import pytest
from patches.pd_patch import REPOSITORY

MAX_DIR = REPOSITORY / "patches" / "max"
FILES = sorted([*MAX_DIR.glob("*.maxpat"), *MAX_DIR.glob("*.maxhelp")])

# Max objects (maxclass newobj) the patches may use: inlets and outlets, by the first word of
# the box text; None where the count follows from the arguments
KNOWN_OBJECTS: dict[str, tuple[int, int] | None] = {
    "udpsend": (1, 0), "udpreceive": (1, 1), "prepend": (1, 1), "patcherargs": (1, 2),
    "unpack": None, "sel": (2, 2), "random": (2, 1), "+": (2, 1), "i": (2, 1),
    "metro": (2, 1), "loadbang": (1, 1), "zl": (2, 2), "pack": None, "print": (1, 0),
    "t": None, "route": None, "gate": (2, 1), "split": (3, 2), "==": (2, 1), "sprintf": None,
}
# user interface and other boxes: inlets and outlets
KNOWN_CLASSES = {
    "inlet": (0, 1), "outlet": (1, 0), "message": (2, 1), "comment": (1, 0),
    "number": (1, 2), "flonum": (1, 2), "toggle": (1, 1), "button": (1, 1),
    "umenu": (1, 3), "multislider": (1, 2), "slider": (1, 1),
}
REQUIRED = ("id", "maxclass", "numinlets", "numoutlets", "patching_rect")


def load(path):
    return json.loads(path.read_text())


def boxes(path) -> list[dict]:
    return [entry["box"] for entry in load(path)["patcher"]["boxes"]]


def abstraction_counts() -> dict[str, tuple[int, int]]:
    """The patches usable as objects (latentd.maxpat as [latentd]): their inlets, outlets."""
    found = {}
    for path in MAX_DIR.glob("*.maxpat"):
        classes = [box["maxclass"] for box in boxes(path)]
        if "inlet" in classes or "outlet" in classes:
            found[path.stem] = (classes.count("inlet"), classes.count("outlet"))
    return found


def expected_counts(box: dict, patches: dict[str, tuple[int, int]]) -> tuple[int, int]:
    maxclass = box["maxclass"]
    if maxclass == "bpatcher":
        return patches[box["name"].removesuffix(".maxpat")]
    if maxclass != "newobj":
        return KNOWN_CLASSES[maxclass]
    name, *args = box["text"].split()
    if name in patches:
        return patches[name]
    counts = KNOWN_OBJECTS[name]  # KeyError: not a known Max object
    if counts is not None:
        return counts
    if name == "t":
        return 1, len(args)
    if name == "route":
        return len(args) + 1, len(args) + 1
    if name == "unpack":
        return 1, len(args)
    if name == "sprintf":  # an inlet per % argument
        return max(1, " ".join(args).count("%")), 1
    return len(args), 1  # pack


def test_the_three_files_exist():
    assert {path.name for path in FILES} == {"latentd.maxpat", "latentd-control.maxpat",
                                             "latentd.maxhelp"}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_json_as_max_writes_it(path):
    patcher = load(path)["patcher"]
    assert patcher["fileversion"] == 1
    assert patcher["appversion"]["major"] >= 8
    assert isinstance(patcher["boxes"], list) and isinstance(patcher["lines"], list)
    ids = [box["id"] for box in boxes(path)]
    assert len(ids) == len(set(ids)), "box ids are unique"
    for box in boxes(path):
        for key in REQUIRED:
            assert key in box, f"{box['id']} lacks {key}"
        assert len(box["patching_rect"]) == 4
        if box["numoutlets"]:
            assert len(box["outlettype"]) == box["numoutlets"], box["id"]
        if box["maxclass"] in ("newobj", "message", "comment"):
            assert isinstance(box["text"], str), box["id"]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_box_is_a_known_object_with_its_counts(path):
    patches = abstraction_counts()
    for box in boxes(path):
        assert (box["numinlets"], box["numoutlets"]) == expected_counts(box, patches), \
            f"{box['id']} {box.get('text', box['maxclass'])}"
        if box["maxclass"] == "bpatcher":
            assert (MAX_DIR / box["name"]).is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_patchline_joins_existing_inlets_and_outlets(path):
    by_id = {box["id"]: box for box in boxes(path)}
    lines = load(path)["patcher"]["lines"]
    assert lines
    for entry in lines:
        line = entry["patchline"]
        (source, outlet), (sink, inlet) = line["source"], line["destination"]
        assert source in by_id and sink in by_id, line
        assert 0 <= outlet < by_id[source]["numoutlets"], line
        assert 0 <= inlet < by_id[sink]["numinlets"], line


def test_the_abstractions_inlet_reaches_udpsend_and_udpreceive_reaches_its_outlet():
    """The abstraction is wired end to end: a path of patchlines from its inlet to [udpsend],
    and from [udpreceive] to its outlet."""
    path = MAX_DIR / "latentd.maxpat"
    by_id = {box["id"]: box for box in boxes(path)}
    following: dict[str, set[str]] = {}
    for entry in load(path)["patcher"]["lines"]:
        line = entry["patchline"]
        following.setdefault(line["source"][0], set()).add(line["destination"][0])

    def reaches(start: str, goal) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if goal(by_id[current]):
                return True
            seen.add(current)
            todo.extend(following.get(current, set()) - seen)
        return False

    inlet = next(i for i, box in by_id.items() if box["maxclass"] == "inlet")
    receive = next(i for i, box in by_id.items() if box.get("text", "").startswith("udprec"))
    assert reaches(inlet, lambda box: box.get("text", "").startswith("udpsend"))
    assert reaches(receive, lambda box: box["maxclass"] == "outlet")


def test_the_committed_files_are_what_the_script_writes(tmp_path):
    subprocess.run([sys.executable, str(REPOSITORY / "patches" / "tools" / "build_max.py"),
                    str(tmp_path)], check=True, timeout=60)
    for path in FILES:
        assert (tmp_path / path.name).read_text() == path.read_text(), \
            f"{path.name} differs from what patches/tools/build_max.py writes: run it"


def fast_telemetry() -> set[str]:
    """The names (as the abstraction renames them) of the telemetry sent about 30 times a
    second, from docs/osc.md's telemetry table."""
    names = set()
    for line in (REPOSITORY / "docs" / "osc.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`/") and "30 Hz" in cells[1]:
            names.add(cells[0].strip("`")[1:].replace("/", " ").split()[0])
    return names


def reaches_print(patcher: dict, start: str, word: str) -> bool:
    """Whether a message whose first word is ``word``, leaving box ``start``'s outlet 0,
    reaches a [print]: through [route]s that do not match it (their last outlet) and
    [prepend]s (which change its first word); a matching [route] hands it to what shows it."""
    by_id = {entry["box"]["id"]: entry["box"] for entry in patcher["boxes"]}
    lines = [entry["patchline"] for entry in patcher["lines"]]
    todo, seen = [(start, 0, word)], set()
    while todo:
        source, outlet, first = todo.pop()
        for line in lines:
            if line["source"] != [source, outlet] or (line["destination"][0], first) in seen:
                continue
            sink = line["destination"][0]
            seen.add((sink, first))
            name, *args = by_id[sink].get("text", "").split() or [""]
            if name == "print":
                return True
            if name == "route" and first not in args:
                todo.append((sink, len(args), first))
            elif name == "prepend":
                todo.append((sink, 0, args[0]))
    return False


@pytest.mark.parametrize("name", ["latentd-control.maxpat", "latentd.maxhelp"])
def test_the_max_patches_do_not_print_telemetry_30_times_a_second(name):
    """Telemetry must not reach the control patch's or the help's [print] (the Max window
    would scroll 30 lines a second per address and hide the done/fail lines)."""
    assert {"meter", "latent.state", "spectrum", "controls.state", "bias.state"} <= \
        fast_telemetry()
    patcher = load(MAX_DIR / name)["patcher"]
    daemon = next(entry["box"]["id"] for entry in patcher["boxes"]
                  if entry["box"]["maxclass"] == "bpatcher"
                  or (entry["box"]["maxclass"] == "newobj"
                      and entry["box"]["text"].startswith("latentd ")))
    printed = [name for name in sorted(fast_telemetry()) if reaches_print(patcher, daemon, name)]
    assert not printed, f"the Max window would show {printed} ~30 times a second"
    assert reaches_print(patcher, daemon, "synced")  # replies it does not show still do
