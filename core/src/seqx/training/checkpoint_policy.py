"""Which checkpoint files a save writes, and which older ones it removes (fairseq's names).

``checkpointEPOCH.pt`` at the end of an epoch, ``checkpoint_EPOCH_UPDATES.pt``
every ``--save-interval-updates`` within one, ``checkpoint_best.pt`` when the
validation metric improves, ``checkpoint.best_METRIC_VALUE.pt`` for the
``--keep-best-checkpoints`` best, and ``checkpoint_last.pt`` every time.
"""

from __future__ import annotations

import contextlib
import os
import re
from typing import Any

from seqx.training.config import CheckpointConfig

EPOCH_NAME = re.compile(r"^checkpoint(\d+)\.pt$")
UPDATE_NAME = re.compile(r"^checkpoint_(\d+)_(\d+)\.pt$")
BEST_NAME = re.compile(r"^checkpoint\.best_(.+)_(-?[0-9.]+(?:e-?\d+)?)\.pt$")


def checkpoint_names(
    cfg: CheckpointConfig,
    epoch: int,
    updates: int,
    end_of_epoch: bool,
    improved: bool,
    metric_value: float | None,
) -> list[str]:
    """The files one save writes, in order (the first is written, the rest copied)."""
    names = []
    if end_of_epoch and not cfg.no_epoch_checkpoints and epoch % cfg.save_interval == 0:
        names.append(f"checkpoint{epoch}.pt")
    if (
        not end_of_epoch
        and cfg.save_interval_updates > 0
        and updates % cfg.save_interval_updates == 0
    ):
        names.append(f"checkpoint_{epoch}_{updates}.pt")
    if improved:
        names.append("checkpoint_best.pt")
    if metric_value is not None and cfg.keep_best_checkpoints > 0:
        names.append(f"checkpoint.best_{cfg.best_checkpoint_metric}_{metric_value:.4f}.pt")
    if not cfg.no_last_checkpoints:
        names.append("checkpoint_last.pt")
    return names


def stale_checkpoints(cfg: CheckpointConfig, files: list[str]) -> list[str]:
    """The files of ``files`` (names in the save dir) that the keep-N options drop."""
    drop: list[str] = []
    if cfg.keep_interval_updates > 0:
        by_update = sorted(
            ((int(m.group(2)), name) for name in files if (m := UPDATE_NAME.match(name))),
            reverse=True,
        )
        drop += [name for _, name in by_update[cfg.keep_interval_updates :]]
    if cfg.keep_last_epochs > 0:
        by_epoch = sorted(
            ((int(m.group(1)), name) for name in files if (m := EPOCH_NAME.match(name))),
            reverse=True,
        )
        drop += [name for _, name in by_epoch[cfg.keep_last_epochs :]]
    if cfg.keep_best_checkpoints > 0:
        metric = cfg.best_checkpoint_metric
        best = []
        for name in files:
            m = BEST_NAME.match(name)
            if m and m.group(1) == metric:
                best.append((float(m.group(2)), name))
        best.sort(reverse=cfg.maximize_best_checkpoint_metric)
        drop += [name for _, name in best[cfg.keep_best_checkpoints :]]
    return drop


def remove_stale(cfg: CheckpointConfig, save_dir: str) -> list[str]:
    """Delete what :func:`stale_checkpoints` names in ``save_dir``; returns the names."""
    try:
        files = os.listdir(save_dir)
    except OSError:
        return []
    drop = stale_checkpoints(cfg, files)
    for name in drop:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(save_dir, name))
    return drop


def is_better(cfg: CheckpointConfig, value: float, best: dict[str, Any] | None) -> bool:
    """Whether ``value`` of the best-checkpoint metric beats ``best``."""
    if best is None:
        return True
    if cfg.maximize_best_checkpoint_metric:
        return value > best["value"]
    return value < best["value"]
