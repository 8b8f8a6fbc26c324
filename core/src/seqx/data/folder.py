"""What a data folder is: the files ``seqx preprocess`` (or ``fairseq-preprocess``) writes.

A folder holds one dictionary per language (``dict.LANG.txt``, or ``dict.txt`` in
fairseq's language-model layout), each split's data files named
``SPLIT.SRC-TGT.LANG`` (``SPLIT`` alone without a language), and, when seqx made it, a
manifest, ``preprocess.json``: the languages, the dataset format, the tokenizer and
subword models applied (their model files kept in the folder) and each split's counts.
``DATA1:DATA2`` names shards, one folder each. Every reader of a folder goes through
this module.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from typing import Any

from seqx.config.resolve import config_from_dict
from seqx.data.dictionary import Dictionary
from seqx.data.integrity import check_complete, check_sizes, is_data_file
from seqx.data.text_pipeline import TextPipeline
from seqx.errors import SeqxError
from seqx.registry import Registry

MANIFEST = "preprocess.json"
"""The manifest's file name."""
SPLITS = ("train", "valid", "test")
"""How the names of a folder's splits begin."""


def data_paths(data: str) -> list[str]:
    """The shards of DATA (``DATA1:DATA2``); each must be a complete folder whose files
    have the sizes its manifest recorded (:mod:`seqx.data.integrity`)."""
    paths = [p for p in (data or "").split(os.pathsep) if p]
    if not paths:
        raise SeqxError("give the data folder (the DATA argument)")
    for p in paths:
        if os.path.isfile(p):
            raise SeqxError(f"data folder '{p}' is a file; give the folder (the DATA argument)")
        if not os.path.isdir(p):
            raise SeqxError(f"data folder '{p}' does not exist (the DATA argument)")
        check_complete(p)
        check_sizes(p, read_manifest(p))
    return paths


def split_parts(
    split: str, combine: bool, find: Callable[[str], str | None]
) -> list[tuple[str, str]]:
    """``split`` and, with ``combine``, ``split1``, ``split2``, ... as long as they exist
    (fairseq's several training corpora): each part's name and what ``find`` returned
    for it (its file prefix; None: no such part). The first part must exist."""
    parts = []
    for k in itertools.count():
        name = split + (str(k) if k else "")
        found = find(name)
        if found is None:
            break
        parts.append((name, found))
        if not combine:
            break
    return parts


def dictionary_file(lang: str | None) -> str:
    """The dictionary's name in a data folder: ``dict.LANG.txt``, or ``dict.txt`` without a
    language (fairseq's language-model layout)."""
    return f"dict.{lang}.txt" if lang else "dict.txt"


def read_manifest(path: str) -> dict[str, Any]:
    """The ``preprocess.json`` of a data folder ({} when absent, e.g. fairseq's data-bin)."""
    manifest = os.path.join(path, MANIFEST)
    if not os.path.isfile(manifest):
        return {}
    try:
        with open(manifest, encoding="utf-8-sig") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise SeqxError(f"cannot read '{manifest}': {exc}") from None
    if not isinstance(data, dict):
        raise SeqxError(f"'{manifest}' is not a seqx manifest (a JSON object)")
    return data


def write_manifest(folder: str, manifest: dict[str, Any]) -> None:
    """Write ``folder``'s manifest (durably, through a temporary file and a rename)."""
    tmp = os.path.join(folder, MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(folder, MANIFEST))


def folder_format(path: str) -> str | None:
    """The ``--dataset-impl`` a folder was written with, as fairseq infers it: from the
    manifest, else from the magic of its ``.idx`` files (``mmap``, or ``cached`` for the
    older TorchNet layout), ``raw`` when it holds text splits (``SPLIT.SRC-TGT.LANG``) and
    no index; None when it cannot tell."""
    recorded = read_manifest(path).get("dataset_impl")
    if recorded:
        return str(recorded)
    names = sorted(os.listdir(path))
    indexes = [n for n in names if n.endswith(".idx")]
    if indexes:
        with open(os.path.join(path, indexes[0]), "rb") as f:
            return "cached" if f.read(8) == b"TNTIDX\x00\x00" else "mmap"
    if any(is_data_file(n) and n.startswith(SPLITS) and not n.endswith(".bin") for n in names):
        return "raw"
    return None


