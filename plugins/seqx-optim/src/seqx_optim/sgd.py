"""``sgd``: torch's SGD."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.optim import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent with momentum and weight decay."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        self._optimizer = torch.optim.SGD(
            self.params, lr=lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay, foreach=True
        )
