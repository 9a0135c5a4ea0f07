"""The repository keeps training state out: the only tracked checkpoints are the package's
shipped weights (one per bundled name), .gitignore keeps other *.ckpt and the engine's presets/
and recordings/ folders out, and nothing tracked is ignored (docs/default-model.md, "The
training state is not in the tree")."""

import subprocess
from pathlib import Path

import pytest
from support.tools import require_tool

from latentd.models.bundled import BUNDLED_SHA256

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_WEIGHTS = sorted(f"latentd/models/weights/{name}.ckpt" for name in BUNDLED_SHA256)


def git(*args: str) -> list[str]:
    result = subprocess.run([require_tool("git", "git"), "-C", str(ROOT), *args],
                            capture_output=True, text=True, timeout=30)
    if result.returncode == 128 and "not a git repository" in result.stderr:
        pytest.skip(f"{ROOT} is not a git checkout (an unpacked sdist?)")
    return result.stdout.splitlines()


def test_the_only_tracked_checkpoints_are_the_shipped_weights():
    assert sorted(git("ls-files", "*.ckpt")) == SHIPPED_WEIGHTS


def test_nothing_tracked_is_ignored():
    assert git("ls-files", "-ci", "--exclude-standard") == []


@pytest.mark.parametrize("path", ["checkpoints/default-training.ckpt", "run.ckpt",
                                  "presets/pad.json", "recordings/take-1.wav"])
def test_training_state_and_daemon_folders_are_ignored(path):
    assert git("check-ignore", "--no-index", path) == [path]


@pytest.mark.parametrize("path", SHIPPED_WEIGHTS)
def test_the_shipped_weights_are_not_ignored(path):
    assert git("check-ignore", "--no-index", path) == []
