"""``OptimizerWrapper``: the :class:`Optimizer` interface over another optimizer, for the
precision wrappers (master weights, gradient scaling) that change how it is stepped."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from seqx.optim.optimizer import Optimizer


class OptimizerWrapper:
    """Delegates the learning rate, the torch optimizer and clipping to ``inner``."""

    def __init__(self, inner: Optimizer, params: list[Tensor]) -> None:
        self.inner = inner
        self.params = params
        """The tensors whose gradients are clipped and scaled."""

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        return self.inner.optimizer

    @property
    def param_groups(self) -> list[dict[str, Any]]:
        return self.inner.param_groups

    def get_lr(self) -> float:
        return self.inner.get_lr()

    def set_lr(self, lr: float) -> None:
        self.inner.set_lr(lr)

    def clip_grad_norm(self, max_norm: float) -> Tensor:
        return self.inner.clip_grad_norm(max_norm)
