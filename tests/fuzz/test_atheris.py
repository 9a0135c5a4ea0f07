"""bench/fuzz_atheris.py, the coverage-guided fuzzer of the OSC packet handler (UDP datagrams
and the TCP stream decoder): its seed corpus covers every address docs/osc.md lists, a short
run (a few thousand inputs) finds nothing, and every crash it ever found replays cleanly
(tests/fuzz/crashes/, none so far: see README "Reliability" for the million-input run)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import fuzz_atheris  # noqa: E402

CRASHES = sorted((Path(__file__).parent / "crashes").glob("crash-*"))
SHORT_RUN = 3000


def test_seed_corpus_has_a_valid_packet_for_every_documented_address():
    text = (ROOT / "docs" / "osc.md").read_text(encoding="utf-8")
    listed = {a.replace("<i>", "0").replace("<n>", "0").split(" ")[0]
              for a in re.findall(r"^\| `(/[^`]*)` \|", text, re.M)}
    found = fuzz_atheris.documented_addresses()
    assert set(found) == listed
    assert {"/latent", "/model/load", "/record/start", "/notify", "/sync"} <= set(found)
    assert found["/latent"] == [("i", 0), ("f", 0.5)]
    seeds = list(fuzz_atheris.seed_inputs())
    assert len(seeds) == 4 * len(found)  # UDP, a bundle, SLIP and length-prefixed TCP each
    from pythonosc.osc_message import OscMessage

    for seed in seeds[::4]:  # the plain UDP form parses as the address it seeds
        OscMessage(seed[1:])


def test_a_short_atheris_run_finds_no_crash_or_hang(tmp_path):
    pytest.importorskip("atheris", reason="atheris is in the test extra: pip install -e .[test]")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fuzz_atheris.py"), f"-runs={SHORT_RUN}",
         "-seed=22", "-timeout=20", f"-artifact_prefix={tmp_path}/", str(tmp_path / "corpus")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert f"Done {SHORT_RUN} runs" in output, output[-4000:]
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("timeout-*"))


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    target = fuzz_atheris.Target(tmp_path_factory.mktemp("replay"))
    target.engine.start()
    yield target
    target.stop()


def test_the_seed_corpus_and_every_crash_found_replay_cleanly(target):
    """Every input the fuzzer ever crashed on (tests/fuzz/crashes/, none so far) and the whole
    seed corpus go through the handler without an exception escaping it."""
    inputs = [crash.read_bytes() for crash in CRASHES] + list(fuzz_atheris.seed_inputs())
    for data in inputs:
        target.one_input(data)
    assert len(inputs) >= len(CRASHES) + 4 * len(fuzz_atheris.documented_addresses())

