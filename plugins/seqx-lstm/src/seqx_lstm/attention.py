"""fairseq's ``AttentionLayer`` of the LSTM decoder (Luong-style, dot product)."""

from __future__ import annotations

import torch
from torch import Tensor, nn


def linear(in_features: int, out_features: int, bias: bool = True) -> nn.Linear:
    """A linear layer initialized as fairseq's LSTM: U(-0.1, 0.1)."""
    m = nn.Linear(in_features, out_features, bias=bias)
    nn.init.uniform_(m.weight, -0.1, 0.1)
    if bias:
        nn.init.uniform_(m.bias, -0.1, 0.1)
    return m


class AttentionLayer(nn.Module):
    """Scores the source states against a projection of the decoder state, then mixes the
    context with the state: ``tanh(W [context; state])``."""

    def __init__(self, input_dim: int, source_dim: int, output_dim: int, bias: bool = False):
        super().__init__()
        self.input_proj = linear(input_dim, source_dim, bias=bias)
        self.output_proj = linear(input_dim + source_dim, output_dim, bias=bias)

    def forward(
        self, state: Tensor, source: Tensor, padding_mask: Tensor | None, group: int = 1
    ) -> tuple[Tensor, Tensor]:
        """``state`` B x H, ``source`` B x S x C -> (output B x O, weights B x S).

        With ``group`` > 1 the rows of ``state`` are the beams of B / group sentences and
        ``source`` and ``padding_mask`` hold one row per sentence.
        """
        rows = state.size(0)
        x = self.input_proj(state).view(rows // group, group, -1)  # sentences x beams x C
        scores = torch.bmm(x, source.transpose(1, 2))  # sentences x beams x S
        if padding_mask is not None:
            mask = padding_mask.unsqueeze(1)
            scores = scores.float().masked_fill(mask, float("-inf")).type_as(scores)
        weights = torch.softmax(scores, dim=2)
        context = torch.bmm(weights, source).view(rows, -1)
        weights = weights.view(rows, -1)
        return torch.tanh(self.output_proj(torch.cat([context, state], dim=1))), weights
