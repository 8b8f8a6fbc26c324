"""The Transformer encoder."""

from __future__ import annotations

import math
from typing import Any

from torch import Tensor, nn

from seqx.models import Encoder, dropout
from seqx_transformer.config import TransformerConfig
from seqx_transformer.layers import EncoderLayer
from seqx_transformer.positions import positional_embedding


class TransformerEncoder(Encoder):
    """Embeddings, positions and a stack of encoder layers.

    Its output is ``{"encoder_out": B x S x C, "encoder_padding_mask": B x S or None}``.
    """

    def __init__(self, cfg: TransformerConfig, dictionary: Any, embed_tokens: nn.Embedding):
        super().__init__(dictionary)
        dim = cfg.encoder_embed_dim
        self.padding_idx = embed_tokens.padding_idx
        self.embed_tokens = embed_tokens
        self.embed_scale = 1.0 if cfg.no_scale_embedding else math.sqrt(dim)
        self.embed_positions = (
            None
            if cfg.no_token_positional_embeddings
            else positional_embedding(
                cfg.encoder_learned_pos, cfg.max_source_positions, dim, self.padding_idx
            )
        )
        self.layernorm_embedding = nn.LayerNorm(dim) if cfg.layernorm_embedding else None
        self.dropout = cfg.dropout
        self.layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.encoder_layers))
        self.layer_norm = nn.LayerNorm(dim) if cfg.encoder_normalize_before else None
        self.max_source_positions = cfg.max_source_positions

    def forward(
        self, src_tokens: Tensor, src_lengths: Tensor | None = None, **kwargs: Any
    ) -> dict[str, Tensor | None]:
        x = self.embed_scale * self.embed_tokens(src_tokens)
        if self.embed_positions is not None:
            x = x + self.embed_positions(src_tokens)
        if self.layernorm_embedding is not None:
            x = self.layernorm_embedding(x)
        x = dropout(x, self.dropout, self.training)
        padding_mask = src_tokens.eq(self.padding_idx)
        has_pads = bool(padding_mask.any())
        mask = padding_mask if has_pads else None
        if has_pads:
            x = x.masked_fill(padding_mask.unsqueeze(-1), 0.0)
        for layer in self.layers:
            x = layer(x, mask)
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        return {"encoder_out": x, "encoder_padding_mask": mask}

    def max_positions(self) -> int:
        return self.max_source_positions
