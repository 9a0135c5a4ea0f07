"""What the TUI's tests share: a second subscriber that watches the daemon's state."""

from __future__ import annotations

from typing import Any

from latentd.tui.state import pairs
from support.osc import UdpClient


class Observer:
    """A second OSC client subscribed to the daemon: the latest of each telemetry message."""

    def __init__(self, port: int):
        self.client = UdpClient(port)
        self.client.send("/notify", 1)
        self.latest: dict[str, list[Any]] = {}

    def poll(self) -> None:
        for reply in self.client.drain():
            self.latest[reply.address] = reply.args

    def target(self, i: int) -> float:
        return float(self.latest["/latent.target"][i])

    def control(self, name: str) -> Any:
        return pairs(self.latest["/controls.state"])[name]

    def status(self, name: str) -> Any:
        return pairs(self.latest["/status.reply"])[name]
