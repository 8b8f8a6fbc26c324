"""Writing checkpoints atomically and reading them safely.

A checkpoint is written to a temporary file in the target folder, flushed
to disk and renamed over the target, so a crash or a full disk never
leaves a half-written file under a checkpoint's name. Reading uses
``torch.load(weights_only=True)``: only tensors and plain containers load,
never pickled objects.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import warnings
from typing import Any

import torch

from seqx.errors import SeqxError


def _fsync_dir(folder: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str, write: Any) -> None:
    """Call ``write(file)`` on a temporary file and rename it to ``path`` when complete."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise SeqxError(f"cannot write '{path}': '{folder}' is a file, not a folder")
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pt", dir=folder)
    except OSError as exc:
        raise SeqxError(f"cannot write into '{folder}': {exc.strerror}") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's files are private; keep the usual mode
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        reason = _write_failure(exc, folder)
        if reason is not None:
            raise SeqxError(
                f"could not write '{path}' ({reason}); the previous file is intact"
            ) from None
        raise


def _write_failure(exc: BaseException, folder: str) -> str | None:
    """Why writing into ``folder`` failed, when ``exc`` is a failed write: an OSError, or
    the RuntimeError torch.save raises around one (``... file write failed``)."""
    if isinstance(exc, OSError):
        return "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror
    if isinstance(exc, RuntimeError) and "write" in str(exc).lower():
        with contextlib.suppress(OSError):
            if shutil.disk_usage(folder).free < 64 * 1024 * 1024:
                return "the disk is full"
        return str(exc).splitlines()[0]
    return None


def save_state(state: dict[str, Any], path: str) -> None:
    """``torch.save`` ``state`` to ``path`` atomically."""
    atomic_write(path, lambda f: torch.save(state, f))


def copy_atomic(src: str, dst: str) -> None:
    """Give ``dst`` the content of ``src`` atomically: a hard link where the file system
    allows one (no data copied; later saves replace names, never rewrite files), else a copy.
    """
    folder = os.path.dirname(os.path.abspath(dst))
    tmp = os.path.join(folder, f".tmp-link-{os.getpid()}-{os.path.basename(dst)}")
    try:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        os.link(src, tmp)
        os.replace(tmp, dst)
        _fsync_dir(folder)
        return
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(tmp)

    def write(f: Any) -> None:
        with open(src, "rb") as s:
            shutil.copyfileobj(s, f, length=16 * 1024 * 1024)

    atomic_write(dst, write)


class PickledObjectsError(SeqxError):
    """A checkpoint holds pickled Python objects, which ``weights_only`` loading refuses."""


_ZIP = b"PK\x03\x04"  # torch.save's format
_PICKLE = b"\x80"  # a pickle's first opcode (PROTO): torch's legacy format, or pickle.dump


def _load_error(path: str, exc: Exception) -> SeqxError:
    """What is wrong with a file ``torch.load`` refused, said plainly."""
    with open(path, "rb") as f:
        head = f.read(4)
    text = str(exc)
    objects = "Unsupported global" in text or "not an allowed global" in text
    if head.startswith(_PICKLE) and not objects and "Unsupported operand" in text:
        objects = True  # a pickle written by pickle.dump, not torch.save
    if objects and (head.startswith((_ZIP, _PICKLE))):
        return PickledObjectsError(
            f"checkpoint '{path}' holds pickled Python objects, which seqx does not load "
            "(they could run code); only tensors and plain data are accepted"
        )
    if head.startswith((_ZIP, _PICKLE)):
        return SeqxError(
            f"checkpoint '{path}' is truncated or corrupted and cannot be read "
            f"({type(exc).__name__}); use an earlier checkpoint"
        )
    return SeqxError(
        f"'{path}' is not a checkpoint (not a file torch.save writes): give a checkpoint "
        "file such as checkpoints/checkpoint_best.pt"
    )


def load_state(path: str) -> dict[str, Any]:
    """Load a checkpoint with ``weights_only=True``; clear errors for unsafe or broken files."""
    if os.path.isdir(path):
        raise SeqxError(
            f"checkpoint '{path}' is a folder; give a checkpoint file in it, such as "
            f"{os.path.join(path, 'checkpoint_best.pt')}"
        )
    if not os.path.isfile(path):
        raise SeqxError(f"checkpoint '{path}' does not exist")
    try:
        with warnings.catch_warnings():  # torch's warnings about a refused file's pickle
            warnings.simplefilter("ignore", UserWarning)
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle.UnpicklingError, RuntimeError, EOFError, ...
        raise _load_error(path, exc) from None
    if not isinstance(state, dict) or "model" not in state:
        raise SeqxError(f"'{path}' is not a seqx checkpoint (no model state)")
    return state
