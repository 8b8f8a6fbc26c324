"""The tutorial's first ``SimpleLSTMDecoder``: conditions every step on the encoder's final
state and recomputes the whole prefix at each call."""

import torch
import torch.nn as nn

from seqx.models import Decoder


class SimpleLSTMDecoder(Decoder):
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
        # the input of each step is its token's embedding and the encoder's final state
        self.lstm = nn.LSTM(
            input_size=encoder_hidden_dim + embed_dim,
            hidden_size=hidden_dim,
            num_layers=1,
            bidirectional=False,
        )
        self.output_projection = nn.Linear(hidden_dim, len(dictionary))

    def forward(self, prev_output_tokens, encoder_out):
        # prev_output_tokens: (batch, tgt_len), the target shifted right by one (teacher
        # forcing); returns scores (batch, tgt_len, vocab) and no extras
        bsz, tgt_len = prev_output_tokens.size()
        final_encoder_hidden = encoder_out["final_hidden"]
        x = self.dropout(self.embed_tokens(prev_output_tokens))
        x = torch.cat(
            [x, final_encoder_hidden.unsqueeze(1).expand(bsz, tgt_len, -1)],
            dim=2,
        )
        # the LSTM starts from the encoder's final state (hidden) and zeros (cell)
        initial_state = (
            final_encoder_hidden.unsqueeze(0),
            torch.zeros_like(final_encoder_hidden).unsqueeze(0),
        )
        output, _ = self.lstm(x.transpose(0, 1), initial_state)  # time first
        x = self.output_projection(output.transpose(0, 1))
        return x, None
