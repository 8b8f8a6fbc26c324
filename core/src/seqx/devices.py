"""Devices and precision contexts shared by training, decoding and the Python API."""

from __future__ import annotations

import contextlib
from typing import Any

import torch


def pick_device(cpu: bool) -> torch.device:
    """CUDA when available and not refused with ``--cpu``, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() and not cpu else "cpu")


def move_to(sample: Any, device: torch.device) -> Any:
    """``sample`` with every tensor on ``device`` (dicts and lists followed)."""
    if isinstance(sample, torch.Tensor):
        return sample.to(device, non_blocking=True)
    if isinstance(sample, dict):
        return {k: move_to(v, device) for k, v in sample.items()}
    if isinstance(sample, list):
        return [move_to(v, device) for v in sample]
    return sample


def amp_dtype(device: torch.device) -> torch.dtype:
    """The dtype ``--amp`` computes in: float16 on CUDA, bfloat16 elsewhere."""
    return torch.float16 if device.type == "cuda" else torch.bfloat16


def autocast(device: torch.device, enabled: bool) -> contextlib.AbstractContextManager[Any]:
    """The autocast context of ``--amp`` on ``device`` (a no-op when not ``enabled``)."""
    if not enabled:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=amp_dtype(device))


def autocast_dtype(device_type: str) -> torch.dtype | None:
    """The dtype autocast computes in on ``device_type`` now (None when it is off).

    A cache built once per search in that dtype spares the cast that every autocast
    matrix multiply would otherwise make of it at every step (autocast's own cast cache
    keeps only leaf parameters).
    """
    if torch.is_autocast_enabled(device_type):
        return torch.get_autocast_dtype(device_type)
    return None


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is an allocation failure (CUDA's OutOfMemoryError or the CPU's)."""
    if isinstance(exc, torch.OutOfMemoryError):
        return True
    text = str(exc)
    return "out of memory" in text or "can't allocate memory" in text
