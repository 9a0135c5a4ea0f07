"""Post-training streaming of non-causal conv models (Caillon & Esling, DAFx 2022).

``streamify(model)`` reads an unmodified ``torch.nn`` model's graph with torch.fx, works out every
value's rate and delay, and rewrites padded convs into cached ones, aligning parallel branches
with delay lines. The result, fed block after block, equals the offline output delayed by
``latency`` samples.
"""

from latentd.stream.module import StreamingModule, streamify
from latentd.stream.overlap_add import OverlapAdd
from latentd.stream.signal import StreamingError

__all__ = ["OverlapAdd", "StreamingError", "StreamingModule", "streamify"]
