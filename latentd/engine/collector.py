"""Keep Python's cyclic garbage collector from stopping the render thread for long.

A full (generation 2) collection holds the interpreter lock while it walks every tracked object,
so every Python thread waits, the render thread included. With torch, the loaded model and its
torch.fx graph in the heap, one took 180-320 ms on the loader thread during a ``/model/load``:
that was the ``load_peak`` of 9 (nine blocks' time in one render step) and the underruns around
a swap. Objects alive when the engine starts (imports, the first model) live as long as the
process, so they are moved out of the collector's sight once, before the audio starts
(``gc.freeze``): later full collections walk only what was made since, and took ~20 ms in the
same trial. Garbage is collected first, so nothing collectable is frozen.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Collect, then exempt every surviving object from future collections. Call it where a
    pause is harmless (before the device starts)."""
    gc.collect()
    gc.freeze()
