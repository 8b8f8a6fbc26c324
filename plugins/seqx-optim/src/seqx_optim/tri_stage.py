"""``tri_stage``: linear warmup, hold, exponential decay, then a constant floor."""

from __future__ import annotations

import math
from typing import Any

from seqx.errors import ConfigError
from seqx.optim import LRScheduler, Optimizer
from seqx_optim.single_rate import single_lr


class TriStageSchedule(LRScheduler):
    """fairseq's tri-stage schedule (Park et al., 2019)."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        self.peak_lr = single_lr("tri_stage", lrs)
        self.init_lr = cfg.init_lr_scale * self.peak_lr
        self.final_lr = cfg.final_lr_scale * self.peak_lr
        self.steps = _stages(cfg)
        warmup, _, decay = self.steps
        self.warmup_rate = (self.peak_lr - self.init_lr) / warmup if warmup else 0.0
        self.decay_factor = -math.log(cfg.final_lr_scale) / decay if decay else 0.0
        self.lr = self.init_lr
        self.optimizer.set_lr(self.lr)

    def step_update(self, num_updates: int) -> float:
        warmup, hold, decay = self.steps
        if num_updates < warmup:
            self.lr = self.init_lr + self.warmup_rate * num_updates
        elif num_updates < warmup + hold:
            self.lr = self.peak_lr
        elif num_updates <= warmup + hold + decay:
            self.lr = self.peak_lr * math.exp(-self.decay_factor * (num_updates - warmup - hold))
        else:
            self.lr = self.final_lr
        self.optimizer.set_lr(self.lr)
        return self.lr


def _stages(cfg: Any) -> tuple[int, int, int]:
    """(warmup, hold, decay) updates: given, or --phase-ratio of --max-update."""
    if cfg.phase_ratio is not None:
        if cfg.max_update <= 0:
            raise ConfigError("--phase-ratio divides --max-update: give --max-update")
        if not math.isclose(sum(cfg.phase_ratio), 1.0):
            raise ConfigError(f"--phase-ratio {cfg.phase_ratio} must add up to 1")
        warmup, hold, decay = (int(cfg.max_update * r) for r in cfg.phase_ratio)
    else:
        warmup, hold, decay = cfg.warmup_steps, cfg.hold_steps, cfg.decay_steps
    if warmup + hold + decay <= 0:
        raise ConfigError(
            "--lr-scheduler tri_stage needs --warmup-steps/--hold-steps/--decay-steps or "
            "--phase-ratio"
        )
    return warmup, hold, decay
