"""``adadelta`` and ``adagrad``: torch's own optimizers, as fairseq wraps them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.optim import Optimizer


class Adadelta(Optimizer):
    """torch's Adadelta with --adadelta-rho, --adadelta-eps and --weight-decay."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        self._optimizer = torch.optim.Adadelta(
            self.params,
            lr=lr,
            rho=cfg.adadelta_rho,
            eps=cfg.adadelta_eps,
            weight_decay=cfg.weight_decay,
            foreach=True,
        )


class Adagrad(Optimizer):
    """torch's Adagrad with --weight-decay."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        self._optimizer = torch.optim.Adagrad(
            self.params, lr=lr, weight_decay=cfg.weight_decay, foreach=True
        )
