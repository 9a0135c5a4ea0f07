import threading

import numpy as np
import pytest

from latentd.audio.ring import RingBuffer


def test_wraps_and_preserves_order():
    ring = RingBuffer(8, 2)
    data = np.arange(40, dtype=np.float32).reshape(20, 2)
    out = np.empty((3, 2), dtype=np.float32)
    assert ring.write(data[:6]) == 6
    assert ring.read_into(out) == 3
    assert np.array_equal(out, data[:3])
    assert ring.write(data[6:12]) == 5  # only 5 frames of space left
    assert ring.fill == 8
    got = np.empty((8, 2), dtype=np.float32)
    assert ring.read_into(got) == 8
    assert np.array_equal(got, data[3:11])
    assert ring.underruns == 0


def test_underrun_fills_silence_and_counts():
    ring = RingBuffer(8, 1)
    ring.write(np.ones((2, 1), dtype=np.float32))
    out = np.full((5, 1), 7.0, dtype=np.float32)
    assert ring.read_into(out) == 2
    assert out[:2].tolist() == [[1.0], [1.0]]
    assert not out[2:].any()
    assert ring.underruns == 1 and ring.missing_frames == 3


def test_rejects_empty_ring():
    with pytest.raises(ValueError):
        RingBuffer(0, 1)


def test_one_writer_one_reader_threads_keep_every_frame_in_order():
    ring = RingBuffer(64, 1)
    total = 20000
    received: list[np.ndarray] = []

    def produce():
        value = 0
        while value < total:
            chunk = np.arange(value, min(value + 17, total), dtype=np.float32)[:, None]
            value += ring.write(chunk)

    thread = threading.Thread(target=produce)
    thread.start()
    out = np.empty((13, 1), dtype=np.float32)
    count = 0
    while count < total:
        got = ring.read_into(out)
        received.append(out[:got, 0].copy())
        count += got
    thread.join()
    assert np.array_equal(np.concatenate(received), np.arange(total, dtype=np.float32))
