"""The text side of generation: a data folder's tokenizer and subword model, and output lines."""

from __future__ import annotations

import math
import os
from typing import Any

from seqx.config.resolve import config_from_dict
from seqx.data.text_pipeline import TextPipeline
from seqx.errors import SeqxError
from seqx.registry import Registry
from seqx.tasks.translation import read_manifest


def _component(registry: Registry, kind: str, record: dict[str, Any], data: str) -> Any:
    name = record["_name"]
    if (kind, name) not in registry:
        raise SeqxError(registry.unknown_message(kind, name) + f" (recorded in '{data}')")
    entry = registry.get(kind, name)
    cls = entry.load_config()
    cfg = config_from_dict(cls, record) if cls is not None else None
    impl = entry.load()
    for field in getattr(impl, "model_files", ()):  # model files are kept relative to DATA
        value = getattr(cfg, field, None)
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


def post_process_symbol(cfg: Any) -> str | None:
    """``--post-process``, or its alias ``--remove-bpe``."""
    return cfg.post_process or cfg.remove_bpe


def hypothesis_lines(
    sid: int, hypo: dict[str, Any], tgt_dict: Any, post_process: str | None, decode: Any
) -> tuple[list[str], str, str]:
    """fairseq's H, D and P lines of one hypothesis, its token string and its decoded text."""
    hypo_str = tgt_dict.string(hypo["tokens"], post_process)
    detok = decode(tgt_dict.string(hypo["tokens"], None))
    score = hypo["score"] / math.log(2)
    positional = " ".join(f"{s / math.log(2):.4f}" for s in hypo["positional_scores"].tolist())
    return (
        [
            f"H-{sid}\t{score:.6g}\t{hypo_str}",
            f"D-{sid}\t{score:.6g}\t{detok}",
            f"P-{sid}\t{positional}",
        ],
        hypo_str,
        detok,
    )
