"""The LSTM encoder: embeddings, a (bidirectional) multi-layer LSTM over packed sequences."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from seqx import utils
from seqx.models import Encoder, dropout
from seqx.models.embedding import padding_index


class LSTMEncoder(Encoder):
    """fairseq's ``LSTMEncoder``; batch-first outputs.

    Returns ``encoder_out`` (B x S x C, C = hidden size, doubled when
    bidirectional), ``final_hiddens`` and ``final_cells`` (B x layers x C) and
    ``encoder_padding_mask`` (B x S, True at padding; None without padding).
    """

    def __init__(
        self,
        dictionary: Any,
        embed_tokens: nn.Embedding,
        hidden_size: int,
        num_layers: int,
        dropout_in: float,
        dropout_out: float,
        bidirectional: bool,
        max_positions: int,
    ) -> None:
        super().__init__(dictionary)
        self.embed_tokens = embed_tokens
        self.padding_idx = padding_index(embed_tokens)
        self.num_layers = num_layers
        self.dropout_in = dropout_in
        self.dropout_out = dropout_out
        self.bidirectional = bidirectional
        self.hidden_size = hidden_size
        self.lstm = nn.LSTM(
            input_size=embed_tokens.embedding_dim,
            hidden_size=hidden_size,
            num_layers=num_layers,
            dropout=dropout_out if num_layers > 1 else 0.0,
            bidirectional=bidirectional,
            batch_first=True,
        )
        for name, param in self.lstm.named_parameters():
            if "weight" in name or "bias" in name:
                nn.init.uniform_(param, -0.1, 0.1)
        self.output_units = hidden_size * (2 if bidirectional else 1)
        self.max_source_positions = max_positions

    def forward(
        self, src_tokens: Tensor, src_lengths: Tensor | None = None, **kwargs: Any
    ) -> dict[str, Tensor | None]:
        # packing wants right padding
        tokens = utils.convert_padding_direction(src_tokens, self.padding_idx, left_to_right=True)
        bsz, seqlen = tokens.shape
        lengths = tokens.ne(self.padding_idx).sum(1)
        x = dropout(self.embed_tokens(tokens), self.dropout_in, self.training)
        packed = nn.utils.rnn.pack_padded_sequence(
            x, lengths.clamp(min=1).cpu(), batch_first=True, enforce_sorted=False
        )
        out, (h, c) = self.lstm(packed)
        x, _ = nn.utils.rnn.pad_packed_sequence(
            out, batch_first=True, padding_value=0.0, total_length=seqlen
        )
        x = dropout(x, self.dropout_out, self.training)
        if self.bidirectional:  # (layers*2) x B x H -> layers x B x 2H
            h = torch.cat([h[0::2], h[1::2]], dim=-1)
            c = torch.cat([c[0::2], c[1::2]], dim=-1)
        mask = tokens.eq(self.padding_idx)
        return {
            "encoder_out": x,
            "final_hiddens": h.transpose(0, 1).contiguous(),
            "final_cells": c.transpose(0, 1).contiguous(),
            "encoder_padding_mask": mask if bool(mask.any()) else None,
        }

    def max_positions(self) -> int:
        return self.max_source_positions
