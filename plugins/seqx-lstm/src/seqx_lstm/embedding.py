"""Token embeddings, optionally read from a pretrained text file (fairseq's format)."""

from __future__ import annotations

from typing import Any

from torch import nn

from seqx.models.embedding_file import load_pretrained


def embedding(num: int, dim: int, padding_idx: int) -> nn.Embedding:
    """fairseq's LSTM embedding init: U(-0.1, 0.1), zero padding row."""
    m = nn.Embedding(num, dim, padding_idx=padding_idx)
    nn.init.uniform_(m.weight, -0.1, 0.1)
    nn.init.constant_(m.weight[padding_idx], 0)
    return m


def build_embedding(
    dictionary: Any, dim: int, path: str | None, freeze: bool, flag: str
) -> nn.Embedding:
    """An embedding for ``dictionary``, from ``path`` when given, frozen with ``freeze``."""
    emb = embedding(len(dictionary), dim, dictionary.pad())
    if path:
        load_pretrained(path, dictionary, emb, flag)
    if freeze:
        emb.weight.requires_grad_(False)
    return emb
