"""The LSTM decoder: stacked LSTM cells with input feeding and attention, incremental."""

from __future__ import annotations

from typing import Any

import torch
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
from seqx.models.adaptive_softmax import AdaptiveSoftmax
from seqx_lstm.attention import AttentionLayer, linear

STATE = "lstm_decoder"
ENCODER = "lstm_encoder_out"


class LSTMDecoder(IncrementalDecoder):
    """fairseq's ``LSTMDecoder``.

    At each target position the first layer reads the token embedding and
    the previous output ("input feeding"); each layer's hidden state feeds
    the next (plus its own state of the previous step with ``residuals``); the last one
    attends over the encoder output. With an incremental state only the last
    position is computed, from the cached hidden and cell states and output.
    """

    def __init__(
        self,
        dictionary: Any,
        embed_tokens: nn.Embedding,
        hidden_size: int,
        out_embed_dim: int,
        num_layers: int,
        dropout_in: float,
        dropout_out: float,
        attention: bool,
        encoder_output_units: int,
        share_input_output_embed: bool,
        residuals: bool,
        max_positions: int,
        adaptive_softmax_cutoff: list[int] | None = None,
    ) -> None:
        super().__init__(dictionary)
        self.embed_tokens = embed_tokens
        self.dropout_in = dropout_in
        self.dropout_out = dropout_out
        self.hidden_size = hidden_size
        self.residuals = residuals
        self.num_layers = num_layers
        embed_dim = embed_tokens.embedding_dim
        self.input_feeding = encoder_output_units > 0
        feed = hidden_size if self.input_feeding else 0
        self.layers = nn.ModuleList(
            nn.LSTMCell(feed + embed_dim if i == 0 else hidden_size, hidden_size)
            for i in range(num_layers)
        )
        for cell in self.layers:
            for param in cell.parameters():
                nn.init.uniform_(param, -0.1, 0.1)
        self.encoder_hidden_proj = self.encoder_cell_proj = None
        if encoder_output_units and encoder_output_units != hidden_size:
            self.encoder_hidden_proj = linear(encoder_output_units, hidden_size)
            self.encoder_cell_proj = linear(encoder_output_units, hidden_size)
        self.attention = (
            AttentionLayer(hidden_size, encoder_output_units, hidden_size) if attention else None
        )
        self.additional_fc = (
            linear(hidden_size, out_embed_dim) if hidden_size != out_embed_dim else None
        )
        self.share_input_output_embed = share_input_output_embed
        self.fc_out: nn.Module | None = None
        if adaptive_softmax_cutoff is not None:  # fairseq's: over the hidden states
            self.adaptive_softmax = AdaptiveSoftmax(
                adaptive_softmax_cutoff, hidden_size, dropout=dropout_out
            )
            self.additional_fc = None
        elif not share_input_output_embed:
            self.fc_out = linear(out_embed_dim, len(dictionary))
        elif out_embed_dim != embed_dim:
            raise ValueError("shared output embeddings need --decoder-out-embed-dim = embed dim")
        else:
            self.fc_out = TiedLinear(self.embed_tokens)
        self.max_target_positions = max_positions

    def _initial_state(self, encoder_out: Any, bsz: int, like: Tensor) -> dict[str, Tensor]:
        layers, hidden = self.num_layers, self.hidden_size
        if encoder_out is None:
            zeros = like.new_zeros(bsz, layers, hidden)
            return {"hiddens": zeros, "cells": zeros, "input_feed": like.new_zeros(bsz, hidden)}
        h, c = encoder_out["final_hiddens"], encoder_out["final_cells"]  # B x L_enc x C
        take = [min(i, h.size(1) - 1) for i in range(layers)]
        h, c = h[:, take], c[:, take]
        if self.encoder_hidden_proj is not None:
            h, c = self.encoder_hidden_proj(h), self.encoder_cell_proj(c)  # type: ignore[misc]
        feed = like.new_zeros(bsz, hidden)
        return {"hiddens": h, "cells": c, "input_feed": feed}

    def extract_features(
        self,
        prev_output_tokens: Tensor,
        encoder_out: Any = None,
        incremental_state: IncrementalState | None = None,
        **kwargs: Any,
    ) -> tuple[Tensor, dict[str, Any]]:
        cached = incremental_state.get(STATE) if incremental_state is not None else None
        if incremental_state is not None:
            prev_output_tokens = prev_output_tokens[:, -1:]
        bsz, seqlen = prev_output_tokens.shape
        x = dropout(self.embed_tokens(prev_output_tokens), self.dropout_in, self.training)
        state = cached if cached else self._initial_state(encoder_out, bsz, x)
        hiddens_t, cells_t, feed = state["hiddens"], state["cells"], state["input_feed"]
        assert hiddens_t is not None and cells_t is not None and feed is not None
        hiddens, cells = list(hiddens_t.unbind(1)), list(cells_t.unbind(1))
        source = mask = None
        group = 1
        if encoder_out is not None and self.attention is not None:
            source, mask = encoder_out["encoder_out"], encoder_out["encoder_padding_mask"]
            if incremental_state is not None:
                # under beam search the encoder output is kept once per sentence, not per beam
                group = sentence_group(incremental_state, bsz)
                kept = encoder_cache(incremental_state, ENCODER, {"source": source, "mask": mask})
                source, mask = kept["source"], kept["mask"]
        outs, attn = [], []
        for j in range(seqlen):
            step = torch.cat([x[:, j], feed], dim=1) if self.input_feeding else x[:, j]
            for i, cell in enumerate(self.layers):
                hidden, cells[i] = cell(step, (hiddens[i], cells[i]))
                step = dropout(hidden, self.dropout_out, self.training)
                if self.residuals:  # fairseq's: plus the layer's state of the previous step
                    step = step + hiddens[i]
                hiddens[i] = hidden
            if self.attention is not None and source is not None:
                out, weights = self.attention(hidden, source, mask, group)
                attn.append(weights)
            else:
                out = hidden
            out = dropout(out, self.dropout_out, self.training)
            feed = out
            outs.append(out)
        if incremental_state is not None:
            incremental_state[STATE] = BeamCache(
                hiddens=torch.stack(hiddens, 1), cells=torch.stack(cells, 1), input_feed=feed
            )
        x = torch.stack(outs, dim=1)  # B x T x H
        if self.additional_fc is not None:
            x = dropout(self.additional_fc(x), self.dropout_out, self.training)
        return x, {"attn": torch.stack(attn, dim=1) if attn else None}

    def output_layer(self, features: Tensor, **kwargs: Any) -> Tensor:
        assert self.fc_out is not None, "an adaptive softmax scores the features itself"
        return self.fc_out(features)

    def max_positions(self) -> int:
        return self.max_target_positions
