"""Optimizer and learning-rate scheduler interfaces (implementations: seqx-optim)."""

from seqx.optim.lr_scheduler import LRScheduler
from seqx.optim.optimizer import Optimizer

__all__ = ["LRScheduler", "Optimizer"]