def infer_language_pair(path: str) -> tuple[str, str] | None:
    """The (source, target) of files named ``SPLIT.SRC-TGT.LANG`` in ``path``."""
    for name in sorted(os.listdir(path)):
        parts = name.split(".")
        if len(parts) >= 3 and len(parts[1].split("-")) == 2:
            src, tgt = parts[1].split("-")
            if src and tgt and tgt != "None":
                return src, tgt
    return None


def language_pair(path: str) -> tuple[str, str]:
    """The folder's (source, target): from its manifest, else from its file names."""
    manifest = read_manifest(path)
    pair = (
        (manifest["source_lang"], manifest["target_lang"])
        if manifest.get("target_lang")
        else infer_language_pair(path)
    )
    if pair is None:
        raise SeqxError(
            f"cannot infer the language pair of data folder '{path}' (no file "
            "named SPLIT.SRC-TGT.LANG): give -s/--source-lang and -t/--target-lang"
        )
    return pair


def monolingual_language(path: str) -> str | None:
    """The language of a monolingual data folder: None for fairseq's ``dict.txt`` layout."""
    if os.path.isfile(os.path.join(path, dictionary_file(None))):
        return None
    lang = read_manifest(path).get("source_lang")
    if lang:
        return str(lang)
    dicts = sorted(n for n in os.listdir(path) if n.startswith("dict.") and n.endswith(".txt"))
    if len(dicts) == 1:
        return dicts[0][len("dict.") : -len(".txt")]
    found = f" (it holds {', '.join(dicts)})" if dicts else ""
    raise SeqxError(
        f"data folder '{path}' has no dict.txt{found}: make it with seqx preprocess "
        "--only-source --trainpref TEXT --destdir DIR"
    )


def load_dictionary(folder: str, lang: str | None) -> Dictionary:
    """The folder's dictionary of ``lang``; a missing one names the languages it holds."""
    path = os.path.join(folder, dictionary_file(lang))
    if not os.path.isfile(path):
        pairs = sorted({n.split(".")[1] for n in os.listdir(folder) if n.count(".") >= 2})
        hint = f" (the folder holds: {', '.join(pairs)})" if pairs else ""
        raise SeqxError(
            f"dictionary '{path}' does not exist: is '{lang}' a language of this data folder?{hint}"
        )
    dictionary = Dictionary.load(path)
    recorded = (read_manifest(folder).get("dictionaries") or {}).get(dictionary_file(lang))
    if recorded and recorded.get("fingerprint") != dictionary.fingerprint():
        raise SeqxError(
            f"dictionary '{path}' is not the one seqx preprocess encoded this folder's data "
            f"with (fingerprint {dictionary.fingerprint()}, recorded "
            f"{recorded.get('fingerprint')}): restore it or run seqx preprocess again"
        )
    return dictionary


def _component(registry: Registry, kind: str, record: dict[str, Any], data: str) -> Any:
    name = record["_name"]
    if (kind, name) not in registry:
        raise SeqxError(registry.unknown_message(kind, name) + f" (recorded in '{data}')")
    entry = registry.get(kind, name)
    cls = entry.load_config()
    cfg = config_from_dict(cls, record) if cls is not None else None
    impl = entry.load()
    for field in getattr(impl, "model_files", ()):  # model files are kept relative to DATA
        value = getattr(cfg, field)
        if value and not os.path.isabs(value):
            setattr(cfg, field, os.path.join(data, value))
    return impl(cfg)


def folder_pipeline(registry: Registry, data: str, lang: str) -> TextPipeline:
    """The tokenizer and subword model ``seqx preprocess`` recorded for ``lang`` in ``data``."""
    manifest = read_manifest(data)
    tok = manifest.get("tokenizer")
    bpe = (manifest.get("bpe") or {}).get(lang)
    return TextPipeline(
        _component(registry, "tokenizer", tok, data) if tok else None,
        _component(registry, "bpe", bpe, data) if bpe else None,
    )
