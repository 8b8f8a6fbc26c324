"""Label-smoothed cross entropy computed from logits in few passes, and the logits it needs.

``smoothed_cross_entropy`` equals fairseq's ``label_smoothed_nll_loss`` on
``log_softmax(logits)``: with ``e = eps / (V - 1)``,
``loss = (1 - eps - e) * nll + e * sum_v(-log p_v)``. The forward pass is one
fused log-softmax per row plus a gather and a row sum; the backward pass
turns the saved log-probabilities into ``softmax - e - (1 - eps - e) *
onehot(target)`` in place, with no zero-filled or temporary N x V tensors.

``target_logits`` gives the logits of the non-padding target positions
only, projecting just those through the output layer, for the models that
offer it explicitly (``BaseModel.fused_loss``).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from seqx.models.base_model import EncoderDecoderModel


class _SmoothedCrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, logits: Tensor, target: Tensor, epsilon: float) -> tuple[Tensor, Tensor]:
        lprobs = torch.log_softmax(logits, dim=-1, dtype=torch.float32)  # one pass per row
        nll = -lprobs.gather(1, target.unsqueeze(1)).squeeze(1)
        eps_i = epsilon / (lprobs.size(1) - 1)
        loss = nll
        if epsilon > 0:
            loss = (1.0 - epsilon - eps_i) * nll - eps_i * lprobs.sum(dim=-1)
        ctx.save_for_backward(lprobs, target)
        ctx.epsilon = epsilon
        ctx.logits_dtype = logits.dtype
        nll_sum = nll.sum()
        ctx.mark_non_differentiable(nll_sum)
        return loss.sum(), nll_sum

    @staticmethod
    def backward(ctx: Any, grad_loss: Tensor, grad_nll: Tensor) -> tuple[Tensor, None, None]:
        lprobs, target = ctx.saved_tensors
        eps = ctx.epsilon
        eps_i = eps / (lprobs.size(1) - 1)
        grad = lprobs.exp_()  # the saved log-probabilities become the gradient, in place
        if eps > 0:
            grad.sub_(eps_i)
        rows = torch.arange(grad.size(0), device=grad.device)
        grad[rows, target] -= 1.0 - eps - eps_i
        grad.mul_(grad_loss)
        return grad.to(ctx.logits_dtype), None, None


def smoothed_cross_entropy(logits: Tensor, target: Tensor, epsilon: float) -> tuple[Tensor, Tensor]:
    """(summed label-smoothed loss, summed nll) of ``logits`` (N x V) for ``target`` (N).

    Computed in float32 whatever the logits' dtype (autocast is suspended).
    """
    with torch.autocast(logits.device.type, enabled=False):
        return _SmoothedCrossEntropy.apply(logits, target, float(epsilon))


def offers_fused_loss(model: EncoderDecoderModel) -> bool:
    """Whether ``model`` offers the fused loss (``BaseModel.fused_loss``) and has no
    adaptive softmax."""
    return model.fused_loss and model.decoder.adaptive_softmax is None


def target_logits(
    model: nn.Module, sample: dict[str, Any], padding_idx: int, ignore_prefix_size: int = 0
) -> tuple[Tensor, Tensor] | None:
    """Logits (N x V) and targets (N) of the non-padding target positions.

    None when the model does not offer the fused loss (``BaseModel.fused_loss``), in which
    case the caller normalizes its output instead.
    """
    inner = getattr(model, "wrapped_model", model)  # a distributed wrapper's model
    if not isinstance(inner, EncoderDecoderModel) or not offers_fused_loss(inner):
        return None
    net = sample["net_input"]
    args = (net["src_tokens"], net["src_lengths"], net["prev_output_tokens"])
    if inner is model:
        features, _ = inner.extract_features(*args)
    else:  # through the wrapper's forward, which synchronizes gradients
        features, _ = model(*args, features_only=True)
    target = sample["target"]
    if ignore_prefix_size > 0:
        features = features[:, ignore_prefix_size:]
        target = target[:, ignore_prefix_size:]
    mask = target.ne(padding_idx)
    return inner.decoder.output_layer(features[mask]), target[mask]
