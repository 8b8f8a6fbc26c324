"""What the schedules that take a single ``--lr`` share."""

from __future__ import annotations

from seqx.errors import ConfigError


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
