"""The daemon process: ``latentd serve``, its config, lifecycle and logging."""
