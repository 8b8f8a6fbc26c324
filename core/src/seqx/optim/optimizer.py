"""``Optimizer``: wraps a torch optimizer with fairseq's interface."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor


class Optimizer:
    """Base class: subclasses set ``self._optimizer`` to a ``torch.optim.Optimizer``.

    Built as ``cls(cfg, params, lr)``: ``cfg`` is the optimizer's own config
    and ``lr`` the initial learning rate (``--lr``).
    """

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        self.cfg = cfg
        self.params = [p for p in params if p.requires_grad]
        self.lr = lr
        self._optimizer: torch.optim.Optimizer | None = None

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        """The wrapped torch optimizer."""
        if self._optimizer is None:
            raise NotImplementedError(f"{type(self).__name__} did not build its optimizer")
        return self._optimizer

    @property
    def param_groups(self) -> list[dict[str, Any]]:
        return self.optimizer.param_groups

    def get_lr(self) -> float:
        """The current learning rate (of the first parameter group)."""
        return float(self.param_groups[0]["lr"])

    def set_lr(self, lr: float) -> None:
        """Set the learning rate of every parameter group."""
        for group in self.param_groups:
            group["lr"] = lr

    def state_dict(self) -> dict[str, Any]:
        """The torch optimizer's state (tensors and plain data)."""
        return self.optimizer.state_dict()

    def load_state_dict(
        self, state_dict: dict[str, Any], optimizer_overrides: dict[str, Any] | None = None
    ) -> None:
        """Restore state; ``optimizer_overrides`` replace hyper-parameters of every group."""
        self.optimizer.load_state_dict(state_dict)
        for group in self.param_groups:
            group.update(optimizer_overrides or {})

    def backward(self, loss: Tensor) -> None:
        """``loss.backward()``; precision wrappers scale the loss first."""
        loss.backward()

    def unscale_grads(self) -> None:
        """Divide the gradients by the loss scale before clipping (none here: precision
        wrappers that scale the loss override this)."""

    def multiply_grads(self, c: float | Tensor) -> None:
        """Scale every gradient by ``c`` (e.g. to normalize by the number of tokens)."""
        grads = [p.grad for p in self.params if p.grad is not None]
        if grads:
            torch._foreach_mul_(grads, c)

    def clip_grad_norm(self, max_norm: float) -> Tensor:
        """The gradients' total L2 norm; clipped to ``max_norm`` when it is positive."""
        grads = [p for p in self.params if p.grad is not None]
        if not grads:
            return torch.tensor(0.0)
        limit = max_norm if max_norm > 0 else math.inf
        return torch.nn.utils.clip_grad_norm_(grads, limit, foreach=True)

    def step(self) -> None:
        """Update the parameters."""
        self.optimizer.step()

    def zero_grad(self) -> None:
        """Drop the gradients."""
        for p in self.params:
            p.grad = None
