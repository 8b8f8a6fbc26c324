"""What several schedules share: a single ``--lr``, a length from ``--max-update``, a kept rate."""

from __future__ import annotations

from typing import Any

from seqx.errors import ConfigError
from seqx.optim import LRScheduler


def single_lr(name: str, lrs: tuple[float, ...]) -> float:
    """The one ``--lr`` of schedule ``name``; an error for a list of rates per epoch."""
    if len(lrs) > 1:
        raise ConfigError(
            f"--lr-scheduler {name} takes one --lr (got {len(lrs)}); use --lr-scheduler fixed "
            "for one rate per epoch"
        )
    return lrs[0]


def period_or_max_update(name: str, flag: str, given: float, max_update: int, less: int) -> float:
    """``given`` when positive, else --max-update less ``less`` updates (which must be set)."""
    if given > 0:
        return given
    if max_update <= 0:
        raise ConfigError(f"--lr-scheduler {name} needs {flag} or --max-update")
    return float(max_update - less)


class WarmedRate(LRScheduler):
    """A schedule that keeps the epoch's rate and its warmup factor (``fixed``,
    ``polynomial_decay``): both are in its checkpointed state."""

    lr: float
    warmup_factor: float

    def state_dict(self) -> dict[str, Any]:
        return {**super().state_dict(), "lr": self.lr, "warmup_factor": self.warmup_factor}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        super().load_state_dict(state)
        self.lr = state.get("lr", self.lr)
        self.warmup_factor = state.get("warmup_factor", self.warmup_factor)
