"""Dataset building and training of latentd's own models.

``latentd dataset gm|wav`` writes a folder of mono WAV clips split into ``train/`` and ``test/``
with a ``manifest.json``; ``latentd train`` fits a :class:`latentd.models.rave.RaveModel` to such
a folder on the CPU and writes a latentd checkpoint that ``latentd.models.load_synth`` plays.
Nothing here is imported by the daemon: the optional audio packages (soundfile, soxr, mido) are
needed only to build datasets and train.
"""
