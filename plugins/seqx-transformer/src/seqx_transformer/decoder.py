"""The Transformer decoder, incremental."""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from seqx.models import IncrementalDecoder, IncrementalState, TiedLinear, sentence_group
from seqx.models.embedding import padding_index
from seqx_transformer.config import TransformerConfig
from seqx_transformer.embedding import TransformerEmbedding, upgrade_embedding_keys
from seqx_transformer.layers import DecoderLayer


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
        dim, output_dim = cfg.decoder_dim, cfg.output_dim
        self.padding_idx = padding_index(embed_tokens)
        self.embedding = TransformerEmbedding(
            embed_tokens,
            learned_pos=cfg.decoder_learned_pos,
            max_positions=cfg.max_target_positions,
            no_positions=cfg.no_token_positional_embeddings,
            no_scale=cfg.no_scale_embedding,
            layernorm=cfg.layernorm_embedding,
            dropout=cfg.dropout,
        )
        self.layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.decoder_layers))
        self.layer_norm = nn.LayerNorm(dim) if cfg.decoder_normalize_before else None
        self.project_out_dim = nn.Linear(dim, output_dim, bias=False) if output_dim != dim else None
        self.share_input_output_embed = share_input_output_embed
        if share_input_output_embed:
            if output_dim != embed_tokens.embedding_dim:
                raise ValueError("shared output embeddings need --decoder-output-dim = embed dim")
            self.output_projection: nn.Module = TiedLinear(self.embed_tokens)
        else:
            self.output_projection = nn.Linear(output_dim, len(dictionary), bias=False)
            nn.init.normal_(self.output_projection.weight, 0, output_dim**-0.5)
        self.max_target_positions = cfg.max_target_positions

    def extract_features(
        self,
        prev_output_tokens: Tensor,
        encoder_out: Any = None,
        incremental_state: IncrementalState | None = None,
        **kwargs: Any,
    ) -> tuple[Tensor, dict[str, Any]]:
        if incremental_state is not None:  # rows must be whole sentences
            sentence_group(incremental_state, prev_output_tokens.size(0))
        x = self.embedding(prev_output_tokens, incremental=incremental_state is not None)
        enc = encoder_out["encoder_out"] if encoder_out is not None else None
        enc_mask = encoder_out["encoder_padding_mask"] if encoder_out is not None else None
        for layer in self.layers:
            x = layer(x, enc, enc_mask, incremental_state)
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        if self.project_out_dim is not None:
            x = self.project_out_dim(x)
        return x, {}

    def upgrade_state_dict_named(self, state_dict: dict[str, Tensor], name: str) -> None:
        upgrade_embedding_keys(state_dict, name)

    @property
    def embed_tokens(self) -> nn.Embedding:
        """The token embedding (fairseq's attribute name)."""
        return self.embedding.embed_tokens

    def output_layer(self, features: Tensor, **kwargs: Any) -> Tensor:
        return self.output_projection(features)

    def max_positions(self) -> int:
        return self.max_target_positions
