"""``composite`` optimizer and ``pass_through`` schedule: a different optimizer and
schedule for each named group of parameters, as fairseq's.

A model names a parameter's group by setting ``param.param_group = "NAME"`` (the others are
in ``default``); ``--groups`` gives each group its optimizer, schedule and rate as JSON:
``{"default": {"optimizer": {"_name": "adam"}, "lr_scheduler": {"_name": "inverse_sqrt",
"warmup_updates": 4000}, "lr": [0.0005]}, "embeddings": {...}}``. ``--lr-scheduler
pass_through`` then steps the groups' own schedules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from seqx.config.resolve import config_from_dict
from seqx.errors import ConfigError
from seqx.optim import LRScheduler, Optimizer


def _groups(text: str) -> dict[str, dict[str, Any]]:
    try:
        groups = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"--groups is not JSON ({exc})") from None
    if not isinstance(groups, dict) or not groups:
        raise ConfigError('--groups: give a JSON object of group -> {"optimizer": {...}, ...}')
    for name, spec in groups.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("optimizer"), dict):
            raise ConfigError(f'--groups: group {name!r} needs "optimizer": {{"_name": ...}}')
    return groups


def _build(kind: str, spec: dict[str, Any], group: str, *args: Any) -> Any:
    from seqx.plugins import get_registry

    registry = get_registry()
    name = spec.get("_name")
    if not isinstance(name, str) or (kind, name) not in registry:
        raise ConfigError(
            f"--groups: group {group!r} names {kind} {name!r}; installed: "
            f"{', '.join(registry.names(kind))}"
        )
    entry = registry.get(kind, name)
    cls = entry.load_config()
    try:
        cfg = config_from_dict(cls, spec) if cls is not None else None
    except ConfigError as exc:
        raise ConfigError(f"--groups: group {group!r}: {exc}") from None
    return entry.load()(cfg, *args)


class CompositeOptimizer(Optimizer):
    """One optimizer (and schedule) per parameter group."""

    def __init__(self, cfg: Any, params: Iterable[Tensor], lr: float) -> None:
        super().__init__(cfg, params, lr)
        groups = _groups(cfg.groups)
        by_group: dict[str, list[Tensor]] = {}
        for p in self.params:
            by_group.setdefault(getattr(p, "param_group", "default"), []).append(p)
        if set(by_group) != set(groups):
            raise ConfigError(
                f"--groups configures {sorted(groups)} but the model's parameters are in "
                f"{sorted(by_group)} (a parameter's group is its param_group attribute)"
            )
        self.optimizers: dict[str, Optimizer] = {}
        self.schedulers: dict[str, LRScheduler] = {}
        for name, spec in groups.items():
            lrs = tuple(spec.get("lr") or [lr])
            self.optimizers[name] = _build(
                "optimizer", spec["optimizer"], name, by_group[name], lrs[0]
            )
            if spec.get("lr_scheduler"):
                self.schedulers[name] = _build(
                    "lr_scheduler", spec["lr_scheduler"], name, self.optimizers[name], lrs
                )
        if self.schedulers and set(self.schedulers) != set(self.optimizers):
            raise ConfigError("--groups: give every group a lr_scheduler, or none")

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        return next(iter(self.optimizers.values())).optimizer

    @property
    def param_groups(self) -> list[dict[str, Any]]:
        return [g for o in self.optimizers.values() for g in o.param_groups]

    def get_lr(self) -> float:
        return next(iter(self.optimizers.values())).get_lr()

    def set_lr(self, lr: float) -> None:
        """Every group's rate (a schedule other than pass_through sets one for all)."""
        for o in self.optimizers.values():
            o.set_lr(lr)

    def step(self) -> None:
        for o in self.optimizers.values():
            o.step()

    def state_dict(self) -> dict[str, Any]:
        return {name: o.state_dict() for name, o in self.optimizers.items()}

    def load_state_dict(
        self, state_dict: dict[str, Any], optimizer_overrides: dict[str, Any] | None = None
    ) -> None:
        for name, o in self.optimizers.items():
            o.load_state_dict(state_dict[name], optimizer_overrides)


class PassThroughSchedule(LRScheduler):
    """Steps the schedules of a composite optimizer's groups."""

    def __init__(self, cfg: Any, optimizer: Optimizer, lrs: tuple[float, ...]) -> None:
        super().__init__(cfg, optimizer, lrs)
        schedulers = getattr(optimizer, "schedulers", None)
        if not schedulers:
            raise ConfigError(
                "--lr-scheduler pass_through steps the schedules of --optimizer composite's "
                "groups; give them in --groups"
            )
        self.schedulers: dict[str, LRScheduler] = schedulers

    def step_begin_epoch(self, epoch: int) -> float:
        rates = [s.step_begin_epoch(epoch) for s in self.schedulers.values()]
        return rates[0]

    def step(self, epoch: int, val_loss: float | None = None) -> float:
        rates = [s.step(epoch, val_loss) for s in self.schedulers.values()]
        return rates[0]

    def step_update(self, num_updates: int) -> float:
        rates = [s.step_update(num_updates) for s in self.schedulers.values()]
        return rates[0]

    def state_dict(self) -> dict[str, Any]:
        return {name: s.state_dict() for name, s in self.schedulers.items()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for name, s in self.schedulers.items():
            s.load_state_dict(state[name])
