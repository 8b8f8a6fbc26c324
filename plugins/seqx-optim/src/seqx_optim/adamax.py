"""``adamax``: fairseq's Adamax (eps added to the infinity norm at the update, decoupled
weight decay), which is not torch's (eps inside the norm's maximum, L2 weight decay)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.optim import Optimizer


class _Adamax(torch.optim.Optimizer):
    def __init__(self, params: Iterable[Tensor], **defaults: Any) -> None:
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Any = None) -> Any:  # type: ignore[override]
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad.float()
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p, dtype=torch.float32)
                    state["exp_inf"] = torch.zeros_like(p, dtype=torch.float32)
                state["step"] += 1
                exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
                exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                torch.maximum(exp_inf.mul_(beta2), grad.abs(), out=exp_inf)
                step_size = group["lr"]
                if group["bias_correction"]:
                    step_size /= 1 - beta1 ** state["step"]
                if group["weight_decay"] != 0:
                    p.mul_(1 - group["weight_decay"] * group["lr"])
                p.addcdiv_(exp_avg, exp_inf.add(group["eps"]), value=-step_size)
        return loss


class Adamax(Optimizer):
    """Adamax with --adamax-betas, --adamax-eps, --weight-decay, --no-bias-correction."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        self._optimizer = _Adamax(
            self.params,
            lr=lr,
            betas=tuple(cfg.adamax_betas),
            eps=cfg.adamax_eps,
            weight_decay=cfg.weight_decay,
            bias_correction=not cfg.no_bias_correction,
        )
