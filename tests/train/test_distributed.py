"""Two ranks with gloo on the CPU under torchrun: the distributed step is the single-process
step, the shards do not overlap, rank 0 alone writes, and a run resumed with another number of
ranks continues where a single process would be."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

pytest.importorskip("soundfile", reason="soundfile is a train dependency")

from latentd.models.checkpoint import read_checkpoint
from latentd.train.data import CropPlanner, shard
from latentd.train.options import TrainOptions
from latentd.train.trainer import Trainer

HERE = Path(__file__).parent
TORCHRUN = Path(sys.executable).with_name("torchrun")


@pytest.fixture
def quiet_recipe(monkeypatch):
    from latentd.train.recipes import RECIPES

    sys.path.insert(0, str(HERE))
    try:
        from quiet_launch import QUIET
    finally:
        sys.path.remove(str(HERE))
    monkeypatch.setitem(RECIPES, "tiny-quiet", QUIET)


def single(data, output, steps, batch, resume=False, **extra):
    options = TrainOptions(data=data, output=output, recipe="tiny-quiet", max_steps=steps,
                           batch_size=batch, resume=resume, threads=1, log_seconds=0.0,
                           device="cpu", **extra)
    trainer = Trainer(options, log=lambda _: None)
    trainer.run()
    return trainer


def test_shards_of_a_plan_do_not_overlap_and_make_the_plan():
    plan = CropPlanner([5000, 9000, 300], crop=1024, seed=3).plan(8)
    shards = [shard(plan, rank, 4) for rank in range(4)]
    assert [len(s) for s in shards] == [2, 2, 2, 2]
    assert [crop for part in shards for crop in part] == plan  # each position once, in order
    # the plan itself does not depend on how many ranks share it
    again = CropPlanner([5000, 9000, 300], crop=1024, seed=3)
    assert again.plan(8) == plan


@pytest.mark.skipif(not TORCHRUN.exists(), reason="torchrun is not installed beside python")
def test_two_ranks_continue_a_single_rank_run_as_one_rank_would(note_dataset, tmp_path,
                                                                 cache_home, quiet_recipe):
    """Step 1 on one rank (batch 4), then steps 2 and 3 on two ranks (2 each, resumed), then
    step 4 on one rank again: the weights match a straight one-rank run of 4 steps within
    float rounding, and the crop planner continues bit-exactly."""
    straight = single(note_dataset, tmp_path / "straight.ckpt", 4, batch=4)
    single(note_dataset, tmp_path / "mixed.ckpt", 1, batch=4)
    reference_at_3 = single(note_dataset, tmp_path / "ref3.ckpt", 3, batch=4)
    board = tmp_path / "board"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": os.pathsep.join(
        [str(HERE), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [str(TORCHRUN), "--standalone", "--nproc-per-node", "2", str(HERE / "quiet_launch.py"),
         "train", "--data", str(note_dataset), "-o", str(tmp_path / "mixed.ckpt"),
         "--recipe", "tiny-quiet", "--batch-size", "2", "--max-steps", "3", "--resume",
         "--threads", "1", "--log-seconds", "0", "--device", "cpu", "--log-dir", str(board),
         "--audio-every", "1"],
        env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    # rank 0 alone logs: each line once
    assert out.count("batch 2 per rank x 2 ranks = 4 crops") == 1, out
    assert out.count("; saved ") == 1 and out.count("stopped (max steps) at step 3") == 1, out
    assert len(list(board.glob("events.out.tfevents.*"))) == 1  # rank 0's only
    state = read_checkpoint(tmp_path / "mixed.ckpt")["training"]
    assert state["step"] == 3 and state["world_size"] == 2 and len(state["torch_rng_ranks"]) == 2
    assert torch.equal(state["sampler_rng"], reference_at_3.planner_state())
    assert {float(s["step"]) for s in state["optimizer"]["state"].values()} == {3.0}
    resumed = single(note_dataset, tmp_path / "mixed.ckpt", 4, batch=4, resume=True)
    for (name, a), (_, b) in zip(straight.model.state_dict().items(),
                                 resumed.model.state_dict().items(), strict=True):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5, msg=name)
    # the logged losses are the global batch's: the two-rank steps log what one rank did
    logged = {h["step"]: h for h in resumed.history if "stft" in h}
    expected = {h["step"]: h for h in straight.history if "stft" in h}
    for step in (2.0, 3.0):
        assert logged[step]["stft"] == pytest.approx(expected[step]["stft"], rel=1e-4)


def rank_process(agent: int, rank: int) -> int | None:
    """The pid of torchrun's worker of ``rank`` (a child of the agent ``agent``), if started."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            parent = next(line for line in status.read_text().splitlines()
                          if line.startswith("PPid:"))
            environ = (status.parent / "environ").read_bytes().split(b"\0")
        except (OSError, StopIteration):
            continue
        if int(parent.split()[1]) == agent and f"RANK={rank}".encode() in environ:
            return int(status.parent.name)
    return None


@pytest.mark.skipif(not TORCHRUN.exists() or not Path("/proc/self/environ").exists(),
                    reason="needs torchrun and /proc (Linux) to find one rank's process")
def test_a_signal_to_one_rank_stops_both_after_the_same_step(note_dataset, tmp_path,
                                                             cache_home):
    """No time or step limit; SIGTERM reaches rank 1 only: both ranks stop after the same step
    and exit 0 (so torchrun does), and rank 0 saves that step."""
    import signal

    output = tmp_path / "stop.ckpt"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    agent = subprocess.Popen(
        [str(TORCHRUN), "--standalone", "--nproc-per-node", "2", "-m", "latentd", "train",
         "--data", str(note_dataset), "-o", str(output), "--recipe", "tiny", "--batch-size", "1",
         "--threads", "1", "--log-seconds", "0", "--device", "cpu"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert agent.stdout is not None
        for line in agent.stdout:
            if line.startswith("step       2 "):
                break
        follower = rank_process(agent.pid, 1)
        assert follower is not None
        os.kill(follower, signal.SIGTERM)
        out, err = agent.communicate(timeout=120)
    finally:
        if agent.poll() is None:
            agent.kill()
    assert agent.returncode == 0, err[-3000:]
    last = [line for line in out.splitlines() if line.startswith("stopped (signal) at step")]
    assert last, out
    stopped_at = int(last[0].split("at step ")[1].split(",")[0])
    assert read_checkpoint(output)["training"]["step"] == stopped_at >= 2
