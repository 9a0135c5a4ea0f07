"""Fixtures for the OSC contract tests: models, daemons (in-process and real), liblo tools.

The model is the small latentd checkpoint (latent size 4, mono, 44.1 kHz, 64 samples per latent
frame); it is scripted once per session and shared by the in-process daemons, each of which
resets it. A TorchScript look-alike of a RAVE v2 export (tests/support/rave.py) stands
in where a model with nn~ attributes, a prior or two channels is needed.
"""

import pytest
from support.osc import (
    InProcessDaemon,
    OscDump,
    save_tiny_model,
)
from support.tools import require_tool


@pytest.fixture(autouse=True)
def _liblo_tools(request):
    """Tests marked ``liblo`` need oscsend and oscdump."""
    if request.node.get_closest_marker("liblo") is not None:
        require_tool("oscsend", "liblo-tools")
        require_tool("oscdump", "liblo-tools")


@pytest.fixture
def dump(_liblo_tools):
    with OscDump() as oscdump:
        yield oscdump


# --------------------------------------------------------------------------- models
@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """A model directory as LATENTD_MODEL_PATH names it: ``tiny`` (the daemon's model) and
    ``other`` (another seed and latent size 6), plus traps for the confinement tests: a link
    leading out of the directory and a model that lives outside it."""
    root = tmp_path_factory.mktemp("models")
    models = root / "models"
    save_tiny_model(models / "tiny.ckpt")
    save_tiny_model(models / "other.ckpt", seed=1, latent_size=6)
    outside = save_tiny_model(root / "outside" / "secret.ckpt", seed=2)
    (models / "escape.ckpt").symlink_to(outside)
    from support.rave import make_rave_v2_fixture

    make_rave_v2_fixture(models / "ravev2.ts", latent_size=4, ratio=64, with_prior=True)
    (models / "notes.txt").write_text("not a model")
    return models


@pytest.fixture(scope="session")
def model_file(model_dir):
    return model_dir / "tiny.ckpt"


@pytest.fixture(scope="session")
def synth(model_file):
    """Shared by the function-scoped daemons, one at a time (a synth is stateful: two running
    engines must never share one; module-scoped daemons make their own with ``own_synth``)."""
    from latentd.models.checkpoint_synth import LatentdSynth

    return LatentdSynth.from_checkpoint(model_file)


@pytest.fixture(scope="session")
def own_synth(model_file):
    """Make a synth of the session's model for a daemon that outlives one test."""
    from latentd.models.checkpoint_synth import LatentdSynth

    return lambda: LatentdSynth.from_checkpoint(model_file)


@pytest.fixture(scope="session")
def nn_synth(model_dir):
    """A RAVE v2 export look-alike (``ravev2`` in the model directory): nn~ attributes
    (learn_target ...), encode and a prior."""
    from latentd.models.registry import load_synth

    return load_synth(model_dir / "ravev2.ts")


@pytest.fixture(scope="session")
def stereo_synth(tmp_path_factory):
    from support.rave import make_rave_v2_fixture

    from latentd.models.registry import load_synth

    path = make_rave_v2_fixture(tmp_path_factory.mktemp("stereo") / "stereo.ts", latent_size=4,
                                ratio=64, channels=2, none_attribute=False)
    return load_synth(path)


# --------------------------------------------------------------------------- daemons
@pytest.fixture
def model_env(model_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LATENTD_MODEL_PATH", str(model_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return model_dir


@pytest.fixture
def make_daemon(model_env, tmp_path):
    """Start in-process daemons (stopped at teardown)."""
    started = []

    def make(synth, **kwargs) -> InProcessDaemon:
        daemon = InProcessDaemon(synth, tmp_path / f"d{len(started)}", **kwargs)
        started.append(daemon)
        return daemon

    yield make
    for daemon in started:
        daemon.stop()


@pytest.fixture
def daemon(make_daemon, synth):
    return make_daemon(synth)


@pytest.fixture
def udp(daemon):
    return daemon.udp()


@pytest.fixture(params=["udp", "tcp"])
def client(request, daemon):
    """Each test using it runs once over UDP and once over TCP with SLIP framing."""
    return daemon.udp() if request.param == "udp" else daemon.tcp()


@pytest.fixture(scope="session")
def wide_synth(tmp_path_factory):
    """Latent size 8, for the docs' pattern examples (``/latent/[0-3] 1`` sets the first four)."""
    from latentd.models.checkpoint_synth import LatentdSynth

    path = save_tiny_model(tmp_path_factory.mktemp("wide") / "wide.ckpt", latent_size=8)
    return LatentdSynth.from_checkpoint(path)
