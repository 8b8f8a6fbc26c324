"""The tutorial's ``SimpleLSTMEncoder``: embeddings and one LSTM layer; its output is the
final hidden state."""

import torch.nn as nn

from seqx import utils
from seqx.models import Encoder


class SimpleLSTMEncoder(Encoder):
    def __init__(self, args, dictionary, embed_dim=128, hidden_dim=128, dropout=0.1):
        super().__init__(dictionary)
        self.args = args
        self.embed_tokens = nn.Embedding(
            num_embeddings=len(dictionary),
            embedding_dim=embed_dim,
            padding_idx=dictionary.pad(),
        )
        self.dropout = nn.Dropout(p=dropout)
        self.lstm = nn.LSTM(
            input_size=embed_dim,
            hidden_size=hidden_dim,
            num_layers=1,
            bidirectional=False,
            batch_first=True,
        )

    def forward(self, src_tokens, src_lengths):
        # src_tokens: (batch, src_len), src_lengths: (batch), as the task's
        # net_input gives them. Sources come left-padded by default; packing
        # wants the padding on the right.
        if self.args.left_pad_source:
            src_tokens = utils.convert_padding_direction(
                src_tokens,
                padding_idx=self.dictionary.pad(),
                left_to_right=True,
            )
        x = self.dropout(self.embed_tokens(src_tokens))
        # batches arrive sorted by source length, longest first, as packing expects
        x = nn.utils.rnn.pack_padded_sequence(x, src_lengths.cpu(), batch_first=True)
        _outputs, (final_hidden, _final_cell) = self.lstm(x)
        # any object can be the encoder's output; the decoder receives it as is
        return {"final_hidden": final_hidden.squeeze(0)}  # (batch, hidden_dim)

    def reorder_encoder_out(self, encoder_out, new_order):
        """Select the batch rows ``new_order`` (beam search calls this)."""
        return {"final_hidden": encoder_out["final_hidden"].index_select(0, new_order)}
