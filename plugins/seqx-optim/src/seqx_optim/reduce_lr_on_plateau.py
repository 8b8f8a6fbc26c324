"""``reduce_lr_on_plateau``: shrink the rate when the validation metric stops improving."""

from __future__ import annotations

import math
from typing import Any

from seqx.optim import LRScheduler, Optimizer
from seqx_optim.single_rate import single_lr

EPS = 1e-8
"""A shrink smaller than this leaves the rate as it is (torch's ``ReduceLROnPlateau``)."""


class ReduceLROnPlateauSchedule(LRScheduler):
    """fairseq's schedule (torch's ``ReduceLROnPlateau`` in relative-threshold mode after an
    optional linear warmup): after --lr-patience epoch-end validations whose
    --best-checkpoint-metric did not beat the best by more than --lr-threshold (relative),
    the rate is multiplied by --lr-shrink. A larger metric is better under
    --maximize-best-checkpoint-metric. Unlike fairseq, the count of validations without
    improvement is kept in checkpoints, so a resumed run shrinks when the first would have.
    """

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        peak = single_lr("reduce_lr_on_plateau", lrs)
        warmup = cfg.warmup_updates
        init = cfg.warmup_init_lr if cfg.warmup_init_lr >= 0 else (0.0 if warmup > 0 else peak)
        self.warmup_init_lr = init
        self.lr_step = (peak - init) / warmup if warmup > 0 else 0.0
        self.warmup_end = warmup <= 0
        self.plateau_best = -math.inf if cfg.maximize_best_checkpoint_metric else math.inf
        self.bad_epochs = 0
        self.last_epoch = 0
        self.lr = peak if self.warmup_end else init
        self.optimizer.set_lr(self.lr)

    def _improves(self, value: float) -> bool:
        threshold = self.cfg.lr_threshold
        if self.cfg.maximize_best_checkpoint_metric:
            return value > self.plateau_best * (1 + threshold)
        return value < self.plateau_best * (1 - threshold)

    def step(self, epoch: int, val_loss: float | None = None) -> float:
        if val_loss is None or not self.warmup_end:
            self.last_epoch = epoch
            return self.optimizer.get_lr()
        self.last_epoch += 1
        if self._improves(val_loss):
            self.plateau_best, self.bad_epochs = val_loss, 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs > self.cfg.lr_patience:
            old = self.optimizer.get_lr()
            new = old * self.cfg.lr_shrink
            if old - new > EPS:
                self.optimizer.set_lr(new)
            self.bad_epochs = 0
        self.best = self.plateau_best
        return self.optimizer.get_lr()

    def step_update(self, num_updates: int) -> float:
        warmup = self.cfg.warmup_updates
        if warmup > 0 and num_updates <= warmup:
            self.lr = self.warmup_init_lr + num_updates * self.lr_step
            self.optimizer.set_lr(self.lr)
        elif warmup > 0:
            self.warmup_end = True
        return self.optimizer.get_lr()

    def state_dict(self) -> dict[str, Any]:
        return {
            "best": self.plateau_best,
            "last_epoch": self.last_epoch,
            "bad_epochs": self.bad_epochs,
            "lr": self.optimizer.get_lr(),
            "warmup_end": self.warmup_end,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.plateau_best = state["best"]
        self.last_epoch = state.get("last_epoch", self.last_epoch)
        self.bad_epochs = state.get("bad_epochs", 0)
        self.warmup_end = state.get("warmup_end", self.warmup_end)
        if "lr" in state:
            self.optimizer.set_lr(state["lr"])
