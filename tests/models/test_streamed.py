"""A model the streaming method refuses is a ModelError where ``models`` streams it (a one-line
error from ``latentd info``/``properties``/``export``, not a traceback)."""

import pytest
import torch
from torch import nn

from latentd.cli.main import main
from latentd.errors import LatentdError
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.export import NnTildeModel
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.streamed import streamed
from latentd.models.synth import ModelError
from latentd.stream import StreamingError


class MeanOverTime(nn.Module):
    """Takes its mean over the whole time axis: no stream can know it before the end."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv1d(channels, 1, 3, padding=1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        y = self.conv(z)
        return y - y.mean(dim=2, keepdim=True)


def unstreamable() -> RaveModel:
    model = RaveModel(RaveConfig.tiny(noise=False)).eval()
    model.decoder = MeanOverTime(model.config.latent_size)
    return model


def test_streamed_turns_the_refusal_into_a_model_error_that_names_what_and_why():
    with pytest.raises(ModelError, match=r"^the part cannot be streamed: .*mean") as caught:
        streamed(MeanOverTime(4), "the part")
    assert isinstance(caught.value, LatentdError)
    assert isinstance(caught.value.__cause__, StreamingError)


def test_a_checkpoint_synth_refuses_an_unstreamable_decoder_as_a_model_error():
    with pytest.raises(ModelError, match="model 'odd': its decoder cannot be streamed"):
        LatentdSynth(unstreamable(), "odd", script=False)


def test_export_refuses_an_unstreamable_decoder_as_a_model_error():
    with pytest.raises(ModelError, match="the model's decoder cannot be streamed"):
        NnTildeModel(unstreamable())


def test_the_command_line_prints_such_a_model_error_on_one_line(capsys, monkeypatch):
    """What the user sees: main() turns the ModelError into one stderr line and exit 1."""

    def refuse(path, script=True):  # the refusal as LatentdSynth raises it on load
        return LatentdSynth(unstreamable(), str(path), script=False)

    monkeypatch.setattr(LatentdSynth, "from_checkpoint", staticmethod(refuse))
    code = main(["info", "default"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "cannot be streamed" in err[0], err
