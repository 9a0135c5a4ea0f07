"""latentd: a daemon that plays streaming neural audio synthesizers live."""

__version__ = "0.1.0"
