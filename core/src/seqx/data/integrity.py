"""Trusting a data folder: what its manifest vouches for, checked cheaply or in full.

``seqx preprocess`` records in ``preprocess.json`` the size and SHA-256 of every file
it wrote (``files``) and a fingerprint of every dictionary (``dictionaries``). Every
command that opens the folder checks the sizes (a ``stat`` per file) and the
dictionaries' fingerprints (they are read anyway); ``seqx verify DATA`` checks the
checksums too. While ``seqx preprocess`` replaces a folder's files it keeps a marker,
:data:`INCOMPLETE`, in the folder: a folder caught half replaced (the run was killed)
is refused, never read as a mix of two runs.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any

from seqx.errors import SeqxError

INCOMPLETE = ".preprocess-incomplete"
"""The marker of a folder whose files ``seqx preprocess`` is replacing."""

_DATA_NAME = re.compile(
    r"^(dict(\.[^.]+)?\.txt|preprocess\.(json|log)"
    r"|(train|valid|test)\d*(\.[^.]+-[^.]+\.[^.]+)?(\.bin|\.idx)?)$"
)


def is_data_file(name: str) -> bool:
    """Whether ``name`` is one a preprocess run (seqx's or fairseq's) writes into a folder:
    a dictionary, a split's data files, the manifest or fairseq's log."""
    return bool(_DATA_NAME.match(name))


def sha256_of(path: str) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def file_record(path: str) -> dict[str, Any]:
    """What the manifest keeps of one file: its size and checksum."""
    return {"bytes": os.path.getsize(path), "sha256": sha256_of(path)}


def check_complete(folder: str) -> None:
    """Refuse a folder that a killed ``seqx preprocess`` left half replaced."""
    if os.path.exists(os.path.join(folder, INCOMPLETE)):
        raise SeqxError(
            f"data folder '{folder}' is incomplete: a seqx preprocess writing it was "
            "interrupted; run that seqx preprocess again"
        )


def check_sizes(folder: str, manifest: dict[str, Any]) -> None:
    """The cheap check of every command: each file the manifest lists is there, with the
    size it had when written."""
    for name, record in (manifest.get("files") or {}).items():
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            raise SeqxError(
                f"'{path}' is missing: data folder '{folder}' lost a file seqx preprocess "
                "wrote; restore it or run seqx preprocess again"
            )
        size = os.path.getsize(path)
        if size != record.get("bytes"):
            raise SeqxError(
                f"'{path}' has {size} bytes, but seqx preprocess wrote {record.get('bytes')}: "
                "the file changed since; restore it or run seqx preprocess again "
                f"(seqx verify {folder} checks every file)"
            )


def verify_files(folder: str, manifest: dict[str, Any]) -> list[str]:
    """The full check of ``seqx verify``: the problems found (empty when every listed file
    has its recorded size and checksum)."""
    problems = []
    for name, record in (manifest.get("files") or {}).items():
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            problems.append(f"{path}: missing")
        elif os.path.getsize(path) != record.get("bytes"):
            problems.append(f"{path}: {os.path.getsize(path)} bytes, {record.get('bytes')} written")
        elif sha256_of(path) != record.get("sha256"):
            problems.append(f"{path}: checksum differs from the one recorded (the file changed)")
    return problems
