"""``LRScheduler``: sets the optimizer's learning rate per update and per epoch."""

from __future__ import annotations

from typing import Any

from seqx.optim.optimizer import Optimizer


class LRScheduler:
    """Base class, built as ``cls(cfg, optimizer, lrs)``; ``lrs`` is ``--lr`` (one per epoch)."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        self.cfg = cfg
        self.optimizer = optimizer
        self.lrs = tuple(lrs)
        self.best: float | None = None

    def state_dict(self) -> dict[str, Any]:
        """Plain data to resume from."""
        return {"best": self.best}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Resume from ``state``."""
        self.best = state.get("best")

    def step_begin_epoch(self, epoch: int) -> float:
        """Called before ``epoch`` starts; returns the learning rate."""
        return self.optimizer.get_lr()

    def step(self, epoch: int, val_loss: float | None = None) -> float:
        """Called after ``epoch`` ends (and validation); returns the learning rate."""
        if val_loss is not None:
            self.best = val_loss if self.best is None else min(self.best, val_loss)
        return self.optimizer.get_lr()

    def step_update(self, num_updates: int) -> float:
        """Called after every update; returns the learning rate."""
        return self.optimizer.get_lr()
