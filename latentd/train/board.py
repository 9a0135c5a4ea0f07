"""``--log-dir``: TensorBoard events of a training run (losses, learning rate, validation
distance, and held-out reconstructions to listen to), written by rank 0 only.

tensorboard is an optional dependency (``pip install 'latentd[train]'``): a run without
``--log-dir`` never imports it, and one with it fails at start, not hours in, when it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from latentd.train.errors import TrainingError


class TrainingBoard:
    """One SummaryWriter for the run; every value is logged at the training step it belongs to."""

    def __init__(self, log_dir: Path):
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as exc:
            raise TrainingError("--log-dir needs the tensorboard package: pip install "
                                "tensorboard (or latentd[train])") from exc
        self.writer: Any = SummaryWriter(str(log_dir))
        self.references_written = False  # the originals go in once, next to the first outputs

    def losses(self, step: int, means: dict[str, float], learning_rate: float) -> None:
        for name, value in means.items():
            self.writer.add_scalar(f"loss/{name}", value, step)
        self.writer.add_scalar("learning_rate", learning_rate, step)

    def validation(self, step: int, value: float) -> None:
        self.writer.add_scalar("validation/stft", value, step)
        self.writer.flush()

    def audio(self, step: int, reference: torch.Tensor, output: torch.Tensor,
              sample_rate: int) -> None:
        """Held-out clips and their reconstructions, (clips, 1, samples) each."""
        for index, (real, fake) in enumerate(zip(reference, output, strict=True)):
            self.writer.add_audio(f"held_out_{index}/reconstruction",
                                  fake.detach().float().cpu().clamp(-1, 1), step, sample_rate)
            if not self.references_written:
                self.writer.add_audio(f"held_out_{index}/original", real.float().cpu(), step,
                                      sample_rate)
        self.references_written = True
        self.writer.flush()

    def close(self) -> None:
        self.writer.close()
