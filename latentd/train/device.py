"""Where training and evaluation run (``--device``) and at what precision (``--precision``).

``auto`` picks CUDA, then Apple's MPS, then the CPU, so that one command line works on a laptop
and on a GPU box. Checkpoints never depend on the device: weights and optimizer state are saved
on the CPU, and a run started on a GPU resumes on a CPU and back.

Mixed precision runs the model's forward pass under ``torch.autocast``; the losses (STFTs,
norms, logs) are always computed in float32 (``objective.py``), since a half-precision STFT of a
quiet crop loses exactly the detail the log-magnitude term is there to weigh. float16 needs a
gradient scaler (its range underflows small gradients); bfloat16 has float32's range and does
not.
"""

from __future__ import annotations

import argparse
import contextlib
import re
from collections.abc import Iterator

import torch

from latentd.train.errors import TrainingError

DEVICE_HELP = ("where the model runs: auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N or mps "
               "(default auto)")
PRECISIONS = ("32", "bf16", "16-mixed")
PRECISION_HELP = ("32 (float32), bf16 (bfloat16 autocast) or 16-mixed (float16 autocast with a "
                  "gradient scaler); the STFT losses stay float32 (default 32)")
_DEVICE_PATTERN = re.compile(r"auto|cpu|mps|cuda(:\d+)?")


def device_name(text: str) -> str:
    """``--device``'s value check: auto, cpu, mps, cuda or cuda:N."""
    if not _DEVICE_PATTERN.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"expected auto, cpu, cuda, cuda:N or mps, got {text!r}")
    return text


def resolve_device(name: str, local_rank: int = 0) -> torch.device:
    """The torch device ``--device`` names. Under torchrun, plain ``cuda`` (and ``auto`` on a
    CUDA machine) means this process's GPU, ``cuda:LOCAL_RANK``."""
    if name == "auto":
        if torch.cuda.is_available():
            name = "cuda"
        elif mps_available():
            name = "mps"
        else:
            name = "cpu"
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise TrainingError(f"--device {name}: no CUDA device (torch {torch.__version__} "
                                "sees none; a CPU build of torch never does)")
        index = int(name.split(":")[1]) if ":" in name else local_rank
        if index >= torch.cuda.device_count():
            raise TrainingError(f"--device {name}: this machine has "
                                f"{torch.cuda.device_count()} CUDA devices")
        torch.cuda.set_device(index)
        return torch.device("cuda", index)
    if name == "mps" and not mps_available():
        raise TrainingError("--device mps: MPS is not available (Apple silicon with a torch "
                            "built for it only)")
    return torch.device(name)


def model_device(model: torch.nn.Module) -> torch.device:
    """Where ``model``'s weights are: evaluation moves its inputs there and results back (the
    CPU for a module without any)."""
    for tensor in (*model.parameters(), *model.buffers()):
        return tensor.device
    return torch.device("cpu")


def mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def autocast_dtype(precision: str) -> torch.dtype | None:
    """The autocast dtype of ``--precision`` (None: float32, no autocast)."""
    return {"32": None, "bf16": torch.bfloat16, "16-mixed": torch.float16}[precision]


@contextlib.contextmanager
def autocast(device: torch.device, precision: str) -> Iterator[None]:
    """The forward pass's precision: autocast to bf16/fp16, or nothing for ``32``."""
    dtype = autocast_dtype(precision)
    if dtype is None:
        yield
        return
    with torch.autocast(device.type, dtype=dtype):
        yield


@contextlib.contextmanager
def float32(device: torch.device) -> Iterator[None]:
    """Autocast off: what the losses run under (their inputs are cast to float32 too)."""
    with torch.autocast(device.type, enabled=False):
        yield


def gradient_scaler(device: torch.device, precision: str) -> torch.amp.GradScaler:
    """A scaler that is on for float16 only; off, its calls pass gradients through as they
    are, so the training step has one code path."""
    return torch.amp.GradScaler(device.type, enabled=precision == "16-mixed")


def to_cpu(value: object) -> object:
    """Tensors anywhere in nested dicts/lists/tuples moved to the CPU: what checkpoints hold,
    so that they load on any machine."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {k: to_cpu(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_cpu(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_cpu(v) for v in value)
    return value
