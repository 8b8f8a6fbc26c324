"""``nag``: fairseq's Nesterov accelerated gradient.

The momentum buffer is corrected by ``lr / previous lr`` when the learning
rate changes, which torch's ``SGD(nesterov=True)`` does not do; fconv's
recipes (``--optimizer nag --lr 0.25``) rely on this formulation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.optim import Optimizer


class _NAG(torch.optim.Optimizer):
    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float, weight_decay: float):
        super().__init__(
            params, {"lr": lr, "lr_old": lr, "momentum": momentum, "weight_decay": weight_decay}
        )

    @torch.no_grad()
    def step(self, closure: Any = None) -> Any:  # type: ignore[override]
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            lr, momentum, wd = group["lr"], group["momentum"], group["weight_decay"]
            lr_correct = lr / group.get("lr_old", lr)
            params = [p for p in group["params"] if p.grad is not None]
            if not params:
                continue
            grads = [p.grad for p in params]
            bufs = []
            for p in params:
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(p)
                bufs.append(state["momentum_buffer"])
            if wd != 0:
                torch._foreach_mul_(params, 1 - lr * wd)
            torch._foreach_add_(params, bufs, alpha=momentum * momentum * lr_correct)
            torch._foreach_add_(params, grads, alpha=-(1 + momentum) * lr)
            torch._foreach_mul_(bufs, momentum * lr_correct)
            torch._foreach_add_(bufs, grads, alpha=-lr)
            group["lr_old"] = lr
        return loss


class NAG(Optimizer):
    """Nesterov accelerated gradient, as in fairseq."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        self._optimizer = _NAG(self.params, lr, cfg.momentum, cfg.weight_decay)
