"""``label_smoothed_cross_entropy``: cross entropy against smoothed targets (fairseq's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torch import Tensor, nn

from seqx.criterions.criterion import (
    Criterion,
    accuracy_counts,
    base2_metrics,
    logging_output,
    sum_logs,
)
from seqx.criterions.fused import smoothed_cross_entropy, target_logits


def label_smoothed_nll_loss(
    lprobs: Tensor, target: Tensor, epsilon: float, ignore_index: int | None = None
) -> tuple[Tensor, Tensor]:
    """(smoothed loss, nll loss), summed; fairseq's formula with eps / (V - 1)."""
    target = target.unsqueeze(-1)
    nll_loss = -lprobs.gather(dim=-1, index=target)
    smooth_loss = -lprobs.sum(dim=-1, keepdim=True)
    if ignore_index is not None:
        pad = target.eq(ignore_index)
        nll_loss = nll_loss.masked_fill(pad, 0.0)
        smooth_loss = smooth_loss.masked_fill(pad, 0.0)
    nll_loss, smooth_loss = nll_loss.sum(), smooth_loss.sum()
    eps_i = epsilon / (lprobs.size(-1) - 1)
    loss = (1.0 - epsilon - eps_i) * nll_loss + eps_i * smooth_loss
    return loss, nll_loss


class LabelSmoothedCrossEntropyCriterion(Criterion):
    """Label-smoothed cross entropy; logs the unsmoothed nll_loss too."""

    def forward(
        self, model: nn.Module, sample: dict[str, Any], reduce: bool = True
    ) -> tuple[Tensor, int, dict[str, Any]]:
        eps = self.cfg.label_smoothing
        fast = target_logits(model, sample, self.padding_idx, self.cfg.ignore_prefix_size)
        if fast is not None:
            logits, target = fast
            loss, nll_loss = smoothed_cross_entropy(logits, target, eps)
            scores, ignore = logits, None
        else:
            net_output = model(**sample["net_input"])
            lprobs = model.get_normalized_probs(net_output, log_probs=True)  # type: ignore[operator]
            target = model.get_targets(sample, net_output)  # type: ignore[operator]
            if self.cfg.ignore_prefix_size > 0:
                lprobs = lprobs[:, self.cfg.ignore_prefix_size :, :]
                target = target[:, self.cfg.ignore_prefix_size :]
            lprobs, target = lprobs.reshape(-1, lprobs.size(-1)), target.reshape(-1)
            loss, nll_loss = label_smoothed_nll_loss(
                lprobs, target, eps, ignore_index=self.padding_idx
            )
            scores, ignore = lprobs, self.padding_idx
        nsentences = sample["target"].size(0)
        sample_size = nsentences if self.cfg.sentence_avg else sample["ntokens"]
        log = logging_output(loss, sample, sample_size, nll_loss=nll_loss)
        if self.cfg.report_accuracy:
            log["n_correct"], log["total"] = accuracy_counts(
                scores.detach(), target, -1 if ignore is None else ignore
            )
        return loss, sample_size, log

    @staticmethod
    def reduce_metrics(logging_outputs: Sequence[dict[str, Any]]) -> dict[str, float]:
        out = base2_metrics(
            sum_logs(logging_outputs, "loss"),
            sum_logs(logging_outputs, "nll_loss"),
            sum_logs(logging_outputs, "sample_size"),
            sum_logs(logging_outputs, "ntokens"),
        )
        total = sum_logs(logging_outputs, "total")
        if total:
            out["accuracy"] = 100.0 * sum_logs(logging_outputs, "n_correct") / total
        return out
