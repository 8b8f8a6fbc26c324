"""The Transformer encoder."""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from seqx.models import Encoder
from seqx.models.embedding import padding_index
from seqx_transformer.config import TransformerConfig
from seqx_transformer.embedding import TransformerEmbedding, upgrade_embedding_keys
from seqx_transformer.layers import EncoderLayer


class TransformerEncoder(Encoder):
    """Embeddings, positions and a stack of encoder layers.

    Its output is ``{"encoder_out": B x S x C, "encoder_padding_mask": B x S or None}``.
    """

    def __init__(self, cfg: TransformerConfig, dictionary: Any, embed_tokens: nn.Embedding):
        super().__init__(dictionary)
        dim = cfg.encoder_embed_dim
        self.padding_idx = padding_index(embed_tokens)
        self.embedding = TransformerEmbedding(
            embed_tokens,
            learned_pos=cfg.encoder_learned_pos,
            max_positions=cfg.max_source_positions,
            no_positions=cfg.no_token_positional_embeddings,
            no_scale=cfg.no_scale_embedding,
            layernorm=cfg.layernorm_embedding,
            dropout=cfg.dropout,
        )
        self.layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.encoder_layers))
        self.layer_norm = nn.LayerNorm(dim) if cfg.encoder_normalize_before else None
        self.max_source_positions = cfg.max_source_positions

    def forward(
        self, src_tokens: Tensor, src_lengths: Tensor | None = None, **kwargs: Any
    ) -> dict[str, Tensor | None]:
        x = self.embedding(src_tokens)
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

    def upgrade_state_dict_named(self, state_dict: dict[str, Tensor], name: str) -> None:
        upgrade_embedding_keys(state_dict, name)

    @property
    def embed_tokens(self) -> nn.Embedding:
        """The token embedding (fairseq's attribute name)."""
        return self.embedding.embed_tokens

    def max_positions(self) -> int:
        return self.max_source_positions
