"""``cosine``: warmup, then cosine periods that restart (and may grow and shrink)."""

from __future__ import annotations

import math
from typing import Any

from seqx.errors import ConfigError
from seqx.optim import LRScheduler, Optimizer
from seqx_optim.single_rate import period_or_max_update, single_lr


class CosineSchedule(LRScheduler):
    """fairseq's cosine schedule (Loshchilov and Hutter, 2017).

    After warmup, in period ``i`` of length ``t_i = period * t_mult**i``:
    ``lr = min_i + (max_i - min_i) * (1 + cos(pi * t_curr / t_i)) / 2`` with
    ``max_i = lr * lr_shrink**i`` and ``min_i = min_lr * lr_shrink**i``.
    """

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        self.max_lr = single_lr("cosine", lrs)
        if self.max_lr <= cfg.min_lr:
            raise ConfigError(f"--lr {self.max_lr} must be above --min-lr {cfg.min_lr}")
        self.warmup_init_lr = cfg.warmup_init_lr if cfg.warmup_init_lr >= 0 else cfg.min_lr
        self.period = period_or_max_update(
            "cosine", "--lr-period-updates", cfg.lr_period_updates, cfg.max_update,
            cfg.warmup_updates,
        )  # fmt: skip
        warmup = cfg.warmup_updates
        self.lr_step = (self.max_lr - self.warmup_init_lr) / warmup if warmup > 0 else 1.0
        self.lr = self.warmup_init_lr
        self.optimizer.set_lr(self.lr)

    def _period(self, updates: float) -> tuple[int, float, float]:
        """(index, length, position within it) of the period ``updates`` falls in."""
        mult = self.cfg.t_mult
        if mult != 1:
            i = math.floor(math.log(1 - updates / self.period * (1 - mult), mult))
            length = mult**i * self.period
            return i, length, updates - (1 - mult**i) / (1 - mult) * self.period
        i = math.floor(updates / self.period)
        return i, self.period, updates - self.period * i

    def step_update(self, num_updates: int) -> float:
        cfg = self.cfg
        if num_updates < cfg.warmup_updates:
            self.lr = self.warmup_init_lr + num_updates * self.lr_step
        else:
            i, length, position = self._period(num_updates - cfg.warmup_updates)
            shrink = cfg.lr_shrink**i
            low, high = cfg.min_lr * shrink, self.max_lr * shrink
            self.lr = low + 0.5 * (high - low) * (1 + math.cos(math.pi * position / length))
        self.optimizer.set_lr(self.lr)
        return self.lr
