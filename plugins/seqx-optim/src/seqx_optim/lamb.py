"""``lamb``: layer-wise adaptive moments (You et al., 2019), as apex's FusedLAMB computes it
(fairseq's ``lamb`` is that kernel): the gradients clipped to a global norm of 1, AdamW's
update, then a trust ratio ``||p|| / ||update||`` per tensor when weight decay is on.
apex's kernel is used on CUDA when apex is importable; torch's foreach kernels otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.optim import Optimizer

MAX_GRAD_NORM = 1.0
"""apex FusedLAMB's default global gradient clipping."""


def _apex_fused_lamb() -> Any:
    try:  # optional; the PyPI package named "apex" is unrelated, hence the check
        from apex.optimizers import FusedLAMB  # type: ignore[import-not-found]
    except Exception:
        return None
    return FusedLAMB


class _Lamb(torch.optim.Optimizer):
    def __init__(self, params: Iterable[Tensor], **defaults: Any) -> None:
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Any = None) -> Any:  # type: ignore[override]
        loss = closure() if closure is not None else None
        grads = [p.grad for g in self.param_groups for p in g["params"] if p.grad is not None]
        if not grads:
            return loss
        norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
        clip = torch.clamp(norm / MAX_GRAD_NORM, min=1.0)
        for group in self.param_groups:
            self._step_group(group, clip)
        return loss

    def _step_group(self, group: dict[str, Any], clip: Tensor) -> None:
        beta1, beta2 = group["betas"]
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = p.grad.float() / clip
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["exp_avg"] = torch.zeros_like(p, dtype=torch.float32)
                state["exp_avg_sq"] = torch.zeros_like(p, dtype=torch.float32)
            state["step"] += 1
            m, v = state["exp_avg"], state["exp_avg_sq"]
            m.mul_(beta1).add_(grad, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            m_hat = m / (1 - beta1 ** state["step"])
            v_hat = v / (1 - beta2 ** state["step"])
            update = m_hat / (v_hat.sqrt() + group["eps"])
            lr = group["lr"]
            if group["weight_decay"] != 0:
                update.add_(p.float(), alpha=group["weight_decay"])
                p_norm, u_norm = p.float().norm(), update.norm()
                if p_norm > 0 and u_norm > 0:
                    lr = lr * float(p_norm / u_norm)
            p.add_(update.to(p.dtype), alpha=-lr)


class Lamb(Optimizer):
    """LAMB with --lamb-betas, --lamb-eps and --weight-decay."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        kwargs = {
            "lr": lr,
            "betas": tuple(cfg.lamb_betas),
            "eps": cfg.lamb_eps,
            "weight_decay": cfg.weight_decay,
        }
        fused = _apex_fused_lamb() if self.params and self.params[0].is_cuda else None
        if fused is not None:
            self._optimizer = fused(self.params, **kwargs)
            self.kernel = "apex"
        else:
            self._optimizer = _Lamb(self.params, **kwargs)
            self.kernel = "torch"
