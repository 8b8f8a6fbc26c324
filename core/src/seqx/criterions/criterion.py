"""``Criterion``: computes the loss of a batch and the stats that are logged."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from torch import Tensor, nn

if TYPE_CHECKING:
    from seqx.tasks.task import Task


def sum_logs(logging_outputs: Sequence[dict[str, Any]], key: str) -> float:
    """The sum of ``key`` over logging outputs (tensors included)."""
    total = 0.0
    for log in logging_outputs:
        value = log.get(key, 0)
        total += float(value.item() if isinstance(value, Tensor) else value)
    return total


class Criterion(nn.Module):
    """Base class, built as ``cls(cfg, task)``."""

    def __init__(self, cfg: Any, task: Task) -> None:
        super().__init__()
        self.cfg = cfg
        self.task = task
        tgt = getattr(task, "target_dictionary", None)
        self.padding_idx = tgt.pad() if tgt is not None else -100

    def forward(
        self, model: nn.Module, sample: dict[str, Any], reduce: bool = True
    ) -> tuple[Tensor, int, dict[str, Any]]:
        """(loss, sample size to normalize by, logging output) for ``sample``."""
        raise NotImplementedError

    @staticmethod
    def reduce_metrics(logging_outputs: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Aggregate the logging outputs of many batches into the logged stats."""
        raise NotImplementedError

    @staticmethod
    def logging_outputs_can_be_summed() -> bool:
        """Whether logging outputs may be summed across workers before reducing."""
        return True


def logging_output(
    loss: Tensor, sample: dict[str, Any], sample_size: int, **extra: Any
) -> dict[str, Any]:
    """The fields every criterion logs: loss, ntokens, nsentences, sample_size (and extras)."""
    return {
        "loss": loss.detach(),
        "ntokens": sample["ntokens"],
        "nsentences": sample["target"].size(0),
        "sample_size": sample_size,
        **{k: v.detach() if isinstance(v, Tensor) else v for k, v in extra.items()},
    }


def base2_metrics(
    loss_sum: float, nll_sum: float | None, sample_size: float, ntokens: float
) -> dict[str, float]:
    """fairseq's loss, nll_loss (base 2) and perplexity from summed losses."""
    out = {"loss": loss_sum / max(sample_size, 1) / math.log(2)}
    if nll_sum is not None:
        out["nll_loss"] = nll_sum / max(ntokens, 1) / math.log(2)
    elif sample_size != ntokens:
        out["nll_loss"] = loss_sum / max(ntokens, 1) / math.log(2)
    nll = out.get("nll_loss", out["loss"])
    out["ppl"] = 2 ** min(nll, 1000.0)
    return out


def lprobs_and_target(model: Any, sample: dict[str, Any], net_output: Any) -> tuple[Tensor, Tensor]:
    """Flattened log-probabilities (N x V) and targets (N)."""
    lprobs = model.get_normalized_probs(net_output, log_probs=True)
    target = model.get_targets(sample, net_output)
    return lprobs.view(-1, lprobs.size(-1)), target.reshape(-1)


def accuracy_counts(lprobs: Tensor, target: Tensor, padding_idx: int) -> tuple[Tensor, Tensor]:
    """(correct predictions, non-padding targets)."""
    mask = target.ne(padding_idx)
    correct = lprobs.argmax(-1).eq(target).masked_select(mask).sum()
    return correct, mask.sum()
