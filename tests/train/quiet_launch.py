"""``python -m latentd`` with one more recipe, ``tiny-quiet``: the tiny model without its
decoder's noise branch and with no latent sampling noise. Tests start it under torchrun to
compare a distributed step with the single-process step exactly: noise is drawn per rank (as
it must be: ranks drawing the same noise for different crops would correlate it), so with
noise the two runs differ by their draws, not by their arithmetic."""

import runpy
from dataclasses import replace

from latentd.models.rave import RaveConfig
from latentd.train.recipes import RECIPES

QUIET = replace(RECIPES["tiny"], model=RaveConfig.tiny(noise=False), latent_noise=0.0)


def register() -> None:
    RECIPES.setdefault("tiny-quiet", QUIET)


if __name__ == "__main__":
    register()  # before latentd.cli imports the options, whose --recipe choices it reads
    runpy.run_module("latentd", run_name="__main__", alter_sys=True)
