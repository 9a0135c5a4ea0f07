"""The ``latentd`` command line: one module per command family, each with ``register``."""
