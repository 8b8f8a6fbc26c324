"""``manual``: rates given per epoch (--epoch2lr) and per update (--update2lr)."""

from __future__ import annotations

import ast
from typing import Any

from seqx.errors import ConfigError
from seqx.optim import LRScheduler, Optimizer


def parse_rates(flag: str, text: str) -> dict[int, float]:
    """``"{'1': 0.1, '3-5': 0.05, '6,8': 0.01}"`` as {1: 0.1, 3: 0.05, ...} (fairseq's
    form: keys are numbers, ranges ``a-b`` or lists ``a,b``)."""
    try:
        given = ast.literal_eval(text.replace(" ", ""))
    except (ValueError, SyntaxError):
        given = None
    if not isinstance(given, dict):
        raise ConfigError(f"{flag} {text!r} is not a dict such as \"{{'1': 0.1, '3-5': 0.05}}\"")
    out: dict[int, float] = {}
    try:
        for key, value in given.items():
            key = str(key)
            if "," in key:
                keys = [int(k) for k in key.split(",")]
            elif "-" in key:
                first, last = (int(k) for k in key.split("-"))
                if last < first:
                    raise ValueError
                keys = list(range(first, last + 1))
            else:
                keys = [int(key)]
            out.update(dict.fromkeys(keys, float(value)))
    except ValueError:
        raise ConfigError(
            f"{flag}: {key!r}: {value!r} is not 'N', 'A-B' (A <= B) or 'A,B' to a rate"
        ) from None
    if any(v < 0 for v in out.values()):
        raise ConfigError(f"{flag} {text!r} has a negative rate")
    return out


def _latest(rates: dict[int, float], at: int) -> float | None:
    keys = [k for k in rates if k <= at]
    return rates[max(keys)] if keys else None


class ManualSchedule(LRScheduler):
    """fairseq's manual schedule: the rate of the latest epoch (at each epoch's start) or
    update (after each update) at or before the current one; else the rate stays."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        self.epoch2lr = parse_rates("--epoch2lr", cfg.epoch2lr)
        self.update2lr = parse_rates("--update2lr", cfg.update2lr)
        self.lr = self.epoch2lr.get(1, self.update2lr.get(1, lrs[0]))
        self.optimizer.set_lr(self.lr)

    def step_begin_epoch(self, epoch: int) -> float:
        rate = _latest(self.epoch2lr, epoch)
        self.lr = rate if rate is not None else self.optimizer.get_lr()
        self.optimizer.set_lr(self.lr)
        return self.lr

    def step_update(self, num_updates: int) -> float:
        rate = _latest(self.update2lr, num_updates)
        if rate is not None:
            self.lr = rate
        self.optimizer.set_lr(self.lr)
        return self.lr

    def state_dict(self) -> dict[str, Any]:
        return {**super().state_dict(), "lr": self.lr}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        super().load_state_dict(state)
        self.lr = state.get("lr", self.lr)
