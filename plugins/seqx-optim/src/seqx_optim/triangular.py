"""``triangular``: the rate cycles linearly between --lr and --max-lr (Smith, 2017)."""

from __future__ import annotations

import math
from typing import Any

from seqx.errors import ConfigError
from seqx.optim import LRScheduler, Optimizer
from seqx_optim.single_rate import single_lr


class TriangularSchedule(LRScheduler):
    """fairseq's triangular schedule; the peak (and with --shrink-min the floor) shrinks by
    --lr-shrink after each cycle."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        self.min_lr = single_lr("triangular", lrs)
        if cfg.max_lr is None or cfg.max_lr <= self.min_lr:
            raise ConfigError(f"--lr-scheduler triangular needs --max-lr above --lr {self.min_lr}")
        self.stepsize = cfg.lr_period_updates // 2
        self.lr = self.min_lr
        self.optimizer.set_lr(self.lr)

    def step_update(self, num_updates: int) -> float:
        cfg = self.cfg
        cycle = math.floor(num_updates / (2 * self.stepsize))
        shrink = cfg.lr_shrink**cycle
        high = cfg.max_lr * shrink
        low = self.min_lr * shrink if cfg.shrink_min else self.min_lr
        x = abs(num_updates / self.stepsize - 2 * (cycle + 1) + 1)
        self.lr = low + (high - low) * max(0.0, 1 - x)
        self.optimizer.set_lr(self.lr)
        return self.lr
