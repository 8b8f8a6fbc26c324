"""The tutorial's last part: the decoder made incremental, so that beam search feeds it
one new token per step and it continues from its cached LSTM state."""

import torch
import torch.nn as nn

from seqx import utils
from seqx.models import IncrementalDecoder


class SimpleLSTMDecoder(IncrementalDecoder):
    def __init__(
        self, dictionary, encoder_hidden_dim=128, embed_dim=128, hidden_dim=128, dropout=0.1
    ):
        super().__init__(dictionary)
        self.embed_tokens = nn.Embedding(
            num_embeddings=len(dictionary),
            embedding_dim=embed_dim,
            padding_idx=dictionary.pad(),
        )
        self.dropout = nn.Dropout(p=dropout)
        self.lstm = nn.LSTM(
            input_size=encoder_hidden_dim + embed_dim,
            hidden_size=hidden_dim,
            num_layers=1,
            bidirectional=False,
        )
        self.output_projection = nn.Linear(hidden_dim, len(dictionary))

    def forward(self, prev_output_tokens, encoder_out, incremental_state=None):
        # with a cache, only the newest token is new: earlier ones are in the LSTM state
        if incremental_state is not None:
            prev_output_tokens = prev_output_tokens[:, -1:]
        bsz, tgt_len = prev_output_tokens.size()
        final_encoder_hidden = encoder_out["final_hidden"]
        x = self.dropout(self.embed_tokens(prev_output_tokens))
        x = torch.cat(
            [x, final_encoder_hidden.unsqueeze(1).expand(bsz, tgt_len, -1)],
            dim=2,
        )
        initial_state = utils.get_incremental_state(self, incremental_state, "prev_state")
        if initial_state is None:  # the first step starts from the encoder's state
            initial_state = (
                final_encoder_hidden.unsqueeze(0),
                torch.zeros_like(final_encoder_hidden).unsqueeze(0),
            )
        output, latest_state = self.lstm(x.transpose(0, 1), initial_state)
        utils.set_incremental_state(self, incremental_state, "prev_state", latest_state)
        x = self.output_projection(output.transpose(0, 1))
        return x, None

    def reorder_incremental_state(self, incremental_state, new_order):
        """Select the batch rows ``new_order`` of the cached state (dimension 1: the LSTM
        keeps its state as (layers, batch, hidden))."""
        prev_state = utils.get_incremental_state(self, incremental_state, "prev_state")
        reordered = tuple(state.index_select(1, new_order) for state in prev_state)
        utils.set_incremental_state(self, incremental_state, "prev_state", reordered)
