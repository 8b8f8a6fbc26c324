"""``seqx verify DATA...``: check a data folder's files against what preprocess recorded."""

from __future__ import annotations

import os
from typing import Any

import click

from seqx.errors import SeqxError


def _splits(manifest: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(split, language) of every split the manifest lists."""
    out: list[tuple[str, str | None]] = []
    for split, by_lang in (manifest.get("splits") or {}).items():
        out += [(split, lang or None) for lang in by_lang]
    return out


def _open_splits(folder: str, manifest: dict[str, Any]) -> int:
    """Open every split with the folder's dataset format (which validates its index and
    the ids against the dictionary); returns how many were opened."""
    from seqx.data.folder import load_dictionary
    from seqx.plugins import get_registry

    registry = get_registry()
    name = manifest.get("dataset_impl") or "mmap"
    if ("dataset_format", name) not in registry:
        raise SeqxError(registry.unknown_message("dataset_format", name) + f" (used by '{folder}')")
    fmt = registry.get("dataset_format", name).load()(None)
    src, tgt = manifest.get("source_lang"), manifest.get("target_lang")
    for split, lang in _splits(manifest):
        prefix = split if not lang else f"{split}.{src}-{tgt}.{lang}"
        fmt.load(os.path.join(folder, prefix), load_dictionary(folder, lang))
    return len(_splits(manifest))


@click.command()
@click.argument("data", nargs=-1, required=True)
def verify(data: tuple[str, ...]) -> None:
    """Check data folders made by seqx preprocess: every file's size and SHA-256 against
    the manifest, each dictionary's fingerprint, each split's index and token ids.
    Exits with status 1 when anything differs."""
    from seqx.data.folder import data_paths, read_manifest
    from seqx.data.integrity import check_complete, verify_files

    failed = []
    for folder in data:
        if not os.path.isdir(folder):
            raise SeqxError(f"data folder '{folder}' does not exist (the DATA argument)")
        check_complete(folder)
        manifest = read_manifest(folder)
        if not manifest.get("files"):
            click.echo(f"{folder}: no checksums recorded (not written by this seqx preprocess)")
            continue
        problems = verify_files(folder, manifest)
        if not problems:
            data_paths(folder)
            splits = _open_splits(folder, manifest)
            click.echo(f"{folder}: {len(manifest['files'])} files and {splits} splits verified")
            continue
        failed.append(folder)
        for problem in problems:
            click.echo(problem)
    if failed:
        raise SeqxError(
            f"{', '.join(failed)}: files differ from what seqx preprocess wrote; run it again"
        )
