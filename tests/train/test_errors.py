"""Dataset and training refusals are LatentdErrors (one stderr line, exit 1) and keep the
RuntimeError base DatasetError always had; divergence is a training error, not a dataset one."""

from latentd.errors import LatentdError
from latentd.train.errors import DatasetError, TrainingDiverged, TrainingError


def test_the_training_errors_exit_1_and_stay_runtime_errors():
    for error in (DatasetError, TrainingError, TrainingDiverged):
        assert issubclass(error, LatentdError) and issubclass(error, RuntimeError)
        assert error("x").exit_status == 1
    assert issubclass(TrainingDiverged, TrainingError)
    assert not issubclass(TrainingDiverged, DatasetError)
    assert not issubclass(TrainingError, DatasetError)
