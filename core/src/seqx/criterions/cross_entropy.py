"""``cross_entropy``: negative log-likelihood of the target tokens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch.nn.functional as F
from torch import Tensor, nn

from seqx.criterions.criterion import (
    Criterion,
    accuracy_counts,
    base2_metrics,
    logging_output,
    lprobs_and_target,
    sum_logs,
)
from seqx.criterions.fused import smoothed_cross_entropy, target_logits


class CrossEntropyCriterion(Criterion):
    """Sum of -log p(target) over non-padding tokens."""

    def forward(
        self, model: nn.Module, sample: dict[str, Any], reduce: bool = True
    ) -> tuple[Tensor, int, dict[str, Any]]:
        fast = target_logits(model, sample, self.padding_idx)
        if fast is not None:
            scores, target = fast
            loss, _ = smoothed_cross_entropy(scores, target, 0.0)
            ignore = -1
        else:
            net_output = model(**sample["net_input"])
            scores, target = lprobs_and_target(model, sample, net_output)
            loss = F.nll_loss(scores, target, ignore_index=self.padding_idx, reduction="sum")
            ignore = self.padding_idx
        nsentences = sample["target"].size(0)
        sample_size = nsentences if self.cfg.sentence_avg else sample["ntokens"]
        log = logging_output(loss, sample, sample_size)
        if self.cfg.report_accuracy:
            log["n_correct"], log["total"] = accuracy_counts(scores.detach(), target, ignore)
        return loss, sample_size, log

    @staticmethod
    def reduce_metrics(logging_outputs: Sequence[dict[str, Any]]) -> dict[str, float]:
        out = base2_metrics(
            sum_logs(logging_outputs, "loss"),
            None,
            sum_logs(logging_outputs, "sample_size"),
            sum_logs(logging_outputs, "ntokens"),
        )
        total = sum_logs(logging_outputs, "total")
        if total:
            out["accuracy"] = 100.0 * sum_logs(logging_outputs, "n_correct") / total
        return out
