"""DNS-SD advertisement (``_osc._udp`` and ``_osc._tcp``) with python-zeroconf, so controllers
on the network find the daemon; only used when it listens beyond this machine."""

from __future__ import annotations

import logging
import socket

from zeroconf import ServiceInfo, Zeroconf

log = logging.getLogger("latentd.discovery")


class Advertisement:
    def __init__(self, zeroconf: Zeroconf, infos: list[ServiceInfo]):
        self.zeroconf = zeroconf
        self.infos = infos

    @classmethod
    def start(cls, listen: str, port: int, name: str = "latentd") -> Advertisement | None:
        """Register both services; on failure log and carry on (discovery is a convenience)."""
        try:
            zeroconf = Zeroconf()
            addresses = [] if listen in ("0.0.0.0", "::") else [socket.inet_aton(listen)]
            infos = []
            for kind in ("_osc._udp.local.", "_osc._tcp.local."):
                info = ServiceInfo(kind, f"{name} on {socket.gethostname()}.{kind}",
                                   port=port, addresses=addresses or None,
                                   properties={"app": "latentd"},
                                   server=f"{socket.gethostname()}.local.")
                zeroconf.register_service(info, allow_name_change=True)
                infos.append(info)
        except Exception as exc:
            log.warning("DNS-SD advertisement failed: %s", exc)
            return None
        log.info("advertising _osc._udp and _osc._tcp on port %d", port)
        return cls(zeroconf, infos)

    def close(self) -> None:
        """Withdraw the services before exit."""
        for info in self.infos:
            self.zeroconf.unregister_service(info)
        self.zeroconf.close()
