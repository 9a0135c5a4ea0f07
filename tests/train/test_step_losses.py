"""A step's losses: the terms it had, in the log line's order, and window means that count a
missing term as 0, as the progress line and the stored history always did."""

import pytest

from latentd.train.step_losses import LOSS_NAMES, StepLosses, window_means


def test_the_log_order_is_the_field_order():
    assert LOSS_NAMES == ("loss", "stft", "osc", "phase", "pitch", "kl", "gen", "fm", "disc")


def test_present_gives_only_the_terms_the_step_had():
    step = StepLosses(beta=0.1, kl=2.0, stft=1.0, loss=1.2, disc=0.0)
    assert list(step.present().items()) == [("loss", 1.2), ("stft", 1.0), ("kl", 2.0),
                                            ("disc", 0.0)]
    assert StepLosses(beta=0.0, osc=0.5, skipped=True).present() == {"osc": 0.5}


def test_window_means_follow_the_last_step_and_count_missing_terms_as_zero():
    window = [StepLosses(beta=0.0, loss=2.0, stft=2.0, kl=1.0),
              StepLosses(beta=0.0, stft=4.0, kl=3.0, skipped=True),  # no total: skipped
              StepLosses(beta=0.1, loss=4.0, stft=3.0, kl=2.0, phase=0.6)]
    means = window_means(window)
    assert list(means) == ["loss", "stft", "phase", "kl"]
    assert means == pytest.approx({"loss": 2.0, "stft": 3.0, "phase": 0.2, "kl": 2.0})
