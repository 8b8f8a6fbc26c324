"""``GradScaledOptimizer``: ``--amp`` in float16 (CUDA), an optimizer stepped through torch's
``GradScaler``, which scales the loss and skips the updates whose gradients overflow."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from seqx.optim.optimizer import Optimizer
from seqx.optim.wrapper import OptimizerWrapper


class GradScaledOptimizer(OptimizerWrapper):
    """The :class:`Optimizer` interface over ``inner``, with the loss scaled by ``scaler``."""

    def __init__(self, inner: Optimizer, scaler: torch.amp.GradScaler) -> None:
        super().__init__(inner, inner.params)
        self.scaler = scaler

    def state_dict(self) -> dict[str, Any]:
        return self.inner.state_dict()

    def load_state_dict(
        self, state_dict: dict[str, Any], optimizer_overrides: dict[str, Any] | None = None
    ) -> None:
        self.inner.load_state_dict(state_dict, optimizer_overrides)

    def backward(self, loss: Tensor) -> None:
        self.scaler.scale(loss).backward()

    def unscale_grads(self) -> None:
        self.scaler.unscale_(self.inner.optimizer)

    def multiply_grads(self, c: float | Tensor) -> None:
        self.inner.multiply_grads(c)

    def step(self) -> None:
        """Step unless the gradients overflowed; then let the scaler adjust its scale."""
        self.scaler.step(self.inner.optimizer)
        self.scaler.update()

    def zero_grad(self) -> None:
        self.inner.zero_grad()

    def loss_scale(self) -> float:
        """The current scale of the loss."""
        return float(self.scaler.get_scale())
