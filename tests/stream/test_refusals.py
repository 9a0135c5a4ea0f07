"""Everything that cannot stream is refused with a message naming the layer and the reason."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from latentd.stream import StreamingError, streamify


class Wrap(nn.Module):
    """conv -> op -> conv, so that the refused op sits inside an otherwise streamable model."""

    def __init__(self, op: nn.Module):
        super().__init__()
        self.pre = nn.Conv1d(2, 4, 3, padding=1)
        self.op = op
        self.post = nn.Conv1d(4, 2, 1)

    def forward(self, x):
        return self.post(self.op(self.pre(x)))


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class TimeMixing(nn.Module):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.conv = nn.Conv1d(2, 2, 3, padding=1)

    def forward(self, x):
        y = self.conv(x)
        if self.kind == "softmax_time":
            return F.softmax(y, dim=-1)
        if self.kind == "mean_time":
            return y - y.mean(dim=2, keepdim=True)
        if self.kind == "shape":
            return y * y.shape[-1]
        if self.kind == "slice_time":
            return y[..., :8]
        if self.kind == "reflect_pad":
            return F.pad(y, (2, 0), mode="reflect")
        if self.kind == "linear_upsample":
            return F.interpolate(y, scale_factor=2, mode="linear")
        if self.kind == "fractional_upsample":
            return F.interpolate(y, scale_factor=1.5)
        if self.kind == "linear_on_time":
            return nn.functional.linear(y, torch.ones(5, 5))
        raise AssertionError(self.kind)


MODULE_CASES = [
    (nn.AvgPool1d(2), "AvgPool1d", "pools over time"),
    (nn.MaxPool1d(3, 1, 1), "MaxPool1d", "pools over time"),
    (nn.AdaptiveAvgPool1d(1), "AdaptiveAvgPool1d", "whole time axis"),
    (nn.GroupNorm(2, 4), "GroupNorm", "normalises over time"),
    (nn.InstanceNorm1d(4), "InstanceNorm1d", "normalises over time"),
    (nn.LayerNorm(16), "LayerNorm", "normalises over time"),
    (nn.ReflectionPad1d(1), "ReflectionPad1d", "reflects"),
    (nn.ReplicationPad1d(1), "ReplicationPad1d", "edge sample"),
    (nn.Conv1d(4, 4, 3, padding=1, padding_mode="reflect"), "Conv1d", "padding_mode='reflect'"),
    (nn.Conv1d(4, 4, 3, padding=1, padding_mode="circular"), "Conv1d", "padding_mode='circular'"),
    (nn.BatchNorm1d(4, track_running_stats=False), "BatchNorm1d", "batch statistics"),
    (nn.Upsample(scale_factor=2, mode="linear"), "Upsample", "nearest-neighbour"),
    (nn.Flatten(), "Flatten", "time axis"),
    (nn.Embedding(4, 4), "Embedding", "not a layer latentd knows"),
]


@pytest.mark.parametrize(("layer", "kind", "why"), MODULE_CASES, ids=[c[1] for c in MODULE_CASES])
def test_refused_layers_name_the_layer_and_why(layer, kind, why):
    with pytest.raises(StreamingError) as caught:
        streamify(Wrap(layer))
    message = str(caught.value)
    assert "'op'" in message, message
    assert kind in message, message
    assert why in message, message


@pytest.mark.parametrize(
    ("layer", "kind"),
    [(nn.MultiheadAttention(4, 1), "MultiheadAttention"), (nn.GRU(4, 4), "GRU")],
)
def test_sequence_layers_are_refused(layer, kind):
    with pytest.raises(StreamingError, match=kind):
        streamify(Wrap(layer))


FUNCTION_CASES = [
    ("softmax_time", "acts along the time axis"),
    ("mean_time", "reduces over the time axis"),
    ("shape", "reads the tensor's shape"),
    ("slice_time", "slices the time axis to a fixed length"),
    ("reflect_pad", "mode='reflect'"),
    ("linear_upsample", "nearest-neighbour"),
    ("fractional_upsample", "whole factor"),
    ("linear_on_time", "not an op latentd knows"),
]


@pytest.mark.parametrize(("kind", "why"), FUNCTION_CASES, ids=[c[0] for c in FUNCTION_CASES])
def test_refused_functions_name_the_op_and_why(kind, why):
    with pytest.raises(StreamingError) as caught:
        streamify(TimeMixing(kind))
    assert why in str(caught.value)
    assert "op '" in str(caught.value)


def test_branches_at_different_rates_are_refused():
    class Mismatch(nn.Module):
        def __init__(self):
            super().__init__()
            self.down = nn.Conv1d(2, 2, 2, stride=2)

        def forward(self, x):
            return x[:, :, :] + self.down(x).repeat_interleave(1, dim=-1)

    with pytest.raises(StreamingError, match="different rates"):
        streamify(Mismatch())


def test_value_dependent_control_flow_is_refused():
    class Branchy(nn.Module):
        def forward(self, x):
            if x.sum() > 0:
                return x
            return -x

    with pytest.raises(StreamingError, match="could not trace Branchy"):
        streamify(Branchy())


def test_two_inputs_are_refused():
    class TwoInputs(nn.Module):
        def forward(self, x, y):
            return x + y

    with pytest.raises(StreamingError, match="takes 2 inputs"):
        streamify(TwoInputs())


def test_tuple_output_is_refused():
    with pytest.raises(StreamingError, match="return one tensor"):
        streamify(Lambda(lambda x: (x, x)))


def test_output_independent_of_input_is_refused():
    class Constant(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("value", torch.ones(1, 1, 4))

        def forward(self, x):
            return self.value

    with pytest.raises(StreamingError, match="depends on its input"):
        streamify(Constant())


def test_fixed_tensor_with_a_time_extent_is_refused():
    class Positional(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("position", torch.randn(1, 2, 16))

        def forward(self, x):
            return x + self.position

    with pytest.raises(StreamingError, match="own time extent"):
        streamify(Positional())


@pytest.mark.parametrize("length", [0, 1, 3, 5])
def test_block_length_must_be_a_positive_multiple(length):
    encoder = nn.Sequential(nn.Conv1d(1, 2, 4, stride=2, padding=1), nn.Conv1d(2, 2, 4, 2, 1))
    stream = streamify(encoder)
    assert stream.input_multiple == 4
    with pytest.raises(ValueError, match=f"block length {length} is not a positive multiple of 4"):
        stream(torch.zeros(1, 1, length))
    scripted = torch.jit.script(stream)
    with pytest.raises(Exception, match="not a positive multiple of 4"):
        scripted(torch.zeros(1, 1, length))
