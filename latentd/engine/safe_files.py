"""Files a client names, read and written without following links out of their directory.

Clients name presets and recordings; the daemon turns the name into a file in one directory.
Whoever else can write to that directory (another user, a careless script) may plant links
there. The rules, and how each holds without a check-then-act race:

* **replacing a file** (presets): the data goes to a fresh temporary file made by
  ``tempfile.mkstemp`` in the same directory (random name, ``O_CREAT | O_EXCL``, so a link
  planted at any name is never opened), then ``os.replace`` renames it over the final name.
  A rename replaces a link at the final name with the file; it never writes through it.
* **creating a new file** (recordings): ``O_CREAT | O_EXCL | O_NOFOLLOW``; an existing file or
  link at the name counts as taken, and the next free name (``take-2.wav``) is tried. The
  descriptor is the file from then on; the name is never opened again.
* **reading** (presets): a link is followed only when it stays inside the directory; the file
  must be a regular file (a FIFO would block the reader for ever) no larger than a bound.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import unicodedata
from pathlib import Path

MAX_FREE_NAME_TRIES = 1000  # take.wav, take-2.wav ... take-1000.wav


class UnsafePath(ValueError):
    """A file the daemon refuses to touch; the message names it and says why."""


def confined(directory: Path, filename: str) -> Path:
    """``directory / filename``, refused when a link there (even a dangling one) leads out of
    the directory: reading through it would reach a file the client must not see."""
    path = directory / filename
    if not path.is_symlink():
        return path
    try:
        target = path.resolve()
    except (RuntimeError, OSError) as exc:  # a link loop: RuntimeError before Python 3.13
        raise UnsafePath(f"'{filename}' is a link that leads nowhere ({exc})") from exc
    if not target.is_relative_to(directory.resolve()):
        raise UnsafePath(f"'{filename}' links outside {directory}")
    return path


def _sync_directory(directory: Path) -> None:
    """Make a rename durable; some filesystems refuse to fsync a directory, which is fine."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_replacing(directory: Path, filename: str, data: bytes) -> Path:
    """Write ``data`` to ``directory / filename`` atomically: readers see the old file or the
    new one, never a part; no link at any name is written through."""
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{filename}.", suffix=".tmp",
                                             dir=directory)
    try:
        # mkstemp makes 0600; the file gets the mode any new file (a recording) gets
        os.fchmod(descriptor, 0o666 & ~_umask())
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        final = directory / filename
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)
    return final


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` sets it, racing with other
    threads creating files): Linux reports it in /proc; elsewhere the usual 022."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def read_confined(directory: Path, filename: str, max_bytes: int) -> bytes:
    """The bytes of ``directory / filename``: a regular file of at most ``max_bytes``, reached
    through no link leading out. Raises FileNotFoundError when there is none, UnsafePath
    for a link out, a non-regular file or one too large."""
    path = confined(directory, filename)
    # O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file ignores it
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        _still_inside(directory, filename, handle.fileno())
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(f"'{filename}' is not a regular file")
        if info.st_size > max_bytes:
            raise UnsafePath(f"'{filename}' is {info.st_size} bytes, more than the "
                             f"{max_bytes} allowed")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafePath(f"'{filename}' grew past the {max_bytes} bytes allowed")
    return data


def _still_inside(directory: Path, filename: str, descriptor: int) -> None:
    """Where the descriptor really leads, once open: closes the window between
    :func:`confined`'s check and the open, in which a link could have been swapped in.
    Linux tells through /proc; elsewhere the check before the open stands alone."""
    try:
        opened = Path(os.readlink(f"/proc/self/fd/{descriptor}"))
    except OSError:
        return
    if not opened.is_relative_to(directory.resolve()):
        raise UnsafePath(f"'{filename}' links outside {directory}")


def on_disk(directory: Path, filename: str) -> str:
    """``filename``, or, when no entry has that exact name, the entry whose name is the same
    text in another Unicode normal form: the daemon writes names in NFC, but a file copied
    from macOS is named in NFD ('cafe' + U+0301), and a client sends the NFC name."""
    if filename.isascii() or os.path.lexists(directory / filename):
        return filename
    wanted = unicodedata.normalize("NFC", filename)
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if unicodedata.normalize("NFC", entry.name) == wanted:
                    return entry.name
    except OSError:
        pass
    return filename


def candidate_names(stem: str, suffix: str, tries: int = MAX_FREE_NAME_TRIES) -> list[str]:
    """``stem.suffix``, then ``stem-2.suffix``, ``stem-3.suffix`` ..."""
    return [f"{stem}{suffix}"] + [f"{stem}-{n}{suffix}" for n in range(2, tries + 1)]


def create_new(directory: Path, stem: str, suffix: str,
               tries: int = MAX_FREE_NAME_TRIES) -> tuple[Path, int]:
    """Create the first free name of :func:`candidate_names` and return it with a read-write
    descriptor. Never opens an existing file or link: the kernel refuses the name atomically
    (``O_EXCL``), so two recordings started at once still get two files."""
    directory.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for filename in candidate_names(stem, suffix, tries):
        path = directory / filename
        try:
            return path, os.open(path, flags, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link, on systems that report it so
                continue
            raise
    raise UnsafePath(f"'{stem}{suffix}' and the next {tries - 1} names are taken in "
                     f"{directory}: choose another name")


def remove_created(path: Path, descriptor: int) -> None:
    """Remove a file this process created and still holds open, and close it: used when a
    start fails after the file was made. Only the very file is removed (same inode), not
    whatever may have been put at its name since."""
    try:
        with contextlib.suppress(OSError):
            if os.path.samestat(os.fstat(descriptor), os.lstat(path)):
                os.unlink(path)
    finally:
        with contextlib.suppress(OSError):
            os.close(descriptor)
