"""``adaptive_loss``: the cross entropy of a decoder's adaptive softmax (fairseq's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from seqx.criterions.criterion import Criterion, base2_metrics, logging_output, sum_logs
from seqx.errors import ConfigError


class AdaptiveLoss(Criterion):
    """Negative log-likelihood through the head and the tail each target falls in."""

    def forward(
        self, model: nn.Module, sample: dict[str, Any], reduce: bool = True
    ) -> tuple[Tensor, int, dict[str, Any]]:
        inner: Any = getattr(model, "wrapped_model", model)
        adaptive: Any = getattr(getattr(inner, "decoder", None), "adaptive_softmax", None)
        if adaptive is None:
            raise ConfigError(
                "--criterion adaptive_loss needs a decoder with an adaptive softmax: "
                "give the model --adaptive-softmax-cutoff (e.g. 10000,50000,200000)"
            )
        net_output = model(**sample["net_input"])
        target = inner.get_targets(sample, net_output)
        outputs, targets = adaptive(net_output[0], target)
        loss = torch.zeros((), device=target.device)
        for scores, tgt in zip(outputs, targets):
            loss = loss + F.cross_entropy(
                scores.float(), tgt, ignore_index=self.padding_idx, reduction="sum"
            )
        nsentences = sample["target"].size(0)
        sample_size = nsentences if self.cfg.sentence_avg else sample["ntokens"]
        return loss, sample_size, logging_output(loss, sample, sample_size)

    @staticmethod
    def reduce_metrics(logging_outputs: Sequence[dict[str, Any]]) -> dict[str, float]:
        loss = sum_logs(logging_outputs, "loss")
        return base2_metrics(
            loss,
            loss,
            sum_logs(logging_outputs, "sample_size"),
            sum_logs(logging_outputs, "ntokens"),
        )
