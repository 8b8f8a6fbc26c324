"""``polynomial_decay``: warmup, then a polynomial decay to --end-learning-rate."""

from __future__ import annotations

from typing import Any

from seqx.optim import Optimizer
from seqx_optim.single_rate import WarmedRate, period_or_max_update


class PolynomialDecaySchedule(WarmedRate):
    """fairseq's schedule: ``lr = (peak - end) * (1 - progress)**power + end``, where
    progress runs from the end of warmup to --total-num-update."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        self.total = period_or_max_update(
            "polynomial_decay", "--total-num-update", cfg.total_num_update, cfg.max_update, 0
        )
        self.lr = lrs[0]
        self.warmup_factor = 1.0 / cfg.warmup_updates if cfg.warmup_updates > 0 else 1.0
        self.optimizer.set_lr(self.warmup_factor * self.lr)

    def get_next_lr(self, epoch: int) -> float:
        """The peak of ``epoch``: ``--lr``'s entry (indexed by epoch, as fairseq does), or
        from --force-anneal on the rate the updates reached."""
        anneal = self.cfg.force_anneal
        if anneal is None or epoch < anneal:
            return self.lrs[min(epoch, len(self.lrs) - 1)]
        return self.optimizer.get_lr()

    def step_begin_epoch(self, epoch: int) -> float:
        self.lr = self.get_next_lr(epoch)
        self.optimizer.set_lr(self.warmup_factor * self.lr)
        return self.optimizer.get_lr()

    def step_update(self, num_updates: int) -> float:
        cfg = self.cfg
        warmup, end = cfg.warmup_updates, cfg.end_learning_rate
        if warmup > 0 and num_updates <= warmup:
            self.warmup_factor = num_updates / float(warmup)
            lr = self.warmup_factor * self.lr
        elif num_updates >= self.total:
            lr = end
        else:
            remaining = 1 - (num_updates - warmup) / (self.total - warmup)
            lr = (self.lr - end) * remaining**cfg.power + end
        self.optimizer.set_lr(lr)
        return self.optimizer.get_lr()
