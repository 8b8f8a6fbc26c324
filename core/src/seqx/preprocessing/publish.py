"""Publishing a preprocess run: its files replace the folder's data as a whole.

A run builds everything in a staging folder inside ``--destdir`` while it holds the
folder's lock (:class:`seqx.locking.FolderLock`). Publishing then marks the folder
incomplete (:data:`seqx.data.integrity.INCOMPLETE`), removes every data file an
earlier run left (the files its manifest lists, and any dictionary, split or manifest
by name, so a folder made by fairseq-preprocess is replaced too), moves the new files
in, writes the manifest with each file's size and checksum, and removes the marker.
A folder is thus never a mix of two runs: it is the old run's, the new run's, or
refused as incomplete until preprocess runs again.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from seqx.data.dictionary import Dictionary
from seqx.data.folder import MANIFEST, dictionary_file, read_manifest, write_manifest
from seqx.data.integrity import INCOMPLETE, file_record, is_data_file
from seqx.errors import SeqxError


def _fsync_dir(folder: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def previous_outputs(folder: str) -> set[str]:
    """The data files an earlier run (seqx's or fairseq's) left in ``folder``."""
    names = {name for name in os.listdir(folder) if is_data_file(name)}
    try:
        manifest = read_manifest(folder)
    except SeqxError:  # unreadable: its files are found by name
        manifest = {}
    names.update(manifest.get("files") or {})
    for record in (manifest.get("bpe") or {}).values():  # manifests without "files"
        names.update(v for k, v in record.items() if k.endswith("model") and isinstance(v, str))
    return {name for name in names if os.path.isfile(os.path.join(folder, name))}


def dictionary_records(dicts: dict[str, Dictionary]) -> dict[str, dict[str, Any]]:
    """What the manifest keeps of each dictionary: its size and fingerprint."""
    return {
        dictionary_file(lang): {"symbols": len(d), "fingerprint": d.fingerprint()}
        for lang, d in dicts.items()
    }


def publish(
    folder: str, staging: str, names: list[str], manifest: dict[str, Any], keep: list[str]
) -> None:
    """Replace ``folder``'s data by the files ``names`` of ``staging`` and ``manifest``
    (completed with the files' sizes and checksums). The files ``keep`` (this run's
    inputs, which may sit in the folder under a data file's name) are never removed."""
    kept = {os.path.realpath(path) for path in keep}
    clash = [n for n in names if os.path.realpath(os.path.join(folder, n)) in kept]
    if clash:
        raise SeqxError(
            f"--destdir '{folder}' would overwrite this run's input '{clash[0]}'; give "
            "another --destdir"
        )
    manifest = {**manifest, "files": {n: file_record(os.path.join(staging, n)) for n in names}}
    marker = os.path.join(folder, INCOMPLETE)
    with open(marker, "w", encoding="utf-8") as f:
        f.write(f"seqx preprocess (pid {os.getpid()}) is replacing this folder's data\n")
    _fsync_dir(folder)
    old = {
        name
        for name in previous_outputs(folder)
        if os.path.realpath(os.path.join(folder, name)) not in kept
    }
    for name in [MANIFEST, *sorted(old - {MANIFEST})]:
        if name in old:
            os.remove(os.path.join(folder, name))
    for name in names:
        os.replace(os.path.join(staging, name), os.path.join(folder, name))
    write_manifest(folder, manifest)
    _fsync_dir(folder)
    os.remove(marker)
    _fsync_dir(folder)
