"""The Transformer decoder, incremental."""

from __future__ import annotations

import math
from typing import Any

import torch.nn.functional as F
from torch import Tensor, nn

from seqx.models import IncrementalDecoder, IncrementalState, dropout
from seqx_transformer.config import TransformerConfig
from seqx_transformer.layers import DecoderLayer
from seqx_transformer.positions import positional_embedding


class TransformerDecoder(IncrementalDecoder):
    """Embeddings, positions, decoder layers and the output projection."""

    def __init__(
        self,
        cfg: TransformerConfig,
        dictionary: Any,
        embed_tokens: nn.Embedding,
        share_input_output_embed: bool,
    ) -> None:
        super().__init__(dictionary)
        dim = cfg.decoder_embed_dim
        assert dim is not None and cfg.decoder_output_dim is not None
        self.padding_idx = embed_tokens.padding_idx
        self.embed_tokens = embed_tokens
        self.embed_scale = 1.0 if cfg.no_scale_embedding else math.sqrt(dim)
        self.embed_positions = (
            None
            if cfg.no_token_positional_embeddings
            else positional_embedding(
                cfg.decoder_learned_pos, cfg.max_target_positions, dim, self.padding_idx
            )
        )
        self.layernorm_embedding = nn.LayerNorm(dim) if cfg.layernorm_embedding else None
        self.dropout = cfg.dropout
        self.layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.decoder_layers))
        self.layer_norm = nn.LayerNorm(dim) if cfg.decoder_normalize_before else None
        self.project_out_dim = (
            nn.Linear(dim, cfg.decoder_output_dim, bias=False)
            if cfg.decoder_output_dim != dim
            else None
        )
        self.share_input_output_embed = share_input_output_embed
        if share_input_output_embed:
            if cfg.decoder_output_dim != embed_tokens.embedding_dim:
                raise ValueError("shared output embeddings need --decoder-output-dim = embed dim")
            self.output_projection = None
        else:
            self.output_projection = nn.Linear(cfg.decoder_output_dim, len(dictionary), bias=False)
            nn.init.normal_(self.output_projection.weight, 0, cfg.decoder_output_dim**-0.5)
        self.max_target_positions = cfg.max_target_positions

    def extract_features(
        self,
        prev_output_tokens: Tensor,
        encoder_out: Any = None,
        incremental_state: IncrementalState | None = None,
        **kwargs: Any,
    ) -> tuple[Tensor, dict[str, Any]]:
        incremental = incremental_state is not None
        tokens = prev_output_tokens[:, -1:] if incremental else prev_output_tokens
        x = self.embed_scale * self.embed_tokens(tokens)
        if self.embed_positions is not None:
            x = x + self.embed_positions(prev_output_tokens, incremental=incremental)
        if self.layernorm_embedding is not None:
            x = self.layernorm_embedding(x)
        x = dropout(x, self.dropout, self.training)
        enc = encoder_out["encoder_out"] if encoder_out is not None else None
        enc_mask = encoder_out["encoder_padding_mask"] if encoder_out is not None else None
        for layer in self.layers:
            x = layer(x, enc, enc_mask, incremental_state)
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        if self.project_out_dim is not None:
            x = self.project_out_dim(x)
        return x, {}

    def static_cache_keys(self) -> set[str]:
        return {layer.encoder_attn.key for layer in self.layers}  # type: ignore[union-attr]

    def output_layer(self, features: Tensor, **kwargs: Any) -> Tensor:
        if self.output_projection is None:
            return F.linear(features, self.embed_tokens.weight)
        return self.output_projection(features)

    def max_positions(self) -> int:
        return self.max_target_positions
