"""``adafactor``: fairseq's Adafactor (Shazeer and Stern, 2018).

The second moment of a matrix is kept factored (a row and a column vector), the update is
clipped to an RMS of --clip-threshold, and the step size may follow the inverse square
root of the step (--relative-step, --warmup-init) and the parameters' RMS
(--scale-parameter). As in fairseq, the step size computed for a tensor is written back
as its group's learning rate, so with --scale-parameter the next tensor of the step starts
from it; the schedule resets the rate before the next step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.optim import Optimizer


def _rms(t: Tensor) -> Tensor:
    return t.norm(2) / (t.numel() ** 0.5)


class _Adafactor(torch.optim.Optimizer):
    def __init__(self, params: Iterable[Tensor], **defaults: Any) -> None:
        super().__init__(params, defaults)

    @staticmethod
    def _lr(group: dict[str, Any], state: dict[str, Any]) -> float:
        step_size = group["lr"]
        if group["relative_step"]:
            low = 1e-6 * state["step"] if group["warmup_init"] else 1e-2
            step_size = min(low, 1.0 / math.sqrt(state["step"]))
        scale = max(group["eps"][1], float(state["RMS"])) if group["scale_parameter"] else 1.0
        return float(scale * step_size)

    @staticmethod
    def _init(state: dict[str, Any], grad: Tensor, factored: bool, first_moment: bool) -> None:
        state["step"] = 0
        if first_moment:
            state["exp_avg"] = torch.zeros_like(grad)
        if factored:
            state["exp_avg_sq_row"] = grad.new_zeros(grad.shape[:-1])
            state["exp_avg_sq_col"] = grad.new_zeros(grad.shape[:-2] + grad.shape[-1:])
        else:
            state["exp_avg_sq"] = torch.zeros_like(grad)
        state["RMS"] = 0.0

    @torch.no_grad()
    def step(self, closure: Any = None) -> Any:  # type: ignore[override]
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    self._step_param(group, p)
        return loss

    def _step_param(self, group: dict[str, Any], p: Tensor) -> None:
        assert p.grad is not None
        grad = p.grad.float()
        factored, first_moment = grad.dim() >= 2, group["beta1"] is not None
        state = self.state[p]
        if not state:
            self._init(state, grad, factored, first_moment)
        weights = p if p.dtype == torch.float32 else p.float()  # updated in place
        state["step"] += 1
        state["RMS"] = _rms(weights)
        group["lr"] = self._lr(group, state)
        beta2t = 1.0 - math.pow(state["step"], group["decay_rate"])
        update = grad**2 + group["eps"][0]
        if factored:
            row, col = state["exp_avg_sq_row"], state["exp_avg_sq_col"]
            row.mul_(beta2t).add_(update.mean(dim=-1), alpha=1.0 - beta2t)
            col.mul_(beta2t).add_(update.mean(dim=-2), alpha=1.0 - beta2t)
            r = (row / row.mean(dim=-1, keepdim=True)).rsqrt_().unsqueeze(-1)
            update = torch.mul(r, col.unsqueeze(-2).rsqrt()).mul_(grad)
        else:
            sq = state["exp_avg_sq"]
            sq.mul_(beta2t).add_(update, alpha=1.0 - beta2t)
            update = sq.rsqrt().mul_(grad)
        update.div_((_rms(update) / group["clip_threshold"]).clamp_(min=1.0))
        update.mul_(group["lr"])
        if first_moment:
            state["exp_avg"].mul_(group["beta1"]).add_(update, alpha=1 - group["beta1"])
            update = state["exp_avg"]
        if group["weight_decay"] != 0:
            weights.add_(weights, alpha=-group["weight_decay"] * group["lr"])
        weights.add_(-update)
        if weights is not p:
            p.copy_(weights)


class Adafactor(Optimizer):
    """Adafactor with fairseq's flags."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        self._optimizer = _Adafactor(
            self.params,
            lr=lr,
            eps=tuple(cfg.adafactor_eps),
            clip_threshold=cfg.clip_threshold,
            decay_rate=cfg.decay_rate,
            beta1=cfg.beta1,
            weight_decay=cfg.weight_decay,
            scale_parameter=cfg.scale_parameter,
            relative_step=cfg.relative_step,
            warmup_init=cfg.warmup_init,
        )
