"""The work of ``seqx preprocess`` on one byte range of one file (run in worker processes)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from seqx.data.dictionary import Dictionary
from seqx.data.lines import read_range
from seqx.data.text_pipeline import ComponentSpec, TextPipeline


@dataclass
class EncodeTask:
    """Encode lines [start, end) of ``path`` to ``out`` (and count words)."""

    path: str
    start: int
    end: int
    out: str | None
    tokenizer: ComponentSpec | None
    bpe: ComponentSpec | None
    count: bool


def encode_chunk(task: EncodeTask) -> tuple[int, Counter[str] | None]:
    """Apply the text pipeline to a chunk; returns its line count and word counts."""
    pipeline = TextPipeline.build(task.tokenizer, task.bpe)
    lines = read_range(task.path, task.start, task.end)
    if not pipeline.identity:
        lines = pipeline.encode_lines(lines)
    if task.out is not None:
        with open(task.out, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in lines)
    counts: Counter[str] | None = None
    if task.count:
        counts = Counter()
        for line in lines:
            counts.update(line.split())
    return len(lines), counts


@dataclass
class BinarizeTask:
    """Binarize lines [start, end) of encoded text ``path`` into dataset ``out_prefix``
    (with ``out_prefix`` None, only count: text formats keep the text itself)."""

    path: str
    start: int
    end: int
    out_prefix: str | None
    dictionary: Dictionary
    fmt: ComponentSpec


def binarize_chunk(task: BinarizeTask) -> tuple[int, int, int]:
    """Write a chunk as a dataset; returns (sentences, tokens, tokens replaced by <unk>)."""
    d = task.dictionary
    unk_word, unk = d.unk_word, d.unk()
    arrays = []
    tokens = replaced = 0
    for line in read_range(task.path, task.start, task.end):
        words = line.split()
        ids = d.encode_tokens(words)
        tokens += len(ids)
        hits = int(np.count_nonzero(ids == unk))
        if hits:
            replaced += hits - words.count(unk_word)
        arrays.append(ids)
    if task.out_prefix is None:
        return len(arrays), tokens, replaced
    fmt: Any = task.fmt.build()
    writer = fmt.writer(task.out_prefix, len(d))
    if hasattr(writer, "add_items"):
        writer.add_items(arrays)
    else:
        for ids in arrays:
            writer.add_item(ids)
    writer.finalize()
    return len(arrays), tokens, replaced
