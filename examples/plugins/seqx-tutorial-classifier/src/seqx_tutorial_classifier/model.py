"""The tutorial's ``rnn_classifier``: PyTorch's character RNN over one-hot characters."""

import torch
import torch.nn as nn

from seqx.models import BaseModel


class RNN(nn.Module):
    """The RNN of PyTorch's "NLP From Scratch" tutorial: one hidden layer on the
    concatenated input and previous hidden state; log-probabilities out."""

    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        hidden = self.i2h(combined)
        output = self.softmax(self.i2o(combined))
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


class RNNClassifier(BaseModel):
    @classmethod
    def build_model(cls, args, task):
        rnn = RNN(
            input_size=len(task.source_dictionary),
            hidden_size=args.hidden_dim,
            output_size=len(task.target_dictionary),
        )
        return RNNClassifier(rnn=rnn, input_vocab=task.source_dictionary)

    def __init__(self, rnn, input_vocab):
        super().__init__()
        self.rnn = rnn
        self.input_vocab = input_vocab
        # one-hot vectors of the input characters, moved with the model
        self.register_buffer("one_hot_inputs", torch.eye(len(input_vocab)))

    def forward(self, src_tokens, src_lengths):
        # src_tokens: (batch, src_len), right-padded (the task sets left_pad_source=False)
        bsz, max_src_len = src_tokens.size()
        hidden = self.rnn.initHidden().to(src_tokens.device).repeat(bsz, 1)
        final = None
        for i in range(max_src_len):
            # a padded position leaves the state of a shorter name as it was
            input = self.one_hot_inputs[src_tokens[:, i].long()]
            output, new_hidden = self.rnn(input, hidden)
            live = (i < src_lengths).unsqueeze(1)
            hidden = torch.where(live, new_hidden, hidden)
            final = output if final is None else torch.where(live, output, final)
        return final  # (batch, labels) log-probabilities

    def max_positions(self):
        return None
