"""``MixedPrecisionOptimizer``: a float16 or bfloat16 model stepped through float32 weights.

fairseq's ``--fp16``/``--bf16``: the model computes in half precision, a
float32 master copy of every parameter receives the (unscaled) gradients,
the wrapped optimizer updates the master copy and the model takes the
rounded result. With float16 a :class:`DynamicLossScaler` keeps small
gradients representable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import Tensor

from seqx.optim.loss_scaler import DynamicLossScaler
from seqx.optim.optimizer import Optimizer
from seqx.optim.wrapper import OptimizerWrapper


class MixedPrecisionOptimizer(OptimizerWrapper):
    """The :class:`Optimizer` interface over float32 master copies of half-precision params."""

    def __init__(
        self,
        model_params: Sequence[Tensor],
        build: Callable[[list[Tensor]], Optimizer],
        loss_scaler: DynamicLossScaler | None = None,
    ) -> None:
        self.model_params = [p for p in model_params if p.requires_grad]
        self.master = [
            p.detach().to(torch.float32).clone().requires_grad_(True) for p in self.model_params
        ]
        super().__init__(build(self.master), self.master)
        self.loss_scaler = loss_scaler

    # -- the Optimizer interface ----------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        return {
            "inner": self.inner.state_dict(),
            "loss_scaler": self.loss_scaler.state_dict() if self.loss_scaler else None,
        }

    def load_state_dict(
        self, state_dict: dict[str, Any], optimizer_overrides: dict[str, Any] | None = None
    ) -> None:
        if "inner" not in state_dict:
            raise ValueError("the optimizer state was not saved by --fp16/--bf16 training")
        self.inner.load_state_dict(state_dict["inner"], optimizer_overrides)
        if self.loss_scaler is not None and state_dict.get("loss_scaler"):
            self.loss_scaler.load_state_dict(state_dict["loss_scaler"])

    def backward(self, loss: Tensor) -> None:
        scale = self.loss_scaler.scale if self.loss_scaler is not None else 1.0
        (loss * scale if scale != 1.0 else loss).backward()

    def unscale_grads(self) -> None:
        """Move the model's gradients to the master copy, in float32 and unscaled."""
        scale = self.loss_scaler.scale if self.loss_scaler is not None else 1.0
        for p, m in zip(self.model_params, self.master):
            if p.grad is None:
                m.grad = None
                continue
            m.grad = p.grad.to(torch.float32)
            p.grad = None
            if scale != 1.0:
                m.grad.mul_(1.0 / scale)

    def multiply_grads(self, c: float | Tensor) -> None:
        grads = [m.grad for m in self.master if m.grad is not None]
        if grads:
            torch._foreach_mul_(grads, c)

    def step(self) -> None:
        """Step the master copy, give the model the result, and let the scale grow."""
        self.inner.step()
        with torch.no_grad():
            for p, m in zip(self.model_params, self.master):
                p.copy_(m)
        if self.loss_scaler is not None:
            self.loss_scaler.update()

    def zero_grad(self) -> None:
        for p in self.model_params:
            p.grad = None
        self.inner.zero_grad()

    # -- mixed precision ------------------------------------------------------------------

    def overflow(self) -> None:
        """A non-finite gradient: skip this update and lower the loss scale."""
        self.zero_grad()
        if self.loss_scaler is not None:
            self.loss_scaler.overflow()

    def master_values(self) -> list[Tensor]:
        """The float32 weights, in the order of the model's parameters."""
        return self.master

    def load_master(self, values: Sequence[Tensor]) -> None:
        """Set the float32 weights (from a checkpoint) and round them into the model."""
        with torch.no_grad():
            for p, m, v in zip(self.model_params, self.master, values):
                m.copy_(v.to(torch.float32))
                p.copy_(m)
