"""The plugin contract: the hooks a seqx plugin may implement.

Hooks are called with keyword arguments; an implementation may accept any
subset of a hook's arguments. ``seqx_register`` is the one nearly every
plugin implements; the others let a plugin follow a training run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from seqx.registrar import Registrar

PROJECT = "seqx"

hookspec = pluggy.HookspecMarker(PROJECT)
"""Marks a hook specification (used by this module only)."""

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a plugin's implementation of a seqx hook: ``@hookimpl``."""


@hookspec
def seqx_register(registry: Registrar) -> None:
    """Register named components through ``registry`` (``registry.model(...)``).

    Targets are import strings (``"pkg.module:Attr"``), imported only when a
    run uses them, so registering must stay cheap: no torch here.
    """


@hookspec
def seqx_train_start(trainer: Any) -> None:
    """Called once when training starts, after any checkpoint was restored."""


@hookspec
def seqx_epoch_end(trainer: Any, epoch: int, stats: dict[str, Any]) -> None:
    """Called at the end of every training epoch with that epoch's stats."""


@hookspec
def seqx_log(stats: dict[str, Any], tag: str, step: int | None) -> None:
    """Called with every logged stats dict (``tag`` is e.g. ``train_inner``, ``valid``)."""


@hookspec
def seqx_validation_end(trainer: Any, stats: dict[str, Any]) -> None:
    """Called after each validation with its stats."""


@hookspec
def seqx_checkpoint_saved(trainer: Any, path: str) -> None:
    """Called after a checkpoint was written (atomically) to ``path``."""


@hookspec
def seqx_train_end(trainer: Any, stats: dict[str, Any]) -> None:
    """Called once when training stops, with the final stats."""


@hookspec(firstresult=True)
def seqx_upgrade_checkpoint(state: dict[str, Any]) -> dict[str, Any] | None:
    """Migrate ``state`` saved by an older version; return the new state or None."""


HOOK_NAMES: tuple[str, ...] = (
    "seqx_register",
    "seqx_train_start",
    "seqx_epoch_end",
    "seqx_log",
    "seqx_validation_end",
    "seqx_checkpoint_saved",
    "seqx_train_end",
    "seqx_upgrade_checkpoint",
)
"""Every hook of the contract, by name."""
