"""DNS-SD advertisement (``_osc._udp`` and ``_osc._tcp``) with python-zeroconf, so controllers
on the network find the daemon; only used when someone beyond this machine may connect
(:func:`should_advertise`)."""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # zeroconf is imported only when advertising
    from zeroconf import ServiceInfo, Zeroconf

log = logging.getLogger("latentd.discovery")


LOOPBACK_NAMES = ("localhost", "ip6-localhost", "ip6-loopback")


def _loopback_network(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    if isinstance(network, ipaddress.IPv6Network):
        mapped = network.network_address.ipv4_mapped
        if mapped is not None and network.prefixlen >= 104:  # inside ::ffff:0:0/96
            return _loopback_network(ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}"))
    return network.network_address.is_loopback and network.broadcast_address.is_loopback


def should_advertise(listen_host: str, allowed_networks: list[str]) -> bool:
    """Advertise only when a peer beyond this machine may connect: the daemon listens on more
    than loopback, and ``--allow`` admits at least one network that is not loopback. (Loopback
    peers are always allowed and never need DNS-SD: they know where the daemon is.)"""
    host = listen_host.split("%")[0].strip("[]")
    if host.lower() in LOOPBACK_NAMES:
        return False
    try:
        if ipaddress.ip_address(host).is_loopback:
            return False
    except ValueError:
        pass  # a host name: it resolves beyond loopback, or binding it would have failed
    for text in allowed_networks:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            continue
        if not _loopback_network(network):
            return True
    return False


def _packed(listen: str) -> list[bytes]:
    """The address to advertise (none for a wildcard: zeroconf then uses every interface)."""
    try:
        address = ipaddress.ip_address(listen.split("%")[0])
    except ValueError:
        return []
    return [] if address.is_unspecified else [address.packed]


class Advertisement:
    def __init__(self, zeroconf: Zeroconf, infos: list[ServiceInfo]):
        self.zeroconf = zeroconf
        self.infos = infos

    @classmethod
    def start(cls, listen: str, port: int, name: str = "latentd") -> Advertisement | None:
        """Register both services; on failure log and carry on (discovery is a convenience)."""
        from zeroconf import ServiceInfo, Zeroconf

        try:
            zeroconf = Zeroconf()
            addresses = _packed(listen)
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
