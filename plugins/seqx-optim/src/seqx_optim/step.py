"""``step``: warmup, then the rate multiplied by --lr-decay every --lr-deacy-period updates."""

from __future__ import annotations

from typing import Any

from seqx.errors import ConfigError
from seqx.optim import LRScheduler, Optimizer
from seqx_optim.single_rate import single_lr


class StepSchedule(LRScheduler):
    """fairseq's schedule: ``lr = max(peak * decay**(updates // period), min_lr)`` after
    warmup (updates counted from its end)."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        self.max_lr = single_lr("step", lrs)
        if self.max_lr <= cfg.min_lr:
            raise ConfigError(f"--lr {self.max_lr} must be above --min-lr {cfg.min_lr}")
        warmup = cfg.warmup_updates
        self.warmup_init_lr = cfg.warmup_init_lr if cfg.warmup_init_lr >= 0 else cfg.min_lr
        self.lr_step = (self.max_lr - self.warmup_init_lr) / warmup if warmup > 0 else 1.0
        self.lr = self.warmup_init_lr
        self.optimizer.set_lr(self.lr)

    def step_update(self, num_updates: int) -> float:
        cfg = self.cfg
        if num_updates < cfg.warmup_updates:
            self.lr = self.warmup_init_lr + num_updates * self.lr_step
        else:
            periods = (num_updates - cfg.warmup_updates) // cfg.lr_deacy_period
            self.lr = max(self.max_lr * cfg.lr_decay**periods, cfg.min_lr)
        self.optimizer.set_lr(self.lr)
        return self.lr
