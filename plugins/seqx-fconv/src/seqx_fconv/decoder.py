"""The FConv decoder: causal gated convolutions with attention in each layer, incremental."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from seqx.models import (
    BeamCache,
    IncrementalDecoder,
    IncrementalState,
    TiedLinear,
    dropout,
    encoder_cache,
    sentence_group,
)
from seqx.models.embedding import padding_index
from seqx_fconv.modules import PositionEmbedding, linear, linearized_conv

ENCODER = "fconv_encoder"


class AttentionLayer(nn.Module):
    """fairseq's FConv attention: dot products of (projected state + target embedding) with
    the encoder keys, weights over the encoder values, rescaled by the source length."""

    def __init__(self, conv_channels: int, embed_dim: int) -> None:
        super().__init__()
        self.in_projection = linear(conv_channels, embed_dim)
        self.out_projection = linear(embed_dim, conv_channels)

    def forward(
        self,
        x: Tensor,
        target_embedding: Tensor,
        keys_t: Tensor,
        values: Tensor,
        mask: Tensor | None,
        group: int = 1,
    ) -> tuple[Tensor, Tensor]:
        """``x`` B x T x C, ``keys_t`` B x E x S, ``values`` B x S x E, ``mask`` B x S.

        With ``group`` > 1 the rows of ``x`` are the beams of B / group sentences and
        ``keys_t``, ``values`` and ``mask`` hold one row per sentence.
        """
        residual = x
        rows, t, _ = x.shape
        x = (self.in_projection(x) + target_embedding) * math.sqrt(0.5)
        if group > 1:  # the beams of a sentence attend together to its one copy
            x = x.reshape(rows // group, group * t, -1)
        scores = torch.bmm(x, keys_t)  # B x T x S
        if mask is not None:
            scores = scores.float().masked_fill(mask.unsqueeze(1), float("-inf")).type_as(scores)
        weights = torch.softmax(scores, dim=2)
        x = torch.bmm(weights, values)
        s = values.size(1)
        if mask is None:
            x = x * (s * math.sqrt(1.0 / s))
        else:
            n = (s - mask.type_as(x).sum(dim=1, keepdim=True)).unsqueeze(-1)  # B x 1 x 1
            x = x * (n * n.rsqrt())
        if group > 1:
            x, weights = x.reshape(rows, t, -1), weights.reshape(rows, t, -1)
        return (self.out_projection(x) + residual) * math.sqrt(0.5), weights


class FConvDecoder(IncrementalDecoder):
    """fairseq's ``FConvDecoder``.

    Decoding one position at a time keeps, per convolution, a buffer of its
    last ``kernel_size`` inputs, so a step costs one matrix product per
    layer, not a convolution over the whole prefix.
    """

    def __init__(
        self,
        dictionary: Any,
        embed_tokens: nn.Embedding,
        out_embed_dim: int,
        layers: list[tuple[int, int, int]],
        attention: list[bool],
        dropout: float,
        share_embed: bool,
        max_positions: int,
    ) -> None:
        super().__init__(dictionary)
        self.dropout = dropout
        self.embed_tokens = embed_tokens
        padding_idx = padding_index(embed_tokens)
        dim = embed_tokens.embedding_dim
        self.embed_positions = PositionEmbedding(max_positions, dim, padding_idx)
        in_channels = layers[0][0]
        self.fc1 = linear(dim, in_channels, dropout=dropout)
        self.projections = nn.ModuleList()
        self.convolutions = nn.ModuleList()
        self.attention = nn.ModuleList()
        self.residuals: list[int] = []
        layer_in_channels = [in_channels]
        for (out_channels, kernel_size, residual), attend in zip(layers, attention):
            residual_dim = out_channels if residual == 0 else layer_in_channels[-residual]
            # None where fairseq has none: its module indices and state-dict names
            self.projections.append(
                linear(residual_dim, out_channels) if residual_dim != out_channels else None  # type: ignore[arg-type]
            )
            self.convolutions.append(
                linearized_conv(in_channels, out_channels * 2, kernel_size, dropout)
            )
            self.attention.append(AttentionLayer(out_channels, dim) if attend else None)  # type: ignore[arg-type]
            self.residuals.append(residual)
            in_channels = out_channels
            layer_in_channels.append(out_channels)
        self.fc2 = linear(in_channels, out_embed_dim)
        if share_embed:
            if out_embed_dim != dim:
                raise ValueError(
                    "shared output embeddings need --decoder-out-embed-dim = embed dim"
                )
            self.fc3: nn.Module = TiedLinear(self.embed_tokens)
        else:
            self.fc3 = linear(out_embed_dim, len(dictionary), dropout=dropout)
        self.max_target_positions = max_positions

    def _attention_source(
        self, encoder_out: dict[str, Any], incremental_state: IncrementalState | None
    ) -> tuple[Tensor, Tensor, Tensor | None]:
        """The encoder's keys (transposed, B x C x S) and values, and its padding mask;
        with a cache, kept once per sentence and cast once."""
        keys, values = encoder_out["encoder_out"]
        mask = encoder_out["encoder_padding_mask"]
        if incremental_state is None:
            return keys.transpose(1, 2).contiguous(), values, mask
        kept = encoder_cache(
            incremental_state, ENCODER, {"keys": keys, "values": values, "mask": mask}
        )
        if "keys_t" not in kept:  # transposed once, in the cache's own dtype
            kept["keys_t"] = kept.pop("keys").transpose(1, 2).contiguous()
        return kept["keys_t"], kept["values"], kept["mask"]

    def extract_features(
        self,
        prev_output_tokens: Tensor,
        encoder_out: Any = None,
        incremental_state: IncrementalState | None = None,
        **kwargs: Any,
    ) -> tuple[Tensor, dict[str, Any]]:
        incremental = incremental_state is not None
        keys_t = values = mask = None
        # under beam search the encoder output is kept once per sentence, not per beam
        group = 1
        if incremental_state is not None:
            group = sentence_group(incremental_state, prev_output_tokens.size(0))
        if encoder_out is not None:
            keys_t, values, mask = self._attention_source(encoder_out, incremental_state)
        pos = self.embed_positions(prev_output_tokens, incremental=incremental)
        tokens = prev_output_tokens[:, -1:] if incremental else prev_output_tokens
        x = dropout(self.embed_tokens(tokens) + pos, self.dropout, self.training)
        target_embedding = x
        x = self.fc1(x)  # B x T x C
        states = [x]
        attn_sum = None
        for i, (proj, conv, attention, res) in enumerate(
            zip(self.projections, self.convolutions, self.attention, self.residuals)
        ):
            residual = None
            if res > 0:
                residual = states[-res]
                residual = residual if proj is None else proj(residual)
            x = dropout(x, self.dropout, self.training)
            if incremental_state is not None:
                key = f"fconv_conv{i}"
                buffer = (incremental_state.get(key) or {}).get("buffer")
                out, buffer = conv.step(x[:, 0], buffer)  # type: ignore[operator]
                incremental_state[key] = BeamCache(buffer=buffer)
                x = out.unsqueeze(1)
            else:
                x = conv(x.transpose(0, 1)).transpose(0, 1)
            x = F.glu(x, dim=2)
            if attention is not None and keys_t is not None:
                x, weights = attention(x, target_embedding, keys_t, values, mask, group)
                attn_sum = weights if attn_sum is None else attn_sum + weights
            if residual is not None:
                x = (x + residual) * math.sqrt(0.5)
            states.append(x)
        x = dropout(self.fc2(x), self.dropout, self.training)
        return x, {"attn": attn_sum}

    def output_layer(self, features: Tensor, **kwargs: Any) -> Tensor:
        return self.fc3(features)

    def max_positions(self) -> int:
        return self.max_target_positions
