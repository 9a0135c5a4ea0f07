"""The Python interpreter, set up so the render thread gets the interpreter lock when it needs it.

Every Python thread runs under one lock (the GIL). A model load on the loader thread is mostly
Python (torch.fx, TorchScript's front end) and made the render thread wait for the lock, so a
render step took up to 9 blocks' time during a ``/model/load`` (``load_peak`` 9, underruns):

* **Garbage collection.** A full (generation 2) collection holds the lock while it walks every
  tracked object. With torch, the first model and its torch.fx graph in the heap, one took
  180-320 ms on the loader thread during a load. Objects alive when the engine starts (imports,
  the first model) live as long as the process, so they are moved out of the collector's sight
  once, before the audio starts (``gc.freeze``); later full collections walk only what was made
  since (~20 ms in the same trial). Garbage is collected first, so nothing collectable is frozen.
* **Switch interval.** A thread that wants the lock waits until the holder's switch interval
  (5 ms by default) runs out, and the render thread wants it again after every call that
  released it (each decode, each resampling), so one step could wait several intervals behind a
  busy loader. At 1 ms, the same trial (five loads while playing) kept every step under 2.2
  blocks' time with no underrun, against peaks of 8-14 and up to 21 underruns at 5 ms. 1 ms
  was still too long under the soak's performer (OSC floods, recordings, input, voices): the
  render thread spent two thirds of each step waiting for the lock (0.35 s of CPU a second for
  0.97 s of wall time) and the 250 ms ring ran dry, 554 to 1806 underruns a minute. At 0.1 ms
  the same soak passed with the thread busy 0.47 s a second. ``bench/gil_contention.py``: the
  tiny soak model's render steps beside one busy Python thread ran 1.7x real time at 1 ms and
  6.5x at 0.1 ms (13.7x alone), and the busy thread lost nothing. The cost is more hand-overs
  between Python threads, only while two of them want the lock at once.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_SECONDS = 0.0001  # 100 us


def prepare_for_realtime() -> None:
    """Call where a pause is harmless (before the device starts): collect, then exempt every
    surviving object from future collections, and shorten the interpreter's switch interval."""
    gc.collect()
    gc.freeze()
    if sys.getswitchinterval() > SWITCH_INTERVAL_SECONDS:
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
