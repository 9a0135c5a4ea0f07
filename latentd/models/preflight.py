"""A cheap look at a model file, without running it: does it look loadable?

Listings (``/model/list``, ``latentd models``) offer only files that pass, so they do not
promise what would fail. The look never executes code from the file:

* ``.ckpt``: a ``torch.save`` zip (no TorchScript ``code/``), whose pickle ``torch.load`` reads
  with ``weights_only=True`` and ``mmap=True`` (tensors are mapped, not read), with latentd's
  format header (name, version, architecture).
* ``.ts``: a TorchScript zip whose root module (the first class named in ``data.pkl``, read as
  pickle opcodes, not unpickled) has, in its compiled source, a ``decode_params`` buffer, a
  ``decode`` method and a sample rate (``sr``, ``get_sample_rate`` or ``sampling_rate``): what
  ``TorchScriptSynth`` needs, read as text.

Passing is no guarantee (a method can still fail when run), failing is certain: a file that
fails here would fail to load.
"""

from __future__ import annotations

import pickletools
import re
import struct
import zipfile
from pathlib import Path

from latentd.models.formats import Kind, kind_of
from latentd.models.synth import ModelError

MAX_PICKLE_PEEK_BYTES = 64 * 1024  # the root class is named in the pickle's first bytes
MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a root module's compiled source larger than this is odd
# a RAVE v2 export has ~450 members, a checkpoint one per tensor: this is far above both
MAX_ARCHIVE_ENTRIES = 100_000
_EOCD_SEARCH_BYTES = 22 + 0xFFFF  # the record, after at most a 64 KiB comment


def zip_entries(path: Path) -> int | None:
    """How many members a zip declares, read from its end-of-central-directory record (zip64
    too) without parsing the directory itself; None when it has no such record. Opening a zip
    builds an object per member, so this is checked first: a file of a few hundred MB could
    declare millions."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - _EOCD_SEARCH_BYTES))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries = struct.unpack_from("<H", tail, at + 10)[0]
    locator = at - 20
    if entries == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        record_offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        with open(path, "rb") as handle:
            handle.seek(record_offset)
            record = handle.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            return int(struct.unpack_from("<Q", record, 32)[0])
    return int(entries)


def check_entries(path: Path) -> None:
    """A ModelError when the zip declares more members than any model has."""
    entries = zip_entries(path)
    if entries is not None and entries > MAX_ARCHIVE_ENTRIES:
        raise ModelError(f"{path}: a zip of {entries} members (a model has at most "
                         f"{MAX_ARCHIVE_ENTRIES})")


def archive_bytes(path: Path) -> int:
    """What loading the file may read into memory: its size, or its zip members' total
    uncompressed size when larger (a small deflated archive can expand a thousandfold).
    Raises ModelError for a zip declaring more than MAX_ARCHIVE_ENTRIES members."""
    size = path.stat().st_size
    check_entries(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return max(size, sum(info.file_size for info in archive.infolist()))
    except (OSError, zipfile.BadZipFile):
        return size


def why_not_loadable(path: Path) -> str | None:
    """None when ``path`` looks loadable, else a short reason (for listings and logs)."""
    try:
        kind = kind_of(path)
        if not zipfile.is_zipfile(path):
            return "not a zip archive (neither TorchScript nor a torch.save checkpoint)"
        check_entries(path)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if kind is Kind.CHECKPOINT:
                return _checkpoint_problem(path, names)
            return _torchscript_problem(archive, names)
    except ModelError as exc:
        return str(exc)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return f"unreadable ({exc.__class__.__name__}: {exc})"


def _is_torchscript(names: list[str]) -> bool:
    return any("/code/" in name for name in names)


def _checkpoint_problem(path: Path, names: list[str]) -> str | None:
    if _is_torchscript(names):
        return "a TorchScript archive (code) under a checkpoint's extension"
    from latentd.models.checkpoint import read_header

    read_header(path)  # raises ModelError with the reason
    return None


def _root_class(archive: zipfile.ZipFile, names: list[str]) -> tuple[str, str] | None:
    """(module, class) of the archive's root object, from the first GLOBAL opcode of its
    ``data.pkl``: nothing is unpickled."""
    pickles = [n for n in names if n.count("/") == 1 and n.endswith("/data.pkl")]
    if not pickles:
        return None
    with archive.open(pickles[0]) as handle:
        head = handle.read(MAX_PICKLE_PEEK_BYTES)
    try:
        for opcode, argument, _ in pickletools.genops(head):
            if opcode.name == "GLOBAL" and isinstance(argument, str) and " " in argument:
                module, _, name = argument.partition(" ")
                return module, name
    except (ValueError, EOFError):  # a truncated peek ends the opcode stream
        return None
    return None


def _torchscript_problem(archive: zipfile.ZipFile, names: list[str]) -> str | None:
    if not _is_torchscript(names):
        return "a zip without TorchScript code (a torch.save archive? rename it to .ckpt)"
    root = _root_class(archive, names)
    if root is None:
        return "no root module found in its data.pkl"
    module, name = root
    prefix = names[0].split("/", 1)[0]
    source_name = f"{prefix}/code/{module.replace('.', '/')}.py"
    if source_name not in names:
        return f"no compiled source for its root module {module}.{name}"
    info = archive.getinfo(source_name)
    if info.file_size > MAX_SOURCE_BYTES:
        return f"its root module's source is {info.file_size} bytes (at most {MAX_SOURCE_BYTES})"
    source = archive.read(source_name).decode("utf-8", "replace")
    block = _class_block(source, name)
    if block is None:
        return f"class {name} missing from its compiled source"
    buffers = re.search(r"^  __buffers__ = \[(.*)\]$", block, re.MULTILINE)
    buffer_names = re.findall(r'"([^"]+)"', buffers.group(1)) if buffers else []
    if "decode_params" not in buffer_names or not re.search(r"^  def decode\(", block,
                                                            re.MULTILINE):
        return "no nn~ 'decode' method (a decode method with a 'decode_params' buffer)"
    if not ("sampling_rate" in buffer_names or re.search(r"^  sr : int$", block, re.MULTILINE)
            or re.search(r"^  def get_sample_rate\(", block, re.MULTILINE)):
        return "no sample rate ('sr', get_sample_rate() or a 'sampling_rate' buffer)"
    return None


def _class_block(source: str, name: str) -> str | None:
    """The text of top-level ``class name(...)`` up to the next top-level class."""
    start = re.search(rf"^class {re.escape(name)}\(", source, re.MULTILINE)
    if start is None:
        return None
    following = re.search(r"^class ", source[start.end():], re.MULTILINE)
    end = start.end() + following.start() if following else len(source)
    return source[start.start():end]
