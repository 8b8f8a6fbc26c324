"""``fixed``: one learning rate per epoch, optional warmup and annealing (fairseq's)."""

from __future__ import annotations

from typing import Any

from seqx.optim import Optimizer
from seqx_optim.single_rate import WarmedRate


class FixedSchedule(WarmedRate):
    """``--lr`` gives the rate of each epoch (the last one repeats)."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        self.lr = lrs[0]
        self.warmup_factor = 1.0 / cfg.warmup_updates if cfg.warmup_updates > 0 else 1.0
        self.optimizer.set_lr(self.warmup_factor * self.lr)

    def get_next_lr(self, epoch: int) -> float:
        """The learning rate of ``epoch`` (1-based)."""
        anneal = self.cfg.force_anneal
        if anneal is None or epoch < anneal:
            return self.lrs[min(epoch - 1, len(self.lrs) - 1)]
        return self.lrs[-1] * self.cfg.lr_shrink ** (epoch + 1 - anneal)

    def step_begin_epoch(self, epoch: int) -> float:
        self.lr = self.get_next_lr(epoch)
        self.optimizer.set_lr(self.warmup_factor * self.lr)
        return self.optimizer.get_lr()

    def step_update(self, num_updates: int) -> float:
        if self.cfg.warmup_updates > 0 and num_updates < self.cfg.warmup_updates:
            self.warmup_factor = (num_updates + 1) / float(self.cfg.warmup_updates)
            self.optimizer.set_lr(self.warmup_factor * self.lr)
        else:
            self.warmup_factor = 1.0
            self.optimizer.set_lr(self.lr)
        return self.optimizer.get_lr()
