"""``AdaptiveSoftmax`` (Grave et al., 2017) as fairseq defines it: a head over the frequent
words plus one cluster token per tail; each tail projects through a smaller dimension.

Words are expected in frequency order (as a ``Dictionary`` keeps them):
``cutoff = [c0, c1, ...]`` puts words below ``c0`` in the head and words in
``[c_i, c_(i+1))`` in tail ``i``. The ``adaptive_loss`` criterion trains it.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def parse_cutoff(text: str | Sequence[int], vocab_size: int, flag: str) -> list[int]:
    """``'10000,50000,200000'`` -> the cutoffs below ``vocab_size``, vocab_size appended."""
    from seqx.errors import ConfigError

    try:
        values = [int(v) for v in (text.split(",") if isinstance(text, str) else text)]
    except ValueError:
        raise ConfigError(f"{flag} '{text}' must be comma-separated integers") from None
    if values != sorted(values) or len(set(values)) != len(values) or values[0] <= 0:
        raise ConfigError(f"{flag} '{text}' must be increasing positive integers")
    cutoff = [v for v in values if v < vocab_size]
    if not cutoff:
        raise ConfigError(
            f"{flag} '{text}' leaves no tail for a vocabulary of {vocab_size}: use smaller cutoffs"
        )
    return cutoff + [vocab_size]


class AdaptiveSoftmax(nn.Module):
    """Scores over ``cutoff[-1]`` words from hidden states of ``input_dim``."""

    def __init__(
        self, cutoff: Sequence[int], input_dim: int, dropout: float = 0.0, factor: float = 4.0
    ) -> None:
        super().__init__()
        self.cutoff = list(cutoff)
        self.vocab_size = self.cutoff[-1]
        self.dropout = dropout
        tails = len(self.cutoff) - 1
        self.head = nn.Linear(input_dim, self.cutoff[0] + tails, bias=False)
        self.tail = nn.ModuleList()
        for i in range(tails):
            dim = max(1, int(input_dim // factor ** (i + 1)))
            self.tail.append(
                nn.Sequential(
                    nn.Linear(input_dim, dim, bias=False),
                    nn.Dropout(dropout),
                    nn.Linear(dim, self.cutoff[i + 1] - self.cutoff[i], bias=False),
                )
            )
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)

    def forward(self, features: Tensor, target: Tensor) -> tuple[list[Tensor], list[Tensor]]:
        """Per cluster (head first): the scores of the positions whose target falls in it, and
        those targets re-indexed within the cluster (the head's tail tokens stand for
        the tails)."""
        x = F.dropout(features.reshape(-1, features.size(-1)), self.dropout, self.training)
        target = target.reshape(-1)
        head_target = target.clone()
        outputs, targets = [self.head(x)], [head_target]
        for i, tail in enumerate(self.tail):
            lo, hi = self.cutoff[i], self.cutoff[i + 1]
            inside = target.ge(lo) & target.lt(hi)
            head_target[inside] = self.cutoff[0] + i
            rows = inside.nonzero(as_tuple=True)[0]
            if rows.numel():
                outputs.append(tail(x.index_select(0, rows)))
                targets.append(target.index_select(0, rows) - lo)
        return outputs, targets

    def get_log_prob(self, features: Tensor) -> Tensor:
        """Log-probabilities over the whole vocabulary (B x T x V), in float32."""
        shape = features.shape[:-1]
        x = features.reshape(-1, features.size(-1))
        head = torch.log_softmax(self.head(x), dim=-1, dtype=torch.float32)
        c0 = self.cutoff[0]
        out = x.new_empty(x.size(0), self.vocab_size, dtype=torch.float32)
        out[:, :c0] = head[:, :c0]
        for i, tail in enumerate(self.tail):
            lo, hi = self.cutoff[i], self.cutoff[i + 1]
            out[:, lo:hi] = (
                torch.log_softmax(tail(x), dim=-1, dtype=torch.float32) + head[:, c0 + i, None]
            )
        return out.view(*shape, self.vocab_size)
