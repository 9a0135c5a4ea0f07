"""latentd/paths.py: the engine, `latentd serve` and the model registry keep their files in one
place by default (the engine once used ./presets while serve's config said the XDG path)."""

from latentd import paths
from latentd.daemon.config import ServeConfig
from latentd.engine.engine import EngineSettings
from latentd.models.registry import model_dirs


def test_every_default_lives_under_the_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("LATENTD_MODEL_PATH", raising=False)
    home = tmp_path / "latentd"
    assert paths.data_home() == home
    engine, serve = EngineSettings(), ServeConfig()
    assert engine.presets_dir == serve.presets_dir == home / "presets"
    assert engine.recordings_dir == serve.recordings_dir == home / "recordings"
    assert model_dirs() == [home / "models"]


def test_without_xdg_data_home_it_is_under_the_home_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.data_home() == tmp_path / ".local" / "share" / "latentd"
