"""``python -m latentd`` and the ``latentd`` script: the command line is ``latentd.cli.main``."""

from __future__ import annotations

import sys

from latentd.cli.main import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
