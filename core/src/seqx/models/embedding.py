"""Token embeddings: the padding index every model reads from them."""

from __future__ import annotations

from torch import nn


def padding_index(embed_tokens: nn.Embedding) -> int:
    """The padding index of a token embedding; an error when it was built without one."""
    if embed_tokens.padding_idx is None:
        raise ValueError("token embeddings need a padding index (nn.Embedding(padding_idx=...))")
    return embed_tokens.padding_idx
