"""``inverse_sqrt``: linear warmup, then decay with the inverse square root of updates."""

from __future__ import annotations

from typing import Any

from seqx.errors import ConfigError
from seqx.optim import LRScheduler, Optimizer


class InverseSquareRootSchedule(LRScheduler):
    """fairseq's schedule: ``lr = peak * sqrt(warmup) / sqrt(updates)`` after warmup."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        if len(lrs) > 1:
            raise ConfigError(
                "--lr-scheduler inverse_sqrt takes one --lr; use the fixed schedule for one "
                "rate per epoch"
            )
        peak = lrs[0]
        warmup = cfg.warmup_updates
        self.warmup_init_lr = (
            cfg.warmup_init_lr if cfg.warmup_init_lr >= 0 else (0.0 if warmup > 0 else peak)
        )
        self.lr_step = (peak - self.warmup_init_lr) / warmup if warmup > 0 else 0.0
        self.decay_factor = peak * max(warmup, 1) ** 0.5
        self.lr = self.warmup_init_lr
        self.optimizer.set_lr(self.lr)

    def step_update(self, num_updates: int) -> float:
        if num_updates < self.cfg.warmup_updates:
            self.lr = self.warmup_init_lr + num_updates * self.lr_step
        else:
            self.lr = self.decay_factor * max(num_updates, 1) ** -0.5
        self.optimizer.set_lr(self.lr)
        return self.lr
