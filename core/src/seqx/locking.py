"""One writer per folder: ``FolderLock``.

A command that writes a folder for a long time (``seqx train`` its ``--save-dir``,
``seqx preprocess`` its ``--destdir``) holds an advisory lock on ``FOLDER/.seqx-lock``
while it runs. A second command on the same folder is refused with a message naming
the first (its command, pid, host and start time) instead of interleaving its files
with the first one's. The lock is the kernel's (``flock``): it ends with the process,
however the process ends, so a killed run never leaves a folder locked.

Holding the lock also means that no other live process writes the folder, so the
temporary files found in it (``.tmp-*`` of a checkpoint save, ``.staging-*`` of a
preprocess run) are leftovers of runs that died, and :meth:`FolderLock.acquire`
removes them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sys
import time
from types import TracebackType
from typing import Any

from seqx.errors import SeqxError

LOCK_FILE = ".seqx-lock"
"""The lock's file name inside the folder."""
TEMPORARY_PREFIXES = (".tmp-", ".staging-")
"""Names of the temporaries a folder's writer leaves when killed."""


class FolderInUse(SeqxError):
    """Another live process holds the folder's lock."""


def _owner() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv)),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _describe(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            owner = json.load(f)
        return (
            f"'{owner['command']}' (pid {owner['pid']} on {owner['host']}, started "
            f"{owner['started']})"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


class FolderLock:
    """The lock of one folder (created if missing); use as a context manager."""

    def __init__(self, folder: str, flag: str) -> None:
        """``flag`` names the option that chose the folder, for the refusal message."""
        self.folder = folder
        self.flag = flag
        self.path = os.path.join(folder, LOCK_FILE)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock and clear dead runs' temporaries; :class:`FolderInUse` if another
        process holds it."""
        import fcntl

        if os.path.exists(self.folder) and not os.path.isdir(self.folder):
            raise SeqxError(f"{self.flag} '{self.folder}' is a file; give a folder")
        try:
            os.makedirs(self.folder, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SeqxError(
                f"{self.flag}: cannot write into '{self.folder}' ({exc.strerror})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise FolderInUse(
                f"{self.flag} '{self.folder}' is in use by {_describe(self.path)}; wait for it "
                f"to end or give another {self.flag}"
            ) from None
        except OSError:  # a file system without locks: go on unguarded
            pass
        owner = json.dumps(_owner()).encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, owner, 0)
        self._fd = fd
        self._clear_temporaries()

    def _clear_temporaries(self) -> None:
        for name in os.listdir(self.folder):
            if name.startswith(TEMPORARY_PREFIXES):
                path = os.path.join(self.folder, name)
                if os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.remove(path)

    def release(self) -> None:
        """Let the folder go (the lock file stays; it is not a sign of use)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
