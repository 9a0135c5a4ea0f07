"""``latentd tui`` and ``latentd play``: a Textual app that is one more OSC client of the daemon.

It speaks only what docs/osc.md documents: it subscribes with ``/notify 1`` and draws the
telemetry (``/meter``, ``/latent.state``, ``/spectrum``, the control states, ``/status.reply``);
key presses send control messages at once, and the display follows what the daemon reports
back rather than what was sent. See docs/tui.md.
"""
