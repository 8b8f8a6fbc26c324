"""``seqx verify DATA...``: check data folders against what preprocess recorded."""

from __future__ import annotations

import os
import re
from typing import Any

import click

from seqx.errors import SeqxError

_SPLIT_FILE = re.compile(r"^((?:train|valid|test)\d*)(?:\.([^.]+)-([^.]+)\.([^.]+))?\.idx$")


def _recorded_splits(manifest: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(prefix, language) of every split the manifest lists."""
    src, tgt = manifest.get("source_lang"), manifest.get("target_lang")
    out: list[tuple[str, str | None]] = []
    for split, by_lang in (manifest.get("splits") or {}).items():
        for lang in by_lang:
            out.append((f"{split}.{src}-{tgt}.{lang}" if lang else split, lang or None))
    return out


def _found_splits(folder: str) -> list[tuple[str, str | None]]:
    """(prefix, language) of every indexed split in a folder without a manifest."""
    out: list[tuple[str, str | None]] = []
    for name in sorted(os.listdir(folder)):
        m = _SPLIT_FILE.match(name)
        if m:
            out.append((name[: -len(".idx")], m.group(4)))
    return out


def _open_splits(folder: str, manifest: dict[str, Any]) -> int:
    """Open every split with the folder's dataset format (which validates its index and
    the ids against the dictionary); returns how many were opened."""
    from seqx.data.folder import folder_format, load_dictionary
    from seqx.plugins import get_registry

    registry = get_registry()
    name = folder_format(folder) or "mmap"
    if ("dataset_format", name) not in registry:
        raise SeqxError(registry.unknown_message("dataset_format", name) + f" (used by '{folder}')")
    fmt = registry.get("dataset_format", name).load()(None)
    splits = _recorded_splits(manifest) if manifest else _found_splits(folder)
    for prefix, lang in splits:
        if lang is None and not os.path.isfile(os.path.join(folder, "dict.txt")):
            continue  # a split without a language needs fairseq's dict.txt
        fmt.load(os.path.join(folder, prefix), load_dictionary(folder, lang))
    return len(splits)


@click.command()
@click.argument("data", nargs=-1, required=True)
def verify(data: tuple[str, ...]) -> None:
    """Check data folders: every file's size and SHA-256 against the manifest seqx
    preprocess wrote, each dictionary's fingerprint, each split's index and token ids
    (a folder made by fairseq-preprocess: its indexes and ids). Exits with status 1
    when anything differs."""
    from seqx.data.folder import data_paths, read_manifest
    from seqx.data.integrity import check_complete, verify_files

    failed = []
    for folder in data:
        if not os.path.isdir(folder):
            raise SeqxError(f"data folder '{folder}' does not exist (the DATA argument)")
        check_complete(folder)
        manifest = read_manifest(folder)
        problems = verify_files(folder, manifest)
        if problems:
            failed.append(folder)
            for problem in problems:
                click.echo(problem)
            continue
        data_paths(folder)
        splits = _open_splits(folder, manifest)
        if manifest.get("files"):
            click.echo(f"{folder}: {len(manifest['files'])} files and {splits} splits verified")
        else:
            click.echo(
                f"{folder}: {splits} splits opened; no checksums recorded (not written by "
                "seqx preprocess)"
            )
    if failed:
        raise SeqxError(
            f"{', '.join(failed)}: files differ from what seqx preprocess wrote; run it again"
        )
