"""Training batches: random crops of a dataset's clips, held in memory.

A few hundred short clips fit in memory many times over, and reading them once keeps the two
CPU cores on training rather than on file I/O. Crops come from a ``torch.Generator`` whose state
goes into the checkpoint, so a resumed run continues the same sequence of batches.
"""

from __future__ import annotations

import torch


def crop_or_pad(audio: torch.Tensor, length: int, offset: int = 0) -> torch.Tensor:
    """``length`` samples from ``offset``, zero-padded past the end of the clip."""
    piece = audio[offset: offset + length]
    if len(piece) < length:
        piece = torch.cat([piece, piece.new_zeros(length - len(piece))])
    return piece


class CropSampler:
    """Batches of (batch, 1, crop) random crops, clips drawn in proportion to their length.

    Length-weighting makes every second of audio equally likely to be seen; a clip shorter than
    the crop is padded with silence, which also teaches the model to end notes cleanly.
    """

    def __init__(self, clips: list[torch.Tensor], crop: int, seed: int = 0):
        self.clips = clips
        self.crop = crop
        self.generator = torch.Generator().manual_seed(seed)
        lengths = torch.tensor([max(len(c), crop) for c in clips], dtype=torch.float64)
        self.weights = lengths / lengths.sum()

    def batch(self, size: int) -> torch.Tensor:
        picks = torch.multinomial(self.weights, size, replacement=True, generator=self.generator)
        crops = []
        for index in picks.tolist():
            clip = self.clips[index]
            room = max(0, len(clip) - self.crop)
            offset = int(torch.randint(0, room + 1, (1,), generator=self.generator))
            crops.append(crop_or_pad(clip, self.crop, offset))
        return torch.stack(crops).unsqueeze(1)

    def state(self) -> torch.Tensor:
        return self.generator.get_state()

    def restore(self, state: torch.Tensor) -> None:
        self.generator.set_state(state)


def first_loud_sample(audio: torch.Tensor, threshold: float = 0.01) -> int:
    """The first sample louder than ``threshold`` (-40 dBFS), or 0 for a clip that never is."""
    loud = torch.nonzero(audio.abs() > threshold)
    return int(loud[0]) if len(loud) else 0


def validation_batch(clips: list[torch.Tensor], crop: int, count: int) -> torch.Tensor:
    """A fixed batch: ``crop`` samples from the onset of up to ``count`` clips spread over the
    split.

    Fixed, so validation numbers from different steps (and from the untrained model at step 0)
    compare like with like; from the onset, so that no crop is lead-in silence alone.
    """
    count = max(1, min(count, len(clips)))
    stride = len(clips) / count
    chosen = [clips[int(i * stride)] for i in range(count)]
    return torch.stack([crop_or_pad(c, crop, first_loud_sample(c)) for c in chosen]).unsqueeze(1)
