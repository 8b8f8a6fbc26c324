"""The input side of the encoder and decoder: scaled token embeddings, positions, dropout."""

from __future__ import annotations

import math

from torch import Tensor, nn

from seqx.models import dropout
from seqx.models.embedding import padding_index
from seqx_transformer.positions import positional_embedding


class TransformerEmbedding(nn.Module):
    """``dropout(layernorm?(scale * embed(tokens) + positions))``."""

    def __init__(
        self,
        embed_tokens: nn.Embedding,
        *,
        learned_pos: bool,
        max_positions: int,
        no_positions: bool,
        no_scale: bool,
        layernorm: bool,
        dropout: float,
    ) -> None:
        super().__init__()
        dim = embed_tokens.embedding_dim
        self.padding_idx = padding_index(embed_tokens)
        self.embed_tokens = embed_tokens
        self.embed_scale = 1.0 if no_scale else math.sqrt(dim)
        self.embed_positions = (
            None
            if no_positions
            else positional_embedding(learned_pos, max_positions, dim, self.padding_idx)
        )
        self.layernorm_embedding = nn.LayerNorm(dim) if layernorm else None
        self.dropout = dropout

    def forward(self, tokens: Tensor, incremental: bool = False) -> Tensor:
        """Embed ``tokens``; ``incremental`` embeds only the last position of the prefix."""
        step = tokens[:, -1:] if incremental else tokens
        x = self.embed_scale * self.embed_tokens(step)
        if self.embed_positions is not None:
            x = x + self.embed_positions(tokens, incremental=incremental)
        if self.layernorm_embedding is not None:
            x = self.layernorm_embedding(x)
        return dropout(x, self.dropout, self.training)


def upgrade_embedding_keys(state_dict: dict, name: str) -> None:
    """Move ``NAME.embed_tokens`` (and positions, layer norm) under ``NAME.embedding``,
    where checkpoints written before the embedding module kept them."""
    prefix = f"{name}." if name else ""
    for old in ("embed_tokens", "embed_positions", "layernorm_embedding"):
        for key in [k for k in state_dict if k.startswith(f"{prefix}{old}.")]:
            state_dict[f"{prefix}embedding.{key[len(prefix) :]}"] = state_dict.pop(key)
