"""``adam``: AdamW semantics, with the fastest kernel available."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.optim import Optimizer


def _apex_fused_adam() -> Any:
    try:  # apex is optional; the PyPI package named "apex" is unrelated, hence the check
        from apex.optimizers import FusedAdam  # type: ignore[import-not-found]
    except Exception:
        return None
    return FusedAdam


class Adam(Optimizer):
    """Adam with decoupled weight decay (fairseq's ``adam`` is AdamW)."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        kwargs = {
            "lr": lr,
            "betas": tuple(cfg.adam_betas),
            "eps": cfg.adam_eps,
            "weight_decay": cfg.weight_decay,
        }
        if cfg.use_old_adam:  # fairseq: not the fused kernel (the same AdamW updates)
            self._optimizer = torch.optim.AdamW(self.params, foreach=True, **kwargs)
            self.kernel = "foreach"
            return
        on_cuda = bool(self.params) and self.params[0].is_cuda
        fused_apex = _apex_fused_adam() if on_cuda else None
        if fused_apex is not None:
            self._optimizer = fused_apex(self.params, adam_w_mode=True, **kwargs)
            self.kernel = "apex"
            return
        try:
            self._optimizer = torch.optim.AdamW(self.params, fused=True, **kwargs)
            self.kernel = "fused"
        except (RuntimeError, TypeError, ValueError):
            self._optimizer = torch.optim.AdamW(self.params, foreach=True, **kwargs)
            self.kernel = "foreach"


class CPUAdam(Adam):
    """fairseq's ``cpu_adam`` (DeepSpeed's CPU Adam, AdamW semantics): torch's fused AdamW
    kernel, which runs on the CPU too."""
