"""The UDP socket's kernel side: a larger receive buffer, and the datagrams the kernel dropped.

At ~20k messages/s a default receive buffer (~200 KiB on Linux) fills while the OSC thread is
busy, and the kernel drops what does not fit before latentd sees it. The daemon asks for
:data:`RECEIVE_BUFFER_BYTES` (the kernel caps it at ``net.core.rmem_max``; raise that sysctl to
allow more) and reports the kernel's own drop counter in ``/status.reply`` (``udp_drops``).

The counter is read from ``/proc/net/udp`` and ``/proc/net/udp6`` (the ``drops`` column of the
line whose inode is our socket's), at most once per :data:`CACHE_SECONDS`. SO_RXQ_OVFL would
give the same number through ``recvmsg`` ancillary data, but asyncio's datagram transport reads
with ``recvfrom``. Where /proc is not there (macOS, Windows) the count is unknown: -1.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time

RECEIVE_BUFFER_BYTES = 4 << 20
CACHE_SECONDS = 0.25


def raise_receive_buffer(sock: socket.socket, wanted_bytes: int = RECEIVE_BUFFER_BYTES) -> int:
    """Ask for a receive buffer of ``wanted_bytes``; returns what the kernel granted (Linux
    reports twice the usable size, its bookkeeping included)."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, wanted_bytes)
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


class DropCounter:
    """The kernel's count of datagrams dropped on one socket (-1 when the OS does not say)."""

    def __init__(self, sock: socket.socket, tables: tuple[str, ...] = ("/proc/net/udp",
                                                                         "/proc/net/udp6")):
        self.inode = os.fstat(sock.fileno()).st_ino
        self.tables = tables
        self._value, self._read_at = -1, -float("inf")

    def drops(self) -> int:
        now = time.monotonic()
        if now - self._read_at >= CACHE_SECONDS:
            self._value, self._read_at = self._read(), now
        return self._value

    def _read(self) -> int:
        inode = str(self.inode)
        for table in self.tables:
            try:
                with open(table) as lines:
                    next(lines)  # the header
                    for line in lines:
                        columns = line.split()
                        if len(columns) > 12 and columns[9] == inode:
                            return int(columns[-1])
            except (OSError, ValueError, StopIteration):
                continue
        return -1
