"""Averaging the weights of several checkpoints (fairseq's ``average_checkpoints.py``)."""

from __future__ import annotations

import os
import re
from typing import Any

import torch

from seqx.checkpoint.files import save_state
from seqx.checkpoint.reader import read_checkpoint
from seqx.errors import SeqxError
from seqx.training.checkpoint_policy import EPOCH_NAME, UPDATE_NAME


def last_checkpoints(
    folder: str, count: int, by_updates: bool, upper_bound: int | None = None
) -> list[str]:
    """The ``count`` newest epoch (or update) checkpoints of ``folder``, newest first."""
    pattern: re.Pattern[str] = UPDATE_NAME if by_updates else EPOCH_NAME
    group = 2 if by_updates else 1
    try:
        names = os.listdir(folder)
    except OSError as exc:
        raise SeqxError(f"--inputs: cannot list '{folder}' ({exc.strerror})") from None
    found = []
    for name in names:
        m = pattern.match(name)
        if m and (upper_bound is None or int(m.group(group)) <= upper_bound):
            found.append((int(m.group(group)), os.path.join(folder, name)))
    found.sort(reverse=True)
    kind = "update" if by_updates else "epoch"
    if len(found) < count:
        raise SeqxError(
            f"'{folder}' has {len(found)} {kind} checkpoints, fewer than the {count} asked for"
        )
    return [path for _, path in found[:count]]


def average_checkpoints(paths: list[str]) -> dict[str, Any]:
    """The state of ``paths[0]`` with every model tensor averaged over ``paths``.

    Floating-point tensors are averaged in float64 and cast back; other tensors
    (counts, indices) are taken from ``paths[0]``. Every file is loaded safely (fairseq's
    checkpoints are imported, so the average is a seqx checkpoint).
    """
    if not paths:
        raise SeqxError("give the checkpoints to average")
    first = read_checkpoint(paths[0], upgrade_format=False)
    sums: dict[str, torch.Tensor] = {}
    keys = list(first["model"])
    for path in paths:
        state = first if path == paths[0] else read_checkpoint(path, upgrade_format=False)
        model = state["model"]
        if list(model) != keys:
            missing = sorted(set(keys) ^ set(model))[:3]
            raise SeqxError(
                f"'{path}' holds other parameters than '{paths[0]}' (e.g. {', '.join(missing)}); "
                "only checkpoints of one model can be averaged"
            )
        for key, value in model.items():
            if value.shape != first["model"][key].shape:
                raise SeqxError(
                    f"'{path}' holds {key} of shape {tuple(value.shape)} but '{paths[0]}' of "
                    f"{tuple(first['model'][key].shape)}: only checkpoints of one model (same "
                    "architecture and dictionaries) can be averaged"
                )
            if value.is_floating_point():
                sums[key] = sums.get(key, 0) + value.double()
            elif key not in sums:
                sums[key] = value
    averaged = {
        key: (sums[key] / len(paths)).to(value.dtype) if value.is_floating_point() else sums[key]
        for key, value in first["model"].items()
    }
    out = dict(first)
    out["model"] = averaged
    out["averaged_from"] = [os.path.basename(p) for p in paths]
    return out


def write_average(paths: list[str], output: str) -> None:
    """Average ``paths`` into ``output`` (atomically, loadable with weights_only)."""
    save_state(average_checkpoints(paths), output)
